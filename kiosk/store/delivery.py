"""Delivery's tables: an order's finals, its gallery links (token hashes) and its downloads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.store.db import Store


@dataclass(frozen=True)
class StoredFinal:
    invoice: int
    image_id: int
    source_name: str
    path: str
    size: int
    crc: int
    mtime: float
    matched_by: str


@dataclass(frozen=True)
class Download:
    time: float
    what: str  # the file's clean name, or "all.zip"
    start: int  # where a resumed download started
    bytes: int  # how many were sent


def save_finals(store: Store, rows: Sequence[Mapping[str, Any]]) -> None:
    """Record finals (a final added again for the same image replaces it), all or none."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction():
        for row in rows:
            store.db["finals"].upsert({**row, "added": when}, pk=("invoice", "image_id"))


def finals(store: Store, number: int) -> list[StoredFinal]:
    rows = store.db.execute(
        "select invoice, image_id, source_name, path, size, crc, mtime, matched_by from finals "
        "where invoice = ? order by image_id",
        [number],
    )
    return [StoredFinal(*r) for r in rows]


def add_gallery_token(
    store: Store, number: int, token_hash: str, created: float, expires_at: float
) -> None:
    with store.transaction():
        store.db["gallery_tokens"].insert(
            {
                "token_hash": token_hash,
                "invoice": number,
                "created": created,
                "expires_at": expires_at,
            }
        )


def token_gallery(store: Store, token_hash: str, now: float) -> int | None:
    row = store.db.execute(
        "select invoice from gallery_tokens where token_hash = ? and expires_at > ?",
        [token_hash, now],
    ).fetchone()
    return row[0] if row else None


def gallery_link_expires(store: Store, number: int, now: float) -> float | None:
    row = store.db.execute(
        "select max(expires_at) from gallery_tokens where invoice = ? and expires_at > ?",
        [number, now],
    ).fetchone()
    return row[0] if row else None


def revoke_gallery_tokens(store: Store, number: int) -> int:
    with store.transaction():
        cursor = store.db.conn.execute("delete from gallery_tokens where invoice = ?", [number])
    return cursor.rowcount


def log_download(store: Store, number: int, now: float, what: str, start: int, sent: int) -> None:
    with store.transaction():
        store.db["gallery_downloads"].insert(
            {"invoice": number, "time": now, "what": what, "start": start, "bytes": sent}
        )


def downloads(store: Store, number: int) -> list[Download]:
    rows = store.db.execute(
        "select time, what, start, bytes from gallery_downloads where invoice = ? order by id",
        [number],
    )
    return [Download(*r) for r in rows]
