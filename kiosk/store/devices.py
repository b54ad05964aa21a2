"""Paired devices: the tablets that may control the kiosk and the view-only mirror links.

Only a SHA-256 of each token is stored: a copy of the database does not let anyone in. Times
are seconds since the epoch, compared with the pairing's own (injectable) clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.store.db import Store


@dataclass(frozen=True)
class PairedDevice:
    id: int
    token_hash: str
    kind: str  # 'remote' or 'mirror'
    name: str
    paired_at: float
    expires_at: float


class Devices:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add(
        self, token_hash: str, kind: str, name: str, paired_at: float, expires_at: float
    ) -> int:
        with self.store.transaction():
            row = {
                "token_hash": token_hash,
                "kind": kind,
                "name": name,
                "paired_at": paired_at,
                "expires_at": expires_at,
            }
            return self.db["devices"].insert(row).last_pk

    def find(self, token_hash: str) -> PairedDevice | None:
        rows = list(self.db["devices"].rows_where("token_hash = ?", [token_hash]))
        return PairedDevice(**rows[0]) if rows else None

    def all(self, kind: str | None = None) -> list[PairedDevice]:
        where, args = ("kind = ?", [kind]) if kind else (None, [])
        return [
            PairedDevice(**r) for r in self.db["devices"].rows_where(where, args, order_by="id")
        ]

    def remove(self, device_id: int) -> bool:
        with self.store.transaction():
            cursor = self.db.conn.execute("delete from devices where id = ?", [device_id])
        return cursor.rowcount > 0

    def remove_all(self) -> int:
        with self.store.transaction():
            cursor = self.db.conn.execute("delete from devices")
        return cursor.rowcount

    def remove_expired(self, now: float) -> int:
        with self.store.transaction():
            cursor = self.db.conn.execute("delete from devices where expires_at <= ?", [now])
        return cursor.rowcount
