"""The client's gallery on their phone, opened from the link in "Your photos are ready".

    GET /g/{token}                  the page: locked (what is paid, what is due), or the photos
    GET /g/{token}/t/{image_id}     a thumbnail of one of the gallery's photos (open only)
    GET /g/{token}/f/{name}         one photo at full resolution, under its clean name
    GET /g/{token}/all.zip          every photo, as a ZIP written while it is sent

No pairing: the token is the key, and it opens only this order's purchased photos, only once
the order is paid in full and every one has its final; until then no file answers at all.
Files and the ZIP answer `Range: bytes=a-b` (206, `Accept-Ranges: bytes`, an ETag for
If-Range), so a download cut off resumes where it stopped. Every download is logged with how
many bytes went out (the Orders page shows them). An unknown, expired, withdrawn or malformed
token, and any name that is not one of the gallery's own, get the same 404.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Generator, Iterator
from functools import partial
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response, StreamingResponse

from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.settings import details_for_session
from kiosk.core.gallery import RangeNotSatisfiable, byte_range
from kiosk.delivery.gallery import ZIP_NAME, Gallery, gallery_for_token, load_gallery
from kiosk.delivery.ziplayout import Span, read_parts
from kiosk.store.delivery import log_download
from kiosk.web.context import reveal
from kiosk.web.routes.images import IMAGE_ID
from kiosk.web.routes.mirror import TOKEN
from kiosk.web.zerocopy import ZEROCOPY, SpanNotSent

router = APIRouter()
NAME = re.compile(r"[a-z0-9-]{1,64}\.(jpg|png|tif)")
SPAN = 8 * 1024 * 1024  # bytes a sendfile step sends; a cut download is logged to the step
EXPIRED = (
    "Gallery links last 90 days. Ask the studio for a new one; they can send it again at once."
)


def _gallery(request: Request, token: str) -> Gallery | None:
    if not TOKEN.fullmatch(token):
        return None
    store = reveal(request).studio.store
    number = gallery_for_token(store, token)
    return None if number is None else load_gallery(store, get_invoice(store, number))


def _not_found(request: Request) -> Response:
    return reveal(request).templates.TemplateResponse(
        request,
        "message.html",
        {"title": "This link has expired", "message": EXPIRED},
        status_code=404,
    )


@router.get("/g/{token}")
async def gallery_page(request: Request, token: str) -> Response:
    gallery = _gallery(request, token)
    if gallery is None:
        return _not_found(request)
    invoice, account = gallery.invoice, gallery.account
    studio = details_for_session(reveal(request).studio.store, invoice.session_id)
    context = {
        "studio": studio,
        "client": invoice.client.name,
        "first": invoice.client.name.split()[0],
        "reference": invoice.reference,
        "state": gallery.state,
        "paid": invoice.money(account.paid),
        "total": invoice.money(account.total),
        "balance": invoice.money(max(account.balance, 0)),
        "schedule": [
            {
                "label": s.label,
                "due": f"{s.due.day} {s.due:%B %Y}",
                "amount": invoice.money(s.amount),
                "state": s.state,
            }
            for s in account.schedule
        ]
        if len(account.schedule) > 1
        else [],
        "files": gallery.files,
        "zip_size": _megabytes(gallery.zip.size) if gallery.files else "",
        "token": token,
    }
    return reveal(request).templates.TemplateResponse(
        request, "gallery.html", context, headers={"Cache-Control": "no-store"}
    )


@router.get("/g/{token}/t/{image_id}")
async def gallery_thumb(request: Request, token: str, image_id: str) -> Response:
    gallery = _gallery(request, token)
    wanted = int(image_id) if IMAGE_ID.fullmatch(image_id) else None
    found = next((f for f in gallery.files if f.image_id == wanted), None) if gallery else None
    if found is None or not found.thumb_path:
        return _not_found(request)
    return FileResponse(found.thumb_path, media_type="image/jpeg")


@router.get("/g/{token}/all.zip")
async def gallery_zip(request: Request, token: str) -> Response:
    gallery = _gallery(request, token)
    if gallery is None or not gallery.files:
        return _not_found(request)
    layout = gallery.zip
    etag = f'"zip-{_zip_tag(gallery):08x}-{layout.size}"'
    return _ranged(
        request,
        gallery,
        ZIP_NAME,
        gallery.zip_name,
        layout.size,
        etag,
        "application/zip",
        layout.parts,
    )


@router.get("/g/{token}/f/{name}")
async def gallery_file(request: Request, token: str, name: str) -> Response:
    gallery = _gallery(request, token)
    found = gallery.file(name) if gallery and NAME.fullmatch(name) else None
    if found is None:
        return _not_found(request)
    media = {"jpg": "image/jpeg", "png": "image/png", "tif": "image/tiff"}[name.rsplit(".")[-1]]
    etag = f'"{found.crc:08x}-{found.size}"'
    return _ranged(
        request, gallery, name, name, found.size, etag, media, partial(_whole_file, found.path)
    )


def _ranged(request, gallery, what, filename, size, etag, media, parts) -> Response:
    """The whole body (200) or the asked part of it (206), streamed, and logged when done:
    `parts(start, end)` gives its header bytes and spans of files, which go out with sendfile
    where the server offers it (kiosk/web/zerocopy.py), else read a chunk at a time."""
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-cache",
    }
    asked = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range != etag:
        asked = None  # the file changed since the first part: send it whole
    try:
        part = byte_range(asked, size)
    except RangeNotSatisfiable:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    start, end = part if part else (0, size)
    status = 206 if part else 200
    if part:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    headers["Content-Length"] = str(end - start)
    store = reveal(request).studio.store
    number = gallery.invoice.number
    if ZEROCOPY in request.scope.get("extensions", {}):

        def done(sent: int) -> None:
            log_download(store, number, time.time(), what, start, sent)

        return SpansResponse(parts(start, end), done, status, headers, media)
    body = _logged(read_parts(parts(start, end)), store, number, what, start)
    return StreamingResponse(body, status_code=status, media_type=media, headers=headers)


def _whole_file(path: Path, start: int, end: int) -> Iterator[bytes | Span]:
    yield Span(path, start, end)


class SpansResponse(Response):
    """A body of header bytes and file spans, the spans sent with sendfile in steps of SPAN
    (so a download cut off is logged with what went out, to the step); `done(sent)` once it
    ends or the client goes."""

    def __init__(self, parts, done, status_code: int, headers: dict, media_type: str) -> None:
        super().__init__(None, status_code, headers, media_type)
        self.parts, self.done = parts, done

    async def __call__(self, scope, receive, send) -> None:
        start = {"type": "http.response.start", "status": self.status_code}
        await send({**start, "headers": self.raw_headers})
        sent = 0
        try:
            for part in self.parts:
                if isinstance(part, bytes):
                    await send({"type": "http.response.body", "body": part, "more_body": True})
                    sent += len(part)
                    continue
                with open(part.path, "rb") as f:
                    for offset in range(part.start, part.end, SPAN):
                        count = min(SPAN, part.end - offset)
                        span = {"file": f, "offset": offset, "count": count}
                        await send({"type": ZEROCOPY, **span, "more_body": True})
                        sent += count
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except SpanNotSent:
            pass
        finally:
            self.done(sent)


async def _logged(
    chunks: Generator[bytes | memoryview, None, None], store, number: int, what: str, start: int
):
    """Each chunk read in a worker thread (the loop keeps drawing the TV); the download logged
    on the loop once it ends or is cut off, with the bytes that went out."""
    sent = 0
    loop = asyncio.get_running_loop()
    try:
        while True:
            chunk = await loop.run_in_executor(None, next, chunks, None)
            if chunk is None:
                break
            yield chunk
            sent += len(chunk)
    finally:
        # Cut off while a worker reads the next chunk: that read finishes on its own and the
        # generator is dropped; closing it then would raise.
        with contextlib.suppress(ValueError):
            chunks.close()
        log_download(store, number, time.time(), what, start, sent)


def _zip_tag(gallery: Gallery) -> int:
    tag = 0
    for f in gallery.files:
        tag = (tag * 31 + f.crc + f.size) & 0xFFFFFFFF
    return tag


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB" if size >= 10_000_000 else f"{size / 1_000_000:.1f} MB"
