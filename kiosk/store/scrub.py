"""Rewriting a setting so that its old value leaves the database file for good.

An UPDATE leaves the old bytes in the page's free space and, in WAL mode, in the write-ahead
log until a checkpoint. With `secure_delete` the freed space is zeroed, and a truncating
checkpoint writes the new page over the old one and empties the log. For a secret that an
earlier version kept in `studio.db` (kiosk/checkout/settings.py moves it out).

    rewrite_setting(store, "checkout.smtp", json_without_the_password)
"""

from __future__ import annotations

from kiosk.store.db import Store


def rewrite_setting(store: Store, key: str, value: str) -> None:
    conn = store.db.conn
    conn.execute("PRAGMA secure_delete=ON")
    try:
        store.set_setting(key, value)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.execute("PRAGMA secure_delete=OFF")
