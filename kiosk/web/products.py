"""An order's products as the Orders page draws them: each physical line with its state, note
and time, what may be tapped next, and the summary in words.

    view = products_view(invoice, line_events(store, invoice.number))
    view["summary"]        # "3 of 5 products delivered · 1 at the lab · 1 to send"
    view["lines"][0]["moves"]   # ["shipped", "delivered"] for a canvas at the lab (and "ordered",
                                # the one step back)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kiosk.core.errors import LineMoveRefused
from kiosk.core.fulfilment import (
    ACTIONS,
    STATE_LABELS,
    STATES,
    LineEvent,
    LineState,
    check_move,
    is_back,
    line_states,
    not_shipped,
    product_name,
    progress_text,
)
from kiosk.core.invoices import Invoice


def products_view(invoice: Invoice, events: Iterable[LineEvent]) -> dict[str, Any]:
    states = line_states(invoice, events)
    return {
        "summary": progress_text(states),
        "count": len(states),
        "notShipped": not_shipped(states),
        "delivered": sum(1 for s in states if s.state == "delivered"),
        "states": [{"id": s, "label": STATE_LABELS[s], "action": ACTIONS.get(s)} for s in STATES],
        "lines": [line_view(s) for s in states],
    }


def line_view(state: LineState) -> dict[str, Any]:
    line = state.line
    return {
        "ref": line.ref,
        "label": line.label,
        "name": product_name(line),
        "quantity": line.quantity,
        "state": state.state,
        "stateLabel": state.label,
        "note": state.note,
        "time": state.time,
        "timeText": _when(state.time),
        "moves": [s for s in STATES if _allowed(state, s)],
        "back": next((s for s in STATES if _allowed(state, s) and is_back(state, s)), None),
    }


def _allowed(state: LineState, wanted: str) -> bool:
    try:
        check_move(state, wanted)
    except LineMoveRefused:
        return False
    return True


def _when(iso: str | None) -> str:
    """ "4 Dec, 14:05" in the kiosk's own time."""
    if not iso:
        return ""
    local = datetime.fromisoformat(iso).astimezone()
    return f"{local.day} {local:%b, %H:%M}"
