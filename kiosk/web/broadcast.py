"""Fanning changes out to websockets.

Each connection waits for the revision to move on and then sends the state as it is *now*: a
burst of changes coalesces into one message, a slow tablet never holds up the TV (the
LiveSession listener only bumps a number and sets events), and a connection that comes back
gets the full state at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

# How often a quiet connection re-checks that its device is still allowed (expiry).
RECHECK_SECONDS = 30.0


class Broadcaster:
    def __init__(self) -> None:
        self.revision = 0
        self._events: set[asyncio.Event] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: int | None = None

    def changed(self, *_what: object) -> None:
        """Something every view shows has changed. A listener for LiveSession and Pairing."""
        if self._loop is not None and threading.get_ident() != self._thread:
            # Changes belong on the loop's thread; if one comes from elsewhere, hop over.
            self._loop.call_soon_threadsafe(self._bump)
        else:
            self._bump()

    def _bump(self) -> None:
        self.revision += 1
        for event in self._events:
            event.set()

    async def follow(
        self,
        websocket: WebSocket,
        render: Callable[[], dict[str, Any]],
        allowed: Callable[[], bool],
        closing_code: int,
    ) -> None:
        """Send `render()` now and after every change, until the client goes away or
        `allowed()` turns false (then close with `closing_code`). Messages from the client are
        read and ignored: changes come as POSTed commands, which carry the CSRF check."""
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        event = asyncio.Event()
        self._events.add(event)
        receiving = asyncio.ensure_future(_until_disconnect(websocket))
        sent = None
        try:
            while True:
                event.clear()
                if not allowed():
                    await websocket.close(code=closing_code)
                    return
                if sent != self.revision:
                    sent = self.revision
                    await websocket.send_text(json.dumps(render(), separators=(",", ":")))
                changed = asyncio.ensure_future(event.wait())
                done, _ = await asyncio.wait(
                    {changed, receiving}, timeout=RECHECK_SECONDS, return_when="FIRST_COMPLETED"
                )
                changed.cancel()
                if receiving in done:
                    return
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the client went away mid-send
        finally:
            self._events.discard(event)
            receiving.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await receiving


async def _until_disconnect(websocket: WebSocket) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
