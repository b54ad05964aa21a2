"""Compacting a closed session's event log: its state after the last command, kept as a
snapshot (kiosk/store/snapshots.py) so opening it replays only what was logged since.

What must stay true: the snapshot is built by the very replay LiveSession does
(kiosk.live.step over kiosk.core's commands), from the whole log, and the log is left whole;
`rebuilt_state` reads a session both ways so a test can hold them equal.

    compact_session(store, 3)                        # the seq the snapshot ends at
    compact_closed(store, now=datetime.now(UTC))     # every closed, quiet session's
"""

from __future__ import annotations

from datetime import datetime

from kiosk.core import cart as carts
from kiosk.core.selection import SessionState
from kiosk.core.upkeep import compactable
from kiosk.live import Snapshot, command_from_json, step
from kiosk.store.db import Store
from kiosk.store.snapshots import load_snapshot, logged, save_snapshot, snapshot_seq
from kiosk.store.upkeep import closed_sessions


def replay(store: Store, session_id: int) -> tuple[Snapshot, int]:
    """The session's state from its whole log, and the seq of its last command (0: none)."""
    ids = [image.id for image in store.images(session_id)]
    snapshot = Snapshot(SessionState.new(ids), carts.CartState())
    last = 0
    for seq, data in logged(store, session_id):
        snapshot, last = step(snapshot, command_from_json(data)), seq
    return snapshot, last


def compact_session(store: Store, session_id: int) -> int:
    """Keep the session's state as a snapshot at its last command; that command's seq."""
    snapshot, last = replay(store, session_id)
    ids = list(snapshot.state.image_ids)
    save_snapshot(
        store, session_id, last, ids, (snapshot.state, snapshot.cart, snapshot.undo_kinds)
    )
    return last


def from_snapshot(store: Store, session_id: int) -> Snapshot | None:
    """The session's state read as LiveSession reads it: its snapshot plus the tail."""
    ids = [image.id for image in store.images(session_id)]
    saved = load_snapshot(store, session_id, ids)
    if saved is None:
        return None
    snapshot = Snapshot(*saved.parts)
    for data in saved.tail:
        snapshot = step(snapshot, command_from_json(data))
    return snapshot


def compact_closed(store: Store, now: datetime) -> list[int]:
    """Compact every closed session quiet for long enough whose snapshot is missing or
    behind its log; the sessions compacted."""
    done = []
    for session_id, last_activity in closed_sessions(store):
        if not compactable(True, last_activity, now):
            continue
        newest = store.db.execute(
            "select max(seq) from events where session_id = ?", [session_id]
        ).fetchone()[0]
        if newest is None or snapshot_seq(store, session_id) == newest:
            continue
        compact_session(store, session_id)
        done.append(session_id)
    return done
