"""Who may do what: paired tablets control, mirror links watch, everyone else may only pair.

Two checks on every change a tablet asks for, because a SameSite cookie alone does not stop a
page on another site from posting (older browsers, or a same-site sibling on the studio LAN):
the Origin (or Referer) must be this server, and a CSRF header bound to the session must match.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from kiosk.core.errors import CrossSiteRequest, NotPaired
from kiosk.web.context import reveal

COOKIE = "reveal_session"
CSRF_HEADER = "X-CSRF-Token"

# Websocket close codes, after HTTP's: the remote's script pairs again on 4401.
WS_NOT_PAIRED = 4401
WS_CROSS_SITE = 4403


def session_token(conn: HTTPConnection) -> str | None:
    return conn.cookies.get(COOKIE)


def is_paired(conn: HTTPConnection) -> bool:
    return reveal(conn).pairing.device(session_token(conn)) is not None


def same_origin(conn: HTTPConnection) -> bool:
    """False when the browser says the request comes from another site. Browsers send Origin
    with every cross-origin POST and websocket; a request with neither Origin nor Referer is
    not a browser's cross-site request (and still needs the CSRF header to change anything)."""
    source = conn.headers.get("origin") or conn.headers.get("referer")
    if source is None:
        return True
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc == conn.headers.get("host")


async def paired(request: Request) -> str:
    """Dependency of every control route: the session token, or NotPaired (401). Async, as are
    all routes: FastAPI runs plain functions in a thread pool, and the store and the live
    session belong to the loop's thread."""
    token = session_token(request)
    if reveal(request).pairing.device(token) is None:
        raise NotPaired()
    return token  # type: ignore[return-value]


async def paired_same_site(request: Request, token: str = Depends(paired)) -> str:
    """Dependency of every route that changes something: paired (401), then same site (403)."""
    sent = request.headers.get(CSRF_HEADER)
    if not same_origin(request) or not reveal(request).pairing.csrf_ok(token, sent):
        raise CrossSiteRequest()
    return token
