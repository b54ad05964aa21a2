"""The mirror: a view-only page of what the TV shows, opened with a read-only token from
`Pairing.mirror_url`. It can watch; there is nothing on it, and no route for it, that changes
anything."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import Response
from starlette.requests import HTTPConnection

from kiosk.web.auth import WS_CROSS_SITE, WS_NOT_PAIRED, same_origin
from kiosk.web.context import reveal
from kiosk.web.pairing import MIRROR
from kiosk.web.routes.images import image_file
from kiosk.web.state import mirror_state

router = APIRouter()
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,128}")


def mirror_allowed(conn: HTTPConnection, token: str) -> bool:
    return bool(TOKEN.fullmatch(token)) and reveal(conn).pairing.device(token, MIRROR) is not None


def expired(request: Request) -> Response:
    return reveal(request).templates.TemplateResponse(
        request,
        "message.html",
        {
            "title": "This mirror link has expired",
            "message": "Open the mirror again from the link or QR code the kiosk shows now.",
            "client": reveal(request).client,
        },
        status_code=401,
    )


@router.get("/mirror/{token}")
async def mirror_page(request: Request, token: str) -> Response:
    if not mirror_allowed(request, token):
        return expired(request)
    r = reveal(request)
    return r.templates.TemplateResponse(request, "mirror.html", {"client": r.client})


@router.get("/mirror/{token}/img/{image_id}")
async def mirror_image(request: Request, token: str, image_id: str) -> Response:
    if not mirror_allowed(request, token):
        return expired(request)
    return image_file(reveal(request), image_id, "preview")


@router.websocket("/mirror/{token}/ws")
async def mirror_state_ws(websocket: WebSocket, token: str) -> None:
    r = reveal(websocket)
    await websocket.accept()
    if not same_origin(websocket):
        await websocket.close(code=WS_CROSS_SITE)
        return
    await r.broadcaster.follow(
        websocket,
        "mirror",
        render=lambda: mirror_state(r.live, r.broadcaster.revision, r.client),
        allowed=lambda: mirror_allowed(websocket, token),
        closing_code=WS_NOT_PAIRED,
    )
