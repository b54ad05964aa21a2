"""`main.py display`: the command line that opens the room display on the second monitor,
and the link it opens, which the kiosk's pages accept. Chromium is not started here: the
command is printed (`--print`), and xrandr is a script that lists two monitors."""

from __future__ import annotations

import shlex
import stat

import pytest

import main
from kiosk.cli.display import KIOSK_FLAGS, Monitor, chromium_command, monitors
from kiosk.display.links import DISPLAY, DisplayLinks
from kiosk.studio import open_studio
from kiosk.web.pairing import Pairing

LISTING = """Monitors: 2
 0: +*eDP-1 1920/344x1080/193+0+0  eDP-1
 1: +HDMI-1 3840/1210x2160/680+1920+0  HDMI-1
"""


@pytest.fixture
def two_monitors(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    xrandr = bin_dir / "xrandr"
    xrandr.write_text(f"#!/bin/sh\ncat <<'END'\n{LISTING}END\n")
    xrandr.chmod(xrandr.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")


def test_the_monitors_are_read_from_xrandr_in_its_order():
    assert monitors(LISTING) == [Monitor(1920, 1080, 0, 0), Monitor(3840, 2160, 1920, 0)]
    assert monitors("Monitors: 0\n") == []


def test_the_command_opens_the_link_full_screen_on_the_monitor(tmp_path):
    command = chromium_command(
        "/usr/bin/chromium",
        "http://127.0.0.1:8470/display/T",
        Monitor(3840, 2160, 1920, 0),
        tmp_path,
    )
    assert command[0] == "/usr/bin/chromium" and "--kiosk" in command
    assert "--window-position=1920,0" in command and "--window-size=3840,2160" in command
    assert f"--user-data-dir={tmp_path}" in command
    assert command[-1] == "--app=http://127.0.0.1:8470/display/T"


def test_main_py_display_prints_a_command_whose_link_the_kiosk_accepts(
    tmp_path, capsys, two_monitors
):
    data = tmp_path / "studio"
    open_studio(data).close()

    code = main.main(["--data", str(data), "display", "--print"])

    assert code == 0
    command = shlex.split(capsys.readouterr().out.strip())
    assert set(KIOSK_FLAGS) <= set(command)
    assert "--window-position=1920,0" in command  # monitor 2, right of the first
    url = command[-1].removeprefix("--app=")
    assert url.startswith("http://127.0.0.1:8470/display/")
    studio = open_studio(data)
    try:
        assert DisplayLinks(Pairing.for_store(studio.store)).kind(url.rsplit("/", 1)[1]) == DISPLAY
    finally:
        studio.close()


def test_a_monitor_that_is_not_there_is_refused_with_what_to_do(tmp_path, capsys, two_monitors):
    data = tmp_path / "studio"
    open_studio(data).close()
    assert main.main(["--data", str(data), "display", "--monitor", "3", "--print"]) == 2
    assert "There is no monitor 3: xrandr lists 2" in capsys.readouterr().err


def test_the_second_screens_diagonal_goes_into_its_link_and_a_wrong_one_is_refused(
    tmp_path, capsys, two_monitors
):
    data = tmp_path / "studio"
    open_studio(data).close()
    assert main.main(["--data", str(data), "display", "--diagonal", "65", "--print"]) == 0
    url = shlex.split(capsys.readouterr().out.strip())[-1].removeprefix("--app=")
    assert url.endswith("?diagonal=65") and "/display/" in url
    assert main.main(["--data", str(data), "display", "--diagonal", "6 feet", "--print"]) == 2
    assert "is not a screen size" in capsys.readouterr().err
