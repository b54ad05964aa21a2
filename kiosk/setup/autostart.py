"""Starting the kiosk when the TV's PC boots, and undoing it.

What must stay true: the kiosk starts in the desktop session (it needs the screen), comes back
by itself after a crash but not after the photographer's Quit, and what is installed can be
undone with one command (`main.py install-autostart --remove`).

Two ways, the first that the machine has:
- a systemd user unit, `~/.config/systemd/user/reveal-kiosk.service`, started with the
  graphical session (GNOME, KDE Plasma and others that run a systemd user session), restarted
  on failure;
- an XDG autostart entry, `~/.config/autostart/reveal-kiosk.desktop`, which every desktop
  follows, without the restart.

    installed = install(kiosk_command(Path("/srv/reveal")), kind="systemd")
    print(installed.path, installed.undo)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import PROJECT_ROOT

UNIT = "reveal-kiosk.service"
ENTRY = "reveal-kiosk.desktop"
UNDO = "main.py install-autostart --remove"
Run = Callable[..., subprocess.CompletedProcess]


@dataclass(frozen=True)
class Installed:
    kind: str  # "systemd" or "xdg"
    path: Path
    notes: tuple[str, ...] = ()  # what else was done, or is left to do, in words


def config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def kiosk_command(data: Path) -> list[str]:
    """The command that starts this Reveal on the studio in `data`, whatever the current
    folder and environment are when the desktop runs it."""
    return [sys.executable, str(PROJECT_ROOT / "main.py"), "--data", str(Path(data).resolve())]


def systemd_unit(command: list[str]) -> str:
    exec_start = " ".join(_systemd_quote(part) for part in command)
    return "\n".join(
        [
            "# Reveal, the viewing-room kiosk, started with the desktop session.",
            f"# Written by main.py install-autostart; undo with {UNDO}.",
            "[Unit]",
            "Description=Reveal viewing-room kiosk",
            "After=graphical-session.target",
            "PartOf=graphical-session.target",
            "# After a crash it starts again, but not in a loop: 5 starts in 5 minutes at most.",
            "StartLimitIntervalSec=300",
            "StartLimitBurst=5",
            "",
            "[Service]",
            "Type=simple",
            f"ExecStart={exec_start}",
            "# Quit on the kiosk exits 0 and is not restarted; a crash is, after 5 seconds.",
            "Restart=on-failure",
            "RestartSec=5",
            "# A stop is a SIGTERM, which ends the session cleanly, like Quit.",
            "TimeoutStopSec=30",
            "",
            "[Install]",
            "WantedBy=graphical-session.target",
            "",
        ]
    )


def desktop_entry(command: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=Reveal kiosk",
            "Comment=The viewing-room kiosk, started with the desktop session",
            f"Exec={' '.join(_desktop_quote(part) for part in command)}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            f"# Written by main.py install-autostart; undo with {UNDO}.",
            "",
        ]
    )


def systemd_user_available(run: Run = subprocess.run) -> bool:
    """Whether this user has a systemd user manager to hand the unit to."""
    if shutil.which("systemctl") is None:
        return False
    try:
        done = run(["systemctl", "--user", "show-environment"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def install(
    command: list[str], *, kind: str, home: Path | None = None, run: Run = subprocess.run
) -> Installed:
    """Write the unit (and enable it) or the autostart entry; written aside and renamed."""
    home = home or config_home()
    if kind == "systemd":
        path = home / "systemd" / "user" / UNIT
        _write(path, systemd_unit(command))
        steps = [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", UNIT]]
        return Installed(kind, path, tuple(_run_each(steps, run)))
    path = home / "autostart" / ENTRY
    _write(path, desktop_entry(command))
    return Installed(kind, path)


def remove(*, home: Path | None = None, run: Run = subprocess.run) -> list[Path]:
    """Undo `install`, both kinds: the files removed."""
    home = home or config_home()
    unit, entry = home / "systemd" / "user" / UNIT, home / "autostart" / ENTRY
    removed = []
    if unit.exists():
        _run_each([["systemctl", "--user", "disable", UNIT]], run)
        unit.unlink()
        _run_each([["systemctl", "--user", "daemon-reload"]], run)
        removed.append(unit)
    if entry.exists():
        entry.unlink()
        removed.append(entry)
    return removed


def _run_each(steps: list[list[str]], run: Run) -> list[str]:
    """Run each step; what could not be done, as lines to show (the step to run by hand)."""
    left = []
    for step in steps:
        try:
            done = run(step, capture_output=True, text=True, timeout=30)
            failed = done.returncode != 0
        except (OSError, subprocess.TimeoutExpired):
            failed = True
        if failed:
            left.append(f"could not run it; run by hand: {' '.join(step)}")
    return left


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(path.name + ".new")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


def _systemd_quote(part: str) -> str:
    """One argument as systemd reads it: `%` and `$` doubled (a specifier, a variable
    otherwise), quoted when it holds a space, a quote or a backslash."""
    part = part.replace("%", "%%").replace("$", "$$")
    if part and not any(c in part for c in " \t\"'\\;"):
        return part
    return '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _desktop_quote(part: str) -> str:
    """One argument as the Desktop Entry spec reads Exec: `%` doubled, quoted when needed."""
    part = part.replace("%", "%%")
    if part and not any(c in part for c in " \t\n\"'\\><~|&;$*?#()`"):
        return part
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in part)
    return f'"{escaped}"'
