"""The wall design rendered on the server at a display's size, one picture at a time.

A display asks for the wall as a JPEG at its own width. Renders run on a thread of their own,
one at a time, and each renders the design as it is *when it starts*, never as it was asked
for: while a drag goes on, requests that waited behind a render are answered with the newest
design, and a display that asks again after each picture (kiosk/web/static/display.js) ends on
the design as saved. The newest picture is kept, so several displays of one size share each
render::

    pictures = WallPictures()
    version, jpeg = await pictures.jpeg(lambda: (version, room, artworks), width=1920)

A drag moves one piece (or one grouping) and leaves the rest as they were, so `WallRenderer`
keeps, for each width it drew last, the room at that width, its light, and every piece's drawn
layers (its shadow, its sides, its face, warped into place): a drag step draws only what moved
and pastes the rest. The picture is the one `render_room` draws, layer for layer (a test holds
them equal). Measured on the hallway's eight-piece gallery wall with the machine shared by
several busy processes: 150 to 200 ms a 1920-pixel picture drawn whole, 20 to 60 ms a drag step
(bench/display_bench.py prints the renderer's own times beside the display's).
"""

from __future__ import annotations

import asyncio
import io
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from kiosk.core.wall import Room
from kiosk.imaging.mockup import Artwork
from kiosk.imaging.mockup.pieces import piece
from kiosk.imaging.mockup.roomlight import Lightness, luminance
from kiosk.imaging.mockup.shadows import shadow
from kiosk.imaging.mockup.warping import Layer, paste
from kiosk.imaging.rooms import room_image

JPEG_QUALITY = 80  # a picture seen from across the room, replaced at the next step
MIN_WIDTH, MAX_WIDTH = 320, 3840
KEPT_WIDTHS = 3  # a display's full width, its half while a drag goes on, and one more display

# What to draw now: (the design's version, its room, its pieces); None when there is no wall.
Current = Callable[[], tuple[int, Room, Sequence[Artwork]] | None]
# One piece's drawing: its shadow's layers and its own (sides and face), pasted in that order.
Drawn = tuple[list[Layer | None], list[Layer | None]]


class WallRenderer:
    """`render_room`, remembering each piece as last drawn at each width: pieces that did not
    move are pasted, not drawn again. Used from one thread at a time (WallPictures' own)."""

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="display-piece")
        # width -> (the room it was drawn in, {(artwork, light): its layers})
        self._drawn: OrderedDict[int, tuple[Room, dict[tuple[Artwork, float], Drawn]]] = (
            OrderedDict()
        )
        self._light: dict[str, Lightness] = {}
        self.drew = 0  # pieces drawn (not pasted from before) by the last render: a test reads it

    def render(self, room: Room, artworks: Sequence[Artwork], width: int) -> Image.Image:
        scale = width / room.wall.image_size[0]
        size = (width, round(room.wall.image_size[1] * scale))
        wall = room.wall.scaled(scale)
        lum = self._luminance(room)
        kept = self._drawn.pop(width, None)
        before = kept[1] if kept is not None and kept[0] == room else {}
        keys = [(art, room.light) for art in artworks]
        missing = [key for key in dict.fromkeys(keys) if key not in before]
        jobs = {
            key: self._pool.submit(_draw_piece, wall, key[0], key[1], size, lum) for key in missing
        }
        base = room_image(room.image, width)  # cached by width; drawn on a copy
        canvas = base.convert("RGB") if base.mode != "RGB" else base.copy()
        now = {key: before[key] if key in before else jobs[key].result() for key in keys}
        for key in keys:  # every shadow first: a shadow never darkens a neighbouring piece
            for layer in now[key][0]:
                paste(canvas, layer)
        for key in keys:
            for layer in now[key][1]:
                paste(canvas, layer)
        self._drawn[width] = (room, now)
        while len(self._drawn) > KEPT_WIDTHS:
            self._drawn.popitem(last=False)
        self.drew = len(missing)
        return canvas

    def _luminance(self, room: Room) -> Lightness:
        lum = self._light.get(room.image)
        if lum is None:
            lum = self._light[room.image] = luminance(room_image(room.image))
        return lum

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _draw_piece(wall, art: Artwork, light: float, size: tuple[int, int], lum: Lightness) -> Drawn:
    return [shadow(wall, art, light, size)], list(piece(wall, art, light, size, lum))


class WallPictures:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="display-wall")
        self._lock = asyncio.Lock()
        self._kept: tuple[tuple[int, int], bytes] | None = None  # ((version, width), JPEG)
        self.renderer = WallRenderer()
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
        picture = self.renderer.render(room, artworks, width)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=JPEG_QUALITY)
        self.render_ms.append((width, (time.perf_counter() - started) * 1000))
        del self.render_ms[:-1000]
        return out.getvalue()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.renderer.shutdown()
