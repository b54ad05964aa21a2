"""Export and compare for the wall-art screen: full-resolution mock-ups made off the UI thread.

"Export" writes the wall as it is (`kiosk.imaging.mockup.export`) into the session's mock-up
folder; "Compare" keeps the wall as it is as A, lets the client change it into B, then writes
both side by side (`export_comparison`) and shows them. Only the texture of the finished
picture is made on the UI thread.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image as ImageWidget
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from PIL import Image

from kiosk.imaging.mockup import export, export_comparison
from kiosk.ui import theme
from kiosk.ui.widgets.buttons import BigButton

THUMB_EDGE = 480  # px of the "Saved" thumbnail
SHOW_EDGE = 1760  # px of the comparison shown on the TV


def _picture(path: Path, edge: int) -> tuple[bytes, tuple[int, int]]:
    with Image.open(path) as im:
        im.draft("RGB", (edge, edge))
        im = im.convert("RGBA")
        im.thumbnail((edge, edge))
        return im.tobytes(), im.size


def _export(room, arts, path: Path) -> tuple[Path, bytes, tuple[int, int]]:
    export(room, arts, path)
    return (path, *_picture(path, THUMB_EDGE))


def _compare(room, first, second, path: Path) -> tuple[Path, bytes, tuple[int, int]]:
    export_comparison(room, first, second, path, labels=("A", "B"))
    return (path, *_picture(path, SHOW_EDGE))


def _texture(data: bytes, size: tuple[int, int]) -> Texture:
    texture = Texture.create(size=size, colorfmt="rgba")
    texture.blit_buffer(data, colorfmt="rgba", bufferfmt="ubyte")
    texture.flip_vertical()
    return texture


class Exporter:
    def __init__(self, screen) -> None:
        self.screen = screen
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="reveal-export")
        self.first = None  # the artworks kept as A
        self.busy = False
        self.last: Path | None = None
        self.view: ModalView | None = None

    def _folder(self) -> Path:
        studio = getattr(App.get_running_app(), "studio", None)
        if studio is None:
            raise RuntimeError("no studio")
        return studio.paths.mockups(self.screen.live.session_id)

    def _path(self, kind: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        return self._folder() / f"{kind}-{self.screen.room.id}-{stamp}.jpg"

    def export(self) -> None:
        screen = self.screen
        arts = screen.artworks()
        if screen.room is None or not arts or self.busy:
            if not arts:
                screen.error = "Put a photo on the wall first, then export it."
            return
        screen.error, screen.notice = "", "Saving the mock-up…"
        self._run(_export, (screen.room, arts, self._path("wall")), self._exported)

    def _exported(self, path: Path, texture: Texture) -> None:
        self.screen.export_texture = texture
        self.screen.notice = "Saved"

    def compare(self) -> None:
        screen = self.screen
        arts = screen.artworks()
        if screen.room is None or self.busy:
            return
        if self.first is None:
            if not arts:
                screen.error = "Put a photo on the wall first, then compare."
                return
            self.first = arts
            screen.comparing = True
            screen.error = ""
            screen.notice = "This is A. Change the wall into B, then tap “Show A | B”."
            return
        first, self.first = self.first, None
        screen.comparing = False
        screen.notice = "Putting A and B side by side…"
        self._run(_compare, (screen.room, first, arts, self._path("compare")), self._compared)

    def _compared(self, path: Path, texture: Texture) -> None:
        self.screen.notice = "Saved"
        self.show(texture)

    def show(self, texture: Texture) -> None:
        view = ModalView(size_hint=(0.94, 0.9), auto_dismiss=True, background_color=(0, 0, 0, 0.85))
        box = BoxLayout(orientation="vertical", spacing=dp(14), padding=dp(18))
        box.add_widget(ImageWidget(texture=texture, fit_mode="contain"))
        row = BoxLayout(size_hint_y=None, height=theme.TOUCH_TARGET, spacing=dp(18))
        row.add_widget(
            Label(text="A and B, saved", font_name=theme.FONT, font_size=theme.TEXT_SIZE)
        )
        close = BigButton(text="Close", size_hint_x=None, width=dp(220))
        close.bind(on_release=lambda _b: view.dismiss())
        row.add_widget(close)
        box.add_widget(row)
        view.add_widget(box)
        self.view = view
        view.open(animation=False)

    def _run(self, work, args, then) -> None:
        self.busy = True
        try:
            future = self._pool.submit(work, *args)
        except RuntimeError:  # shut down: the app is stopping
            self.busy = False
            return
        future.add_done_callback(lambda f: Clock.schedule_once(lambda _dt: self._done(f, then), -1))

    def _done(self, future: Future, then) -> None:
        self.busy = False
        try:
            path, data, size = future.result()
        except Exception as exc:  # noqa: BLE001 — shown to the photographer, the kiosk goes on
            self.screen.notice = ""
            self.screen.error = f"The mock-up could not be saved ({exc}). Check the studio folder."
            return
        self.last = path
        then(path, _texture(data, size))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
