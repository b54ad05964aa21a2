"""An order's payments on the remote's Orders page: the balance, the plan's schedule and the
ledger, and recording a payment or a refund.

    GET  /api/payments/{number}     {"paidText", "balanceText", "schedule": [...], "ledger": [...]}
    POST /api/payments/{number}     {"amount": "250.00", "method": "card", "note": ""}
                                    {"amount": "50", "method": "card", "refund": true,
                                     "reason": "Frame cancelled"}

Both need the pairing; the POST also the page's CSRF header (`paired_same_site`). An unknown
order answers 404, a number that is not one or a payment refused (more than is left, a refund
without its reason) 422 with {"error": "..."} a person can read; nothing is recorded then.
The receipt's PDF is rendered in a worker thread, off the loop the TV draws on.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.settings import details_for_session
from kiosk.core.errors import CommandError, InvoiceNotFound
from kiosk.core.invoices import Invoice
from kiosk.core.payments import METHOD_LABELS, METHODS, Account, parse_amount
from kiosk.delivery.announce import announce_if_open
from kiosk.payments.ledger import account_for, record_payment, record_refund
from kiosk.store.payments import payments
from kiosk.web.auth import paired, paired_same_site
from kiosk.web.bodies import json_object
from kiosk.web.context import reveal
from kiosk.web.hosts import own_base_url
from kiosk.web.routes.orders import NUMBER

router = APIRouter()
MAX_BODY = 2048  # a payment with a 280-character note, as JSON


@router.get("/api/payments/{number}")
async def api_payments(number: str, request: Request, _token: str = Depends(paired)) -> Response:
    r = reveal(request)
    try:
        invoice = get_invoice(r.studio.store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    account = account_for(r.studio.store, invoice, date.today())
    return JSONResponse(payments_view(r.studio.store, invoice, account))


@router.post("/api/payments/{number}")
async def api_record_payment(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    r = reveal(request)
    store = r.studio.store
    wanted = order_number(number)
    data = await json_object(request, 'an object, like {"amount": "250.00"}', MAX_BODY)
    try:
        invoice = get_invoice(store, wanted)
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    amount = parse_amount(_text(data, "amount", 40), invoice.currency)
    method = _text(data, "method", 20)
    if method not in METHODS:
        raise CommandError(
            f"{json.dumps(method)} is not a payment method; use one of: {', '.join(METHODS)}."
        )
    refund = data.get("refund") is True
    note = _text(data, "reason" if refund else "note", 400)
    details = details_for_session(store, invoice.session_id)
    paper = r.studio.paper

    base = own_base_url(request.scope, r.studio.settings.public_url)

    def record():
        if refund:
            return record_refund(
                store, invoice.number, amount, method, reason=note, studio=details, paper=paper
            ), None
        done = record_payment(
            store, invoice.number, amount, method, note=note, studio=details, paper=paper
        )
        # The last payment may open the gallery: "Your photos are ready" goes out once.
        return done, announce_if_open(store, invoice.number, base_url=base)

    # PaymentRefused (a CommandError) reaches the app's handler: 422 and its reason.
    done, announced = await asyncio.get_running_loop().run_in_executor(None, record)
    wake = getattr(request.app.state, "wake_outbox", None)
    if (done.receipt is not None or announced is not None) and callable(wake):
        wake()
    view = payments_view(store, invoice, done.account)
    what = "Refund" if refund else "Payment"
    said = f"{what} of {invoice.money(amount)} recorded."
    if done.receipt is not None:
        said += f" The receipt is on its way to {', '.join(done.receipt.recipients)}."
    if announced is not None:
        said += " The gallery is open: the client is e-mailed its link."
    return JSONResponse({"ok": True, "said": said, "problem": done.receipt_problem, **view})


def payments_view(store, invoice: Invoice, account: Account) -> dict[str, Any]:
    """The order's money as the page draws it; every amount and date already in words."""
    plan = invoice.breakdown.get("instalments")
    return {
        "number": invoice.number,
        "total": account.total,
        "paid": account.paid,
        "balance": account.balance,
        "paidInFull": account.paid_in_full,
        "paidText": invoice.money(account.paid),
        "totalText": invoice.money(account.total),
        "balanceText": invoice.money(max(account.balance, 0)),
        "plan": plan["name"] if plan else None,
        "schedule": [
            {
                "label": step.label,
                "due": step.due.isoformat(),
                "dueText": short_date(step.due),
                "amountText": invoice.money(step.amount),
                "leftText": invoice.money(step.left),
                "state": step.state,
            }
            for step in account.schedule
        ],
        "ledger": [
            {
                "id": p.id,
                "day": short_date(p.day),
                "amountText": ("−" if p.is_refund else "") + invoice.money(abs(p.amount)),
                "method": METHOD_LABELS.get(p.method, p.method),
                "refund": p.is_refund,
                "note": p.note,
            }
            for p in payments(store, invoice.number)
        ],
        "methods": [{"id": m, "label": METHOD_LABELS[m]} for m in METHODS],
    }


def short_date(day: date) -> str:
    """ "4 Jan 2027": the Orders page's dates, short enough for a schedule's chip."""
    return f"{day.day} {day:%b %Y}"


def order_number(text: str) -> int:
    """The Orders page's rule for an order number in a path (422 otherwise)."""
    if not NUMBER.fullmatch(text):
        shown = json.dumps(text[:40])
        raise CommandError(f"{shown} is not an order number; an order number is digits, like 42.")
    return int(text.lstrip("#"))


def _text(data: dict[str, Any], key: str, most: int) -> str:
    value = data.get(key, "")
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "amount":
        raise CommandError('Send the amount as text, like "250.00": a number loses cents.')
    if not isinstance(value, str) or len(value) > most:
        raise CommandError(f"{json.dumps(key)} should be text of at most {most} characters.")
    return value
