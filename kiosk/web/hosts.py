"""The names the pages answer to: the kiosk's own addresses, localhost, and `public_url`.

A page on another site can point its own domain name at the kiosk's address (DNS rebinding);
the browser then treats the kiosk as that site, same-origin checks and all, and sends
`Host: that.site`. Refusing every Host that is not one of the kiosk's own names closes that
door. The kiosk's own names are the address the request arrived on (so any interface works,
whatever DHCP gave it), the machine's LAN address and host name, and loopback::

    api.add_middleware(HostAllowList, public_url="https://viewing.studio.example")

A wrong Host gets 421 Misdirected Request (a websocket is closed before it is accepted).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kiosk.web.server import lan_address

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
REFUSED = (
    "This kiosk answers only to its own address. Open the address the kiosk's TV shows "
    "(scan its QR code), not a link from another site."
)


def host_name(host_header: str) -> str:
    """'192.168.1.20:8470' -> '192.168.1.20', '[::1]:8470' -> '::1', lower case."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def own_names(public_url: str = "") -> frozenset[str]:
    """The names that do not change while the kiosk runs (the arrival address is added per
    request)."""
    names = set(LOOPBACK)
    names.add(lan_address())
    machine = socket.gethostname().lower()
    if machine:
        names |= {machine, f"{machine}.local"}
    if public_url:
        public = urlsplit(public_url if "://" in public_url else f"http://{public_url}")
        if public.hostname:
            names.add(public.hostname.lower())
    return frozenset(names)


def own_base_url(scope: Scope, public_url: str = "") -> str:
    """Where this request reached the kiosk, from the socket it arrived on, never from the
    Host header a client wrote: `public_url` when set, else http://<that address>:<port>."""
    if public_url:
        return public_url.rstrip("/")
    address, port = scope.get("server") or (lan_address(), 80)
    address = f"[{address}]" if ":" in address else address
    return f"{scope.get('scheme', 'http')}://{address}:{port}"


def _same_address(a: str, b: str) -> bool:
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return False


class HostAllowList:
    def __init__(self, app: ASGIApp, public_url: str = "") -> None:
        self.app = app
        self.names = own_names(public_url)

    def allowed(self, scope: Scope) -> bool:
        sent = Headers(scope=scope).get("host")
        if sent is None:
            return True  # HTTP/1.0 without a Host: no browser, so no rebinding
        name = host_name(sent)
        if name in self.names:
            return True
        arrived = (scope.get("server") or ("", 0))[0] or ""
        return _same_address(name, arrived)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.allowed(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await PlainTextResponse(REFUSED, status_code=421)(scope, receive, send)
