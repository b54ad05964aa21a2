"""An order's gallery on the remote's Orders page: how far the retouching is, whether the
gallery is open, its link, and every download the client made.

    GET  /api/gallery/{number}            {"stateText", "open", "link": {...}, "downloads": [...]}
    POST /api/gallery/{number}/link       a new link: {"url": "https://.../g/TOKEN", ...}
    POST /api/gallery/{number}/withdraw   every link to it stops working now

The link is made from `public_url` when it is set (so it opens at the client's home), else from
the address the tablet reached the kiosk at. The token is shown once, in this answer: only its
hash is kept. Pairing needed; POSTs also the page's CSRF header. 404 for an unknown order, 422
for a number that is not one.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kiosk.checkout.invoice import get_invoice
from kiosk.core.errors import InvoiceNotFound
from kiosk.core.finals import purchased_images
from kiosk.delivery.gallery import (
    gallery_url,
    issue_gallery_link,
    load_gallery,
    withdraw_gallery_links,
)
from kiosk.store import delivery as rows
from kiosk.web.auth import paired, paired_same_site
from kiosk.web.context import reveal
from kiosk.web.hosts import own_base_url
from kiosk.web.routes.orders import link_view
from kiosk.web.routes.payments import order_number

router = APIRouter()


@router.get("/api/gallery/{number}")
async def api_gallery(number: str, request: Request, _token: str = Depends(paired)) -> Response:
    return _answer(request, number)


@router.post("/api/gallery/{number}/link")
async def api_gallery_link(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    r = reveal(request)
    try:
        token = issue_gallery_link(r.studio.store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    url = gallery_url(own_base_url(request.scope, r.studio.settings.public_url), token)
    return _answer(request, number, url=url)


@router.post("/api/gallery/{number}/withdraw")
async def api_gallery_withdraw(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    r = reveal(request)
    try:
        withdrawn = withdraw_gallery_links(
            r.studio.store, get_invoice(r.studio.store, order_number(number)).number
        )
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    return _answer(request, number, withdrawn=withdrawn)


def _answer(request: Request, number: str, **extra: Any) -> Response:
    store = reveal(request).studio.store
    try:
        invoice = get_invoice(store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    gallery = load_gallery(store, invoice)
    state = gallery.state
    have = {f.image_id for f in rows.finals(store, invoice.number)}
    names = {i.id: i.file_name for i in invoice.images}
    missing = [names[i] for i in purchased_images(invoice) if i not in have]
    now = time.time()
    if not state.wanted:
        text = "No image was bought as a file: there is no gallery to open."
    elif state.open:
        text = f"Open: {state.retouched} photos, paid in full."
    else:
        why = [] if state.paid_in_full else ["not paid in full"]
        if missing:
            why.append(f"{state.text}: add the retouched finals")
        text = "Locked: " + "; ".join(why) + "."
    view = {
        "number": invoice.number,
        "open": state.open,
        "wanted": state.wanted,
        "retouched": state.retouched,
        "stateText": text,
        "missing": missing,
        "link": link_view(rows.gallery_link_expires(store, invoice.number, now)),
        "downloads": [
            {
                "when": f"{datetime.fromtimestamp(d.time):%-d %b, %H:%M}",
                "what": d.what,
                "text": _sent(d.bytes, d.start),
            }
            for d in reversed(rows.downloads(store, invoice.number)[-20:])
        ],
        "downloadCount": len(rows.downloads(store, invoice.number)),
        **extra,
    }
    return JSONResponse(view)


def _sent(sent: int, start: int) -> str:
    size = f"{sent / 1_000_000:.1f} MB" if sent >= 100_000 else f"{sent / 1000:.0f} kB"
    return f"{size}, resumed at {start / 1_000_000:.1f} MB" if start else size
