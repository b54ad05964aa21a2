"""The session's wall design, kept durably: written on every change, read when the wall-art
screen opens.

    save_design(store, session_id, design)     # before the screen shows the change as done
    load_design(store, session_id)             # the WallDesign, or None
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from kiosk.core.walldesign import WallDesign
from kiosk.store.db import Store


def save_design(store: Store, session_id: int, design: WallDesign) -> None:
    row = {
        "session_id": session_id,
        "room": design.room,
        "design": json.dumps(design.to_json(), sort_keys=True),
        "updated": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with store.transaction():
        store.db["wall_designs"].upsert(row, pk="session_id")


def load_design(store: Store, session_id: int) -> WallDesign | None:
    """The saved design; None when there is none, or when it cannot be read (a design is a
    convenience: the screen then starts afresh rather than refusing to open)."""
    row = store.db.execute(
        "select design from wall_designs where session_id = ?", [session_id]
    ).fetchone()
    if row is None:
        return None
    try:
        return WallDesign.from_json(json.loads(row[0]))
    except (ValueError, KeyError, TypeError):
        return None
