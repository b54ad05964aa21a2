"""The keepers under the wall: tap one to put it in the chosen frame, or drag it onto a frame.

While a photo is dragged a small copy of it follows the finger (drawn above everything on the
screen); where it is let go decides what it fills.
"""

from __future__ import annotations

import math

from kivy.graphics import Color, Line, Rectangle
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.widget import Widget

from kiosk.ui import theme

TAP = dp(14)
GHOST = dp(150)  # px, the long edge of the copy under the finger


class KeeperThumb(Widget):
    """One photo of the strip: its thumbnail, outlined when it is already on the wall."""

    image_id = NumericProperty(0)
    texture = ObjectProperty(None, allownone=True)
    hung = BooleanProperty(False)
    screen = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        with self.canvas:
            self._tint = Color(1, 1, 1, 1)
            self._rect = Rectangle()
            self._mark_colour = Color(*theme.ACCENT[:3], 0)
            self._mark = Line(width=dp(3))
        self.bind(pos=self._draw, size=self._draw, texture=self._draw, hung=self._draw)

    def _draw(self, *_args) -> None:
        t = self.texture
        self._rect.texture = t
        if t is None:
            self._rect.size = (0, 0)
            self._mark.points = []
            return
        k = min(self.width / t.width, self.height / t.height)
        w, h = t.width * k, t.height * k
        self._rect.pos = (self.center_x - w / 2, self.center_y - h / 2)
        self._rect.size = (w, h)
        x, y = self._rect.pos
        self._mark.rectangle = (x - dp(4), y - dp(4), w + dp(8), h + dp(8))
        self._mark_colour.a = 1 if self.hung else 0

    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos) or self.screen is None:
            return False
        touch.grab(self)
        touch.ud["keeper"] = False  # not yet dragged
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        if not touch.ud["keeper"] and math.dist(touch.pos, touch.opos) > TAP:
            touch.ud["keeper"] = True
            self.screen.ghost.show(self.texture)
        if touch.ud["keeper"]:
            self.screen.ghost.follow(*touch.pos)
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        dragged = touch.ud.get("keeper", False)
        self.screen.ghost.hide()
        if dragged:
            self.screen.drop_image(int(self.image_id), touch.pos)
        else:
            self.screen.tap_image(int(self.image_id))
        return True


class Ghost:
    """The dragged photo under the finger, drawn in a canvas layer above the screen."""

    def __init__(self, canvas) -> None:
        with canvas:
            self._colour = Color(1, 1, 1, 0)
            self._rect = Rectangle()
            self._edge_colour = Color(*theme.ACCENT[:3], 0)
            self._edge = Line(width=dp(2))
        self.visible = False

    def show(self, texture) -> None:
        self._rect.texture = texture
        if texture is not None:
            k = GHOST / max(texture.width, texture.height)
            self._rect.size = (texture.width * k, texture.height * k)
        self._colour.a = 0.85
        self._edge_colour.a = 1
        self.visible = True

    def follow(self, x: float, y: float) -> None:
        w, h = self._rect.size
        self._rect.pos = (x - w / 2, y - h / 2)
        self._edge.rectangle = (x - w / 2, y - h / 2, w, h)

    def hide(self) -> None:
        self._colour.a = 0
        self._edge_colour.a = 0
        self._edge.points = []
        self.visible = False
