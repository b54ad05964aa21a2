"""Starting the kiosk: the studio, the session to show, the window, clean shutdown."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from kiosk.core.errors import RevealError


def run_kiosk(args: argparse.Namespace) -> int:
    from kiosk.demo import ensure_demo
    from kiosk.studio import open_studio

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print(
            "Reveal needs a screen: no display was found (DISPLAY is not set). "
            "Start it from the TV's desktop session, or under xvfb-run for a test.",
            file=sys.stderr,
        )
        return 2
    try:
        studio = open_studio(args.data)
        ensure_demo(studio)
        sessions = studio.store.sessions()
        session_id = args.session or sessions[-1].id
        studio.store.session(session_id)  # a clear message for a wrong --session
    except RevealError as exc:
        print(f"Reveal: {exc}", file=sys.stderr)
        return 2

    configure_window(args.windowed, args.size)
    from kivy.clock import Clock

    from kiosk.ui.app import RevealApp

    app = RevealApp(studio, session_id, screenshot=args.screenshot)
    # A service manager's stop (SIGTERM) or Ctrl+C ends the session cleanly, like Quit.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: Clock.schedule_once(lambda _dt: app.stop()))
    try:
        app.run()
    finally:
        studio.close()
    return 0


def configure_window(windowed: bool, size: tuple[int, int] | None) -> None:
    """Kivy reads these before it opens the window, so this runs before any Window import."""
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")  # Escape asks first
    Config.set("input", "mouse", "mouse,multitouch_on_demand")  # no red dots on right-click
    if size:
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))
    if windowed or size:
        Config.set("graphics", "fullscreen", "0")
    else:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "show_cursor", "0")  # a touch kiosk: no arrow over the photo
