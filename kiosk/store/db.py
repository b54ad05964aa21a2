"""The studio database: the only module that speaks SQL.

One SQLite file per studio, in WAL mode with synchronous=FULL, so a committed row is on disk
when the commit returns. The live session's commands are committed by a writer thread
(kiosk/store/writer.py) and acknowledged only then; `append_events` does the same in the
caller's thread, for scripts.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.core.errors import StudioError
from kiosk.core.models import Image, Session
from kiosk.store.migrations import MIGRATIONS

DB_NAME = "studio.db"


def connect(path: Path) -> sqlite3.Connection:
    """A connection as the studio wants it: WAL, an fsync at every commit. Usable from the
    thread that opens it or, handed over whole, from one other (the writer thread)."""
    conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken up front so two writers never deadlock on upgrade."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        # Also when COMMIT itself fails (disk full): never leave a transaction open.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def insert_events(
    conn: sqlite3.Connection, session_id: int, commands: list[dict[str, Any]], actor: str
) -> int:
    """Append commands to a session's event log inside the caller's transaction; the last seq."""
    seq = 0
    for command in commands:
        cursor = conn.execute(
            "insert into events (session_id, time, actor, command) values (?, ?, ?, ?)",
            [session_id, _now(), actor, json.dumps(command, sort_keys=True)],
        )
        seq = cursor.lastrowid or seq
    return seq


def save_view(conn: sqlite3.Connection, session_id: int, screen: str) -> None:
    """Remember the screen the TV shows for a session, inside the caller's transaction."""
    conn.execute(
        "insert into session_views (session_id, screen, updated) values (?, ?, ?) "
        "on conflict(session_id) do update set screen = excluded.screen, "
        "updated = excluded.updated",
        [session_id, screen, _now()],
    )


class Store:
    """A studio's database. Create one per thread; the Kivy loop owns the app's instance."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            conn = connect(self.path)
        except sqlite3.DatabaseError as exc:
            raise StudioError(
                f"The studio database {self.path} cannot be opened ({exc}). "
                "Restore it from a backup or choose another folder with --data."
            ) from exc
        self.db = sqlite_utils.Database(conn)
        self._migrate()

    @classmethod
    def in_folder(cls, folder: Path) -> Store:
        return cls(Path(folder) / DB_NAME)

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with transaction(self.db.conn):
            yield

    @property
    def schema_version(self) -> int:
        return self.db.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        for version, migration in enumerate(MIGRATIONS[self.schema_version :], self.schema_version):
            with self.transaction():
                migration(self.db)
                self.db.conn.execute(f"PRAGMA user_version={version + 1}")

    # settings -----------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("select value from settings where key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    # sessions -----------------------------------------------------------------------------
    def create_session(self, client: str, email: str = "") -> Session:
        with self.transaction():
            table = self.db["sessions"].insert(
                {"client": client, "email": email, "created": _now()}
            )
        return self.session(table.last_pk)

    def session(self, session_id: int) -> Session:
        rows = list(self.db["sessions"].rows_where("id = ?", [session_id]))
        if not rows:
            raise StudioError(f"There is no session number {session_id} in this studio.")
        return Session(**rows[0])

    def sessions(self) -> list[Session]:
        return [Session(**row) for row in self.db["sessions"].rows_where(order_by="id")]

    def find_session(self, client: str) -> Session | None:
        rows = list(self.db["sessions"].rows_where("client = ?", [client], order_by="id desc"))
        return Session(**rows[0]) if rows else None

    # images -------------------------------------------------------------------------------
    def add_image(self, session_id: int, **fields: Any) -> int:
        """Record an imported image; importing the same content again updates it in place."""
        row = {"session_id": session_id, **fields}
        with self.transaction():
            existing = self.db.execute(
                "select id from images where session_id = ? and content_hash = ?",
                [session_id, fields["content_hash"]],
            ).fetchone()
            if existing:
                self.db["images"].update(existing[0], row)
                return existing[0]
            return self.db["images"].insert(row).last_pk

    def known_hashes(self, session_id: int) -> set[str]:
        rows = self.db.execute("select content_hash from images where session_id = ?", [session_id])
        return {r[0] for r in rows}

    def images(self, session_id: int) -> list[Image]:
        rows = self.db["images"].rows_where(
            "session_id = ?", [session_id], order_by="capture_time, file_name, id"
        )
        return [Image(position=i, **row) for i, row in enumerate(rows, 1)]

    # events -------------------------------------------------------------------------------
    def append_events(
        self, session_id: int, commands: list[dict[str, Any]], actor: str = "touch"
    ) -> int:
        """Write commands durably, all or none (one transaction, fsync'd by synchronous=FULL);
        returns the last seq."""
        with self.transaction():
            return insert_events(self.db.conn, session_id, commands, actor)

    def view(self, session_id: int) -> str | None:
        """The screen the TV last showed for this session; None for a session never shown."""
        row = self.db.execute(
            "select screen from session_views where session_id = ?", [session_id]
        ).fetchone()
        return row[0] if row else None

    def last_shown(self) -> tuple[int, datetime] | None:
        """The session the TV showed last and when (UTC): where a restart picks up."""
        row = self.db.execute(
            "select session_id, updated from session_views order by updated desc, rowid desc"
        ).fetchone()
        return (row[0], datetime.fromisoformat(row[1])) if row else None

    def events(self, session_id: int) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "select command from events where session_id = ? order by seq", [session_id]
        )
        return [json.loads(r[0]) for r in rows]
