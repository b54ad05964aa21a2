"""A thin strip with one segment per image, coloured by its decision; the current one is lit.

Drawn as a one-row texture stretched to the width, so 500 images cost one rectangle.
"""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.uix.widget import Widget

from kiosk.ui import theme

_UNDECIDED = (70, 66, 62)


def _rgb(colour) -> tuple[int, int, int]:
    return tuple(int(c * 255) for c in colour[:3])


COLOURS = {
    "keep": _rgb(theme.KEEP),
    "drop": _rgb(theme.DANGER),
    "maybe": _rgb(theme.ACCENT),
    None: _UNDECIDED,
}
CURRENT = (245, 242, 236)


class ProgressStrip(Widget):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._texture = None
        self._row = b""  # what the texture shows
        with self.canvas:
            Color(1, 1, 1, 1)
            self._rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._layout, size=self._layout)

    def _layout(self, *_args) -> None:
        self._rect.pos, self._rect.size = self.pos, self.size

    def show(self, decisions: list[str | None], current: int) -> None:
        count = max(len(decisions), 1)
        # Two texels per image with a dark one between, so neighbours stay distinguishable.
        row = bytearray()
        for i, decision in enumerate(decisions or [None]):
            colour = CURRENT if i == current else COLOURS[decision]
            row += bytes(colour) * 2 + bytes(_rgb(theme.BACKGROUND))
        row = bytes(row)
        if self._texture is not None and row == self._row:
            # Unchanged (the remote paused the slideshow, a note was typed): no upload, and no
            # redraw of the whole TV, 60 ms each on a software renderer.
            return
        if self._texture is None or self._texture.width != count * 3:
            self._texture = Texture.create(size=(count * 3, 1), colorfmt="rgb")
            self._texture.mag_filter = "nearest"
            self._rect.texture = self._texture
        self._row = row
        self._texture.blit_buffer(row, colorfmt="rgb", bufferfmt="ubyte")
        self.canvas.ask_update()
