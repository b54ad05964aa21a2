"""The photographer's orders: every invoice of the studio, its status, its e-mail and its export.

    GET  /remote/orders                         the page (paired tablets; else the pairing form)
    GET  /api/orders                            {"orders": [...], "statuses": [...], "exports": dir}
    POST /api/orders/{number}/status            {"status": "shipped"}: on or back; not Paid or
                                                Deposit before the payments say so (422)
    POST /api/orders/{number}/export            starts writing the order folder in the background
    GET  /api/orders/{number}/export            {"export": {"state", "done", "total", "current",
                                                "problems", "folder", "files", "error"} or null}
    POST /api/orders/{number}/send-again        a failed or held e-mail goes back in the outbox
    POST /api/orders/{number}/withdraw-phone-link   the invoice's phone links stop working now
    POST /api/orders/{number}/withdraw-wall-links   so do the upload links of its session
    POST /api/orders/{number}/lines             products to the lab, shipped, delivered (lines.py)

The answer also carries `studio` (kiosk.web.routes.studio.studio_view): the studio's details
and what is missing from them, whether a mail server is set up, and the price list's error
while a broken edit keeps the last good list in force. With no mail server, a queued e-mail
says "Not sent: no mail server set up" and how to set one up, rather than "Queued".

Each order says until when its links are open (`phoneLink`, `wallLinks`): an invoice link
shows the client's e-mail, phone and address for 30 days, and a link forwarded too far can be
withdrawn before then.

Every POST needs the pairing and the page's CSRF header (`paired_same_site`). An unknown number
answers 404; a number that is not one, or a status that is not one, answers 422; each with
{"error": "..."} a person can read.
The export runs in a worker thread (kiosk.checkout.export_jobs): it renders the PDF, copies the
mock-ups and makes the lab's production files in a process of its own, none of which may hold
up the loop the TV draws on. The page polls its progress ("12 of 20 files", the one being made,
originals that could not be read); `GET /api/orders` lists the exports under way in `exporting`.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kiosk.checkout import outbox
from kiosk.checkout.export import exports_folder, order_folder, session_mockups, write_order
from kiosk.checkout.export_jobs import ExportJobs, production_process
from kiosk.checkout.invoice import get_invoice, list_invoices, revoke_phone_links
from kiosk.checkout.production import Lab, Progress
from kiosk.checkout.settings import details_for_session, smtp_settings
from kiosk.core.errors import CommandError, InvoiceNotFound
from kiosk.core.invoices import STATUS_LABELS, STATUSES, Invoice
from kiosk.core.mail import OutboxEntry
from kiosk.core.pricing import format_money
from kiosk.payments.ledger import status_by_hand
from kiosk.store import checkout as tables
from kiosk.store.fulfilment import line_events
from kiosk.store.walls import revoke_wall_tokens, wall_links_expire
from kiosk.web.auth import paired, paired_same_site, session_token
from kiosk.web.bodies import json_object
from kiosk.web.context import Reveal, reveal
from kiosk.web.products import products_view
from kiosk.web.routes.pair import pair_form
from kiosk.web.routes.studio import studio_view

router = APIRouter()
MAX_BODY = 1024  # {"status": "delivered"} is 23 bytes
NUMBER = re.compile(r"#?[0-9]{1,12}")
MAIL_KINDS = {
    "invoice": "To the client",
    "copy": "Studio's copy",
    "receipt": "Receipt",
    "reminder": "Reminder",
    "gallery": "Photos ready",
    "shipped": "On its way",
    "other": "E-mail",
}
NO_MAIL_SERVER = (
    "Not sent: no mail server set up. Enter it under Settings → E-mail (or main.py mail); it "
    "goes out within a minute."
)


@router.get("/remote/orders")
async def orders_page(request: Request) -> Response:
    r = reveal(request)
    token = session_token(request)
    if r.pairing.device(token) is None:
        return pair_form(request, status=401)
    context = {"client": r.client, "csrf": r.pairing.csrf_token(token)}
    return r.templates.TemplateResponse(request, "orders.html", context)


@router.get("/api/orders")
async def api_orders(request: Request, _token: str = Depends(paired)) -> Response:
    r = reveal(request)
    store = r.studio.store
    mail: dict[int, list[OutboxEntry]] = defaultdict(list)
    for entry in outbox.entries(store):
        if entry.invoice is not None:
            mail[entry.invoice].append(entry)
    now = time.time()
    exports = exports_folder(r.studio.paths)
    orders = [order_view(r, invoice, mail[invoice.number], now) for invoice in list_invoices(store)]
    orders.reverse()  # the newest first: the one just confirmed is the one asked about
    return JSONResponse(
        {
            "orders": orders,
            "statuses": [{"id": s, "label": STATUS_LABELS[s]} for s in STATUSES],
            "exports": str(exports),
            "exporting": [job.view() for job in export_jobs(request).running()],
            "studio": studio_view(r),
        }
    )


@router.post("/api/orders/{number}/status")
async def api_set_status(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    r = reveal(request)
    wanted = _number(number)
    data = await json_object(request, 'an object, like {"status": "paid"}', MAX_BODY)
    status = data.get("status")
    if status not in STATUSES:
        raise CommandError(
            f"{json.dumps(status)} is not an order status; use one of: {', '.join(STATUSES)}."
        )
    try:
        # PaymentRefused (the money says otherwise) reaches the app's handler: 422, and why.
        invoice = status_by_hand(r.studio.store, wanted, status)
    except InvoiceNotFound as exc:
        return _not_found(exc)
    return JSONResponse({"ok": True, "order": _one(r, invoice)})


@router.post("/api/orders/{number}/export")
async def api_export(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    r = reveal(request)
    try:
        invoice = get_invoice(r.studio.store, _number(number))
    except InvoiceNotFound as exc:
        return _not_found(exc)
    details = details_for_session(r.studio.store, invoice.session_id)
    dest = exports_folder(r.studio.paths)
    mockups = r.studio.paths.mockups(invoice.session_id)
    paper, lab = r.studio.paper, Lab.from_settings(r.studio.settings)

    def export(progress: Callable[[Progress], None]) -> Path:
        with production_process() as process:
            return write_order(
                invoice,
                dest,
                mockups=session_mockups(mockups),
                studio=details,
                paper=paper,
                lab=lab,
                progress=progress,
                executor=process,
            )

    job = export_jobs(request).start(invoice.number, export)
    return JSONResponse({"ok": True, "export": job.view(), "order": _one(r, invoice)})


@router.get("/api/orders/{number}/export")
async def api_export_progress(
    number: str, request: Request, _token: str = Depends(paired)
) -> Response:
    """The order's latest export since the kiosk started: under way, done or failed."""
    job = export_jobs(request).get(_number(number))
    return JSONResponse({"export": job.view() if job is not None else None})


def export_jobs(request: Request) -> ExportJobs:
    state = request.app.state
    if getattr(state, "export_jobs", None) is None:
        state.export_jobs = ExportJobs()
    return state.export_jobs


@router.post("/api/orders/{number}/send-again")
async def api_send_again(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    """Requeue the order's failed and held e-mail. The kiosk's sender takes it on its next
    round (within its interval), or at once when the app has set `state.wake_outbox`."""
    r = reveal(request)
    store = r.studio.store
    try:
        invoice = get_invoice(store, _number(number))
    except InvoiceNotFound as exc:
        return _not_found(exc)
    stuck = [e for e in outbox.entries(store, invoice=invoice.number) if _can_send_again(e)]
    if not stuck:
        raise CommandError(
            f"No e-mail of order {invoice.reference} has failed; there is nothing to send again."
        )
    requeued = sum(outbox.requeue(store, entry.id) for entry in stuck)
    wake = getattr(request.app.state, "wake_outbox", None)
    if callable(wake):
        wake()
    return JSONResponse({"ok": True, "requeued": requeued, "order": _one(r, invoice)})


@router.post("/api/orders/{number}/withdraw-phone-link")
async def api_withdraw_phone_link(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    return _withdraw(
        request, number, lambda store, invoice: revoke_phone_links(store, invoice.number)
    )


@router.post("/api/orders/{number}/withdraw-wall-links")
async def api_withdraw_wall_links(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    return _withdraw(
        request, number, lambda store, invoice: revoke_wall_tokens(store, invoice.session_id)
    )


def _withdraw(request: Request, number: str, revoke) -> Response:
    """One order's links withdrawn by `revoke(store, invoice)`; the order as it is now."""
    r = reveal(request)
    try:
        invoice = get_invoice(r.studio.store, _number(number))
    except InvoiceNotFound as exc:
        return _not_found(exc)
    withdrawn = revoke(r.studio.store, invoice)
    return JSONResponse({"ok": True, "withdrawn": withdrawn, "order": _one(r, invoice)})


# ----------------------------------------------------------------------------------------------
def link_view(expires: float | None) -> dict[str, Any]:
    """A link's state as the page shows it: open until when, or closed."""
    if expires is None:
        return {"open": False, "expires": None, "text": "none open"}
    until = datetime.fromtimestamp(expires)
    return {
        "open": True,
        "expires": until.isoformat(timespec="minutes"),
        "text": f"open until {until.day} {until:%B %Y, %H:%M}",
    }


def order_view(r: Reveal, invoice: Invoice, mail: list[OutboxEntry], now: float) -> dict[str, Any]:
    """One order as the page draws it; every amount and date already in words."""
    history = tables.status_history(r.studio.store, invoice.number)
    exported = order_folder(exports_folder(r.studio.paths), invoice)
    mail_server = smtp_settings(r.studio.store) is not None
    return {
        "number": invoice.number,
        "reference": invoice.reference,
        "session": invoice.session_id,
        "client": invoice.client.name,
        "email": invoice.client.email,
        "issued": invoice.issued.isoformat(),
        "date": f"{invoice.issued.day} {invoice.issued:%B %Y}",
        "total": invoice.total,
        "totalText": format_money(invoice.total, invoice.currency),
        "status": invoice.status,
        "statusLabel": STATUS_LABELS.get(invoice.status, invoice.status),
        "history": [
            {"status": s, "label": STATUS_LABELS.get(s, s), "time": when} for s, when in history
        ],
        "mail": [
            {
                "id": entry.id,
                "kind": entry.kind,
                "label": MAIL_KINDS.get(entry.kind, "E-mail"),
                "to": ", ".join(entry.recipients),
                "status": entry.status,
                "unsent": not mail_server and entry.status == "queued",
                "text": mail_text(entry, now, mail_server),
                "canSendAgain": _can_send_again(entry),
            }
            for entry in mail
        ],
        "exported": str(exported) if exported.is_dir() else None,
        "phoneLink": link_view(tables.phone_tokens_expire(r.studio.store, invoice.number, now)),
        "wallLinks": link_view(wall_links_expire(r.studio.store, invoice.session_id, now=now)),
        # Each product's way to the client (routes/lines.py moves them).
        "products": products_view(invoice, line_events(r.studio.store, invoice.number)),
    }


def mail_text(entry: OutboxEntry, now: float, mail_server: bool) -> str:
    """An e-mail's state in words: the outbox's, unless it waits for a server nobody set up."""
    if not mail_server and entry.status == "queued":
        return NO_MAIL_SERVER
    return outbox.describe(entry, now)


def _one(r: Reveal, invoice: Invoice) -> dict[str, Any]:
    mail = outbox.entries(r.studio.store, invoice=invoice.number)
    return order_view(r, get_invoice(r.studio.store, invoice.number), mail, time.time())


def _can_send_again(entry: OutboxEntry) -> bool:
    return entry.status in ("failed", "held")


def _number(text: str) -> int:
    """ "42", "0042" or "#42"; anything else is not an order number (422). ASCII digits only:
    str.isdigit() also says yes to "²", which int() then refuses."""
    if not NUMBER.fullmatch(text):
        shown = json.dumps(text[:40])
        raise CommandError(f"{shown} is not an order number; an order number is digits, like 42.")
    return int(text.lstrip("#"))


def _not_found(exc: InvoiceNotFound) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=404)
