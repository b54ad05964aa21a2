"""Clients' own walls: the upload links the TV shows as a QR code, and the photos they bring.

    token = issue_wall_token(store, session_id)      # for the QR: wall_url(base, token)
    list_wall_photos(store, session_id)              # newest last, for the wall-art screen

A link is per session, `secrets.token_urlsafe(32)` (256 bits) and valid for `TOKEN_HOURS`;
only its SHA-256 is stored, so a copy of the database opens no upload page. Showing the QR
again issues a fresh token; the earlier ones stay valid until they expire.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.store.db import Store

TOKEN_HOURS = 24


@dataclass(frozen=True)
class WallPhoto:
    id: int
    session_id: int
    path: str  # an upright sRGB JPEG in the studio folder
    width: int
    height: int
    created: str  # ISO-8601 UTC


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_wall_token(
    store: Store, session_id: int, *, now: float | None = None, hours: float = TOKEN_HOURS
) -> str:
    """A new upload link's token for this session (StudioError if there is no such session)."""
    store.session(session_id)
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    row = {
        "token_hash": _hash(token),
        "session_id": session_id,
        "created": now,
        "expires_at": now + hours * 3600,
    }
    with store.transaction():
        store.db["wall_tokens"].insert(row)
    return token


def session_for_wall_token(store: Store, token: str, *, now: float | None = None) -> int | None:
    """The session an upload link belongs to, or None for an unknown or expired token."""
    if not token or len(token) > 128:
        return None
    now = time.time() if now is None else now
    row = store.db.execute(
        "select session_id from wall_tokens where token_hash = ? and expires_at > ?",
        [_hash(token), now],
    ).fetchone()
    return row[0] if row else None


def revoke_wall_tokens(store: Store, session_id: int) -> int:
    """Close every upload link of this session now; returns how many there were."""
    with store.transaction():
        cursor = store.db.conn.execute("delete from wall_tokens where session_id = ?", [session_id])
    return cursor.rowcount


def add_wall_photo(store: Store, session_id: int, path: str, width: int, height: int) -> WallPhoto:
    """Record a stored wall photo. The same photo sent twice has the same path (its name is
    the upload's hash) and is recorded once."""
    with store.transaction():
        store.db.conn.execute(
            "insert or ignore into wall_photos (session_id, path, width, height, created) "
            "values (?, ?, ?, ?, ?)",
            [session_id, path, width, height, datetime.now(UTC).isoformat(timespec="seconds")],
        )
    rows = list(store.db["wall_photos"].rows_where("path = ?", [path]))
    return WallPhoto(**rows[0])


def list_wall_photos(store: Store, session_id: int) -> list[WallPhoto]:
    """The session's wall photos, in the order they arrived."""
    rows = store.db["wall_photos"].rows_where("session_id = ?", [session_id], order_by="id")
    return [WallPhoto(**row) for row in rows]
