"""Starting the kiosk: the studio, the session to show, the window, the web server, clean exit."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from datetime import date

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
        session_id, welcome = start_on(studio, args.session)
        studio.store.session(session_id)  # a clear message for a wrong --session
    except RevealError as exc:
        print(f"Reveal: {exc}", file=sys.stderr)
        return 2

    configure_window(args.windowed, args.size)
    from kiosk.ui.app import RevealApp

    app = RevealApp(
        studio, session_id, screenshot=args.screenshot, commit_delay=slow_disk(), welcome=welcome
    )
    port = args.port if args.port is not None else studio.settings.web_port
    try:
        asyncio.run(_serve(app, studio.settings.web_host, port))
    except OSError as exc:  # the port is taken, most often by a second kiosk
        print(
            f"Reveal: cannot listen on port {port} ({exc.strerror}). Is Reveal already "
            "running? Otherwise choose another port with --port or web_port.",
            file=sys.stderr,
        )
        return 2
    finally:
        studio.close()
    return 0


def start_on(studio, requested: int | None, today: date | None = None) -> tuple[int, bool]:
    """The session the kiosk opens, and whether the TV shows the studio's welcome instead.

    `--session N` is shown as asked. Otherwise the session the TV showed last (a restart
    during a viewing picks up where the client was), or the newest; and with `start_screen =
    "welcome"` the TV waits on the welcome screen unless that session was shown today, or it is
    the studio's only session (a new studio's first look at the demo)."""
    if requested:
        return requested, False
    sessions = studio.store.sessions()
    shown = studio.store.last_shown()
    session_id = shown[0] if shown else sessions[-1].id
    if studio.settings.start_screen != "welcome" or len(sessions) == 1:
        return session_id, False
    today = today or date.today()
    return session_id, not (shown and shown[1].astimezone().date() == today)


SLOW_DISK = "REVEAL_TEST_COMMIT_DELAY_MS"


def slow_disk() -> float:
    """Seconds added to every commit of the event log, from the environment: how the crash
    test and the benches stand in for a kiosk PC's slow eMMC disk. 0 in real use."""
    try:
        return max(0.0, float(os.environ.get(SLOW_DISK, "0")) / 1000)
    except ValueError:
        return 0.0


async def _serve(app, host: str, port: int) -> None:
    """The Kivy app and uvicorn in one asyncio loop; quitting either ends both."""
    from kivy.clock import Clock

    from kiosk.backup.daily import DailyBackups, keep_backing_up
    from kiosk.upkeep.rounds import Upkeep, keep_tidy
    from kiosk.web.server import bind, make_server

    sock = bind(host, port)  # first, so a taken port is reported before the window opens
    from kiosk.web.routes.imports import receiving

    api = web_app(app)
    share_frames_with_the_server(
        Clock, saving=lambda: app.live.saving, busy=lambda: receiving(api.state), still=tv_is_still
    )
    server = make_server(api)
    app.web_server = server
    loop = asyncio.get_running_loop()
    # A service manager's stop (SIGTERM) or Ctrl+C ends the session cleanly, like Quit.
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: Clock.schedule_once(lambda _dt: app.stop()))
    serving = asyncio.ensure_future(server.serve(sockets=[sock]))
    app.start_outbox()  # queued invoice e-mail goes out while the session goes on
    backups = asyncio.ensure_future(keep_backing_up(DailyBackups.of(app.studio)))
    upkeep = asyncio.ensure_future(keep_tidy(Upkeep(app.studio, on_tv=lambda: app.session.id)))
    try:
        await app.async_run(async_lib="asyncio")
    finally:
        server.should_exit = True
        backups.cancel()
        upkeep.cancel()
        await app.outbox.stop()
        await serving


def web_app(app):
    """The remote and phone pages of this app's session, wired to its screens."""
    from kiosk.display.links import DisplayLinks
    from kiosk.web.app import create_app

    api = create_app(app.live, app.studio, app.pairing)
    api.state.on_wall_photo = app.wall_photo_arrived  # a client's wall photo, on the TV at once
    api.state.wake_outbox = app.wake_outbox  # "Send again" on the remote sends now, not next round
    api.state.show_session = app.show_session  # "Show on the TV" from the sessions page
    api.state.on_client_details = app.client_details_changed  # a corrected e-mail reaches the TV
    api.state.images_added = app.images_added  # photos imported from the tablet join the TV's
    app.session_listeners.append(api.state.reveal.switch)
    app.session_listeners.append(DisplayLinks.of(app.pairing).end_all)  # displays go dark
    api.state.reveal.attach_music(app.music)  # its volume and mute on the remote
    return api


SERVER_TURNS = 4  # extra turns of the asyncio loop after each Kivy frame
WRITE_WAIT = 0.004  # s: how long the next frame may wait for a write under way
UPLOAD_SHARE = 0.006  # s: the loop's extra time after a frame while a photo upload streams in
STILL_SHARE = 0.030  # s: the same while nothing moves on the TV
SHARE_POLL = 0.002  # s: how often the loop looks whether the upload is still streaming


def share_frames_with_the_server(
    clock, saving=lambda: False, busy=lambda: False, still=lambda: False
) -> None:
    """Give the web server a few turns of the loop between two frames, not one
    (`serve_between_frames`): Kivy's clock yields to asyncio with a single `sleep(0)` a frame."""
    sleep = clock.async_idle

    async def sleep_then_serve():
        current = await sleep()
        await serve_between_frames(saving, busy, still)
        return current

    clock.async_idle = sleep_then_serve


async def serve_between_frames(saving, busy, still) -> None:
    """The web server's share of the loop after a frame.

    When a frame takes longer than 1/60 s (every frame of a cross-fade on the software
    renderer), the server would get one turn of the loop per frame. A tablet's command needs
    about three turns (its bytes read, the handler, the websocket sends), and each would wait a
    whole frame. A turn with nothing to do costs one select() call. Measured by
    bench/remote_bench.py.

    A command is answered once the writer thread has made it durable, which takes an fsync
    (about a millisecond on a quiet disk). While a write is under way (`saving()`), the loop
    waits for it a little, up to WRITE_WAIT, serving the network meanwhile, and then gives the
    answer its turns: a few milliseconds on the next frame instead of a whole frame on the
    answer. A slow disk costs the frame no more than WRITE_WAIT.

    While a shoot's photos stream in from the tablet (`busy()`), each turn reads at most 256 KB
    of a socket, so with four turns a frame of the software renderer (100-300 ms) an upload
    crawled at 1-3 MB/s (bench/console_bench.py). The loop then also gets UPLOAD_SHARE after
    each frame, and STILL_SHARE while nothing moves on the TV (`still()`: no animation, no
    finger down): a client looking at a photo does not see the next frame come later, and the
    upload gets most of the time between their gestures. The loop spends that time waiting in
    its selector: spinning on sleep(0) there kept a core and the GIL busy, and the import that
    the upload feeds crawled (bench/console_bench.py, 0.59x of `main.py import` with the TV
    still)."""
    for _ in range(SERVER_TURNS):
        await asyncio.sleep(0)
    if saving():
        deadline = time.perf_counter() + WRITE_WAIT
        while saving() and time.perf_counter() < deadline:
            await asyncio.sleep(0.0002)
        for _ in range(SERVER_TURNS):
            await asyncio.sleep(0)
    if busy():
        deadline = time.perf_counter() + (STILL_SHARE if still() else UPLOAD_SHARE)
        # In the selector, not spinning on sleep(0): the bytes are read as they arrive, and
        # the import's threads and worker processes keep the GIL and the cores meanwhile.
        while busy() and (left := deadline - time.perf_counter()) > 0:
            await asyncio.sleep(min(left, SHARE_POLL))


def tv_is_still() -> bool:
    """Nothing moves on the TV: no animation runs (Kivy keeps the running ones in a class
    set) and no finger is down."""
    from kivy.animation import Animation
    from kivy.base import EventLoop

    return not Animation._instances and not EventLoop.touches


def configure_window(windowed: bool, size: tuple[int, int] | None) -> None:
    """Kivy reads these before it opens the window, so this runs before any Window import."""
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")  # Escape asks first
    # Typing a note or an address on the touch screen: Kivy's keyboard docks at the bottom
    # (a physical keyboard keeps working too).
    Config.set("kivy", "keyboard_mode", "systemanddock")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")  # no red dots on right-click
    # The TV never blanks or sleeps while the kiosk runs: SDL suspends the X11 screen saver and
    # DPMS, or asks a Wayland desktop to stay awake (idle-inhibit), until the window closes.
    Config.set("graphics", "allow_screensaver", "0")
    if size:
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))
    if windowed or size:
        Config.set("graphics", "fullscreen", "0")
    else:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "show_cursor", "0")  # a touch kiosk: no arrow over the photo
