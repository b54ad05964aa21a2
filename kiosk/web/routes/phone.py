"""The client's phone pages, opened from a QR code or a link, with no pairing: their invoice,
and the upload of a photo of their own wall for the wall-art screen.

The token in the address is the whole key, and a narrow one: an invoice token opens that one
invoice (its page, its PDF and the thumbnails of its own images), a wall token lets that one
session receive photos. Neither sets a cookie, so neither opens the remote or a mirror. An
unknown token gets the same page as an expired one, byte for byte: no way to tell them apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect

from kiosk.albums.invoice import spreads_for_page
from kiosk.checkout.invoice import invoice_for_phone_token, phone_url
from kiosk.checkout.pdf import due_date, format_date, render_invoice_pdf
from kiosk.checkout.settings import details_for_session
from kiosk.core.errors import WallPhotoError
from kiosk.core.invoices import STATUS_LABELS, Invoice, StudioDetails
from kiosk.store.walls import add_wall_photo, count_wall_photos, session_for_wall_token
from kiosk.web.auth import same_origin
from kiosk.web.context import reveal
from kiosk.web.hosts import own_base_url
from kiosk.web.routes.images import IMAGE_ID
from kiosk.web.routes.mirror import TOKEN
from kiosk.web.uploads import UploadGate, UploadsBusy, WallFull
from kiosk.web.walls import (
    FORM_OVERHEAD,
    StoredPhoto,
    WallLimits,
    declared_too_large,
    photo_in,
    read_form,
    store_wall_photo,
    wall_folder,
)

router = APIRouter()
log = logging.getLogger(__name__)
THUMBS_PER_LINE = 4
DRAIN_SECONDS = 5.0  # reading a refused photo's rest, at most
TOTALS_KINDS = ("discount", "minimum", "shipping", "tax", "session_credit")


class PdfCache:
    """The last few invoice PDFs made for phones: a client tapping Download twice, or a family
    passing the link around, costs one render. Keyed by everything the PDF shows."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.pdfs: OrderedDict[tuple, bytes] = OrderedDict()

    def get(self, key: tuple) -> bytes | None:
        if key in self.pdfs:
            self.pdfs.move_to_end(key)
        return self.pdfs.get(key)

    def put(self, key: tuple, pdf: bytes) -> None:
        self.pdfs[key] = pdf
        while len(self.pdfs) > self.size:
            self.pdfs.popitem(last=False)


# shared --------------------------------------------------------------------------------------
def not_found(request: Request, what: str) -> Response:
    """The one answer for a token that is unknown, expired, revoked or malformed."""
    message = {
        "invoice": "Invoice links last 30 days. Ask the studio for a new one, or open the "
        "link in the e-mail with your invoice.",
        "wall": "Wall photo links last a day. Ask the studio to show the QR code on the TV "
        "again, and scan the new one.",
    }[what]
    return reveal(request).templates.TemplateResponse(
        request,
        "message.html",
        {"title": "This link has expired", "message": message},
        status_code=404,
    )


def studio_of(request: Request, session_id: int) -> StudioDetails:
    """The studio the client sees: its own details (the demo's for the demo session)."""
    return details_for_session(reveal(request).studio.store, session_id)


# the invoice ---------------------------------------------------------------------------------
def invoice_for(token: str, request: Request) -> Invoice | None:
    if not TOKEN.fullmatch(token):
        return None
    return invoice_for_phone_token(reveal(request).studio.store, token)


def invoice_view(invoice: Invoice, studio: StudioDetails, token: str) -> dict[str, Any]:
    """What the page shows, worked out here so the template only lays it out."""
    breakdown = invoice.breakdown
    sold = {line.ref: line for line in invoice.lines}
    collection, items = None, []
    for line in breakdown["lines"]:
        if line["kind"] == "collection":
            collection = {
                "label": f"{line['label']} collection",
                "amount": line["display"],
                "credits": [credit["text"] for credit in breakdown["credits"]],
            }
        elif line["kind"] == "item":
            images = sold[line["ref"]].images if line["ref"] in sold else ()
            count = line["quantity"]
            detail = f"{count} × {invoice.money(line['unit_price'])}" if count > 1 else ""
            items.append(
                {
                    "label": line["label"],
                    "amount": line["display"],
                    "notes": [n for n in (detail, line.get("note", "")) if n],
                    "thumbs": images[:THUMBS_PER_LINE],
                    "more": max(0, len(images) - THUMBS_PER_LINE),
                    "spreads": spreads_for_page(invoice, line["ref"]),
                }
            )
    totals = [("Subtotal", breakdown["subtotal"]["display"])]
    totals += [(x["label"], x["display"]) for x in breakdown["lines"] if x["kind"] in TOTALS_KINDS]
    tax = breakdown["tax"]
    tax_note = ""
    if tax["inclusive"] and tax["amount"]:
        rate = tax["rate"].rstrip("0").rstrip(".") if "." in tax["rate"] else tax["rate"]
        tax_note = f"Includes {tax['name']} {rate}%: {tax['display']}"
    plan = breakdown.get("instalments")
    schedule = None
    if plan:
        rows = [("Deposit, due today", plan["deposit"]["display"])]
        for n, amount in enumerate(plan["instalments"], 1):
            when = due_date(invoice.issued, plan["interval"], n)
            label = f"Payment {n}" + (f", {format_date(when, False)}" if when else "")
            rows.append((label, amount["display"]))
        schedule = {"name": plan["name"], "rows": rows}
    website = studio.website
    if website and "://" not in website:
        website = f"https://{website}"
    return {
        "token": token,
        "studio": studio,
        "reference": invoice.reference,
        "date": format_date(invoice.issued, False),
        "client": invoice.client.name,
        "paid": invoice.status in ("paid", "shipped", "delivered"),
        "status": STATUS_LABELS.get(invoice.status, invoice.status),
        "due_now": invoice.money(invoice.due_now),
        "total": breakdown["total"]["display"],
        "collection": collection,
        "items": items,
        "totals": totals,
        "tax_note": tax_note,
        "schedule": schedule,
        "retouch": [image for image in invoice.images if image.has_retouch],
        "payment": [x for x in studio.payment_instructions.splitlines() if x.strip()],
        "terms": [x for x in studio.terms.splitlines() if x.strip()],
        "address": [x for x in studio.address.splitlines() if x.strip()],
        "website_url": website,
    }


@router.get("/i/{token}")
async def invoice_page(request: Request, token: str) -> Response:
    invoice = invoice_for(token, request)
    if invoice is None:
        return not_found(request, "invoice")
    context = invoice_view(invoice, studio_of(request, invoice.session_id), token)
    return reveal(request).templates.TemplateResponse(request, "invoice.html", context)


@router.get("/i/{token}/invoice.pdf")
async def invoice_pdf(request: Request, token: str) -> Response:
    invoice = invoice_for(token, request)
    if invoice is None:
        return not_found(request, "invoice")
    studio = studio_of(request, invoice.session_id)
    # The QR in the PDF leads back here, by the address this phone reached (the socket's,
    # not the Host header's: a client's header must not pick what others are served).
    base = own_base_url(request.scope, reveal(request).studio.settings.public_url)
    url = phone_url(base, token)
    cache: PdfCache = request.app.state.invoice_pdfs
    key = (invoice.number, hashlib.sha256(token.encode()).hexdigest(), url, studio)
    pdf = cache.get(key)
    if pdf is None:
        paper = reveal(request).studio.paper
        render = partial(render_invoice_pdf, invoice, studio, phone_url=url, paper=paper)
        pdf = await asyncio.get_running_loop().run_in_executor(None, render)
        cache.put(key, pdf)
    name = f"invoice-{invoice.reference}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/i/{token}/img/{image_id}")
async def invoice_image(request: Request, token: str, image_id: str) -> Response:
    """A thumbnail of one of this invoice's own images; any other id is not found."""
    invoice = invoice_for(token, request)
    image = invoice.image(int(image_id)) if invoice and IMAGE_ID.fullmatch(image_id) else None
    if image is None or not Path(image.thumb_path).is_file():
        return not_found(request, "invoice")
    return FileResponse(image.thumb_path, media_type="image/jpeg")


# the wall photo ------------------------------------------------------------------------------
def session_for(token: str, request: Request) -> int | None:
    if not TOKEN.fullmatch(token):
        return None
    return session_for_wall_token(reveal(request).studio.store, token)


def wall_page(
    request: Request,
    token: str,
    *,
    error: str = "",
    status: int = 200,
    photo: StoredPhoto | None = None,
) -> Response:
    limits: WallLimits = request.app.state.wall_limits
    context = {
        "token": token,
        "studio": studio_of(request, session_for(token, request) or 0).name,
        "error": error,
        "photo": photo,
        "max_bytes": limits.max_bytes,
        "too_large": limits.too_large(),
    }
    return reveal(request).templates.TemplateResponse(
        request, "wall.html", context, status_code=status
    )


@router.get("/wall/{token}")
async def wall_form(request: Request, token: str) -> Response:
    if session_for(token, request) is None:
        return not_found(request, "wall")
    return wall_page(request, token)


@router.post("/wall/{token}")
async def wall_upload(request: Request, token: str) -> Response:
    r = reveal(request)
    session_id = session_for(token, request)
    if session_id is None:
        return not_found(request, "wall")
    if not same_origin(request):  # the token is the key; still, no other site may post it
        return wall_page(
            request,
            token,
            status=403,
            error="This photo was not sent from the studio's upload page. Scan the QR code "
            "on the TV and send it from there.",
        )
    limits: WallLimits = request.app.state.wall_limits
    if declared_too_large(request, limits):
        return wall_page(request, token, error=limits.too_large(), status=413)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return wall_page(request, token, status=422, error="Send the photo with the form below.")
    gate: UploadGate = request.app.state.uploads
    try:
        # Counted and taken in one step on the loop's thread: parallel uploads cannot all see
        # room for one more.
        stored_now = count_wall_photos(r.studio.store, session_id)
        slot = gate.reserve(session_id, stored=stored_now, limit=limits.max_photos)
    except WallFull:
        await drain(request, limits)
        return wall_page(
            request,
            token,
            status=409,
            error=f"This session already has {limits.max_photos} wall photos, the most it "
            "may keep. Ask the studio to remove some, then send yours again.",
        )
    except UploadsBusy:
        await drain(request, limits)
        response = wall_page(
            request,
            token,
            status=429,
            error="The studio's screen is receiving other photos just now. Wait a few "
            "seconds, then send yours again.",
        )
        response.headers["Retry-After"] = str(gate.retry_after)
        return response
    with slot:
        return await _receive_wall_photo(request, token, session_id, limits, gate)


async def drain(request: Request, limits: WallLimits, seconds: float = DRAIN_SECONDS) -> None:
    """Read the rest of a refused photo into nothing, before answering. A connection closed
    under a phone that is still sending reaches its browser as "connection reset", not as
    the page saying why (servers call this a lingering close); a few seconds at most, and
    never more than the cap, so a refusal still costs the kiosk next to nothing."""
    received = 0

    async def read() -> None:
        nonlocal received
        async for chunk in request.stream():
            received += len(chunk)
            if received > limits.max_bytes + FORM_OVERHEAD:
                return

    with contextlib.suppress(TimeoutError, ClientDisconnect):
        await asyncio.wait_for(read(), seconds)


async def _receive_wall_photo(
    request: Request, token: str, session_id: int, limits: WallLimits, gate: UploadGate
) -> Response:
    r = reveal(request)
    try:
        form = await read_form(request, limits)
    except WallPhotoError as exc:
        return wall_page(request, token, error=str(exc), status=413)
    except MultiPartException:
        return wall_page(
            request, token, status=400, error="The photo did not arrive whole. Send it again."
        )
    try:
        upload = photo_in(form)
        store = partial(
            store_wall_photo,
            upload.file,
            wall_folder(r.studio.paths.root, session_id),
            limits=limits,
            studio_max_pixels=r.studio.settings.max_pixels,
            edge=r.studio.settings.preview_edge,
        )
        stored = await asyncio.get_running_loop().run_in_executor(gate.decoders, store)
    except WallPhotoError as exc:
        return wall_page(request, token, error=str(exc), status=422)
    finally:
        await form.close()
    photo = add_wall_photo(
        r.studio.store, session_id, str(stored.path), stored.width, stored.height
    )
    callback = request.app.state.on_wall_photo
    if callback is not None:
        try:
            callback(session_id, photo.path)
        except Exception:  # the TV's trouble must not turn the client's upload into an error
            log.exception("on_wall_photo failed for %s", photo.path)
    return wall_page(request, token, photo=stored)


# Anything else under these prefixes (a token with a slash, a stray suffix): the same page.
@router.get("/i/{rest:path}")
async def invoice_other(request: Request, rest: str) -> Response:
    return not_found(request, "invoice")


@router.api_route("/wall/{rest:path}", methods=["GET", "POST"])
async def wall_other(request: Request, rest: str) -> Response:
    return not_found(request, "wall")
