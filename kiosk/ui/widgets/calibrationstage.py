"""The wall photo being measured, full height, with what the client places on it.

Points are kept in pixels of the stored, upright photo (on the `view`, a CalibrationView) and
mapped to the screen only to draw and to touch: the two ends of the reference with the typed
length beside them, the wall's four corners when asked for, and, while a point is dragged, a
loupe above the finger that shows magnified what lies under it, so the finger never hides the
spot it is placing.
"""

from __future__ import annotations

import math

from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Ellipse, InstructionGroup, Line, Rectangle, RoundedRectangle
from kivy.metrics import dp
from kivy.properties import ObjectProperty
from kivy.uix.widget import Widget

from kiosk.ui import theme

GRAB = dp(64)  # how far from a point's centre a finger still takes it
HANDLE = dp(30)  # radius of a reference point's ring
CORNER = dp(24)
LOUPE = dp(120)  # radius of the magnifier
LOUPE_ZOOM = 3.0  # against the photo as shown
LOUPE_LIFT = dp(170)  # the loupe's centre above the finger


class CalibrationStage(Widget):
    """The photo, letterboxed, with the reference, the optional corners and the loupe."""

    view = ObjectProperty(None, allownone=True)
    texture = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        with self.canvas:
            Color(1, 1, 1, 1)
            self._photo = Rectangle(size=(0, 0))
            self._marks = InstructionGroup()
            self._loupe = InstructionGroup()
        self.dragging: str | None = None  # "a", "b" or "corner0".."corner3"
        self._label_text, self._label_texture = "", None
        self.bind(pos=self.redraw, size=self.redraw, texture=self.redraw)

    # image pixels ↔ the screen -------------------------------------------------------------
    def display(self) -> tuple[float, float, float] | None:
        view = self.view
        if view is None or view.photo is None or self.width <= 1 or self.height <= 1:
            return None
        w, h = view.photo.width, view.photo.height
        scale = min(self.width / w, self.height / h)
        return self.x + (self.width - w * scale) / 2, self.y + (self.height - h * scale) / 2, scale

    def to_screen(self, u: float, v: float) -> tuple[float, float]:
        x0, y0, scale = self.display()
        return x0 + u * scale, y0 + (self.view.photo.height - v) * scale

    def to_image(self, x: float, y: float) -> tuple[float, float]:
        """A touch in image pixels, held inside the photo."""
        x0, y0, scale = self.display()
        w, h = self.view.photo.width, self.view.photo.height
        u, v = (x - x0) / scale, h - (y - y0) / scale
        return min(max(u, 0.0), float(w)), min(max(v, 0.0), float(h))

    # drawing --------------------------------------------------------------------------------
    def redraw(self, *_args) -> None:
        self._marks.clear()
        self._loupe.clear()
        shown = self.display()
        self._photo.texture = self.texture
        if shown is None or self.texture is None:
            self._photo.size = (0, 0)
            return
        x0, y0, scale = shown
        view = self.view
        self._photo.pos = (x0, y0)
        self._photo.size = (view.photo.width * scale, view.photo.height * scale)
        marks = self._marks
        if view.corners:
            points = [c for corner in view.corners for c in self.to_screen(*corner)]
            marks.add(Color(0, 0, 0, 0.55))
            marks.add(Line(points=points, close=True, width=dp(4)))
            marks.add(Color(*theme.ACCENT[:3], 1))
            marks.add(Line(points=points, close=True, width=dp(2)))
            for corner in view.corners:
                x, y = self.to_screen(*corner)
                marks.add(Color(*theme.ACCENT[:3], 0.35))
                marks.add(Ellipse(pos=(x - CORNER, y - CORNER), size=(2 * CORNER, 2 * CORNER)))
                marks.add(Color(*theme.ACCENT[:3], 1))
                marks.add(Line(circle=(x, y, CORNER), width=dp(2.5)))
        ends = [self.to_screen(*p) for p in (view.point_a, view.point_b) if p is not None]
        if len(ends) == 2:
            (xa, ya), (xb, yb) = ends
            marks.add(Color(0, 0, 0, 0.6))
            marks.add(Line(points=[xa, ya, xb, yb], width=dp(5)))
            marks.add(Color(1, 1, 1, 1))
            marks.add(Line(points=[xa, ya, xb, yb], width=dp(2.5)))
        if len(ends) == 2 and view.typed:
            self._draw_length(ends, f"{view.typed} {view.unit}")
        for x, y in ends:
            marks.add(Color(0, 0, 0, 0.6))
            marks.add(Line(circle=(x, y, HANDLE), width=dp(5)))
            marks.add(Color(*theme.KEEP[:3], 1))
            marks.add(Line(circle=(x, y, HANDLE), width=dp(3)))
            marks.add(Line(points=[x - HANDLE * 0.45, y, x + HANDLE * 0.45, y], width=dp(1.5)))
            marks.add(Line(points=[x, y - HANDLE * 0.45, x, y + HANDLE * 0.45], width=dp(1.5)))
        if self.dragging:
            self._draw_loupe(self.dragging)

    def _draw_length(self, ends, text: str) -> None:
        """The typed length on a dark pill beside the middle of the reference, so the client
        sees what the two points are said to measure."""
        if self._label_text != text:
            label = CoreLabel(text=text, font_name=theme.FONT, font_size=theme.TEXT_SIZE * 1.2)
            label.refresh()
            self._label_texture, self._label_text = label.texture, text
        tw, th = self._label_texture.size
        (xa, ya), (xb, yb) = ends
        mx, my = (xa + xb) / 2, (ya + yb) / 2
        # Beside the line, on the side away from it: above a flat reference, right of an
        # upright one.
        dx, dy = yb - ya, xa - xb
        norm = math.hypot(dx, dy) or 1.0
        if dy < 0 or (dy == 0 and dx < 0):
            dx, dy = -dx, -dy
        gap = dp(34) + max(tw * abs(dx) / norm, th * abs(dy) / norm) / 2
        cx, cy = mx + dx / norm * gap, my + dy / norm * gap
        pad_x, pad_y = dp(14), dp(6)
        self._marks.add(Color(0, 0, 0, 0.7))
        self._marks.add(
            RoundedRectangle(
                pos=(cx - tw / 2 - pad_x, cy - th / 2 - pad_y),
                size=(tw + 2 * pad_x, th + 2 * pad_y),
                radius=[dp(12)],
            )
        )
        self._marks.add(Color(1, 1, 1, 1))
        self._marks.add(
            Rectangle(texture=self._label_texture, pos=(cx - tw / 2, cy - th / 2), size=(tw, th))
        )

    def _draw_loupe(self, which: str) -> None:
        """The photo around the dragged point, magnified, in a circle above the finger."""
        u, v = self.view.handle(which)
        x, y = self.to_screen(u, v)
        cx = min(max(x, self.x + LOUPE), self.right - LOUPE)
        cy = y + LOUPE_LIFT
        if cy + LOUPE > self.top:  # no room above: show it below the finger
            cy = y - LOUPE_LIFT
        self.loupe_centre = (cx, cy)
        tex = self.texture
        tc = tex.tex_coords  # a Pillow upload is flipped: v grows downwards in the photo
        w, h = self.view.photo.width, self.view.photo.height
        _x0, _y0, scale = self.display()
        half = LOUPE / (LOUPE_ZOOM * scale)  # image pixels from the centre to the loupe's edge
        s0, s1 = (u - half) / w, (u + half) / w
        t0, t1 = (v - half) / h, (v + half) / h
        u0, u1 = tc[0] + (tc[2] - tc[0]) * s0, tc[0] + (tc[2] - tc[0]) * s1
        top, bottom = tc[5] + (tc[1] - tc[5]) * t0, tc[5] + (tc[1] - tc[5]) * t1
        loupe = self._loupe
        loupe.add(Color(0, 0, 0, 0.5))
        loupe.add(
            Ellipse(pos=(cx - LOUPE - dp(6), cy - LOUPE - dp(8)), size=[2 * LOUPE + dp(12)] * 2)
        )
        loupe.add(Color(0.2, 0.2, 0.2, 1))  # beyond the photo's edge
        loupe.add(Ellipse(pos=(cx - LOUPE, cy - LOUPE), size=(2 * LOUPE, 2 * LOUPE)))
        loupe.add(Color(1, 1, 1, 1))
        loupe.add(
            Ellipse(
                pos=(cx - LOUPE, cy - LOUPE),
                size=(2 * LOUPE, 2 * LOUPE),
                texture=tex,
                tex_coords=(u0, bottom, u1, bottom, u1, top, u0, top),
            )
        )
        loupe.add(Color(*theme.KEEP[:3], 1))
        gap = dp(10)
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            loupe.add(
                Line(
                    points=[cx + dx * gap, cy + dy * gap, cx + dx * LOUPE, cy + dy * LOUPE],
                    width=dp(1.5),
                )
            )
        loupe.add(Color(1, 1, 1, 1))
        loupe.add(Line(circle=(cx, cy, LOUPE), width=dp(3)))

    # touches --------------------------------------------------------------------------------
    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos) or self.display() is None or self.texture is None:
            return False
        view = self.view
        which = self._nearest(touch.pos)
        if which is None:
            u, v = self.to_image(*touch.pos)
            if view.point_a is None:
                which = "a"
            elif view.point_b is None:
                which = "b"
            else:  # both placed: a touch elsewhere brings the nearer end there
                da = math.dist((u, v), view.point_a)
                which = "a" if da <= math.dist((u, v), view.point_b) else "b"
            view.move(which, (u, v))
            touch.ud["calibration"] = (which, 0.0, 0.0)
        else:
            hx, hy = self.to_screen(*view.handle(which))
            touch.ud["calibration"] = (which, hx - touch.x, hy - touch.y)  # no jump on grab
        touch.grab(self)
        self.dragging = which
        self.redraw()
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        which, dx, dy = touch.ud["calibration"]
        self.view.move(which, self.to_image(touch.x + dx, touch.y + dy))
        self.redraw()
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        self.dragging = None
        self.redraw()
        self.view.placed()
        return True

    def _nearest(self, pos: tuple[float, float]) -> str | None:
        view = self.view
        best, best_distance = None, GRAB
        for which in view.handles():
            distance = math.dist(pos, self.to_screen(*view.handle(which)))
            if distance <= best_distance:
                best, best_distance = which, distance
        return best
