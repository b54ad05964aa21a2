"""`python main.py display`: the room display on the kiosk machine's second monitor.

It makes a display link (kiosk/display/links.py: 12 hours, ended when the TV shows another
session or forgets all tablets) and opens it in Debian's chromium in kiosk mode, full screen on
the second monitor as `xrandr --listmonitors` lists them. The kiosk must be running (the page
is its web server's). `--print` writes the command line instead of running it: for a service
file, or for a smart TV's browser or a stick PC, which only need the link it ends with.

    python main.py display                     # chromium on monitor 2
    python main.py display --monitor 1 --print # the command line for monitor 1
    python main.py display --diagonal 65       # a 65-inch TV: prints shown at true size
    python -m kiosk.cli.display --print

Exit codes: 0 when chromium was started (or the command printed); 1 when the studio cannot be
opened; 2 when there is no such monitor, no chromium, or a diagonal no screen has.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.core.errors import CalibrationError
from kiosk.display.links import DisplayLinks, with_diagonal
from kiosk.studio import Studio
from kiosk.web.pairing import Pairing

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
# Full screen without anything a client could tap: no first-run page, no "restore pages?", no
# translate bar, no password store to unlock; its own profile, away from anyone's browsing.
KIOSK_FLAGS = (
    "--kiosk",
    "--no-first-run",
    "--noerrdialogs",
    "--disable-infobars",
    "--disable-session-crashed-bubble",
    "--disable-translate",
    "--disable-features=Translate",
    "--password-store=basic",
    "--autoplay-policy=no-user-gesture-required",
    "--check-for-update-interval=31536000",
)
# "0: +*HDMI-1 1920/598x1080/336+0+0  HDMI-1" -> width, height, x, y
MONITOR = re.compile(r"^\s*\d+:\s+\S+\s+(\d+)/\d+x(\d+)/\d+\+(-?\d+)\+(-?\d+)")


@dataclass(frozen=True)
class Monitor:
    width: int
    height: int
    x: int
    y: int


def monitors(listing: str) -> list[Monitor]:
    """The monitors in `xrandr --listmonitors`'s output, in its order (1 is the first)."""
    found = []
    for line in listing.splitlines():
        match = MONITOR.match(line)
        if match:
            width, height, x, y = (int(v) for v in match.groups())
            found.append(Monitor(width, height, x, y))
    return found


def chromium_command(browser: str, url: str, monitor: Monitor | None, profile: Path) -> list[str]:
    """The command line that opens `url` full screen on `monitor` (None: wherever it opens)."""
    place = []
    if monitor is not None:
        place = [
            f"--window-position={monitor.x},{monitor.y}",
            f"--window-size={monitor.width},{monitor.height}",
        ]
    return [browser, *KIOSK_FLAGS, f"--user-data-dir={profile}", *place, f"--app={url}"]


def add_parsers(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    display = subparsers.add_parser(
        "display",
        help="open the room display on the second monitor",
        description=(
            "Open the room display (the big picture of the TV's screen: photos, comparisons, "
            "the wall art, the order) in chromium's kiosk mode on another monitor. The kiosk "
            "must be running."
        ),
    )
    display.add_argument(
        "--monitor", type=int, default=2, metavar="N", help="monitor number (default: 2)"
    )
    display.add_argument(
        "--print",
        action="store_true",
        dest="print_only",
        help="print the command line (and its link) instead of running it",
    )
    display.add_argument(
        "--diagonal",
        default="",
        metavar="SIZE",
        help="the second screen's diagonal (65 for inches, or 165cm): the actual-size screen "
        "then shows prints at their true size on it",
    )
    display.set_defaults(func=run_display)
    return display


@with_studio
def run_display(args: argparse.Namespace, studio: Studio) -> int:
    port = getattr(args, "port", None) or studio.settings.web_port
    # On this machine: the kiosk's own address, which its Host allow-list always accepts.
    url = DisplayLinks(Pairing.for_store(studio.store)).display_url(f"http://127.0.0.1:{port}")
    try:
        url = with_diagonal(url, args.diagonal)
    except CalibrationError as error:
        print(error, file=sys.stderr)
        return 2
    monitor = None
    listing = _xrandr()
    if listing is not None:
        found = monitors(listing)
        if not 1 <= args.monitor <= len(found):
            print(
                f"There is no monitor {args.monitor}: xrandr lists {len(found)}. Connect the "
                "second screen, or choose another with --monitor N.",
                file=sys.stderr,
            )
            return 2
        monitor = found[args.monitor - 1]
    browser = next((path for name in CHROMIUM if (path := shutil.which(name))), "chromium")
    command = chromium_command(browser, url, monitor, studio.paths.root / "cache" / "display")
    if args.print_only:
        print(shlex.join(command))
        return 0
    if not shutil.which(browser):
        print("Chromium is not installed: sudo apt install chromium", file=sys.stderr)
        return 2
    subprocess.Popen(command, start_new_session=True)  # noqa: S603 — our own command line
    print(f"Room display opened on monitor {args.monitor}: {url}")
    return 0


def _xrandr() -> str | None:
    """`xrandr --listmonitors`, or None where there is no xrandr or no X display."""
    try:
        done = subprocess.run(
            ["xrandr", "--listmonitors"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


if __name__ == "__main__":
    sys.exit(run_alone(add_parsers, "python -m kiosk.cli.display", sys.argv[1:]))
