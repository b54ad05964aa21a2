"""The FastAPI application: the photographer's tablet (the remote), view-only mirrors and
the client's phone pages.

    api = create_app(live, studio, pairing)

`live` is the LiveSession the TV renders: the remote sends the same commands through it, and
every change it announces (from a touch or from a tablet) goes out on the websockets. `pairing`
is the object the TV asks for the code, the QR's URL and the mirror link, and that its settings
revoke; left out, one is made on the studio's database (and is then `api.state.reveal.pairing`).

Routes (kiosk/web/routes/):
    GET  /pair, POST /pair, POST /unpair        pairing a tablet (pair.py)
    GET  /remote, GET /api/state, POST /api/command, WS /ws      the remote (remote.py)
    GET  /img/thumb/{id}, /img/preview/{id}     images by id, paired only (images.py)
    GET  /mirror/{token}, /mirror/{token}/img/{id}, WS /mirror/{token}/ws   (mirror.py)
    GET  /display/{token}, .../img/{id}, .../wall.jpg, WS .../ws; POST /api/display/call
                                                the room display, read-only (display.py)
    GET  /i/{token}, /i/{token}/invoice.pdf     the client's invoice on their phone (phone.py)
    GET  /remote/orders, /api/orders, POST /api/orders/{n}/...   the studio's orders (orders.py)
    GET  /wall/{token}, POST /wall/{token}      a photo of the client's wall, from their phone
    GET  /remote/settings, /api/settings...     the studio set up, behind the PIN (settings.py)
    GET  /remote/pricelist, /api/pricelist...   the price-list editor, behind it too (pricelist.py)
    GET  /static/..., /fonts/...                CSS, JS and fonts, cached for long

The phone pages need no pairing: the token in the address is the key (kiosk/web/walls.py for
the wall photo's API). The TV hears of a new wall photo by setting
`api.state.on_wall_photo = callback`; `callback(session_id, path)` runs on the kiosk's loop.

Before any route, every request passes the Host allow-list (kiosk/web/hosts.py: the kiosk's
own names and `public_url`, against DNS rebinding) and its route's body cap (bodies.py: 413
from the declared length, before reading); wall photos also wait for a slot (uploads.py).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from kiosk.core.errors import (
    CommandError,
    CrossSiteRequest,
    NotPaired,
    PairingError,
    RevealError,
    TooManyWrongCodes,
)
from kiosk.imaging.previews import block_untrusted_loaders
from kiosk.live import LiveSession
from kiosk.store.private_notes import PrivateNotes
from kiosk.store.writer import WriteFailed
from kiosk.studio import Studio
from kiosk.web.assets import TEMPLATES, font_files, static_files, static_url
from kiosk.web.bodies import BodyLimit
from kiosk.web.broadcast import Broadcaster
from kiosk.web.commands import RemoteCommands
from kiosk.web.context import Reveal
from kiosk.web.headers import SecurityHeaders
from kiosk.web.hosts import HostAllowList
from kiosk.web.pairing import Pairing
from kiosk.web.routes import display as display_routes
from kiosk.web.routes import finals as finals_routes
from kiosk.web.routes import gallery as gallery_routes
from kiosk.web.routes import gallery_admin as gallery_links
from kiosk.web.routes import guide as guide_routes
from kiosk.web.routes import images, mirror, orders, pair, phone, remote, session_details, sessions
from kiosk.web.routes import imports as import_routes
from kiosk.web.routes import lines as line_routes
from kiosk.web.routes import payments as payment_routes
from kiosk.web.routes import pricelist as pricelist_routes
from kiosk.web.routes import settings as settings_routes
from kiosk.web.routes import studio as studio_routes
from kiosk.web.uploads import UploadGate
from kiosk.web.walls import WallLimits

# The status each error a person reads is sent with (first match wins).
STATUS: list[tuple[type[RevealError], int]] = [
    (NotPaired, 401),
    (CrossSiteRequest, 403),
    (TooManyWrongCodes, 429),
    (PairingError, 400),
    (CommandError, 422),
    (WriteFailed, 503),  # the kiosk's disk refused the write: nothing changed, try again
]


def create_app(live: LiveSession, studio: Studio, pairing: Pairing | None = None) -> FastAPI:
    block_untrusted_loaders()  # before a stranger's upload can reach libvips
    pairing = pairing or Pairing.for_store(studio.store)
    api = FastAPI(title="Reveal", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=TEMPLATES)
    templates.env.globals["static_url"] = static_url
    broadcaster = Broadcaster()
    private_notes = PrivateNotes(studio.store)
    client = studio.store.session(live.session_id).client
    api.state.reveal = Reveal(
        live=live,
        studio=studio,
        pairing=pairing,
        broadcaster=broadcaster,
        private_notes=private_notes,
        commands=RemoteCommands(live, private_notes, broadcaster.changed),
        templates=templates,
        client=client,
    )
    # A revocation must reach open pages too: each websocket re-checks its token on a change.
    live.subscribe(broadcaster.changed)
    pairing.subscribe(broadcaster.changed)
    api.state.on_wall_photo = None  # set by the TV: callback(session_id, path)
    api.state.wall_limits = WallLimits()
    api.state.uploads = UploadGate()
    api.state.invoice_pdfs = phone.PdfCache()

    @api.exception_handler(RevealError)
    async def reveal_error(request: Request, exc: RevealError) -> Response:
        status = next((code for kind, code in STATUS if isinstance(exc, kind)), 400)
        headers = {"Retry-After": str(exc.wait)} if isinstance(exc, TooManyWrongCodes) else None
        return JSONResponse({"error": str(exc)}, status_code=status, headers=headers)

    @api.get("/health")
    async def health() -> dict:
        shown = api.state.reveal.live  # the session on the TV now, after any switch
        return {"ok": True, "session": shown.session_id, "images": len(shown.images)}

    for module in (pair, remote, images, mirror, phone, orders, studio_routes, sessions):
        api.include_router(module.router)
    api.include_router(session_details.router)  # after sessions: /remote/sessions/new
    api.include_router(import_routes.router)  # photos into a session, from the tablet
    api.include_router(payment_routes.router)  # an order's payments, on the Orders page
    api.include_router(line_routes.router)  # an order's products: to the lab, shipped, delivered
    api.include_router(gallery_routes.router)  # the client's gallery: /g/<token>
    api.include_router(gallery_links.router)  # the gallery's link and downloads, on Orders
    api.include_router(finals_routes.router)  # an order's finals added from the tablet
    api.include_router(guide_routes.router)  # the pricing guide: /guide and /guide.pdf
    api.include_router(display_routes.router)  # the room display and video-call links (read-only)
    api.include_router(settings_routes.router)  # the studio set up from the tablet, behind the PIN
    api.include_router(pricelist_routes.router)  # the price-list editor, behind the same PIN
    api.mount("/static", static_files(), name="static")
    api.mount("/fonts", font_files(), name="fonts")
    # The last added is the outermost: every answer, a refusal too, gets the headers.
    api.add_middleware(BodyLimit)
    api.add_middleware(HostAllowList, public_url=studio.settings.public_url)
    api.add_middleware(SecurityHeaders)
    return api
