"""File bodies sent with sendfile(2): the ASGI "Zero Copy Send" extension on uvicorn's h11 server,
so a gallery's photos go from the page cache to the socket without passing through Python.

What must stay true: the bytes and the HTTP framing are exactly those of the same body sent
as ordinary messages. h11 still counts every byte against the Content-Length: a span is handed
to it as a placeholder of its length through `send_with_data_passthrough`, which h11 offers for
sendfile, and the bytes it frames around the span (a chunk's size line) go out in order. A
response ends with an ordinary empty body message, as any other.

    server = make_server(api)         # kiosk/web/server.py serves with ZeroCopyH11Protocol
    # an app sees the extension, and then may send a span of an open file:
    if ZEROCOPY in scope.get("extensions", {}):
        await send({"type": ZEROCOPY, "file": f, "offset": 0, "count": size, "more_body": True})

A span that cannot go out whole (the client went away, or the file is shorter than the span)
raises SpanNotSent and the connection is closed, as a body read from a short file is cut off:
the response knows how much went out, and the client never takes a short body for a whole one.

Why: the kiosk's web server shares its thread with the TV's drawing. Streaming a gallery's ZIP
through Python (each 256 kB read into a buffer, copied by h11 and the transport) cost the
server 0.7-0.8 s of CPU per GB; with sendfile, 0.15-0.2 s (downloads of 300-400 MB, the same
run, both ways; bench/delivery_bench.py gives the throughput against a file copy).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

ZEROCOPY = "http.response.zerocopy"


class SpanNotSent(ConnectionError):
    """The span did not go out whole: the client went away, or the file is shorter."""


class _Span:
    """What h11 frames in place of a span's bytes: only its length is asked."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count


class ZeroCopyH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with the zero-copy extension offered to every HTTP request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = _offering_zerocopy(self.app, self)


def _offering_zerocopy(app: Any, protocol: H11Protocol) -> Any:
    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        scope["extensions"] = {**(scope.get("extensions") or {}), ZEROCOPY: {}}

        async def send_or_sendfile(message: dict) -> None:
            if message["type"] != ZEROCOPY:
                await send(message)
                return
            await _send_span(protocol, message)
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await app(scope, receive, send_or_sendfile)

    return wrapped


async def _send_span(protocol: H11Protocol, message: dict) -> None:
    cycle = protocol.cycle
    if cycle is None or cycle.disconnected or protocol.transport.is_closing():
        raise SpanNotSent("The client closed the connection.")
    if not cycle.response_started or cycle.response_complete:
        raise RuntimeError("A zero-copy span is sent after the response starts, before it ends.")
    if cycle.flow.write_paused:
        await cycle.flow.drain()
    count = int(message["count"])
    if cycle.scope["method"] == "HEAD" or count == 0:
        return
    loop = asyncio.get_running_loop()
    for piece in cycle.conn.send_with_data_passthrough(h11.Data(data=_Span(count))):
        if isinstance(piece, _Span):
            file, offset = message["file"], message["offset"]
            try:
                sent = await loop.sendfile(protocol.transport, file, offset, count)
            except (OSError, RuntimeError) as exc:  # RuntimeError: the transport is closing
                protocol.transport.close()
                raise SpanNotSent(f"The client closed the connection ({exc}).") from exc
            if sent < count:
                protocol.transport.close()
                raise SpanNotSent(f"{count - sent} bytes of the span are past the file's end.")
        else:
            protocol.transport.write(piece)
