"""`main.py install-autostart`: the unit or entry it writes, what it runs, and its undoing."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys
from pathlib import Path

import main
from kiosk.config import PROJECT_ROOT
from kiosk.setup import autostart


class Systemctl:
    """Stands in for systemctl: records each call, answers as asked."""

    def __init__(self, returncode: int = 0) -> None:
        self.calls: list[list[str]] = []
        self.returncode = returncode

    def __call__(self, args, **_kwargs):
        self.calls.append(list(args))
        return subprocess.CompletedProcess(args, self.returncode, "", "")


def test_the_unit_starts_this_kiosk_with_the_session_and_restarts_it_after_a_crash(tmp_path):
    data = tmp_path / "my studio"  # a space, as a photographer's folder may have
    systemctl = Systemctl()
    installed = autostart.install(
        autostart.kiosk_command(data), kind="systemd", home=tmp_path / "config", run=systemctl
    )
    assert installed.path == tmp_path / "config" / "systemd" / "user" / "reveal-kiosk.service"
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.read_string(installed.path.read_text(encoding="utf-8"))
    assert unit["Unit"]["After"] == "graphical-session.target"
    assert unit["Service"]["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    assert shlex.split(unit["Service"]["ExecStart"]) == [
        sys.executable,
        str(PROJECT_ROOT / "main.py"),
        "--data",
        str(data.resolve()),
    ]
    assert systemctl.calls == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "reveal-kiosk.service"],
    ]
    assert installed.notes == ()

    removed = autostart.remove(home=tmp_path / "config", run=systemctl)
    assert removed == [installed.path] and not installed.path.exists()
    assert ["systemctl", "--user", "disable", "reveal-kiosk.service"] in systemctl.calls


def test_a_failed_systemctl_is_said_with_the_line_to_run_by_hand(tmp_path):
    installed = autostart.install(
        ["/opt/reveal/python", "main.py"], kind="systemd", home=tmp_path, run=Systemctl(1)
    )
    assert installed.notes[-1].endswith("run by hand: systemctl --user enable reveal-kiosk.service")


def test_a_percent_sign_or_dollar_in_a_path_reaches_the_kiosk_unchanged():
    unit = autostart.systemd_unit(["/srv/100%/python", "--data", "/srv/$HOME"])
    assert "ExecStart=/srv/100%%/python --data /srv/$$HOME\n" in unit
    entry = autostart.desktop_entry(["/srv/a b/python", "main.py"])
    assert 'Exec="/srv/a b/python" main.py' in entry


def test_install_autostart_without_systemd_writes_an_autostart_entry_and_removes_it(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))  # no systemctl
    assert main.main(["install-autostart", "--data", str(tmp_path / "studio")]) == 0
    entry = tmp_path / "config" / "autostart" / "reveal-kiosk.desktop"
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.read_string(entry.read_text(encoding="utf-8"))
    assert desktop["Desktop Entry"]["Exec"].split() == [
        sys.executable,
        str(PROJECT_ROOT / "main.py"),
        "--data",
        str((tmp_path / "studio").resolve()),
    ]
    out = capsys.readouterr().out
    assert "install-autostart --remove" in out.splitlines()[-1]
    assert main.main(["install-autostart", "--remove"]) == 0
    assert not entry.exists()
    assert f"Removed {entry}." in capsys.readouterr().out
    assert Path(entry.parent).is_dir()
