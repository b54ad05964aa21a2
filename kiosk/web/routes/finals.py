"""An order's retouched finals added from the tablet, on the Orders page: a folder chosen from
the drives and folders the import may browse, matched as `main.py finals add` matches them, and
each file that could be two images asked about with the pictures side by side.

    GET  /api/finals/{number}                 {"text": "13 of 15 retouched", "missing": [...]}
    POST /api/finals/{number}/folder          {"root", "path"}: match and add its finals
    POST /api/finals/{number}/uploads         {"name", "size", "sha256"}: a final sent from
                                              this browser, what the kiosk has of it
    PUT  /api/finals-uploads/{number}/<id>?offset=N   one chunk; once whole, kept in
                                              <studio>/finals-uploads/order-N/, a folder
                                              the answer names ({"root", "path"}) to match
    POST /api/finals/{number}/choose          {"root", "path", "file", "imageId"}: the answer
    GET  /api/finals/{number}/thumb/{image}   one of the order's images, small
    GET  /api/finals/preview?root=&path=&file=    a final in a browsable folder, small

What must stay true: nothing outside the import's roots (kiosk/imports/roots.py) and the finals
uploaded for the order is read, listed or copied. Uploads resume, are checked by their SHA-256
and bounded as the import's are (kiosk/imports/uploads.py). The folder is named as the import
names it, a root and a path under it; a file is a bare name in that folder, and must still lie
inside the root once its links are followed. The answer to a question goes through
`choose_final`, the code `main.py finals add` records with; "none" (imageId null) records
nothing. Matching and copying run on a worker thread, one order at a time, so the loop the TV
draws on never waits for a disk. Pairing needed (401); POSTs also the page's CSRF header (403).
404 for an unknown order or image, 422 for anything malformed.
"""

from __future__ import annotations

import asyncio
import io
import json
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from PIL import Image, UnidentifiedImageError

from kiosk.checkout.invoice import get_invoice
from kiosk.core.errors import CommandError, ImportRefused, InvoiceNotFound
from kiosk.core.finals import FINAL_SUFFIXES
from kiosk.core.invoices import Invoice
from kiosk.delivery.finals import (
    FinalsReport,
    add_finals,
    choose_final,
    final_files,
    finals_state,
)
from kiosk.imports.roots import Root, import_roots, inside
from kiosk.imports.uploads import CHUNK, Uploads, upload_name
from kiosk.web.auth import paired, paired_same_site
from kiosk.web.context import Reveal, reveal
from kiosk.web.routes.images import IMAGE_ID
from kiosk.web.routes.imports import json_fields, read_chunk
from kiosk.web.routes.payments import order_number

router = APIRouter()
PREVIEW_EDGE = 360  # px: two side by side fill half an iPad's width
_adding = threading.Lock()  # two adds to one order at once would race to the same copy


@router.get("/api/finals/preview")
async def api_preview(
    request: Request,
    root: str = "",
    path: str = "",
    file: str = "",
    _token: str = Depends(paired),
) -> Response:
    r = reveal(request)

    def small() -> bytes:
        return preview_jpeg(final_in(_roots(r), root, path, file))

    body = await _off_loop(small)
    return Response(body, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


@router.get("/api/finals/{number}")
async def api_finals(number: str, request: Request, _token: str = Depends(paired)) -> Response:
    r = reveal(request)
    try:
        invoice = get_invoice(r.studio.store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    report = await _off_loop(finals_state, r.studio.store, invoice)
    return JSONResponse(report_view(invoice, report))


@router.post("/api/finals/{number}/folder")
async def api_add_folder(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    r = reveal(request)
    data = await _body(request)
    try:
        invoice = get_invoice(r.studio.store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)

    def add() -> FinalsReport:
        folder, base = inside(_roots(r), data["root"], data["path"])
        if not final_files(folder, base):
            raise ImportRefused(
                "That folder holds no JPEG, PNG or TIFF files; choose the folder the finals "
                "were exported to."
            )
        with _adding:
            report = add_finals(r.studio.store, _finals_root(r), invoice, folder, base)
        _drop_uploaded(r, folder, report.matching.matched.values())
        return report

    report = await _off_loop(add)
    return JSONResponse(report_view(invoice, report, data["root"], data["path"]))


@router.post("/api/finals/{number}/uploads")
async def api_start_upload(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    """A final sent from this browser: a new upload, or the one under way (what has arrived)."""
    r = reveal(request)
    data = await json_fields(request, name=str, size=int, sha256=str)
    try:
        invoice = get_invoice(r.studio.store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    name = upload_name(data["name"])[-1]  # the file's own name: finals are matched by it
    if PurePosixPath(name).suffix.lower() not in FINAL_SUFFIXES:
        raise ImportRefused(f"{name} is not a JPEG, PNG or TIFF file: export the final as one.")
    uploads = _uploads(r, request)
    upload = await _off_loop(uploads.start, invoice.number, name, data["size"], data["sha256"])
    return JSONResponse({**upload.answer(), "chunk": CHUNK, **_uploaded(uploads, invoice)})


@router.put("/api/finals-uploads/{number}/{upload_id}")  # its own prefix: bodies.CAPS
async def api_upload_chunk(
    number: str,
    upload_id: str,
    request: Request,
    offset: str = "",
    _token: str = Depends(paired_same_site),
) -> Response:
    """One chunk at `offset`; once the file is whole its hash is checked and it is kept with
    the order's other uploaded finals, ready to be matched (POST .../folder)."""
    r = reveal(request)
    try:
        invoice = get_invoice(r.studio.store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    at, body = await read_chunk(request, offset)
    uploads = _uploads(r, request)
    upload = await _off_loop(uploads.write, invoice.number, upload_id, at, body)
    if upload.whole and not upload.stored:
        upload, _path = await _off_loop(uploads.finish, invoice.number, upload_id)
    return JSONResponse({**upload.answer(), **_uploaded(uploads, invoice)})


@router.post("/api/finals/{number}/choose")
async def api_choose(
    number: str, request: Request, _token: str = Depends(paired_same_site)
) -> Response:
    r = reveal(request)
    data = await _body(request, file=str, imageId=int | None)
    try:
        invoice = get_invoice(r.studio.store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    image_id = data.get("imageId")
    if image_id is not None and image_id not in {i.id for i in invoice.images}:
        return JSONResponse(
            {"error": f"That image is not one of order {invoice.reference}'s."}, status_code=404
        )

    def choose() -> FinalsReport:
        file = final_in(_roots(r), data["root"], data["path"], data["file"])
        if image_id is None:
            return finals_state(r.studio.store, invoice)
        with _adding:
            report = choose_final(r.studio.store, _finals_root(r), invoice, file, image_id)
        _drop_uploaded(r, file.parent, [file.name])
        return report

    report = await _off_loop(choose)
    answer = report_view(invoice, report, data["root"], data["path"])
    answer["said"] = (
        f"{data['file']} left out."
        if image_id is None
        else f"{data['file']} is the final of {_names(invoice)[image_id]}."
    )
    return JSONResponse(answer)


@router.get("/api/finals/{number}/thumb/{image_id}")
async def api_thumb(
    number: str, image_id: str, request: Request, _token: str = Depends(paired)
) -> Response:
    r = reveal(request)
    try:
        invoice = get_invoice(r.studio.store, order_number(number))
    except InvoiceNotFound as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    wanted = int(image_id) if IMAGE_ID.fullmatch(image_id) else None
    image = next((i for i in invoice.images if i.id == wanted), None)
    if image is None or not image.thumb_path or not Path(image.thumb_path).is_file():
        return JSONResponse({"error": "The order has no such image, or no thumbnail of it."}, 404)
    return FileResponse(image.thumb_path, headers={"Cache-Control": "private, max-age=3600"})


# ----------------------------------------------------------------------------------------------
def final_in(roots: list, root: str, path: str, file: str) -> Path:
    """The file `file` (a bare name) in the browsable folder `path` under `root`; ImportRefused
    for a name with a path in it, a file that is no final's kind, or one that links outside."""
    folder, base = inside(roots, root, path)
    bare = PurePosixPath(file)
    if (
        not file
        or len(file) > 255
        or "\x00" in file
        or "\\" in file
        or bare.name != file
        or file in (".", "..")
    ):
        raise ImportRefused("Name the file as it was listed, without a folder.")
    if bare.suffix.lower() not in FINAL_SUFFIXES:
        raise ImportRefused(f"{file} is not a JPEG, PNG or TIFF file.")
    try:
        real = (folder / file).resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise ImportRefused(f"{file} is not in that folder any more.") from exc
    if not real.is_relative_to(base) or not real.is_file():
        raise ImportRefused(f"{file} leads outside the folders Reveal may read.")
    return real


def preview_jpeg(path: Path) -> bytes:
    try:
        with Image.open(path) as image:
            image.draft("RGB", (PREVIEW_EDGE * 2, PREVIEW_EDGE * 2))
            small = image.convert("RGB")
            small.thumbnail((PREVIEW_EDGE, PREVIEW_EDGE))
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImportRefused(f"{path.name} cannot be read as a picture.") from exc
    out = io.BytesIO()
    small.save(out, "JPEG", quality=82)
    return out.getvalue()


def report_view(
    invoice: Invoice, report: FinalsReport, root: str = "", path: str = ""
) -> dict[str, Any]:
    """The finals as the page draws them; the names of the order's images, not ids alone."""
    names = _names(invoice)
    base = f"/api/finals/{invoice.number}"
    matching = report.matching
    return {
        "number": invoice.number,
        "wanted": len(report.wanted),
        "retouched": len(report.retouched),
        "text": f"{len(report.retouched)} of {len(report.wanted)} retouched",
        "missing": [names[i] for i in report.missing],
        "added": report.added,
        "root": root,
        "path": path,
        "matched": [
            {"imageId": i, "image": names.get(i, str(i)), "file": f, "by": matching.by[i]}
            for i, f in matching.matched.items()
        ],
        "ambiguous": [
            {
                "file": file,
                "candidates": [
                    {"imageId": i, "image": names.get(i, str(i)), "thumb": f"{base}/thumb/{i}"}
                    for i in candidates
                ],
            }
            for file, candidates in matching.ambiguous
        ],
        "unmatched": list(matching.unmatched),
    }


async def _body(request: Request, **more: Any) -> dict[str, Any]:
    """The POST's JSON object: a folder ("root", "path": strings) and `more`; 422 otherwise."""
    kinds = {"root": str, "path": str, **more}
    body = await request.body()
    if len(body) > 8192:
        raise CommandError("The request is too long for a folder and a file's name.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"The request is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict) or set(data) != set(kinds):
        raise CommandError(f"Send a JSON object with {', '.join(kinds)}.")
    for name, kind in kinds.items():
        if isinstance(data[name], bool) or not isinstance(data[name], kind):
            what = getattr(kind, "__name__", "a number or null")
            raise CommandError(f"'{name}' should be {what}.")
    return data


def _names(invoice: Invoice) -> dict[int, str]:
    """image id -> its file name, with the folder it came from when two share a name (two
    cards of one wedding both have an IMG_1001)."""
    seen = Counter(i.file_name for i in invoice.images)
    return {
        i.id: i.file_name
        if seen[i.file_name] == 1
        else f"{i.file_name} ({PurePosixPath(i.source_path).parent.name or 'no folder'})"
        for i in invoice.images
    }


def _roots(r: Reveal) -> list:
    """The import's drives and folders, and the finals uploaded from the tablet."""
    roots = import_roots(r.studio.settings.import_roots)
    uploaded = _uploads_folder(r)
    if uploaded.is_dir():
        roots.append(Root(str(uploaded), "Uploaded finals", "folder"))
    return roots


def _uploads_folder(r: Reveal) -> Path:
    return r.studio.paths.root / "finals-uploads"


def _uploads(r: Reveal, request: Request) -> Uploads:
    """The finals under way from browsers, one set for the app (the same file resumes)."""
    state = request.app.state
    if getattr(state, "finals_uploads", None) is None:
        state.finals_uploads = Uploads(_uploads_folder(r), prefix="order")
    return state.finals_uploads


def _drop_uploaded(r: Reveal, folder: Path, names: Iterable[str]) -> None:
    """Uploaded finals once copied into the order's finals: the upload is not kept twice. A
    file still in doubt or none of the order's stays, to be answered or sent again."""
    if folder.resolve().is_relative_to(_uploads_folder(r).resolve()):
        for name in names:
            (folder / name).unlink(missing_ok=True)


def _uploaded(uploads: Uploads, invoice: Invoice) -> dict[str, str]:
    """The folder the order's uploaded finals are kept in, as the folder route takes it."""
    folder = uploads.folder(invoice.number)
    return {"root": str(uploads.originals), "path": folder.name}


def _finals_root(r: Reveal) -> Path:
    return r.studio.paths.root / "finals"


async def _off_loop(work, *args):
    return await asyncio.get_running_loop().run_in_executor(None, work, *args)
