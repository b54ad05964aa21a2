"""Screen-sized textures of previews, decoded in background threads and kept in a bounded cache.

Only `Texture.create` + `blit_buffer` run on the UI thread (a few ms for a 1080p image); the
decode, which costs tens of ms, runs in a thread (Pillow releases the GIL while decoding).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.logger import Logger

from kiosk.imaging.display import Pixels, decode_fitted

Callback = Callable[[Texture | None], None]
Key = tuple[str, int, int]


class TextureCache:
    def __init__(self, max_bytes: int = 256 * 1024 * 1024, workers: int = 2) -> None:
        self.max_bytes = max_bytes
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="reveal-decode")
        self._textures: OrderedDict[Key, Texture] = OrderedDict()
        self._waiting: dict[Key, list[Callback]] = {}
        self._bytes = 0
        self._closed = False
        # A preview's stand-in while it is missing: its thumbnail. A budget round removes an
        # old session's previews and opening it rebuilds them (kiosk/upkeep); meanwhile the
        # TV shows each photo softer rather than a message that it cannot be read.
        self.stand_ins: dict[str, str] = {}

    def know(self, images) -> None:
        """The session's images: their thumbnails stand in for previews being rebuilt."""
        self.stand_ins = {str(i.preview_path): str(i.thumb_path) for i in images if i.thumb_path}

    @staticmethod
    def key(path: str, box: tuple[int, int]) -> Key:
        return (str(path), int(box[0]), int(box[1]))

    def get(self, path: str, box: tuple[int, int]) -> Texture | None:
        key = self.key(path, box)
        texture = self._textures.get(key)
        if texture is not None:
            self._textures.move_to_end(key)
        return texture

    def request(self, path: str, box: tuple[int, int], callback: Callback | None = None) -> None:
        """Call `callback(texture)` on the UI thread when ready (at once if cached).

        The callback gets None when the preview cannot be read, so the screen can say so.
        """
        if self._closed:  # the app is stopping: a late animation callback asks for nothing
            return
        key = self.key(path, box)
        texture = self.get(path, box)
        if texture is not None:
            if callback:
                callback(texture)
            return
        if key in self._waiting:
            if callback:
                self._waiting[key].append(callback)
            return
        self._waiting[key] = [callback] if callback else []
        future = self._pool.submit(self._decode, str(path), box)
        future.add_done_callback(
            lambda f: Clock.schedule_once(lambda _dt: self._finish(key, f), -1)
        )

    def prefetch_around(self, paths: list[str], index: int) -> None:
        """Decode two ahead and one behind, so stepping never waits for a decode."""
        for offset in (1, 2, -1):
            self.request(paths[(index + offset) % len(paths)], screen_box())

    def _decode(self, path: str, box: tuple[int, int]) -> tuple[Pixels, bool]:
        """On a decoding thread: the preview fitted to `box`, or its stand-in when the
        preview is missing; and whether it stood in."""
        try:
            return decode_fitted(path, box), False
        except FileNotFoundError:
            thumb = self.stand_ins.get(path)
            if thumb is None:
                raise
            return decode_fitted(thumb, box), True

    def _finish(self, key: Key, future: Future[tuple[Pixels, bool]]) -> None:
        callbacks = self._waiting.pop(key, [])
        try:
            pixels, stood_in = future.result()
        except Exception as exc:  # noqa: BLE001 — any unreadable preview is shown as missing
            Logger.warning(f"Reveal: cannot show {key[0]}: {exc}")
            texture = None
        else:
            texture = upload(pixels)
            if not stood_in:  # once rebuilt, the preview itself is read
                self._store(key, texture)
        for callback in callbacks:
            callback(texture)

    def _store(self, key: Key, texture: Texture) -> None:
        self._textures[key] = texture
        self._bytes += _cost(texture)
        while self._bytes > self.max_bytes and len(self._textures) > 1:
            _, old = self._textures.popitem(last=False)
            self._bytes -= _cost(old)

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)


def _cost(texture: Texture) -> int:
    # RGBA: 4 bytes a pixel (RGB textures cost the same in the driver, bench/select_bench)
    return texture.width * texture.height * 4


def screen_box() -> tuple[int, int]:
    """The size every screen decodes previews to: the window's pixels. One decode then serves
    the slideshow and the choosing screens alike, and more pixels would show nothing more."""
    from kivy.core.window import Window

    return int(Window.width), int(Window.height)


def upload(pixels: Pixels) -> Texture:
    texture = Texture.create(size=(pixels.width, pixels.height), colorfmt="rgba")
    texture.blit_buffer(pixels.data, colorfmt="rgba", bufferfmt="ubyte")
    texture.flip_vertical()  # Pillow rows run top-down, OpenGL's bottom-up
    return texture
