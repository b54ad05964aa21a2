"""Fanning changes out to websockets.

Each connection waits for the revision to move on and then sends the state as it is *now*: a
burst of changes coalesces into one message, a slow tablet never holds up the TV (the
LiveSession listener only bumps a number and wakes the connections), and a connection that
comes back gets the full state at once.

Two things keep a change quick to reach every screen (bench/remote_bench.py measures it):
each view's message is rendered and serialised once per revision, however many tablets and
mirrors show it; and a waiting connection is woken by resolving the one future it awaits, so it
sends on the loop's next turn. While the TV animates, Kivy's frame takes a whole turn of the
loop, so every turn a change waits in (an Event, then asyncio.wait's bookkeeping) cost a frame.
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

Render = Callable[[], dict[str, Any]]


class Broadcaster:
    def __init__(self) -> None:
        self.revision = 0
        self._waiting: set[asyncio.Future[None]] = set()
        self._messages: dict[str, tuple[int, str]] = {}  # view -> (revision, JSON text)
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
        waiting, self._waiting = self._waiting, set()
        for future in waiting:
            _wake(future)

    def message(self, view: str, render: Render) -> str:
        """`render()` as compact JSON, made once per revision for every page showing `view`
        ("remote", "mirror"): the same state goes to each of them."""
        made = self._messages.get(view)
        if made is None or made[0] != self.revision:
            made = (self.revision, json.dumps(render(), separators=(",", ":")))
            self._messages[view] = made
        return made[1]

    async def follow(
        self,
        websocket: WebSocket,
        view: str,
        render: Render,
        allowed: Callable[[], bool],
        closing_code: int,
    ) -> None:
        """Send the `view` now and after every change, until the client goes away or
        `allowed()` turns false (then close with `closing_code`). Messages from the client are
        read and ignored: changes come as POSTed commands, which carry the CSRF check."""
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._thread = threading.get_ident()
        receiving = asyncio.ensure_future(_until_disconnect(websocket))
        wake: list[asyncio.Future[None]] = []  # the future this connection waits on now
        receiving.add_done_callback(lambda _task: wake and _wake(wake[0]))
        sent = None
        try:
            while not receiving.done():
                if not allowed():
                    await websocket.close(code=closing_code)
                    return
                if sent != self.revision:
                    sent = self.revision
                    await websocket.send_text(self.message(view, render))
                    continue  # the revision may have moved on while sending
                # No await between the revision check above and joining `_waiting`: a change
                # cannot slip in between and be missed.
                future = loop.create_future()
                wake[:] = [future]
                self._waiting.add(future)
                recheck = loop.call_later(RECHECK_SECONDS, _wake, future)
                try:
                    await future
                finally:
                    recheck.cancel()
                    self._waiting.discard(future)
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the client went away mid-send
        finally:
            receiving.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await receiving


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _until_disconnect(websocket: WebSocket) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
