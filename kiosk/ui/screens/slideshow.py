"""The slideshow: the session's images full-screen with cross-fades, tap to pause, swipe to step."""

from __future__ import annotations

from kivy.animation import Animation
from kivy.app import App
from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.core.models import Image
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import TextureCache, screen_box
from kiosk.ui.widgets import buttons  # noqa: F401  (BigButton, used in slideshow.kv)

load_kv(__file__)

SWIPE_DISTANCE = dp(70)  # shorter finger travel than this is a tap
TAP_SECONDS = 0.6


class SlideshowScreen(Screen):
    client = StringProperty("")
    position_text = StringProperty("")
    message = StringProperty("")
    index = NumericProperty(-1)  # the image on screen (or fading in), 0-based
    paused = BooleanProperty(False)
    overlay_opacity = NumericProperty(0)
    shown = NumericProperty(0)  # images fully shown so far; tests and --screenshot wait on it

    def __init__(self, textures: TextureCache, seconds: float, fade: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.textures = textures
        self.seconds = seconds
        self.fade = fade
        self.images: list[Image] = []
        self._advance = None
        self._overlay_fade = None

    # what to show -----------------------------------------------------------------------
    def load(self, client: str, images: list[Image]) -> None:
        self.client = client
        self.images = images
        self.message = "" if images else "This session has no images yet."
        if images:
            self.go_to(0)

    def go_to(self, index: int) -> None:
        if not self.images:
            return
        index %= len(self.images)
        self.index = index
        self.position_text = f"{index + 1} / {len(self.images)}"
        self._show_overlay()
        self._cancel_advance()
        image = self.images[index]
        self.textures.request(image.preview_path, screen_box(), lambda t: self._arrived(index, t))
        self.textures.prefetch_around([i.preview_path for i in self.images], index)

    def step(self, delta: int) -> None:
        self.go_to(self.index + delta)

    def _arrived(self, index: int, texture: Texture | None) -> None:
        if index != self.index:
            return  # the client moved on while this was decoding
        front, back = self.ids.front, self.ids.back
        if texture is None:
            self.message = "This image's preview cannot be read.\nRe-run the import to rebuild it."
            front.opacity = 0
            self._schedule_advance()
            return
        self.message = ""
        Animation.cancel_all(front, "opacity")
        Animation.cancel_all(back, "opacity")
        # The incoming image goes in the back widget and fades in over the current one.
        back.texture = texture
        back.opacity = 0
        fade = self.fade if front.opacity > 0 else self.fade / 2
        Animation(opacity=0, duration=fade, t="in_out_quad").start(front)
        incoming = Animation(opacity=1, duration=fade, t="in_out_quad")
        incoming.bind(on_complete=lambda *_: self._faded_in())
        incoming.start(back)

    def _faded_in(self) -> None:
        # Swap the roles so the next image fades in above this one.
        front, back = self.ids.front, self.ids.back
        front.texture, front.opacity = back.texture, 1
        back.opacity = 0
        self.shown += 1
        self._schedule_advance()

    # timing ------------------------------------------------------------------------------
    def _schedule_advance(self) -> None:
        self._cancel_advance()
        # Only while on screen: a cross-fade that ends after the client moved on must not
        # keep the slideshow stepping (and decoding) behind the other screens.
        showing = self.manager is not None and self.manager.current == self.name
        if showing and not self.paused and len(self.images) > 1:
            self._advance = Clock.schedule_once(lambda _dt: self.step(1), self.seconds)

    def _cancel_advance(self) -> None:
        if self._advance is not None:
            self._advance.cancel()
            self._advance = None

    def toggle_pause(self) -> None:
        App.get_running_app().live.set_playing(self.paused)  # comes back as set_paused

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        self._show_overlay()
        if self.paused:
            self._cancel_advance()
        else:
            self._schedule_advance()

    def _show_overlay(self) -> None:
        Animation.cancel_all(self, "overlay_opacity")
        self.overlay_opacity = 1
        if self._overlay_fade is not None:
            self._overlay_fade.cancel()
        self._overlay_fade = Clock.schedule_once(
            lambda _dt: Animation(overlay_opacity=0, duration=theme.FADE_SECONDS).start(self),
            theme.OVERLAY_SECONDS,
        )

    def on_enter(self, *_args) -> None:
        self._show_overlay()
        self._schedule_advance()

    def on_leave(self, *_args) -> None:
        self._cancel_advance()

    # input -------------------------------------------------------------------------------
    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        # The button over the photo only answers while the caption shows it.
        if self.overlay_opacity > 0.05 and super().on_touch_down(touch):
            return True
        touch.grab(self)
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        dx = touch.x - touch.ox
        if abs(dx) >= SWIPE_DISTANCE and abs(dx) > abs(touch.y - touch.oy):
            self.step(1 if dx < 0 else -1)  # finger to the left brings the next image
        elif abs(dx) < SWIPE_DISTANCE / 2 and touch.time_update - touch.time_start < TAP_SECONDS:
            self.toggle_pause()
        return True

    def on_key(self, key: str) -> bool:
        actions = {
            "right": lambda: self.step(1),
            "left": lambda: self.step(-1),
            "spacebar": self.toggle_pause,
        }
        if key in actions:
            actions[key]()
            return True
        return False
