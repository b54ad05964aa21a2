"""An order's products on their way to the client: each physical line of an invoice goes from
ordered to the lab, is shipped (with a tracking note) and delivered.

What must stay true: a line's state is its newest event, and events are only ever added, so
the history of a line is never rewritten; a mistake is put right by one step back, which is an
event of its own. Digital files and retouching are not shipped: they have no state here.

    states = line_states(invoice, events)       # one LineState per physical line
    check_moves(states, ["wall", "4"], "shipped")   # LineMoveRefused, in words, or the moves
    progress_text(states)     # "3 of 5 products delivered · 1 at the lab · 1 to send"
    order_status_after("paid", states_after, back=False)   # "shipped" once every line is

Plain values only: the store keeps the events, kiosk/fulfilment records them and e-mails the
client when a parcel leaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kiosk.core.errors import LineMoveRefused
from kiosk.core.invoices import Invoice, OrderLine
from kiosk.core.pricelist.models import NOUNS

STATES = ("ordered", "lab", "shipped", "delivered")
STATE_LABELS = {
    "ordered": "To send",
    "lab": "At the lab",
    "shipped": "Shipped",
    "delivered": "Delivered",
}
# What the button that moves a line to the state says.
ACTIONS = {"lab": "Sent to lab", "shipped": "Shipped", "delivered": "Delivered"}
NOT_SHIPPED = frozenset({"digital", "retouch"})  # files and work: nothing goes in a parcel
NOTE_MAX = 280
# The order statuses the lines move; the money's (confirmed, e-mailed, deposit) stay the money's.
LINE_STATUSES = ("paid", "shipped", "delivered")


@dataclass(frozen=True)
class LineEvent:
    """One step of one line, as recorded: never changed afterwards."""

    id: int
    invoice: int
    line: str  # the invoice line's ref ("wall", "2"): OrderLine.ref
    state: str  # one of STATES
    note: str  # a tracking note, or why a step went back
    time: str  # ISO-8601 UTC


@dataclass(frozen=True)
class LineState:
    line: OrderLine
    state: str
    note: str = ""
    time: str | None = None  # of its newest event; None while ordered and untouched

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def is_shipped_product(line: OrderLine) -> bool:
    """A line that goes out in a parcel: prints, wall art, albums, other items."""
    return line.kind not in NOT_SHIPPED


def line_states(invoice: Invoice, events: Iterable[LineEvent]) -> tuple[LineState, ...]:
    """Each physical line of the invoice in its newest event's state (oldest event first in
    `events`); a line without events is ordered."""
    newest: dict[str, LineEvent] = {}
    for event in events:
        newest[event.line] = event
    states = []
    for line in invoice.lines:
        if not is_shipped_product(line):
            continue
        event = newest.get(line.ref)
        if event is None:
            states.append(LineState(line, "ordered"))
        else:
            states.append(LineState(line, event.state, event.note, event.time))
    return tuple(states)


def product_name(line: OrderLine) -> str:
    """ "16×20 canvas", "8×10 prints" (two of them), "album": how the client would say it."""
    one, many = NOUNS.get(line.kind, ("item", "items"))
    noun = many if line.units > 1 else one
    return f"{line.size} {noun}" if line.size else noun


def find_lines(states: Sequence[LineState], wanted: Sequence[str]) -> list[LineState]:
    """The states of the lines named by their ref (a cart line's id, "wall", else its 1-based
    position, "2"), in the order asked, each once. LineMoveRefused names what is not a
    product line."""
    if not wanted:
        raise LineMoveRefused("Say which lines to move: none were given.")
    found: list[LineState] = []
    for name in wanted:
        state = next((s for s in states if s.line.ref == name), None)
        if state is None:
            shown = str(name)[:40]
            raise LineMoveRefused(
                f'"{shown}" is not a product of this order that is shipped; its products are '
                + (", ".join(f"{s.line.ref} ({s.line.label})" for s in states) or "none")
                + "."
            )
        if state not in found:
            found.append(state)
    return found


def check_move(state: LineState, wanted: str) -> None:
    """Forward any number of steps (a print from stock skips the lab), back only one, to put
    a mistake right. LineMoveRefused says why, in words."""
    if wanted not in STATES:
        raise LineMoveRefused(
            f'"{str(wanted)[:40]}" is not a state of a product; use one of: {", ".join(STATES)}.'
        )
    at, to = STATES.index(state.state), STATES.index(wanted)
    name = state.line.label
    if to == at:
        raise LineMoveRefused(f"{name} is already {STATE_LABELS[wanted].lower()}.")
    if to < at - 1:
        back = STATE_LABELS[STATES[at - 1]].lower()
        raise LineMoveRefused(
            f"{name} is {state.label.lower()}; a correction goes back one step at a time, "
            f"to {back}."
        )


def check_moves(states: Sequence[LineState], wanted: Sequence[str], state: str) -> list[LineState]:
    """Every named line may move to `state`, or nothing moves: the lines' states as asked."""
    lines = find_lines(states, wanted)
    for line in lines:
        check_move(line, state)
    return lines


def check_note(note: str) -> str:
    note = " ".join(str(note).split())
    if len(note) > NOTE_MAX:
        raise LineMoveRefused(f"The note is {len(note)} characters long; at most {NOTE_MAX}.")
    return note


def is_back(state: LineState, wanted: str) -> bool:
    return STATES.index(wanted) < STATES.index(state.state)


def counts(states: Iterable[LineState]) -> dict[str, int]:
    out = dict.fromkeys(STATES, 0)
    for s in states:
        out[s.state] += 1
    return out


def progress_text(states: Sequence[LineState]) -> str:
    """ "3 of 5 products delivered · 1 at the lab · 1 to send"; "No products to ship" for an
    order of files only."""
    if not states:
        return "No products to ship"
    n = counts(states)
    total = len(states)
    noun = "product" if total == 1 else "products"
    if n["delivered"] == total:
        return f"All {total} {noun} delivered" if total > 1 else "The product is delivered"
    parts = [f"{n['delivered']} of {total} {noun} delivered"]
    words = (("shipped", "shipped"), ("lab", "at the lab"), ("ordered", "to send"))
    parts += [f"{n[state]} {words}" for state, words in words if n[state]]
    return " · ".join(parts)


def not_shipped(states: Sequence[LineState]) -> int:
    """Products still to go out, at the studio or at the lab: what "Products to send" lists."""
    return sum(1 for s in states if s.state in ("ordered", "lab"))


def lines_status(states: Sequence[LineState]) -> str | None:
    """ "delivered" when every product is, "shipped" when every one has left; else None."""
    if not states:
        return None
    if all(s.state == "delivered" for s in states):
        return "delivered"
    if all(s.state in ("shipped", "delivered") for s in states):
        return "shipped"
    return None


def order_status_after(current: str, states: Sequence[LineState], *, back: bool) -> str:
    """The order's status once its lines moved. Only an order paid in full follows its
    products (an unpaid one keeps the status its money gives it, and its reminders): forward
    to shipped or delivered when every product is; after a step back, down to what the
    products still say, never below paid."""
    if current not in LINE_STATUSES:
        return current
    wanted = lines_status(states) or "paid"
    rank = LINE_STATUSES.index
    if back:
        return wanted if rank(wanted) < rank(current) else current
    return wanted if rank(wanted) > rank(current) else current
