"""The room display: `/display/<token>`, the big picture of whatever the TV shows, for a second
screen in the room or a client on a video call (kiosk/display/links.py for the links).

Every route here only reads. The token in the address is not a tablet's: it is never accepted
by a control route (those read the pairing cookie and ask for a `remote` device), and it is
checked again on every change its websocket sends, so a link ended on the TV goes dark at once.
The websocket follows the broadcaster, which LiveSession wakes only once a command is on disk:
a display never shows a choice the kiosk has not saved. The one route that makes a link, the
tablet's video-call link, is a control route: paired, same site, CSRF.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from starlette.requests import HTTPConnection

from kiosk.checkout.settings import studio_details
from kiosk.display.links import CALL
from kiosk.display.room import DisplayRoom
from kiosk.display.state import display_state
from kiosk.web.auth import WS_CROSS_SITE, WS_NOT_PAIRED, paired_same_site, same_origin
from kiosk.web.context import reveal
from kiosk.web.hosts import own_base_url
from kiosk.web.routes.images import IMAGE_CACHE, IMAGE_ID, image_file

router = APIRouter()


def _room(conn: HTTPConnection) -> DisplayRoom:
    return DisplayRoom.of(reveal(conn))


def _expired(request: Request) -> Response:
    return reveal(request).templates.TemplateResponse(
        request,
        "message.html",
        {
            "title": "This display link has ended",
            "message": "Open the room display again from the link or QR code the kiosk shows "
            "now, or ask the studio for a new video-call link.",
            "client": "",
        },
        status_code=401,
    )


@router.get("/display/{token}")
async def display_page(request: Request, token: str) -> Response:
    kind = _room(request).links.kind(token)
    if kind is None:
        return _expired(request)
    return reveal(request).templates.TemplateResponse(
        request, "display.html", {"client": "", "call": kind == CALL}
    )


@router.get("/display/{token}/img/{image_id}")
async def display_image(request: Request, token: str, image_id: str, size: str = "") -> Response:
    """The photo at the display's size: the preview, 1600 px for a video call, or the thumbnail
    (`?size=thumb`, the review grid's)."""
    room = _room(request)
    kind = room.links.kind(token)
    if kind is None:
        return _expired(request)
    if kind != CALL or size == "thumb":
        return image_file(reveal(request), image_id, "thumb" if size == "thumb" else "preview")
    image = reveal(request).live.by_id.get(int(image_id)) if IMAGE_ID.fullmatch(image_id) else None
    if image is None:
        return JSONResponse({"error": "There is no such image in this session."}, 404)
    try:
        data = await room.light_preview(image.preview_path, image.id)
    except Exception:  # noqa: BLE001 — a missing or damaged preview: say so, as image_file does
        return JSONResponse({"error": f"The preview of {image.file_name} is missing."}, 404)
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": IMAGE_CACHE})


@router.get("/display/{token}/wall.jpg")
async def display_wall(request: Request, token: str, w: int = 1920) -> Response:
    """The wall design as the TV shows it now, `w` pixels wide; its version in `X-Wall-Version`
    (the page asks again while the version it has is older than the state's)."""
    room = _room(request)
    if room.links.kind(token) is None:
        return _expired(request)
    made = await room.pictures.jpeg(room.current_wall, w)
    if made is None:
        return JSONResponse({"error": "There is no wall design yet."}, 404)
    version, data = made
    return Response(
        data,
        media_type="image/jpeg",
        headers={"Cache-Control": "no-store", "X-Wall-Version": str(version)},
    )


@router.websocket("/display/{token}/ws")
async def display_ws(websocket: WebSocket, token: str) -> None:
    r = reveal(websocket)
    room = _room(websocket)
    await websocket.accept()
    if not same_origin(websocket):
        await websocket.close(code=WS_CROSS_SITE)
        return
    settings = r.studio.settings

    def render() -> dict:
        return display_state(
            r.live,
            r.broadcaster.revision,
            r.client,
            studio_details(r.studio.store).name,
            room.wall_version(),
            (settings.slideshow_seconds, settings.crossfade_seconds),
            room.shown_print(),
            room.shown_spread(),
        )

    await r.broadcaster.follow(
        websocket,
        "display",
        render=render,
        allowed=lambda: room.links.kind(token) is not None,
        closing_code=WS_NOT_PAIRED,
    )


@router.post("/api/display/call")
async def call_link(request: Request, _token: str = Depends(paired_same_site)) -> dict:
    """A link for a client on a video call, from the tablet: valid until the end of today, at
    the studio's `public_url` when it has one (a client at home cannot reach the LAN)."""
    base = own_base_url(request.scope, reveal(request).studio.settings.public_url)
    return {"url": _room(request).links.call_url(base)}
