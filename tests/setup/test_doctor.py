"""`main.py doctor` on this machine: a real window probe under Xvfb, a real listening port, a
real SMTP server, a real backup."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller

import main
from kiosk.backup.take import take_backup
from kiosk.checkout.settings import save_smtp_settings
from kiosk.config import save_setting
from kiosk.core.mail import SmtpSettings
from kiosk.setup.doctor import examine, lan_address
from kiosk.setup.probe import Display
from kiosk.studio import open_studio


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def a_good_screen() -> Display:
    return Display("NVIDIA GeForce GTX 1650/PCIe/SSE2", (3840, 2160))


def lines(findings, subject: str) -> list[str]:
    return [f.line() for f in findings if f.subject == subject]


@pytest.fixture
def data(tmp_path):
    """A studio with a 65-inch TV, a free port and a backup, so only what a test changes is
    to fix."""
    folder = tmp_path / "studio"
    studio = open_studio(folder)
    save_setting(studio.paths, "screen_diagonal_in", 65.0)
    save_setting(studio.paths, "web_port", free_port())
    take_backup(studio.paths, folder / "backups")
    studio.close()
    return folder


def test_doctor_here_reports_the_software_renderer_and_exits_1(data, capsys):
    assert main.main(["doctor", "--data", str(data)]) == 1
    out = capsys.readouterr().out.splitlines()
    (opengl,) = [line for line in out if "OpenGL" in line]
    assert opengl.startswith("FIX  OpenGL: llvmpipe") and "software renderer" in opengl
    (screen,) = [line for line in out if line.startswith(("ok   Screen", "FIX  Screen"))]
    assert "1920x1080" in screen  # the virtual display's size, read from SDL
    assert all(line.startswith(("ok   ", "FIX  ")) for line in out[:-1])
    assert out[-1].endswith("to fix (lines marked FIX).")


def test_the_tablet_line_says_the_kiosk_answers_at_the_lan_address(data):
    studio = open_studio(data)
    try:
        address = lan_address()
        if address is None:
            pytest.skip("this machine is on no network")
        with socket.socket() as kiosk:
            kiosk.bind(("0.0.0.0", studio.settings.web_port))
            kiosk.listen()
            (line,) = lines(examine(studio, probe=a_good_screen), "Tablet")
        assert line == (
            f"ok   Tablet: the kiosk answers at http://{address}:{studio.settings.web_port}/: "
            "pair the tablet there."
        )
        (line,) = lines(examine(studio, probe=a_good_screen), "Tablet")
        assert line.startswith("ok   Tablet: the kiosk is not running now")
    finally:
        studio.close()


class Accept:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        return "250 OK"


def test_the_mail_line_logs_in_to_the_server_or_says_why_not(data):
    studio = open_studio(data)
    server = Controller(Accept(), hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        save_smtp_settings(studio.store, SmtpSettings("127.0.0.1", server.port, "none"))
        (line,) = lines(examine(studio, probe=a_good_screen), "E-mail")
        assert line == f"ok   E-mail: logged in to 127.0.0.1:{server.port}."
        server.stop()
        (line,) = lines(examine(studio, probe=a_good_screen), "E-mail")
        assert line.startswith("FIX  E-mail:") and "refused the connection" in line
    finally:
        studio.close()


def test_nothing_to_fix_exits_0_and_a_clock_behind_the_records_is_to_fix(data, monkeypatch):
    monkeypatch.setattr("kiosk.setup.doctor.network_time", lambda: True)
    studio = open_studio(data)
    try:
        found = examine(studio, probe=a_good_screen)
        to_fix = [f.line() for f in found if f.fix]
        # The mail server is not set up in this studio; everything else is fine.
        assert [line.split(":")[0] for line in to_fix] == ["FIX  E-mail"]
        assert lines(found, "Backup")[0].startswith("ok   Backup: the last one is from")
        session = studio.store.create_session("Ada")
        ahead = datetime.now(UTC) + timedelta(hours=3)
        studio.store.db.execute(
            "insert into events (session_id, time, actor, command) values (?, ?, 'touch', '{}')",
            [session.id, ahead.isoformat()],
        )
        (clock,) = lines(examine(studio, probe=a_good_screen), "Clock")
        assert clock.startswith("FIX  Clock:") and "before the studio's last record" in clock
    finally:
        studio.close()
