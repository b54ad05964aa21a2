"""`main.py backup` and `main.py restore` on a real studio folder."""

from __future__ import annotations

import socket
from pathlib import Path

import main
from kiosk.config import StudioPaths, save_setting
from kiosk.studio import open_studio


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def studio_with(data: Path, *clients: str) -> None:
    studio = open_studio(data)
    try:
        save_setting(studio.paths, "web_port", free_port())
        for client in clients:
            studio.store.create_session(client)
    finally:
        studio.close()


def clients(data: Path) -> list[str]:
    studio = open_studio(data)
    try:
        return [s.client for s in studio.store.sessions()]
    finally:
        studio.close()


def test_backup_prints_its_folder_last_and_restore_brings_it_back(tmp_path, capsys):
    data = tmp_path / "studio"
    studio_with(data, "Ada")
    assert main.main(["backup", "--data", str(data), "--to", str(tmp_path / "usb")]) == 0
    backup = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert backup.parent == tmp_path / "usb" and backup.name.startswith("reveal-backup-")
    assert (backup / "studio.db").is_file() and (backup / "pricelist.toml").is_file()

    studio_with(data, "Bea")
    assert main.main(["--data", str(data), "restore", str(backup)]) == 0
    said = capsys.readouterr().out
    assert "replaced" in said
    assert clients(data) == ["Ada"]


def test_backup_goes_to_the_backup_folder_setting(tmp_path, capsys):
    data = tmp_path / "studio"
    studio_with(data)
    save_setting(StudioPaths(data), "backup_folder", str(tmp_path / "nas" / "reveal"))
    assert main.main(["backup", "--data", str(data)]) == 0
    backup = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert backup.parent == tmp_path / "nas" / "reveal"


def test_restore_refuses_a_damaged_backup_while_the_kiosk_runs_or_not(tmp_path, capsys):
    data = tmp_path / "studio"
    studio_with(data, "Ada")
    assert main.main(["backup", "--data", str(data), "--to", str(tmp_path / "usb")]) == 0
    backup = Path(capsys.readouterr().out.strip().splitlines()[-1])
    (backup / "studio.db").write_bytes((backup / "studio.db").read_bytes()[:1000])
    assert main.main(["restore", str(backup), "--data", str(data)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert clients(data) == ["Ada"]

    # A kiosk listening on the studio's port: refused before the backup is even read whole.
    with socket.socket() as kiosk:
        kiosk.bind(("127.0.0.1", 0))
        kiosk.listen()
        save_setting(StudioPaths(data), "web_port", kiosk.getsockname()[1])
        assert main.main(["restore", str(backup), "--data", str(data)]) == 1
    assert "quit it first" in capsys.readouterr().err


def test_restore_brings_back_a_studio_whose_settings_file_is_broken(tmp_path, capsys, monkeypatch):
    asked: list[int] = []
    monkeypatch.setattr("kiosk.cli.backups.answers", lambda port: asked.append(port) or False)
    data = tmp_path / "studio"
    studio_with(data, "Ada")
    assert main.main(["backup", "--data", str(data), "--to", str(tmp_path / "usb")]) == 0
    backup = Path(capsys.readouterr().out.strip().splitlines()[-1])
    (data / "settings.toml").write_text("slideshow_seconds = [broken\n", encoding="utf-8")
    assert main.main(["restore", str(backup), "--data", str(data)]) == 0
    assert asked == [8470]  # the default port: the broken file says no other
    assert clients(data) == ["Ada"]
