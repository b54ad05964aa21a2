"""One photo that follows the finger: released past a threshold it flies off and decides.

Right keeps, left drops, up is "maybe". Short of the threshold it springs back. Double-tap zooms
in at the tapped point (pan with one finger while zoomed), double-tap again zooms out; two
fingers pinch. The card only reports a direction; the screen turns it into a command and calls
`fly_off` once the command is on disk, so the animation is the acknowledgement.
"""

from __future__ import annotations

import math

from kivy.animation import Animation
from kivy.metrics import dp
from kivy.properties import ColorProperty, NumericProperty, StringProperty
from kivy.uix.stencilview import StencilView

from kiosk.ui import theme
from kiosk.ui.loader import load_kv

KEEP, DROP, MAYBE = "keep", "drop", "maybe"
STAMPS = {KEEP: ("KEEP", theme.KEEP), DROP: ("DROP", theme.DANGER), MAYBE: ("MAYBE", theme.ACCENT)}

DECIDE_FRACTION = 0.22  # of the card's width (or height, upwards) to count as a decision
FLICK_SPEED = dp(1400)  # px/s: a quick flick decides even when short...
FLICK_MIN = dp(90)  # ...but never a twitch of the finger
MAX_ZOOM = 4.0
DOUBLE_TAP_ZOOM = 2.5


class SwipeCard(StencilView):
    offset_x = NumericProperty(0)
    offset_y = NumericProperty(0)
    tilt = NumericProperty(0)
    zoom = NumericProperty(1.0)
    zoom_x = NumericProperty(0)
    zoom_y = NumericProperty(0)
    stamp_text = StringProperty("")
    stamp_color = ColorProperty(theme.TEXT)
    stamp_opacity = NumericProperty(0)

    __events__ = ("on_swipe",)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._touches: list = []
        self._pinch_start: tuple[float, float] | None = None
        self._flying = False

    @property
    def texture(self):
        return self.ids.photo.texture

    @texture.setter
    def texture(self, texture) -> None:
        self.ids.photo.texture = texture

    # what the drag means -----------------------------------------------------------------
    def direction(self, dx: float, dy: float, vx: float = 0, vy: float = 0) -> str | None:
        """The decision a release at this offset and velocity makes, or None to spring back."""
        if dy > abs(dx) and (
            dy > self.height * DECIDE_FRACTION or (vy > FLICK_SPEED and dy > FLICK_MIN)
        ):
            return MAYBE
        if abs(dx) >= abs(dy) and (
            abs(dx) > self.width * DECIDE_FRACTION
            or (abs(vx) > FLICK_SPEED and abs(dx) > FLICK_MIN)
        ):
            return KEEP if dx > 0 else DROP
        return None

    def _show_stamp(self, dx: float, dy: float) -> None:
        if dy > abs(dx):
            kind, progress = MAYBE, dy / (self.height * DECIDE_FRACTION)
        else:
            kind, progress = (KEEP if dx > 0 else DROP), abs(dx) / (self.width * DECIDE_FRACTION)
        self.stamp_text, self.stamp_color = STAMPS[kind]
        self.stamp_opacity = min(1.0, max(0.0, progress - 0.15))

    # touches -----------------------------------------------------------------------------
    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos) or self._flying:
            return False
        if touch.is_double_tap:
            self.toggle_zoom(*self.to_local(*touch.pos))
            return True
        touch.grab(self)
        self._touches.append(touch)
        if len(self._touches) == 2:
            a, b = self._touches
            self._pinch_start = (math.dist(a.pos, b.pos), self.zoom)
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        if len(self._touches) >= 2 and self._pinch_start:
            a, b = self._touches[:2]
            start_distance, start_zoom = self._pinch_start
            zoom = start_zoom * math.dist(a.pos, b.pos) / max(start_distance, 1)
            mid = self.to_local((a.x + b.x) / 2, (a.y + b.y) / 2)
            self.set_zoom(zoom, *mid)
        elif self.zoom > 1.0:
            self.offset_x += touch.dx  # pan the zoomed photo
            self.offset_y += touch.dy
            self._clamp_pan()
        else:
            dx, dy = touch.x - touch.ox, touch.y - touch.oy
            self.offset_x, self.offset_y = dx, max(dy, 0) + min(dy, 0) * 0.3
            self.tilt = -dx / max(self.width, 1) * 12
            self._show_stamp(dx, dy)
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        was_pinch = len(self._touches) >= 2
        self._touches.remove(touch)
        if was_pinch or self._touches:
            self._pinch_start = None
            if self.zoom <= 1.02:
                self.reset()
            return True
        if self.zoom > 1.0:
            return True
        dx, dy = touch.x - touch.ox, touch.y - touch.oy
        elapsed = max(touch.time_update - touch.time_start, 1e-3)
        choice = self.direction(dx, dy, dx / elapsed, dy / elapsed)
        if choice is None:
            self.spring_back()
        else:
            self.dispatch("on_swipe", choice)
        return True

    def on_swipe(self, direction: str) -> None:
        """The client released past the threshold; the screen decides what happens next."""

    # motion ------------------------------------------------------------------------------
    def spring_back(self) -> None:
        Animation.cancel_all(self)
        Animation(
            offset_x=0, offset_y=0, tilt=0, stamp_opacity=0, duration=0.25, t="out_back"
        ).start(self)

    def fly_off(self, direction: str, on_complete=None) -> None:
        """Send the card off screen in `direction` with its stamp; the decision is done."""
        self.stamp_text, self.stamp_color = STAMPS[direction]
        self.stamp_opacity = 1
        self._flying = True
        target = {
            "keep": (self.width * 1.4, self.offset_y),
            "drop": (-self.width * 1.4, self.offset_y),
            "maybe": (self.offset_x, self.height * 1.3),
        }[direction]
        anim = Animation(
            offset_x=target[0], offset_y=target[1], tilt=self.tilt * 1.5, duration=0.22, t="in_quad"
        )

        def done(*_args) -> None:
            self._flying = False
            if on_complete:
                on_complete()

        anim.bind(on_complete=done)
        anim.start(self)

    def reset(self) -> None:
        Animation.cancel_all(self)
        self._flying = False
        self.offset_x = self.offset_y = self.tilt = self.stamp_opacity = 0
        self.zoom = 1.0

    def toggle_zoom(self, x: float, y: float) -> None:
        self.set_zoom(1.0 if self.zoom > 1.0 else DOUBLE_TAP_ZOOM, x, y)

    def set_zoom(self, zoom: float, x: float, y: float) -> None:
        zoom = max(1.0, min(MAX_ZOOM, zoom))
        self.offset_x = self.offset_y = self.tilt = self.stamp_opacity = 0
        self.zoom_x, self.zoom_y = x - self.x, y - self.y
        self.zoom = zoom  # the screen binds to `zoom` to fetch a sharper texture

    def _clamp_pan(self) -> None:
        # Keep some photo under the finger: never pan past the zoomed image's edges.
        limit_x = self.width * (self.zoom - 1)
        limit_y = self.height * (self.zoom - 1)
        base_x = self.zoom_x * (self.zoom - 1)
        base_y = self.zoom_y * (self.zoom - 1)
        self.offset_x = max(base_x - limit_x, min(base_x, self.offset_x))
        self.offset_y = max(base_y - limit_y, min(base_y, self.offset_y))


load_kv(__file__)
