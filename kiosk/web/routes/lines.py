"""An order's products on the Orders page: moving lines to the lab, shipped, delivered.

    POST /api/orders/{number}/lines    {"lines": ["wall", "4"], "state": "shipped",
                                        "note": "UPS 1Z999AA10123456784"}

The answer is {"ok", "said", "problem", "order"}: the order as GET /api/orders lists it, its
`products` included (kiosk/web/products.py). Lines are named by the invoice's refs (a cart
line's id, else its position). Moving forward to shipped e-mails the client once for all the
lines of the action; the outbox's sender is woken. A step back (a correction) e-mails nobody.

Needs the pairing and the page's CSRF header (`paired_same_site`). An unknown order answers
404; a number that is not one, a line that is not a shipped product of the order, a state that
is not one or a move that is not allowed 422 with {"error": "..."}; nothing is recorded then.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kiosk.checkout import outbox
from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.settings import details_for_session
from kiosk.core.errors import CommandError, InvoiceNotFound
from kiosk.core.fulfilment import NOTE_MAX, product_name
from kiosk.fulfilment.moves import Moved, move_lines
from kiosk.web.auth import paired_same_site
from kiosk.web.bodies import json_object
from kiosk.web.context import reveal
from kiosk.web.routes.orders import order_view
from kiosk.web.routes.payments import order_number

router = APIRouter()
MAX_BODY = 4096  # 50 refs and a 280-character note, in any script, as JSON
MOST_LINES = 50
REF_MAX = 40
WORDS = {"ordered": "back to send", "lab": "at the lab", "shipped": "shipped",
         "delivered": "delivered"}  # fmt: skip


@router.post("/api/orders/{number}/lines")
async def api_move_lines(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    r = reveal(request)
    store = r.studio.store
    wanted = order_number(number)
    data = await json_object(request, 'an object, like {"state": "lab"}', MAX_BODY)
    lines, state, note = _lines(data), data.get("state"), data.get("note", "")
    if not isinstance(state, str) or len(state) > 20:
        raise CommandError('Say the state to move to, like {"state": "shipped"}.')
    if not isinstance(note, str) or len(note) > NOTE_MAX + 100:
        raise CommandError(f'"note" should be text of at most {NOTE_MAX} characters.')
    try:
        invoice = get_invoice(store, wanted)
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    details = details_for_session(store, invoice.session_id)

    def move():
        return move_lines(store, invoice.number, lines, state, note=note, studio=details)

    # LineMoveRefused (a CommandError) reaches the app's handler: 422 and its reason.
    moved = await asyncio.get_running_loop().run_in_executor(None, move)
    wake = getattr(request.app.state, "wake_outbox", None)
    if moved.email is not None and callable(wake):
        wake()
    said = said_of(moved)
    if moved.email is not None:
        said += f" {invoice.client.name} is e-mailed at {', '.join(moved.email.recipients)}."
    mail = outbox.entries(store, invoice=invoice.number)
    view = order_view(r, moved.invoice, mail, time.time())
    return JSONResponse({"ok": True, "said": said, "problem": moved.email_problem, "order": view})


def said_of(moved: Moved) -> str:
    """ "The 30×40 canvas is shipped." / "3 products are at the lab." """
    refs = {e.line for e in moved.events}
    named = [s for s in moved.states if s.line.ref in refs]
    state = moved.events[0].state
    what = (
        f"The {product_name(named[0].line)} is" if len(named) == 1 else f"{len(named)} products are"
    )
    return f"{what} {WORDS[state]}."


def _lines(data: dict[str, Any]) -> list[str]:
    lines = data.get("lines")
    if isinstance(lines, str):
        lines = [lines]
    if (
        not isinstance(lines, list)
        or not lines
        or len(lines) > MOST_LINES
        or not all(isinstance(x, str) and 0 < len(x) <= REF_MAX for x in lines)
    ):
        raise CommandError(
            'Say which lines to move by their refs, like {"lines": ["wall", "4"]} '
            f"(at most {MOST_LINES})."
        )
    return lines
