"""Comparing: two (or three, four) keepers side by side at equal height; tap the one to keep.

"Narrow to N" runs the comparisons from `kiosk.core.narrowing` until N keepers remain; every
pick is a command, so undo steps back one comparison at a time. Double-tap (or pinch) zooms
all photos together to the same spot, so focus and expressions can be judged side by side.
"""

from __future__ import annotations

import math

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.screenmanager import Screen
from kivy.uix.stencilview import StencilView
from kivy.uix.togglebutton import ToggleButton

from kiosk.core import selection
from kiosk.core.selection import NarrowStart, NarrowStop, Undo
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.buttons import BigButton

TAP_WAIT = 0.28  # a tap picks only once it cannot be the start of a double-tap
MAX_ZOOM = 4.0
GAP = dp(24)
BUTTON_HEIGHT = dp(76)


class GroupButton(ToggleButton):
    value = NumericProperty(2)


class CompareTile(StencilView):
    """One photo in the comparison. Zoom and focus are the screen's, shared by every tile."""

    texture = ObjectProperty(None, allownone=True)
    zoom = NumericProperty(1.0)
    focus_x = NumericProperty(0.5)
    focus_y = NumericProperty(0.5)
    pressed = BooleanProperty(False)

    def __init__(self, screen: CompareScreen, image_id, **kwargs) -> None:
        super().__init__(**kwargs)
        self.screen = screen
        self.image_id = image_id
        self._touches: list = []
        self._pinch: tuple[float, float] | None = None
        self._pending_tap = None
        for name in ("zoom", "focus_x", "focus_y"):
            screen.bind(**{name: self.setter(name)})
            setattr(self, name, getattr(screen, name))

    def relative(self, touch) -> tuple[float, float]:
        return (
            min(1.0, max(0.0, (touch.x - self.x) / max(self.width, 1))),
            min(1.0, max(0.0, (touch.y - self.y) / max(self.height, 1))),
        )

    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        if touch.is_double_tap:
            self._cancel_tap()
            self.screen.toggle_zoom(*self.relative(touch))
            return True
        touch.grab(self)
        self._touches.append(touch)
        self.pressed = True
        if len(self._touches) == 2:
            a, b = self._touches
            self._pinch = (math.dist(a.pos, b.pos), self.screen.zoom)
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        if len(self._touches) == 2 and self._pinch:
            a, b = self._touches
            distance, zoom = self._pinch
            self.screen.set_zoom(zoom * math.dist(a.pos, b.pos) / max(distance, 1))
        elif self.screen.zoom > 1.0:
            self.screen.pan(touch.dx / self.width, touch.dy / self.height)
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        self._touches.remove(touch)
        self.pressed = bool(self._touches)
        moved = math.dist(touch.pos, touch.opos)
        if not self._touches and self._pinch is None and moved < dp(20):
            self._pending_tap = Clock.schedule_once(self._tapped, TAP_WAIT)
        if not self._touches:
            self._pinch = None
        return True

    def _tapped(self, _dt) -> None:
        self._pending_tap = None
        self.screen.keep(self.image_id)

    def _cancel_tap(self) -> None:
        if self._pending_tap is not None:
            self._pending_tap.cancel()
            self._pending_tap = None


class CompareScreen(Screen):
    title = StringProperty("Compare")
    setup_text = StringProperty("")
    error = StringProperty("")
    running = BooleanProperty(False)
    can_undo = BooleanProperty(False)
    can_start = BooleanProperty(False)
    target = NumericProperty(1)
    group_size = NumericProperty(2)
    zoom = NumericProperty(1.0)
    focus_x = NumericProperty(0.5)
    focus_y = NumericProperty(0.5)

    def __init__(self, live, textures, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self.tiles: list[CompareTile] = []
        self._group: tuple = ()
        live.subscribe(self.refresh)
        self.ids.stage.bind(size=self._relayout, pos=self._relayout)
        # A strong reference: ids are weak, and the panel is out of the tree while comparing.
        self._setup = self.ids.setup.__self__
        self.bind(running=self._swap_panels)

    def _swap_panels(self, *_args) -> None:
        setup, column = self._setup, self.ids.stage.parent
        if self.running and setup.parent is not None:
            column.remove_widget(setup)
        elif not self.running and setup.parent is None:
            column.add_widget(setup, index=0)

    def on_pre_enter(self, *_args) -> None:
        kept = self.live.counts().kept
        # The package being considered says how many images the client will choose.
        chosen = self.live.cart.cart.collection
        pricelist = self.live.pricelist.current
        collection = pricelist.collection(chosen) if pricelist and chosen else None
        wanted = collection.images if collection and collection.images else round(kept * 0.6)
        self.target = max(1, min(kept - 1, wanted))
        self._group = ()
        self.refresh()

    # rendering ---------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        if self.manager is None or self.manager.current != self.name:
            return
        state = self.live.state
        narrowing = state.narrowing
        self.can_undo = state.can_undo
        self.running = narrowing is not None and not narrowing.finished
        kept = self.live.counts().kept
        self.can_start = not self.running and kept >= 2 and 1 <= self.target < kept
        if self.running:
            left = narrowing.remaining
            self.title = (
                f"{left} left to remove · keeping {narrowing.target}"
                if left > 1
                else f"Last one to remove · keeping {narrowing.target}"
            )
            if narrowing.group != self._group:
                self._show_group(narrowing.group)
            return
        self._clear_group()
        if narrowing is not None and narrowing.finished and kept == narrowing.target:
            self.title = f"Done: your {kept} favourites"
            self.setup_text = (
                f"You narrowed down to {kept}. Undo brings back the last comparison, "
                "or narrow further:"
            )
        else:
            self.title = "Compare"
            self.setup_text = (
                f"You are keeping {kept} photos. How many would you like in the end?"
                if kept >= 2
                else "Keep at least two photos to compare them."
            )

    def _show_group(self, group: tuple) -> None:
        self._clear_group()
        self._group = group
        self.zoom, self.focus_x, self.focus_y = 1.0, 0.5, 0.5
        for image_id in group:
            tile = CompareTile(self, image_id, size_hint=(None, None), opacity=0)
            button = BigButton(
                text="Keep this one", size_hint=(None, None), fill=theme.KEEP, height=BUTTON_HEIGHT
            )
            button.bind(on_release=lambda _b, i=image_id: self.keep(i))
            tile.keep_button = button
            self.tiles.append(tile)
            self.ids.stage.add_widget(tile)
            self.ids.stage.add_widget(button)
            path = self.live.by_id[image_id].preview_path
            self.textures.request(path, screen_box(), lambda t, tile=tile: self._arrived(tile, t))
            Animation(opacity=1, duration=0.25).start(tile)
        self._relayout()

    def _arrived(self, tile: CompareTile, texture) -> None:
        tile.texture = texture

    def _clear_group(self) -> None:
        for tile in self.tiles:
            tile._cancel_tap()
            self.ids.stage.remove_widget(tile)
            self.ids.stage.remove_widget(tile.keep_button)
        self.tiles = []
        self._group = ()

    def _relayout(self, *_args) -> None:
        """Equal height for all: each tile's width follows its photo's aspect ratio."""
        if not self.tiles:
            return
        stage = self.ids.stage
        aspects = [self.live.by_id[t.image_id].aspect for t in self.tiles]
        height_room = stage.height - BUTTON_HEIGHT - dp(16)
        width_room = stage.width - GAP * (len(self.tiles) - 1)
        height = max(1.0, min(height_room, width_room / sum(aspects)))
        x = stage.x + (stage.width - (height * sum(aspects) + GAP * (len(aspects) - 1))) / 2
        top = stage.y + BUTTON_HEIGHT + dp(16) + (height_room - height) / 2
        for tile, aspect in zip(self.tiles, aspects, strict=True):
            tile.size = (height * aspect, height)
            tile.pos = (x, top)
            tile.keep_button.width = max(dp(220), min(tile.width, dp(420)))
            tile.keep_button.pos = (tile.center_x - tile.keep_button.width / 2, stage.y)
            x += tile.width + GAP

    # zoom, shared by every tile ------------------------------------------------------------
    def toggle_zoom(self, rel_x: float, rel_y: float) -> None:
        if self.zoom > 1.0:
            self.zoom, self.focus_x, self.focus_y = 1.0, 0.5, 0.5
        else:
            self.zoom, self.focus_x, self.focus_y = 2.5, rel_x, rel_y

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(1.0, min(MAX_ZOOM, zoom))

    def pan(self, dx: float, dy: float) -> None:
        # Moving the finger right shows more of the left: focus goes the other way.
        spread = max(self.zoom - 1.0, 1e-6)
        self.focus_x = min(1.0, max(0.0, self.focus_x - dx / spread))
        self.focus_y = min(1.0, max(0.0, self.focus_y - dy / spread))

    # commands ------------------------------------------------------------------------------
    def change_target(self, delta: int) -> None:
        kept = self.live.counts().kept
        self.target = max(1, min(max(kept - 1, 1), self.target + delta))
        self.refresh()

    def start(self) -> None:
        self._run(NarrowStart(int(self.target), int(self.group_size)))

    def keep(self, image_id) -> None:
        if image_id not in self._group:
            return  # a late tap on a photo that already left
        self._run(selection.pick(self.live.state, image_id))

    def undo(self) -> None:
        self._run(Undo())

    def stop(self) -> None:
        self._run(NarrowStop())

    def _run(self, command) -> None:
        self.error = self.live.try_do(command)


load_kv(__file__)
