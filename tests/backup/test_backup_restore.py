"""Backups of a real studio while it is written to, restored into a studio; damaged backups
refused with nothing changed; the daily round on a fake clock."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.backup.daily import DailyBackups
from kiosk.backup.manifest import list_backups, read_manifest
from kiosk.backup.restore import restore_backup
from kiosk.backup.take import take_backup
from kiosk.config import StudioPaths
from kiosk.core.errors import BackupError
from kiosk.store.db import MIGRATIONS, Store
from kiosk.studio import open_studio


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def furnish(studio) -> None:
    """A wall photo, a mock-up and a hand-edited setting, as a studio in use has."""
    walls = studio.paths.root / "walls" / "1"
    walls.mkdir(parents=True)
    (walls / "wall.jpg").write_bytes(b"\xff\xd8 a wall photo")
    mockups = studio.paths.mockups(1)
    mockups.mkdir(parents=True)
    (mockups / "living-room.jpg").write_bytes(b"\xff\xd8 a mock-up")
    studio.paths.settings.write_text("# ours\nslideshow_seconds = 9.0\n", encoding="utf-8")


def test_a_backup_taken_while_three_threads_write_restores_every_committed_event(studio, tmp_path):
    session = studio.store.create_session("Ada", "ada@example.com")
    furnish(studio)
    committed: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def write(thread: int) -> None:
        """A script's writes: commands appended through a store of the thread's own, each
        durable when append_events returns."""
        store = Store(studio.paths.database)
        try:
            n = 0
            while not stop.is_set():
                command = {"kind": "note", "image": n, "text": f"thread {thread}"}
                seq = store.append_events(session.id, [command], actor=f"t{thread}")
                with lock:
                    committed.append(seq)
                n += 1
        finally:
            store.close()

    writers = [threading.Thread(target=write, args=(t,)) for t in range(3)]
    for thread in writers:
        thread.start()
    try:
        while len(committed) < 300:
            stop.wait(0.005)
        with lock:
            before = set(committed)
        backup = take_backup(studio.paths, tmp_path / "backups")
        with lock:
            after = set(committed)
        while len(committed) < len(after) + 100:  # still writing once the copy is done
            stop.wait(0.005)
    finally:
        stop.set()
        for thread in writers:
            thread.join()

    fresh = StudioPaths(tmp_path / "elsewhere")
    restore_backup(backup.path, fresh)
    restored = open_studio(fresh.root)
    try:
        seqs = [row[0] for row in restored.store.db.execute("select seq from events order by seq")]
        assert restored.settings.slideshow_seconds == 9.0
    finally:
        restored.close()
    # Every event committed before the backup began is in it; what is in it is a whole prefix
    # of the log (no torn transaction, no gap), and it stops before what came after the copy.
    assert before <= set(seqs)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert set(seqs) <= after
    assert len(committed) > len(seqs)
    assert (fresh.root / "walls" / "1" / "wall.jpg").read_bytes() == b"\xff\xd8 a wall photo"
    assert (fresh.mockups(1) / "living-room.jpg").read_bytes() == b"\xff\xd8 a mock-up"


def test_restore_keeps_what_it_replaces(studio, tmp_path):
    studio.store.create_session("Before the backup")
    furnish(studio)
    backup = take_backup(studio.paths, tmp_path / "backups")
    studio.store.create_session("After the backup")
    studio.paths.settings.write_text("slideshow_seconds = 3.0\n", encoding="utf-8")
    replaced_db = studio.paths.database.read_bytes()
    studio.close()

    kept = restore_backup(backup.path, studio.paths, now=datetime(2026, 12, 4, 16, 0))

    assert kept == studio.paths.root / "replaced" / "2026-12-04-160000"
    assert (kept / "settings.toml").read_text(encoding="utf-8") == "slideshow_seconds = 3.0\n"
    assert (kept / "studio.db").read_bytes()[:16] == replaced_db[:16]
    reopened = open_studio(studio.paths.root)
    try:
        assert [s.client for s in reopened.store.sessions()] == ["Before the backup"]
        assert reopened.settings.slideshow_seconds == 9.0
    finally:
        reopened.close()
    old = open_studio(kept)  # the replaced studio is whole: it opens as one
    try:
        assert [s.client for s in old.store.sessions()][-1] == "After the backup"
    finally:
        old.close()
    assert not list(studio.paths.root.glob(".restoring-*"))


@pytest.mark.parametrize("damage", ["truncated database", "truncated wall photo", "no manifest"])
def test_restore_refuses_a_damaged_backup_and_changes_nothing(studio, tmp_path, damage):
    studio.store.create_session("Ada")
    furnish(studio)
    backup = take_backup(studio.paths, tmp_path / "backups")
    studio.store.create_session("Bea")
    studio.close()
    if damage == "truncated database":
        db = backup.path / "studio.db"
        os.truncate(db, db.stat().st_size // 2)
    elif damage == "truncated wall photo":
        os.truncate(backup.path / "walls" / "1" / "wall.jpg", 3)
    else:
        (backup.path / "manifest.json").unlink()
    before = tree(studio.paths.root)

    with pytest.raises(BackupError) as refused:
        restore_backup(backup.path, studio.paths)

    assert tree(studio.paths.root) == before
    assert "cannot be restored" in str(refused.value) or "not a Reveal backup" in str(refused.value)


def test_restore_checks_the_database_itself_not_only_the_manifest(studio, tmp_path):
    """A database damaged inside, with a manifest that vouches for it, fails the integrity
    check; one from a newer Reveal fails the schema check."""
    backup = take_backup(studio.paths, tmp_path / "backups")
    db = backup.path / "studio.db"
    for change, expected in (
        (lambda conn: conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}"), "newer Reveal"),
        (None, "integrity"),
    ):
        if change is None:  # scribble over the middle of the first table's page
            data = bytearray(db.read_bytes())
            data[4096 + 8 : 4096 + 200] = b"\x07" * 192
            db.write_bytes(bytes(data))
        else:
            conn = sqlite3.connect(db, isolation_level=None)
            change(conn)
            conn.close()
        manifest = read_manifest(backup.path)
        from kiosk.backup.manifest import file_digest

        files = {**manifest.files, "studio.db": file_digest(db)}
        (backup.path / "manifest.json").write_text(
            type(manifest)(manifest.taken, manifest.schema_version, files).to_json(),
            encoding="utf-8",
        )
        before = tree(studio.paths.root)
        with pytest.raises(BackupError, match=expected):
            restore_backup(backup.path, studio.paths)
        assert tree(studio.paths.root) == before


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_the_daily_round_waits_for_quiet_then_rotation_keeps_the_promised_set(studio, tmp_path):
    session = studio.store.create_session("Ada")
    clock = Clock(datetime(2026, 10, 1, 10, 0, tzinfo=UTC))
    daily = DailyBackups(studio.paths, tmp_path / "backups", clock=clock)
    manual = take_backup(studio.paths, tmp_path / "backups", now=clock.now - timedelta(days=1))

    def decide(at: datetime) -> None:
        studio.store.db.execute(
            "insert into events (session_id, time, actor, command) values (?, ?, 'touch', '{}')",
            [session.id, at.isoformat()],
        )

    decide(clock.now - timedelta(minutes=4))
    assert daily.run_once() is None  # a client decided 4 minutes ago
    clock.now += timedelta(minutes=6)
    first = daily.run_once()
    assert first is not None and first.name.daily
    clock.now += timedelta(hours=3)
    assert daily.run_once() is None  # once a day
    for _ in range(45):  # a backup each day after that, at the first quiet moment
        clock.now += timedelta(days=1)
        assert daily.run_once() is not None

    kept = {b.name.taken for b in list_backups(tmp_path / "backups") if b.name.daily}
    # The last backup is on Sunday 15 November: the seven days up to it, and the newest of each
    # of the four ISO weeks up to it (their Sundays).
    dailies = {datetime(2026, 11, day, 13, 6) for day in range(9, 16)}
    sundays = {datetime(2026, 11, 8, 13, 6), datetime(2026, 11, 1, 13, 6)}
    assert kept == dailies | sundays | {datetime(2026, 10, 25, 13, 6)}
    assert manual.path.is_dir()  # rotation never deletes a backup taken by hand


def test_a_backup_folder_that_cannot_be_written_is_said_and_left_clean(studio, tmp_path):
    blocked = tmp_path / "share"
    blocked.write_text("not a folder")
    with pytest.raises(BackupError, match="reachable"):
        take_backup(studio.paths, blocked / "reveal")
    daily = DailyBackups(studio.paths, blocked / "reveal")
    with pytest.raises(BackupError):
        daily.run_once()
    assert "reachable" in daily.last_error
    assert daily.run_once() is None  # tried again later, not at every look


def test_the_secrets_file_is_backed_up_and_restored_private(studio, tmp_path):
    from kiosk.setup.secrets import SECRETS_FILE, Secrets

    Secrets(studio.paths.root / SECRETS_FILE).set("smtp.password", "s3cret")
    backup = take_backup(studio.paths, tmp_path / "backups")
    assert (backup.path / SECRETS_FILE).stat().st_mode & 0o777 == 0o600
    fresh = StudioPaths(tmp_path / "new-pc")
    restore_backup(backup.path, fresh)
    assert (fresh.root / SECRETS_FILE).stat().st_mode & 0o777 == 0o600
    assert Secrets(fresh.root / SECRETS_FILE).get("smtp.password") == "s3cret"


def set_logo(studio, logo: Path) -> None:
    from dataclasses import replace

    from kiosk.checkout.settings import STUDIO_KEY, studio_details
    from kiosk.store import checkout as tables

    details = replace(studio_details(studio.store), logo=str(logo))
    tables.set_json_setting(studio.store, STUDIO_KEY, details.to_dict())


def test_a_logo_kept_outside_the_studio_folder_is_put_back_where_it_was(studio, tmp_path):
    logo = tmp_path / "brand" / "logo.png"
    logo.parent.mkdir()
    logo.write_bytes(b"\x89PNG a logo")
    set_logo(studio, logo)
    backup = take_backup(studio.paths, tmp_path / "backups")
    assert read_manifest(backup.path).elsewhere == {"elsewhere/logo/logo.png": str(logo)}
    logo.unlink()
    restore_backup(backup.path, StudioPaths(tmp_path / "new-pc"))
    assert logo.read_bytes() == b"\x89PNG a logo"


def test_a_logo_kept_in_the_studio_folder_is_restored_with_it(studio, tmp_path):
    logo = studio.paths.root / "logo.png"
    logo.write_bytes(b"\x89PNG the studio's logo")
    set_logo(studio, logo)
    backup = take_backup(studio.paths, tmp_path / "backups")
    logo.write_bytes(b"\x89PNG replaced by mistake")
    studio.close()
    kept = restore_backup(backup.path, studio.paths)
    assert logo.read_bytes() == b"\x89PNG the studio's logo"
    assert (kept / "logo.png").read_bytes() == b"\x89PNG replaced by mistake"
