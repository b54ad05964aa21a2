"""The database side of backups: a live database copied with SQLite's online backup API, a
copy checked before it replaces anything, and the time of the last client decision.

What must stay true: a live database is never copied as a file (a copy taken while the writer
thread commits can be torn). The backup API copies it as one read transaction: the copy holds
every transaction committed before it started and none of those after, and the writers are
not stopped (in WAL mode a reader does not block them).

    copy_database(store.path, folder / "studio.db")   # the schema version copied
    check_database(folder / "studio.db")              # the same, or BackupError saying why not
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from kiosk.core.errors import BackupError
from kiosk.store.db import connect
from kiosk.store.migrations import MIGRATIONS


def copy_database(source: Path, target: Path) -> int:
    """Copy the live database at `source` to the new file `target` in one step of the online
    backup API; returns its schema version. The copy is a single self-contained file (rollback
    journal, not WAL), so it can be checked read-only and carried anywhere."""
    live = connect(source)
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        live.backup(copy, pages=-1)  # one step: one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")
        return copy.execute("PRAGMA user_version").fetchone()[0]
    finally:
        copy.close()
        live.close()


def check_database(path: Path) -> int:
    """The schema version of the database file at `path` after SQLite's integrity check, read
    only; BackupError when it is damaged or from a newer Reveal than this one."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"The backup's database cannot be opened ({exc}).") from exc
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"The backup's database is damaged ({exc}): it cannot be restored. Choose an "
            "older backup."
        ) from exc
    finally:
        conn.close()
    if problems != ["ok"]:
        raise BackupError(
            "The backup's database fails SQLite's integrity check "
            f"({'; '.join(problems)}): it cannot be restored. Choose an older backup."
        )
    if not 1 <= version <= len(MIGRATIONS):
        raise BackupError(
            f"The backup's database has schema version {version}, and this Reveal knows 1 to "
            f"{len(MIGRATIONS)}: it was made by a newer Reveal, or is not a studio's. Update "
            "Reveal first, or choose another backup."
        )
    return version


def last_event_time(database: Path) -> datetime | None:
    """When the last command of any session was logged (a client's decision, the remote's
    undo...); None when the log is empty. The newest seq is the newest event: one index
    lookup, however long the log."""
    conn = connect(database)
    try:
        row = conn.execute("select time from events order by seq desc limit 1").fetchone()
    finally:
        conn.close()
    return datetime.fromisoformat(row[0]) if row else None
