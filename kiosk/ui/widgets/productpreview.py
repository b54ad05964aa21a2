"""Pictures of products made from the client's photo, rendered off the UI thread and kept.

One picture costs 60–250 ms of Pillow work (`kiosk.imaging.productshots`), far too long for the
UI thread; only the texture upload (a few ms at ~500 px) happens there. Only the newest request
is rendered: a client tapping through five products waits for the one they stopped on, not for
the four they passed over.

    pictures = ProductPictures()
    pictures.request(key, lambda: product_picture(...), lambda texture: ...)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor

from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.logger import Logger
from PIL import Image as PILImage

from kiosk.imaging.display import Pixels
from kiosk.ui.textures import upload

Render = Callable[[], PILImage.Image]
Callback = Callable[[Texture | None], None]

# One worker for the whole process: the machine has two cores and the preview decoder wants
# them too; a second picture rendering at once would only slow the first.
_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(1, thread_name_prefix="reveal-product")
    return _POOL


class ProductPictures:
    def __init__(self, max_items: int = 32, *, latest_only: bool = True) -> None:
        self.max_items = max_items  # ~1 MB each at 512 px: a session's worth of choices
        self.latest_only = latest_only  # False: every request is drawn (the order's review)
        self._textures: OrderedDict[Hashable, Texture] = OrderedDict()
        self._waiting: dict[Hashable, tuple[Render, list[Callback]]] = {}
        self._latest: Hashable | None = None

    def get(self, key: Hashable) -> Texture | None:
        texture = self._textures.get(key)
        if texture is not None:
            self._textures.move_to_end(key)
        return texture

    def request(self, key: Hashable, render: Render, callback: Callback) -> None:
        """Call `callback(texture)` on the UI thread once `render()` has made the picture (at
        once if it is kept); None if it could not be made."""
        texture = self.get(key)
        if texture is not None:
            callback(texture)
            return
        self._latest = key
        if key in self._waiting:
            self._waiting[key][1].append(callback)
            return
        self._waiting[key] = (render, [callback])
        self._submit(key, render)

    def _submit(self, key: Hashable, render: Render) -> None:
        future = _pool().submit(self._render, key, render)
        future.add_done_callback(
            lambda f: Clock.schedule_once(lambda _dt: self._finish(key, f), -1)
        )

    def _render(self, key: Hashable, render: Render) -> Pixels | None:
        if self.latest_only and key != self._latest:
            return None  # passed over: the client has already chosen something else
        picture = render().convert("RGBA")
        return Pixels(picture.width, picture.height, picture.tobytes())

    def _finish(self, key: Hashable, future: Future[Pixels | None]) -> None:
        render, callbacks = self._waiting.pop(key)
        try:
            pixels = future.result()
        except Exception as exc:  # noqa: BLE001 — an unreadable photo shows as no picture
            Logger.warning(f"Reveal: cannot draw the product picture {key}: {exc}")
            for callback in callbacks:
                callback(None)
            return
        if pixels is None:
            if key == self._latest:  # skipped, then asked for again before it finished
                self._waiting[key] = (render, callbacks)
                self._submit(key, render)
            return
        texture = upload(pixels)
        self._textures[key] = texture
        while len(self._textures) > self.max_items:
            self._textures.popitem(last=False)
        for callback in callbacks:
            callback(texture)
