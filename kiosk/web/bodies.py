"""How long a request body may be, checked before it is read.

Every route that takes a body has a cap; a request that declares a longer one
(`Content-Length`) is answered 413 before a byte of it is read, and one that sends more than
it may without declaring it (chunked) is cut off as soon as it passes the cap. The wall
photo's route does its own checks (its page explains them to the client), so it is left to it::

    api.add_middleware(BodyLimit)             # the caps below; tests may pass others

A route not listed gets `DEFAULT_CAP`: no route of the kiosk takes more than a command.
A route reads its JSON with `json_object`, which says in words what was wrong with a body.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.core.errors import CommandError
from kiosk.imports.uploads import CHUNK

# (path prefix, most bytes); first match wins.
CAPS: tuple[tuple[str, int], ...] = (
    ("/api/command", 16 * 1024),  # the longest real command is a note of 280 characters
    ("/api/orders/", 4096),  # lines moved with a 280-character tracking note (routes/lines.py)
    ("/api/payments/", 2048),  # a payment or refund with a 280-character note
    ("/api/sessions", 16 * 1024),  # a client's longest details (2,000-character notes) as UTF-8
    ("/pair", 4 * 1024),  # a 6-digit code and the QR's key
    ("/unpair", 1024),
    ("/api/uploads/", CHUNK + 64 * 1024),  # one chunk of a photo uploaded to a session
    ("/api/finals-uploads/", CHUNK + 64 * 1024),  # one chunk of an order's final
    ("/api/settings/logo", 4 * 1024 * 1024 + 1024),  # the logo itself (kiosk/setup/logo.py)
    ("/api/settings", 16 * 1024),  # the kiosk's settings with 50 import folders
    ("/api/pricelist", 256 * 1024),  # the whole price list as the editor's draft
)
DEFAULT_CAP = 16 * 1024
OWN_CHECKS = ("/wall/",)  # routes that check their own size (routes/phone.py)


class BodyTooLarge(Exception):
    """More arrived than the route's cap (raised from `receive` into the route)."""


def cap_for(path: str) -> int | None:
    if path.startswith(OWN_CHECKS):
        return None
    return next((most for prefix, most in CAPS if path.startswith(prefix)), DEFAULT_CAP)


def _too_large(most: int) -> JSONResponse:
    return JSONResponse(
        {
            "error": f"The request is longer than the {most} bytes this address takes; nothing "
            "was done. Reload the page and try again."
        },
        status_code=413,
    )


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        most = cap_for(scope.get("path", "")) if scope["type"] == "http" else None
        if most is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                response = JSONResponse({"error": "Content-Length is not a number."}, 400)
                await response(scope, receive, send)
                return
            if int(declared) > most:
                await _too_large(most)(scope, receive, send)
                return

        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > most:
                    raise BodyTooLarge()
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await _too_large(most)(scope, receive, send)


async def json_object(
    request: Request, shape: str = "an object of fields", most: int | None = None
) -> dict[str, Any]:
    """The body as a JSON object, or a 422 that says what was wrong with it: longer than
    `most` bytes (the route's own cap, under the middleware's), not JSON, or not an object
    (`shape` says what to send, like 'an object, like {"state": "lab"}')."""
    body = await request.body()
    if most is not None and len(body) > most:
        raise CommandError(f"The request is {len(body)} bytes long; at most {most}.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CommandError(f"The request is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict):
        raise CommandError(f"Send {shape}.")
    return data
