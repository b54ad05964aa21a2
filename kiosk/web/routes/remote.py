"""The photographer's remote: its page, its commands and its one live websocket."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request, WebSocket
from fastapi.responses import RedirectResponse, Response

from kiosk.core.errors import CommandError
from kiosk.core.selection import MAX_NOTE_CHARS, RETOUCH_TAGS
from kiosk.web.auth import (
    WS_CROSS_SITE,
    WS_NOT_PAIRED,
    paired,
    paired_same_site,
    same_origin,
    session_token,
)
from kiosk.web.commands import PRIVATE_NOTE_CHARS
from kiosk.web.context import Reveal, reveal
from kiosk.web.routes.pair import pair_form
from kiosk.web.state import remote_state

router = APIRouter()
JSON = "application/json"
MAX_COMMAND_BYTES = 16 * 1024  # the longest real command is a note of 280 characters


def render(r: Reveal) -> dict[str, Any]:
    notes = r.private_notes.for_session(r.live.session_id)
    return remote_state(r.live, notes, r.broadcaster.revision, r.client, music=r.music)


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/remote", status_code=303)


@router.get("/remote")
async def remote_page(request: Request) -> Response:
    r = reveal(request)
    token = session_token(request)
    if r.pairing.device(token) is None:
        return pair_form(request, status=401)
    boot = {
        "tags": list(RETOUCH_TAGS.items()),
        "noteChars": MAX_NOTE_CHARS,
        "privateChars": PRIVATE_NOTE_CHARS,
    }
    context = {"client": r.client, "csrf": r.pairing.csrf_token(token), "boot": boot}
    return r.templates.TemplateResponse(request, "remote.html", context)


@router.get("/api/state")
async def api_state(request: Request, _token: str = Depends(paired)) -> Response:
    r = reveal(request)
    return Response(r.broadcaster.message("remote", lambda: render(r)), media_type=JSON)


@router.post("/api/command")
async def api_command(request: Request, _token: str = Depends(paired_same_site)) -> Response:
    """One command (see kiosk.web.commands); 422 with the reason, and no change, if invalid;
    503 if the kiosk could not save it. Answers with the new state once it is durable, so the
    tablet is right even before its websocket hears."""
    r = reveal(request)
    body = await request.body()
    if len(body) > MAX_COMMAND_BYTES:
        raise CommandError(f"The command is {len(body)} bytes long; a command is at most 16 KB.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"The command is not valid JSON ({exc}).") from exc
    ack = r.commands.run(data)

    def rendered() -> str:
        # The websockets send this same text: the new state is rendered once for all of them.
        return r.broadcaster.message("remote", lambda: render(r))

    # Answered once the command is durable, with the state right after it (not after a later
    # command written in the same transaction).
    state = await ack.result(rendered) if ack is not None else rendered()
    return Response(f'{{"ok":true,"state":{state}}}', media_type=JSON)


@router.websocket("/ws")
async def live_state(websocket: WebSocket) -> None:
    r = reveal(websocket)
    # Accept first: a refusal before accepting reaches the browser as a bare HTTP 403, and the
    # page could not tell "pair again" from a network error.
    await websocket.accept()
    if not same_origin(websocket):
        await websocket.close(code=WS_CROSS_SITE)
        return
    token = session_token(websocket)
    await r.broadcaster.follow(
        websocket,
        "remote",
        render=lambda: render(r),
        allowed=lambda: r.pairing.device(token) is not None,
        closing_code=WS_NOT_PAIRED,
    )
