"""Snapshots of closed sessions' event logs: a session is opened from its snapshot plus the
events logged after it, instead of replaying thousands of commands.

What must stay true: the log stays the truth. A snapshot is derived from it, never replaces a
row of it, and is ignored (the whole log replays) whenever it cannot be trusted to give the
same state: another encoding, a session whose images changed since, or a snapshot that fails to
decode. The state it holds is the core's frozen values, pickled, and read back only through an
unpickler that builds nothing but Reveal's own values and a few plain containers.

    save_snapshot(store, session_id, seq, image_ids, (state, cart, undo_kinds))
    saved = load_snapshot(store, session_id, image_ids)   # None: replay the whole log
    saved.parts, saved.tail       # (state, cart, undo_kinds), the commands after `seq`
"""

from __future__ import annotations

import io
import json
import pickle
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from kiosk.core.selection.state import UndoStack, UndoStep
from kiosk.store.db import Store

FORMAT = 1  # bump when the core's values change shape: older snapshots are then ignored
_BUILTINS = {"frozenset", "set", "tuple", "dict", "list", "bytes", "bytearray", "int", "str"}


@dataclass(frozen=True)
class Saved:
    seq: int
    parts: tuple[Any, ...]  # what the caller saved: (state, cart, undo_kinds)
    tail: list[dict[str, Any]]  # the commands logged after the snapshot, oldest first


def read_only_mapping(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


def undo_stack(steps: list[UndoStep]) -> UndoStack:
    """The undo history from its steps, oldest first (a flat list: a linked stack thousands
    deep would exhaust pickle's recursion)."""
    stack = UndoStack()
    for step in steps:
        stack = stack.push(step)
    return stack


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: object) -> object:
        if type(obj) is MappingProxyType:  # the core's read-only maps: no pickle of their own
            return read_only_mapping, (dict(obj),)
        if type(obj) is UndoStack:
            return undo_stack, (list(obj)[::-1],)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("kiosk.") or (module == "builtins" and name in _BUILTINS):
            return super().find_class(module, name)
        if module in ("datetime", "decimal", "enum", "collections"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a session's state")


def encode(parts: tuple[Any, ...]) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parts)
    return buffer.getvalue()


def decode(data: bytes) -> tuple[Any, ...]:
    return _Unpickler(io.BytesIO(data)).load()


def save_snapshot(
    store: Store, session_id: int, seq: int, image_ids: list[int], parts: tuple[Any, ...]
) -> None:
    """Keep `parts`, the session's state after the event `seq`, replacing an older snapshot."""
    row = {
        "session_id": session_id,
        "seq": seq,
        "image_ids": json.dumps(list(image_ids)),
        "format": FORMAT,
        "state": encode(parts),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with store.transaction():
        store.db["event_snapshots"].upsert(row, pk="session_id")


def snapshot_seq(store: Store, session_id: int) -> int | None:
    row = store.db.execute(
        "select seq from event_snapshots where session_id = ?", [session_id]
    ).fetchone()
    return row[0] if row else None


def load_snapshot(store: Store, session_id: int, image_ids: list[int]) -> Saved | None:
    """The session's snapshot and the commands after it, or None when the whole log must be
    replayed (no snapshot, another encoding, other images, or one that does not decode)."""
    row = store.db.execute(
        "select seq, image_ids, format, state from event_snapshots where session_id = ?",
        [session_id],
    ).fetchone()
    if row is None or row[2] != FORMAT or json.loads(row[1]) != list(image_ids):
        return None
    try:
        parts = decode(row[3])
    except Exception:  # a snapshot is only ever a shortcut: the log is still there
        return None
    return Saved(row[0], parts, events_after(store, session_id, row[0]))


def events_after(store: Store, session_id: int, seq: int) -> list[dict[str, Any]]:
    rows = store.db.execute(
        "select command from events where session_id = ? and seq > ? order by seq",
        [session_id, seq],
    )
    return [json.loads(r[0]) for r in rows]


def logged(store: Store, session_id: int) -> list[tuple[int, dict[str, Any]]]:
    """The session's whole log with each command's seq, oldest first."""
    rows = store.db.execute(
        "select seq, command from events where session_id = ? order by seq", [session_id]
    )
    return [(seq, json.loads(command)) for seq, command in rows]


def forget_snapshot(store: Store, session_id: int) -> None:
    with store.transaction():
        store.db.execute("delete from event_snapshots where session_id = ?", [session_id])
