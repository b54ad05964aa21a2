"""The kiosk's machine from a terminal: check it, and start the kiosk when it boots.

python main.py doctor                     # one line per check; exit 1 when one needs fixing
python main.py install-autostart          # a systemd user unit, else an XDG autostart entry
python main.py install-autostart --xdg    # the autostart entry, whatever the machine has
python main.py install-autostart --remove
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.config import default_data_dir
from kiosk.core.machine import exit_status
from kiosk.setup import autostart
from kiosk.setup.doctor import examine
from kiosk.studio import Studio


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    doctor = subparsers.add_parser(
        "doctor",
        help="check this machine and say what to fix",
        description=(
            "Check the graphics driver, the screen against the TV-size setting, free disk "
            "space, the address the tablet uses, the mail server's login, the clock and the "
            "last backup: one line each. Exit status 0 when nothing needs fixing, 1 otherwise."
        ),
    )
    doctor.set_defaults(func=run_doctor)
    start = subparsers.add_parser(
        "install-autostart",
        help="start the kiosk with the desktop session when the PC boots",
        description=(
            "Write a systemd user unit (restarted after a crash) where the machine has a "
            "systemd user session, else an XDG autostart entry. --remove undoes either."
        ),
    )
    start.add_argument("--remove", action="store_true", help="undo it")
    start.add_argument(
        "--xdg", action="store_true", help="an XDG autostart entry even where systemd is there"
    )
    start.set_defaults(func=run_install_autostart)
    return [doctor, start]


@with_studio
def run_doctor(args: argparse.Namespace, studio: Studio) -> int:
    findings = examine(studio)
    for finding in findings:
        print(finding.line())
    status = exit_status(findings)
    fixes = sum(f.fix for f in findings)
    print("Nothing to fix." if status == 0 else f"{fixes} to fix (lines marked FIX).")
    return status


def run_install_autostart(args: argparse.Namespace) -> int:
    if args.remove:
        removed = autostart.remove()
        for path in removed:
            print(f"Removed {path}.")
        if not removed:
            print("Nothing to remove: the kiosk was not set to start by itself.")
        return 0
    data = Path(args.data) if getattr(args, "data", None) else default_data_dir()
    kind = "xdg" if args.xdg or not autostart.systemd_user_available() else "systemd"
    installed = autostart.install(autostart.kiosk_command(data), kind=kind)
    how = (
        "a systemd user unit: it starts with the desktop session and again after a crash"
        if kind == "systemd"
        else "an autostart entry: it starts when the desktop session opens"
    )
    print(f"Wrote {installed.path}, {how}.")
    for note in installed.notes:
        print(note)
    print("While it runs the TV does not blank or sleep (on Wayland where the desktop allows).")
    print(f"To undo it: {sys.executable} main.py install-autostart --remove")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.machine", argv)


if __name__ == "__main__":
    sys.exit(main())
