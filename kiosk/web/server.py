"""uvicorn inside the kiosk's asyncio loop: the Kivy app and the web pages share one thread."""

from __future__ import annotations

import contextlib
import socket

import uvicorn
from fastapi import FastAPI

from kiosk.web.zerocopy import ZeroCopyH11Protocol


class KioskServer(uvicorn.Server):
    def capture_signals(self):
        # The kiosk owns SIGTERM/SIGINT (a clean quit of the whole app), not uvicorn.
        return contextlib.nullcontext()

    @property
    def port(self) -> int | None:
        """The port really bound (useful with port 0)."""
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                return sock.getsockname()[1]
        return None


def bind(host: str, port: int) -> socket.socket:
    """Listen on host:port (port 0 picks a free one); raises OSError when it is taken.

    The protocol is named, IPPROTO_TCP, because asyncio turns Nagle's algorithm off only on
    connections whose socket says TCP (a bare SOCK_STREAM says 0). With it on, every answer
    (its headers, then its body) waited for the client's delayed acknowledgement: 40 ms a
    request, and uploads crawled at 83 MB/s where they now go at over 1 GB/s on loopback."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def make_server(api: FastAPI) -> KioskServer:
    config = uvicorn.Config(
        api,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="websockets-sansio",
        http=ZeroCopyH11Protocol,  # a gallery's photos go out with sendfile(2)
    )
    return KioskServer(config)


def lan_address() -> str:
    """The address other devices on the studio network reach this machine at."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            # No packet is sent: connecting a UDP socket only picks the outgoing interface.
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def base_url(port: int, host: str | None = None) -> str:
    """Where tablets reach the pages, e.g. http://192.168.1.20:8470 (for pair and mirror URLs:
    `pairing.pair_url(base_url(app.web_server.port))`)."""
    return f"http://{host or lan_address()}:{port}"
