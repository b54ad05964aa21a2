"""Moving an order's lines: checked against their events, recorded as new events, the order's
status following its products, the client e-mailed when a parcel leaves.

    moved = move_lines(store, 42, ["wall", "4"], "shipped", note="UPS 1Z999AA10123456784",
                       studio=details)
    moved.states          # every physical line, as it is now
    moved.email           # the outbox entry of "Your 30×40 canvas ... are on their way", or None

Refused (LineMoveRefused, nothing recorded): a line that is not a shipped product of the order,
a state that is not one, a line already there, a step back of more than one. The events are
committed before the e-mail is composed; an e-mail that cannot be queued (no studio address,
a malformed client address) leaves the move recorded and says why in `email_problem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.checkout.invoice import get_invoice
from kiosk.core.errors import BadAddress, MailSettingsError
from kiosk.core.fulfilment import (
    LineEvent,
    LineState,
    check_moves,
    check_note,
    is_back,
    line_states,
    order_status_after,
)
from kiosk.core.invoices import Invoice, StudioDetails
from kiosk.core.mail import OutboxEntry
from kiosk.store import fulfilment as rows
from kiosk.store.db import Store


@dataclass(frozen=True)
class Moved:
    invoice: Invoice  # as it is after the move (its status may have followed)
    events: tuple[LineEvent, ...]  # the ones just recorded
    states: tuple[LineState, ...]  # every physical line after the move
    email: OutboxEntry | None = None
    email_problem: str = ""


def states_of(store: Store, invoice: Invoice) -> tuple[LineState, ...]:
    return line_states(invoice, rows.line_events(store, invoice.number))


def move_lines(
    store: Store,
    number: int,
    lines: Sequence[str],
    state: str,
    *,
    note: str = "",
    studio: StudioDetails | None = None,
) -> Moved:
    """Move the named lines (the invoice's refs: a cart line's id, else its position) to
    `state` in one action; a forward move to shipped queues one e-mail to the client listing
    them all when `studio` is given."""
    invoice = get_invoice(store, number)
    note = check_note(note)
    back = False

    def check(events: list[LineEvent]) -> list[tuple[str, str]]:
        nonlocal back
        moving = check_moves(line_states(invoice, events), list(lines), state)
        back = any(is_back(s, state) for s in moving)
        return [(s.line.ref, state) for s in moving]

    def status(events: list[LineEvent], current: str) -> str:
        return order_status_after(current, line_states(invoice, events), back=back)

    added = tuple(rows.add_line_events(store, number, check, note, status))
    after = get_invoice(store, number)
    moved = Moved(after, added, states_of(store, after))
    if studio is None or state != "shipped" or back:
        return moved
    from kiosk.fulfilment.mail import queue_shipped

    shipped = [s for s in moved.states if s.line.ref in {e.line for e in added}]
    try:
        entry = queue_shipped(store, after, shipped, note, studio, event=added[0].id)
    except (BadAddress, MailSettingsError) as exc:
        return Moved(after, added, moved.states, None, f"The client was not e-mailed: {exc}")
    return Moved(after, added, moved.states, entry)
