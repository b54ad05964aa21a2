"""Reviewing: every image as a thumbnail with its decision, filtered by pile.

Tap a photo to open it on the choosing screen (and change its decision there); tap its star
to make it a favourite; tap its "Add to order" to choose a product for it on the order screen.
In the "Kept" pile, press and hold a photo, then drag it to put the keepers in order of
preference.
"""

from __future__ import annotations

from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.screenmanager import Screen
from kivy.uix.togglebutton import ToggleButton

from kiosk.core import selection
from kiosk.core.errors import CommandError
from kiosk.core.selection import Favourite, Rank
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.widgets import buttons  # noqa: F401  (BigButton, used in review.kv)

THUMB_BOX = (480, 480)
HOLD_SECONDS = 0.4  # press this long on a keeper, then move, to pick it up
BORDERS = {
    "keep": theme.KEEP,
    "maybe": theme.ACCENT,
    "drop": theme.DANGER,
    "dropped_in_comparison": theme.DANGER,
    None: (0.2, 0.19, 0.18, 1),
}
HINTS = {
    "keep": "Press and hold a photo, then drag it to put your favourites first.",
    "all": "Tap a photo to look at it again and change your mind, or “Add to order” to choose "
    "a print, canvas or album of it.",
}


class FilterButton(ToggleButton):
    value = StringProperty("")


class GridCell(RecycleDataViewBehavior, ButtonBehavior, FloatLayout):
    image_id = NumericProperty(0)
    texture = ObjectProperty(None, allownone=True)
    decision = StringProperty(None, allownone=True)
    favourite = BooleanProperty(False)
    badge = StringProperty("")
    border_color = ColorProperty(BORDERS[None])
    screen = ObjectProperty(None)
    index = NumericProperty(0)

    def refresh_view_attrs(self, rv, index, data) -> None:
        self.index = index
        super().refresh_view_attrs(rv, index, data)
        self.border_color = BORDERS[self.decision]
        self.texture = None
        self.screen.thumbnail(self)

    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        return super().on_touch_down(touch)  # the star, or the tap itself

    def on_touch_move(self, touch) -> bool:
        # Pressed a while, then moved: the keeper is picked up. (A quick move is a scroll,
        # which the grid's scroll view has taken before the photo ever sees the touch.)
        held = touch.time_update - touch.time_start >= HOLD_SECONDS
        if touch.grab_current is self and self.screen.filter == "keep" and held:
            self.screen.pick_up(self, touch)
            return True
        return super().on_touch_move(touch)

    def on_release(self) -> None:
        self.screen.open_image(self.image_id)


class ReviewScreen(Screen):
    filter = StringProperty("all")
    hint = StringProperty(HINTS["all"])
    total = NumericProperty(0)
    kept = NumericProperty(0)
    maybe = NumericProperty(0)
    dropped = NumericProperty(0)
    undecided = NumericProperty(0)

    def __init__(self, live, textures, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self.dragging = None
        live.subscribe(self.refresh)
        for button in self.ids.filters.children:
            if isinstance(button, FilterButton) and button.value == "all":
                button.state = "down"

    def on_pre_enter(self, *_args) -> None:
        self.refresh()

    def set_filter(self, value: str) -> None:
        self.filter = value
        self.hint = HINTS.get(value, HINTS["all"])
        self.refresh()

    def shown_ids(self) -> list[int]:
        state = self.live.state
        if self.filter == "all":
            return list(state.image_ids)
        if self.filter == "keep":
            return list(selection.keepers(state))  # in the client's order of preference
        if self.filter == "drop":
            dropped = ("drop", "dropped_in_comparison")
            return [i for i in state.image_ids if state.decisions.get(i) in dropped]
        if self.filter == "undecided":
            return [i for i in state.image_ids if i not in state.decisions]
        return [i for i in state.image_ids if state.decisions.get(i) == self.filter]

    def refresh(self, *_args) -> None:
        if self.manager is None or self.manager.current != self.name:
            return
        counts = self.live.counts()
        self.total = counts.total
        self.kept, self.maybe, self.undecided = counts.kept, counts.maybe, counts.undecided
        self.dropped = counts.dropped + counts.dropped_in_comparison
        state = self.live.state
        notes = state.notes
        data = []
        for rank, image_id in enumerate(self.shown_ids(), 1):
            decision = state.decisions.get(image_id)
            note = notes.get(image_id)
            parts = [f"#{rank}"] if self.filter == "keep" else []
            if note:
                parts.append(f"Retouch · {len(note.tags) + bool(note.text)}")
            data.append(
                {
                    "image_id": image_id,
                    "decision": str(decision) if decision else None,
                    "favourite": image_id in state.favourites,
                    "badge": "   ".join(parts),
                    "screen": self,
                }
            )
        self.ids.grid.data = data

    def thumbnail(self, cell: GridCell) -> None:
        image_id = cell.image_id
        path = self.live.by_id[image_id].thumb_path

        def arrived(texture) -> None:
            if cell.image_id == image_id:
                cell.texture = texture

        self.textures.request(path, THUMB_BOX, arrived)

    # what a touch does -------------------------------------------------------------------
    def open_image(self, image_id: int) -> None:
        if self.dragging is not None:
            return
        self.live.open(image_id, "select")

    def add_to_order(self, image_id: int) -> None:
        """Straight from the grid to the order screen's picker, with this photo chosen: the
        order screen takes the photo being shown, so showing it is the whole hand-over."""
        if self.dragging is not None:
            return
        self.live.open(image_id, "order")

    def toggle_favourite(self, image_id: int) -> None:
        self.live.do(Favourite(image_id, image_id not in self.live.state.favourites))

    def pick_up(self, cell: GridCell, touch) -> None:
        """Hold on a keeper: it lifts and follows the finger until released over a place."""
        self.dragging = cell.image_id
        cell.opacity = 0.5
        touch.ungrab(cell)  # the release is the drop, not a tap that opens the photo
        cell.state = "normal"
        touch.grab(self)

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is self:
            return True
        return super().on_touch_move(touch)

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return super().on_touch_up(touch)
        touch.ungrab(self)
        image_id, self.dragging = self.dragging, None
        target = self.cell_at(*touch.pos)
        for cell in self.ids.grid.layout_manager.children:
            cell.opacity = 1
        if target is not None and target.image_id != image_id:
            try:
                self.live.do(Rank(image_id, target.index))
            except CommandError:
                pass  # the pile changed under the finger (e.g. from the remote): nothing moves
        self.refresh()
        return True

    def cell_at(self, x: float, y: float) -> GridCell | None:
        for cell in self.ids.grid.layout_manager.children:
            if cell.collide_point(*cell.parent.to_widget(x, y)):
                return cell
        return None


load_kv(__file__)
