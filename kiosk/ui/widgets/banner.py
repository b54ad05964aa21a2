"""A band across the top of the TV for a problem the photographer must know about now.

Shown over every screen while the problem lasts (a change that could not be saved), and gone
by itself once it is over; the client's last saved choice stays on the screen beneath it.
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.metrics import dp
from kivy.uix.label import Label

from kiosk.ui import theme


class ProblemBanner(Label):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            font_name=theme.FONT,
            font_size=theme.TEXT_SIZE,
            color=theme.TEXT,
            halign="center",
            valign="middle",
            size_hint=(None, None),
            **kwargs,
        )
        with self.canvas.before:
            Color(*theme.DANGER)
            self._band = Rectangle()
        self.bind(pos=self._layout, size=self._layout)
        Window.bind(size=self._place)

    def show(self, text: str) -> None:
        if text == self.text and (self.parent is not None) == bool(text):
            return
        self.text = text
        if text and self.parent is None:
            self._place()
            Window.add_widget(self)
        elif not text and self.parent is not None:
            self.parent.remove_widget(self)

    def _place(self, *_args) -> None:
        self.size = (Window.width, dp(88))
        self.text_size = (Window.width - dp(64), None)
        self.pos = (0, Window.height - self.height)

    def _layout(self, *_args) -> None:
        self._band.pos, self._band.size = self.pos, self.size
