"""Measuring a client's wall photo on the TV: touch the two ends of something of known length,
type that length, optionally drag the wall's four corners, and "Use this wall".

The photo fills the left of the screen (`CalibrationStage`); points are kept in pixels of the
stored, upright photo and mapped to the screen only to draw and to touch. While a point is
dragged a loupe above the finger shows, magnified, what lies under it, so the finger never
hides the spot it is placing. The right-hand panel holds a large number pad, in/cm and presets.
What the touches and the typing mean is decided in `kiosk.core.calibration`; this module only
collects them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Ellipse, InstructionGroup, Line, Rectangle, RoundedRectangle
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.calibration import (
    PRESETS,
    WallCalibration,
    describe,
    parse_length,
    require_points,
    unreadable_photo,
)
from kiosk.core.errors import WallArtError
from kiosk.core.wallart import check_wall_photo
from kiosk.store.walls import WallPhoto, save_wall_calibration, wall_calibration
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.buttons import BigButton

GRAB = dp(64)  # how far from a point's centre a finger still takes it
HANDLE = dp(30)  # radius of a reference point's ring
CORNER = dp(24)
LOUPE = dp(120)  # radius of the magnifier
LOUPE_ZOOM = 3.0  # against the photo as shown
LOUPE_LIFT = dp(170)  # the loupe's centre above the finger
MAX_TYPED = 6  # characters on the pad: 1234.5 is already longer than any wall
CORNER_INSET = 0.12  # where the four corners start, as a fraction of the photo


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


class CalibrationView(BoxLayout):
    """One wall photo being measured. `on_room(room)` gets the wall once it is saved."""

    hint = StringProperty("")
    typed = StringProperty("")
    unit = StringProperty("in")
    on_floor = BooleanProperty(False)
    with_corners = BooleanProperty(False)
    error = StringProperty("")
    point_a = ObjectProperty(None, allownone=True)
    point_b = ObjectProperty(None, allownone=True)
    corners = ObjectProperty(None, allownone=True)

    def __init__(self, store, textures, on_room: Callable, on_back: Callable[[], None], **kwargs):
        self.photo: WallPhoto | None = None
        super().__init__(**kwargs)
        self.store = store
        self.textures = textures
        self.on_room = on_room
        self.on_back = on_back
        self.focal = 0.0
        self._build_pad()
        self.ids.stage.view = self

    def show(self, photo: WallPhoto) -> None:
        """Measure this photo: from where it was left when it was measured before. One view
        serves every photo, so switching to a photo just sent costs no layout building."""
        self.photo = photo
        self.point_a = self.point_b = self.corners = None
        self.typed, self.unit, self.on_floor, self.with_corners = "", "in", False, False
        self.focal, self.error = 0.0, ""
        self._restore(wall_calibration(self.store, photo.id))
        self._update_hint()
        self.stage.dragging = None
        self.stage.texture = None
        try:
            check_wall_photo((photo.width, photo.height))
        except WallArtError as exc:
            self.error = str(exc)
            return
        self.textures.request(photo.path, screen_box(), lambda t: self._photo_arrived(photo, t))

    @property
    def stage(self) -> CalibrationStage:
        return self.ids.stage

    def _photo_arrived(self, photo: WallPhoto, texture) -> None:
        if photo is not self.photo:  # another photo was chosen while this one decoded
            return
        if texture is None:
            self.error = str(unreadable_photo())
        self.stage.texture = texture

    def _build_pad(self) -> None:
        for label in ("1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "⌫"):
            key = BigButton(text=label, font_size=dp(34) if label != "⌫" else dp(28))
            key.size_hint_y = 1
            key.bind(on_release=lambda _k, label=label: self.press(label))
            self.ids.pad.add_widget(key)
        for preset in PRESETS:
            button = BigButton(text=preset.label)
            button.preset = preset
            button.bind(on_release=lambda b: self.use_preset(b.preset))
            self.ids.presets.add_widget(button)

    def _restore(self, cal: WallCalibration | None) -> None:
        if cal is None:
            return
        self.point_a, self.point_b = cal.a, cal.b
        self.typed, self.unit, self.on_floor = f"{cal.length:g}", cal.unit, cal.on_floor
        self.corners = list(cal.corners) if cal.corners else None
        self.with_corners = cal.corners is not None
        self.focal = cal.focal

    # the points -----------------------------------------------------------------------------
    def handles(self) -> list[str]:
        names = [n for n, p in (("a", self.point_a), ("b", self.point_b)) if p is not None]
        if self.corners:
            names += [f"corner{i}" for i in range(4)]
        return names

    def handle(self, which: str) -> tuple[float, float]:
        if which.startswith("corner"):
            return self.corners[int(which[-1])]
        return self.point_a if which == "a" else self.point_b

    def move(self, which: str, point: tuple[float, float]) -> None:
        if which.startswith("corner"):
            corners = list(self.corners)
            corners[int(which[-1])] = point
            self.corners = corners
        elif which == "a":
            self.point_a = point
        else:
            self.point_b = point
        self.error = ""

    def placed(self) -> None:
        self._update_hint()

    def _update_hint(self) -> None:
        if self.point_a is None:
            self.hint = "Touch one end of something on the wall you know the length of."
        elif self.point_b is None:
            self.hint = "Now touch its other end."
        elif self.with_corners:
            self.hint = "Drag the four gold corners onto the corners of the wall."
        else:
            self.hint = "Drag the points onto the exact ends, then type the length."

    def toggle_corners(self) -> None:
        self.with_corners = not self.with_corners
        if self.with_corners and not self.corners:
            w, h, i = self.photo.width, self.photo.height, CORNER_INSET
            self.corners = [
                (w * i, h * i),
                (w * (1 - i), h * i),
                (w * (1 - i), h * (1 - i)),
                (w * i, h * (1 - i)),
            ]
        elif not self.with_corners:
            self.corners = None
        self.error = ""
        self._update_hint()
        self.stage.redraw()

    # the length -----------------------------------------------------------------------------
    @property
    def length_text(self) -> str:
        return describe(float(self.typed), self.unit) if _number(self.typed) else ""

    def press(self, key: str) -> None:
        self.error = ""
        if key == "⌫":
            self.typed = self.typed[:-1]
        elif len(self.typed) < MAX_TYPED and not (key == "." and "." in self.typed):
            self.typed = ("0" if key == "." and not self.typed else "") + self.typed + key

    def on_typed(self, *_args) -> None:
        if "stage" in self.ids:  # the length is drawn beside the reference too
            self.stage.redraw()

    def on_unit(self, *_args) -> None:
        self.on_typed()

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        self.error = ""

    def use_preset(self, preset) -> None:
        self.typed, self.unit, self.on_floor = f"{preset.length:g}", preset.unit, preset.on_floor
        self.error = ""

    # saving ---------------------------------------------------------------------------------
    def use_this_wall(self) -> None:
        if self.photo is None or self.stage.texture is None:
            return  # the photo is still decoding, or cannot be used: its message is showing
        try:
            a, b = require_points(self.point_a, self.point_b)
            length = parse_length(self.typed, self.unit)
            cal = WallCalibration(
                a=a,
                b=b,
                length=length,
                unit=self.unit,
                corners=tuple(self.corners) if self.with_corners and self.corners else None,
                on_floor=self.on_floor,
                focal=self.focal,
            )
            room = save_wall_calibration(self.store, self.photo.id, cal)
        except WallArtError as exc:
            self.error = str(exc)
            return
        self.on_room(room)


def _number(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


load_kv(__file__)
