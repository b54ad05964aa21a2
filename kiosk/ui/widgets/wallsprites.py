"""Each piece on the wall as a texture drawn by the mock-up renderer, made off the UI thread.

A piece's face (frame, mat, canvas weave, sheen) and its soft shadow are rendered flat, by the
same code as the exported JPEG (`kiosk.imaging.mockup.piece_layer`), on a square-on wall of
the piece's own size seen from very far (so no side shows). The screen maps that flat sprite
onto the room's wall through its perspective; moving a piece then only moves vertices, and
the texture is redrawn only when the piece's look changes (its image, product or size).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.logger import Logger

from kiosk.core.wall import Placement, Wall
from kiosk.imaging.mockup import Artwork, piece_layer

MARGIN = 9.0  # inches round a piece for its shadow
FAR = 1e7  # px: a focal length so long the camera sees the piece straight on, sides hidden
MAX_EDGE = 1400  # px on a sprite's long edge


@dataclass(frozen=True)
class Sprite:
    """A piece's flat picture and what it covers, in inches from the piece's centre (the
    shadow reaches past the piece)."""

    texture: Texture
    left: float
    bottom: float
    right: float
    top: float
    width: float  # the piece's size it was drawn for
    height: float

    def extent(self, width: float, height: float) -> tuple[float, float, float, float]:
        """What it covers for a piece of width × height: stretched while a new one renders."""
        kx, ky = width / self.width, height / self.height
        return self.left * kx, self.bottom * ky, self.right * kx, self.top * ky


def render_sprite(
    art: Artwork, light: float, ppi: float
) -> tuple[bytes, tuple[int, int], tuple[float, ...]]:
    """RGBA bytes, their size, and (left, bottom, right, top) in inches from the centre."""
    p = art.placement
    ppi = min(ppi, MAX_EDGE / (max(p.width, p.height) + 2 * MARGIN))
    w, h = p.width + 2 * MARGIN, p.height + 2 * MARGIN
    size = (round(w * ppi), round(h * ppi))
    flat = Wall(((0, 0), (size[0], 0), size, (0, size[1])), w, h, size, focal=FAR)
    im, (left, top) = piece_layer(flat, replace(art, placement=Placement(w / 2, h / 2, *_wh(p))))
    sx, sy = size[0] / w, size[1] / h
    extent = (
        left / sx - w / 2,
        h / 2 - (top + im.height) / sy,
        (left + im.width) / sx - w / 2,
        h / 2 - top / sy,
    )
    return im.tobytes(), im.size, extent


def _wh(p: Placement) -> tuple[float, float]:
    return p.width, p.height


class SpriteMaker:
    """Renders sprites in a background thread; the texture is made on the UI thread."""

    def __init__(self, workers: int = 1, keep: int = 48) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="reveal-wallart")
        self._done: OrderedDict[tuple, Sprite] = OrderedDict()
        self._waiting: dict[tuple, list[Callable[[Sprite], None]]] = {}
        self._keep = keep
        self._closed = False

    def request(
        self, art: Artwork, light: float, ppi: float, callback: Callable[[Sprite], None]
    ) -> Sprite | None:
        """The sprite at once when made already; else None, and `callback(sprite)` later."""
        p = art.placement
        key = (str(art.image), p.width, p.height, art.finish, light, art.crop)
        ppi = round(ppi, 1)
        found = self._done.get(key)
        if found is not None and found.texture.width >= 0.9 * _px(found, ppi):
            self._done.move_to_end(key)
            return found
        if self._closed:
            return None
        if key in self._waiting:
            self._waiting[key].append(callback)
            return None
        self._waiting[key] = [callback]
        future = self._pool.submit(render_sprite, art, light, ppi)
        future.add_done_callback(
            lambda f: Clock.schedule_once(lambda _dt: self._finish(key, art, f), -1)
        )
        return None

    def _finish(self, key: tuple, art: Artwork, future: Future) -> None:
        callbacks = self._waiting.pop(key, [])
        try:
            data, size, (left, bottom, right, top) = future.result()
        except Exception as exc:  # noqa: BLE001 — an unreadable photo: the plain photo stays
            Logger.warning(f"Reveal: cannot draw {art.image} on the wall: {exc}")
            return
        texture = Texture.create(size=size, colorfmt="rgba")
        texture.blit_buffer(data, colorfmt="rgba", bufferfmt="ubyte")
        p = art.placement
        sprite = Sprite(texture, left, bottom, right, top, p.width, p.height)
        self._done[key] = sprite
        while len(self._done) > self._keep:
            self._done.popitem(last=False)
        for callback in callbacks:
            callback(sprite)

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)


def _px(sprite: Sprite, ppi: float) -> float:
    return min((sprite.right - sprite.left) * ppi, MAX_EDGE)
