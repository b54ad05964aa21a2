"""Clients' own walls: the upload links the TV shows as a QR code, and the photos they bring.

    token = issue_wall_token(store, session_id)      # for the QR: wall_url(base, token)
    list_wall_photos(store, session_id)              # newest last, for the wall-art screen
    revoke_wall_tokens(store, session_id)            # the Orders page's "Withdraw wall links"
    save_wall_calibration(store, photo_id, cal)      # "Use this wall" on the TV
    calibrated_rooms(store, session_id)              # the session's own walls, as rooms

A link is per session, `secrets.token_urlsafe(32)` (256 bits) and valid for `TOKEN_HOURS`;
only its SHA-256 is stored, so a copy of the database opens no upload page. Showing the QR
again issues a fresh token; the earlier ones stay valid until they expire.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.core.calibration import WallCalibration, calibrate
from kiosk.core.errors import WallArtError
from kiosk.core.wall import Room
from kiosk.store.db import Store

log = logging.getLogger(__name__)

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


def wall_links_expire(store: Store, session_id: int, *, now: float | None = None) -> float | None:
    """When the last live upload link of this session expires (seconds since the epoch), or
    None when it has none."""
    now = time.time() if now is None else now
    row = store.db.execute(
        "select max(expires_at) from wall_tokens where session_id = ? and expires_at > ?",
        [session_id, now],
    ).fetchone()
    return row[0] if row else None


def count_wall_photos(store: Store, session_id: int) -> int:
    row = store.db.execute(
        "select count(*) from wall_photos where session_id = ?", [session_id]
    ).fetchone()
    return row[0]


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


def wall_photo(store: Store, photo_id: int) -> WallPhoto | None:
    rows = list(store.db["wall_photos"].rows_where("id = ?", [photo_id]))
    return WallPhoto(**rows[0]) if rows else None


def save_wall_calibration(
    store: Store, photo_id: int, cal: WallCalibration, *, name: str = ""
) -> Room:
    """Keep how a wall photo was calibrated (replacing an earlier calibration of it) and
    return its room. Raises CalibrationError, and saves nothing, when it gives no wall."""
    photo = wall_photo(store, photo_id)
    if photo is None:
        raise ValueError(f"there is no wall photo {photo_id}")
    wall = calibrate((photo.width, photo.height), cal)
    names = {p.id: n for p, n in _names(store, photo.session_id)}
    row = {
        "photo_id": photo_id,
        "session_id": photo.session_id,
        "name": name or names.get(photo_id) or _default_name(len(names) + 1),
        "ax": cal.a[0],
        "ay": cal.a[1],
        "bx": cal.b[0],
        "by": cal.b[1],
        "length": cal.length,
        "unit": cal.unit,
        "on_floor": int(cal.on_floor),
        "corners": json.dumps([list(c) for c in cal.corners]) if cal.corners else None,
        "focal": cal.focal,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with store.transaction():
        store.db["wall_calibrations"].upsert(row, pk="photo_id")
    return Room(room_id(photo_id), row["name"], photo.path, wall)


def wall_calibration(store: Store, photo_id: int) -> WallCalibration | None:
    rows = list(store.db["wall_calibrations"].rows_where("photo_id = ?", [photo_id]))
    return _calibration(rows[0]) if rows else None


def calibrated_rooms(store: Store, session_id: int) -> list[Room]:
    """The session's calibrated wall photos as rooms, in the order they were sent. A
    calibration that no longer gives a wall is left out (and logged), not fatal."""
    photos = {p.id: p for p in list_wall_photos(store, session_id)}
    rooms = []
    rows = store.db["wall_calibrations"].rows_where(
        "session_id = ?", [session_id], order_by="photo_id"
    )
    for row in rows:
        photo = photos.get(row["photo_id"])
        if photo is None:
            continue
        try:
            wall = calibrate((photo.width, photo.height), _calibration(row))
        except WallArtError as exc:
            log.warning("wall photo %s: calibration no longer usable: %s", photo.path, exc)
            continue
        rooms.append(Room(room_id(photo.id), row["name"], photo.path, wall))
    return rooms


def room_id(photo_id: int) -> str:
    """A client wall's room id, distinct from the sample rooms' (which are file names)."""
    return f"client-wall-{photo_id}"


def _names(store: Store, session_id: int) -> list[tuple[WallPhoto, str]]:
    rows = store.db.execute(
        "select photo_id, name from wall_calibrations where session_id = ?", [session_id]
    ).fetchall()
    by_id = dict(rows)
    return [(p, by_id[p.id]) for p in list_wall_photos(store, session_id) if p.id in by_id]


def _default_name(count: int) -> str:
    # Not "Your wall": that is the wall-art screen's button for sending and measuring one.
    return "Your room" if count == 1 else f"Your room {count}"


def _calibration(row: dict) -> WallCalibration:
    corners = json.loads(row["corners"]) if row["corners"] else None
    return WallCalibration(
        a=(row["ax"], row["ay"]),
        b=(row["bx"], row["by"]),
        length=row["length"],
        unit=row["unit"],
        corners=tuple(tuple(c) for c in corners) if corners else None,  # type: ignore[arg-type]
        on_floor=bool(row["on_floor"]),
        focal=row["focal"] or 0.0,
    )
