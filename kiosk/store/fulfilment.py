"""Order lines' events: the append-only table of each physical line's way to the client.

`add_line_events` checks and writes in one write transaction (`BEGIN IMMEDIATE`): two taps on
two tablets at once queue on the lock, and the second is checked against the first's events.
There is no update or delete of an event here, on purpose: a line's state is its newest event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from kiosk.core.fulfilment import LineEvent
from kiosk.store import checkout as invoices
from kiosk.store.db import Store


def line_events(store: Store, number: int) -> list[LineEvent]:
    """Every event of the order's lines, oldest first."""
    rows = store.db.execute(
        "select id, invoice, line, state, note, time from line_events where invoice = ? "
        "order by id",
        [number],
    )
    return [LineEvent(r[0], r[1], r[2], r[3], r[4] or "", r[5]) for r in rows]


def add_line_events(
    store: Store,
    number: int,
    check: Callable[[list[LineEvent]], Sequence[tuple[str, str]]],
    note: str,
    status: Callable[[list[LineEvent], str], str],
) -> list[LineEvent]:
    """Record moves of invoice `number`'s lines under one write lock: `check(events so far)`
    raises to refuse, else gives the (line ref, state) pairs to record, each with `note`; then
    the order's status is set to `status(every event, current status)`. InvoiceNotFound for an
    unknown order. Returns the new events."""
    with store.transaction():
        invoices.invoice_exists(store, number)
        moves = check(line_events(store, number))
        when = datetime.now(UTC).isoformat(timespec="seconds")
        added = []
        for line, state in moves:
            row = {"invoice": number, "line": line, "state": state, "note": note, "time": when}
            eid = store.db["line_events"].insert(row).last_pk
            added.append(LineEvent(eid, number, line, state, note, when))
        current = store.db.execute("select status from invoices where number = ?", [number])
        wanted = status(line_events(store, number), current.fetchone()[0])
        invoices.set_status_within(store, number, wanted)
    return added
