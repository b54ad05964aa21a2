"""The wall design rendered on the server at a display's size, one picture at a time.

A display asks for the wall as a JPEG at its own width. Renders run on a thread of their own
(the mock-up's pool draws the pieces), one at a time, and each renders the design as it is
*when it starts*, never as it was asked for: while a drag goes on, requests that waited behind
a render are answered with the newest design, and a display that asks again after each picture
(kiosk/web/static/display.js) ends on the design as saved. The newest picture is kept, so
several displays of one size share each render::

    pictures = WallPictures()
    version, jpeg = await pictures.jpeg(lambda: (version, room, artworks), width=1920)
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from kiosk.core.wall import Room
from kiosk.imaging.mockup import Artwork, render_room

JPEG_QUALITY = 85
MIN_WIDTH, MAX_WIDTH = 320, 3840

# What to draw now: (the design's version, its room, its pieces); None when there is no wall.
Current = Callable[[], tuple[int, Room, Sequence[Artwork]] | None]


class WallPictures:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="display-wall")
        self._lock = asyncio.Lock()
        self._kept: tuple[tuple[int, int], bytes] | None = None  # ((version, width), JPEG)
        self.render_ms: list[tuple[int, float]] = []  # (width, ms) of each render: the bench

    async def jpeg(self, current: Current, width: int) -> tuple[int, bytes] | None:
        """The newest design as a JPEG `width` pixels wide, with its version (None: no wall)."""
        width = max(MIN_WIDTH, min(MAX_WIDTH, int(width)))
        async with self._lock:  # one render at a time; those waiting then find it made
            now = current()
            if now is None:
                return None
            version, room, artworks = now
            kept = self._kept
            if kept is not None and kept[0] == (version, width):
                return version, kept[1]
            loop = asyncio.get_running_loop()
            data = await loop.run_in_executor(self._pool, self._render, room, artworks, width)
            self._kept = ((version, width), data)
            return version, data

    def _render(self, room: Room, artworks: Sequence[Artwork], width: int) -> bytes:
        started = time.perf_counter()
        picture = render_room(room, artworks, width=width)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=JPEG_QUALITY)
        self.render_ms.append((width, (time.perf_counter() - started) * 1000))
        del self.render_ms[:-1000]
        return out.getvalue()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
