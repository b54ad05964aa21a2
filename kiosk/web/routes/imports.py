"""Adding photos to a session from the tablet: from a drive plugged into the kiosk, or uploaded
from the browser in chunks, with the import's progress on a websocket.

    GET  /remote/sessions/3/import                   the import page (its panel is a partial)
    GET  /api/imports/roots                          the drives and folders that may be browsed
    GET  /api/imports/browse?root=/media/ada/CARD&path=DCIM     a folder's folders, image counts
    POST /api/sessions/3/import/folder               {"root": ..., "path": ...}: import it
    GET  /api/sessions/3/import                      the session's import progress
    POST /api/sessions/3/uploads                     {"name", "size", "sha256"}: what is there
    PUT  /api/uploads/3/<upload>?offset=N            one chunk (raw bytes, at most 4 MB)
    WS   /ws/imports                                 every session's import progress, live

Every route is for paired tablets (401), every change for this site's pages only (403). Disk
work runs on one I/O thread and the import on the runner's (kiosk.imports.runner): the loop
only reads bodies and answers.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import State

from kiosk.core.errors import CommandError, ImportRefused, StudioError
from kiosk.imports.roots import browse, import_roots, inside
from kiosk.imports.runner import ImportRunner
from kiosk.imports.uploads import CHUNK, Uploads
from kiosk.web.auth import (
    WS_CROSS_SITE,
    WS_NOT_PAIRED,
    paired,
    paired_same_site,
    same_origin,
    session_token,
)
from kiosk.web.broadcast import Broadcaster
from kiosk.web.context import Reveal, reveal
from kiosk.web.routes.pair import pair_form
from kiosk.web.routes.sessions import parse_session_id

router = APIRouter()
OFFSET = re.compile(r"[0-9]{1,15}")  # ASCII digits: str.isdigit() says yes to "²" too


@dataclass
class Importing:
    """What the import routes share, made on first use: the runner, the uploads under way,
    the thread that writes their chunks, and the websockets' broadcaster."""

    runner: ImportRunner
    uploads: Uploads
    io: ThreadPoolExecutor
    broadcaster: Broadcaster
    receiving: int = 0  # chunks being read now: the loop then gives uploads more of its time
    last_chunk: float = -math.inf  # when the last chunk was answered (time.monotonic())


# The laptop sends its next chunk as soon as one is answered: for this long after an answer the
# upload still counts as streaming, so that chunk's headers and first bytes do not wait for the
# loop's few turns after a frame.
BETWEEN_CHUNKS = 0.5  # s


def receiving(state: State) -> bool:
    """A photo upload is streaming in (kiosk.kiosk.serve_between_frames)."""
    found = getattr(state, "importing", None)
    if found is None:
        return False
    return bool(found.receiving) or time.monotonic() - found.last_chunk < BETWEEN_CHUNKS


def importing(r: Reveal, state: State) -> Importing:
    found = getattr(state, "importing", None)
    if found is None:
        loop = asyncio.get_running_loop()
        broadcaster = Broadcaster()

        def images_added(session_id: int) -> None:
            hook = getattr(state, "images_added", None)  # the TV's, set by kiosk.kiosk
            if hook is not None:
                hook(session_id)

        runner = ImportRunner(
            r.studio,
            deliver=loop.call_soon_threadsafe,
            changed=broadcaster.changed,
            images_added=images_added,
        )
        io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reveal-upload")
        found = Importing(runner, Uploads(r.studio.paths.originals), io, broadcaster)
        state.importing = found
    return found


def _session(r: Reveal, session_id: int):
    try:
        return r.studio.store.session(session_id)
    except StudioError as exc:
        raise _NoSession(str(exc)) from exc


class _NoSession(Exception):
    pass


def _not_found(exc: _NoSession) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=404)


async def json_fields(request: Request, **kinds: type) -> dict[str, Any]:
    """The JSON object of a POST with exactly these fields of these types (422 otherwise)."""
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"The request is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict) or set(data) - set(kinds):
        raise CommandError(f"Send a JSON object with {', '.join(kinds)}.")
    for name, kind in kinds.items():
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise CommandError(f"'{name}' should be a {kind.__name__}.")
    return data


@router.get("/remote/sessions/{session_id}/import")
async def import_page(request: Request, session_id: str) -> Response:
    r = reveal(request)
    token = session_token(request)
    if r.pairing.device(token) is None:
        return pair_form(request, status=401)
    try:
        session = _session(r, parse_session_id(session_id))
    except _NoSession as exc:
        context = {"title": "No such session", "message": str(exc)}
        return r.templates.TemplateResponse(request, "message.html", context, status_code=404)
    context = {
        "csrf": r.pairing.csrf_token(token),
        "session_id": session.id,
        "client": session.client,
    }
    return r.templates.TemplateResponse(request, "import.html", context)


@router.get("/api/imports/roots")
async def roots(request: Request, _token: str = Depends(paired)) -> Any:
    r = reveal(request)
    found = await asyncio.get_running_loop().run_in_executor(
        importing(r, request.app.state).io, import_roots, r.studio.settings.import_roots
    )
    return {"roots": [asdict(root) for root in found]}


@router.get("/api/imports/browse")
async def browse_folder(
    request: Request, root: str = "", path: str = "", _token: str = Depends(paired)
) -> Any:
    r = reveal(request)

    def look() -> dict:
        return browse(import_roots(r.studio.settings.import_roots), root, path)

    return await asyncio.get_running_loop().run_in_executor(
        importing(r, request.app.state).io, look
    )


@router.post("/api/sessions/{session_id}/import/folder")
async def import_folder(
    request: Request, session_id: str, _token: str = Depends(paired_same_site)
) -> Any:
    r = reveal(request)
    session_id = parse_session_id(session_id)
    data = await json_fields(request, root=str, path=str)
    try:
        _session(r, session_id)
    except _NoSession as exc:
        return _not_found(exc)
    work = importing(r, request.app.state)

    def resolve():
        return inside(import_roots(r.studio.settings.import_roots), data["root"], data["path"])

    folder, base = await asyncio.get_running_loop().run_in_executor(work.io, resolve)
    work.runner.folder(session_id, folder, base)
    return JSONResponse({"ok": True, "progress": work.runner.progress(session_id)}, 202)


@router.get("/api/sessions/{session_id}/import")
async def import_progress(request: Request, session_id: str, _token: str = Depends(paired)) -> Any:
    r = reveal(request)
    session_id = parse_session_id(session_id)
    try:
        _session(r, session_id)
    except _NoSession as exc:
        return _not_found(exc)
    return importing(r, request.app.state).runner.progress(session_id)


@router.post("/api/sessions/{session_id}/uploads")
async def start_upload(
    request: Request, session_id: str, _token: str = Depends(paired_same_site)
) -> Any:
    r = reveal(request)
    session_id = parse_session_id(session_id)
    data = await json_fields(request, name=str, size=int, sha256=str)
    try:
        _session(r, session_id)
    except _NoSession as exc:
        return _not_found(exc)
    work = importing(r, request.app.state)
    upload = await asyncio.get_running_loop().run_in_executor(
        work.io, work.uploads.start, session_id, data["name"], data["size"], data["sha256"]
    )
    return {**upload.answer(), "chunk": CHUNK}


@router.put("/api/uploads/{session_id}/{upload_id}")
async def upload_chunk(
    request: Request,
    session_id: str,
    upload_id: str,
    offset: str = "",
    _token: str = Depends(paired_same_site),
) -> Any:
    """One chunk at `offset`. The answer says which ranges the kiosk has; once the file is
    whole its hash is checked, it is kept among the originals and queued for import."""
    r = reveal(request)
    session_id = parse_session_id(session_id)
    work = importing(r, request.app.state)
    work.receiving += 1
    try:
        at, body = await read_chunk(request, offset)
    finally:
        work.receiving -= 1
    loop = asyncio.get_running_loop()
    upload = await loop.run_in_executor(
        work.io, work.uploads.write, session_id, upload_id, at, body
    )
    if upload.whole and not upload.stored:
        upload, path = await loop.run_in_executor(
            work.io, work.uploads.finish, session_id, upload_id
        )
        work.runner.files(session_id, work.uploads.folder(session_id), [path])
    work.last_chunk = time.monotonic()
    return upload.answer()


async def read_chunk(request: Request, offset: str) -> tuple[int, bytes]:
    """A PUT's chunk and where it goes (`?offset=`): at most CHUNK bytes, read as they come,
    refused (422) once it is longer."""
    if not OFFSET.fullmatch(offset):
        raise ImportRefused("Say where the chunk goes: ?offset= and a number of bytes, like 0.")
    body = bytearray()
    async for piece in request.stream():
        body += piece
        if len(body) > CHUNK:
            raise ImportRefused(f"A chunk is at most {CHUNK} bytes.")
    return int(offset), bytes(body)


@router.websocket("/ws/imports")
async def import_updates(websocket: WebSocket) -> None:
    r = reveal(websocket)
    await websocket.accept()
    if not same_origin(websocket):
        await websocket.close(code=WS_CROSS_SITE)
        return
    token = session_token(websocket)
    work = importing(r, websocket.app.state)
    await work.broadcaster.follow(
        websocket,
        "imports",
        render=lambda: {"type": "imports", "sessions": work.runner.every_progress()},
        allowed=lambda: r.pairing.device(token) is not None,
        closing_code=WS_NOT_PAIRED,
    )
