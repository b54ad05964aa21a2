"""Choosing: one photo at a time, swiped (or tapped) into keep, drop or maybe, with undo."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.core.errors import CommandError
from kiosk.core.pricing import format_money
from kiosk.core.selection import Favourite
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets import buttons, strip, swipecard  # noqa: F401  (used in select.kv)

DECISION_LABELS = {
    "keep": ("Kept", theme.KEEP),
    "drop": ("Dropped", theme.DANGER),
    "maybe": ("Maybe", theme.ACCENT),
    "dropped_in_comparison": ("Dropped in comparison", theme.DANGER),
    None: ("", theme.TEXT),
}
KEYS = {"right": "keep", "k": "keep", "left": "drop", "d": "drop", "up": "maybe", "m": "maybe"}


class SelectScreen(Screen):
    position_text = StringProperty("")
    decision_text = StringProperty("")
    decision_color = ColorProperty(theme.TEXT)
    kept = NumericProperty(0)
    maybe = NumericProperty(0)
    dropped = NumericProperty(0)
    undecided = NumericProperty(0)
    can_undo = BooleanProperty(False)
    favourite = BooleanProperty(False)
    retouch_text = StringProperty("Retouching")
    order_text = StringProperty("Order")
    index = NumericProperty(0)

    def __init__(self, live, textures, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self._showing: int | None = None
        self._flying = False  # a decided card is leaving: the next photo waits for it
        live.subscribe(self.refresh)

    def on_pre_enter(self, *_args) -> None:
        self._showing = None
        self.refresh()

    # rendering the shared state ----------------------------------------------------------
    def refresh(self, *_args) -> None:
        if self.manager is None or self.manager.current != self.name:
            return  # drawn when entered: no texture work for a screen nobody sees
        live = self.live
        if not live.images:
            return
        index = live.current
        counts = live.counts()
        self.kept, self.maybe, self.dropped = counts.kept, counts.maybe, counts.dropped
        self.undecided = counts.undecided
        self.can_undo = live.can_undo
        image = live.images[index]
        self.position_text = f"{index + 1} / {len(live.images)}"
        self.decision_text, self.decision_color = DECISION_LABELS[live.decision(image.id)]
        self.favourite = image.id in live.state.favourites
        breakdown, _problem = live.breakdown()
        self.order_text = (
            f"Order  ·  {format_money(breakdown.total, breakdown.currency)}"
            if breakdown is not None and live.cart.cart.lines
            else "Add to order"
        )
        note = live.state.notes.get(image.id)
        requests = (len(note.tags) + bool(note.text)) if note else 0
        self.retouch_text = f"Retouching · {requests}" if requests else "Retouching"
        self.ids.strip.show([live.decision(i.id) for i in live.images], index)
        # After a fly-off the next photo comes with the decision's acknowledgement: on a slow
        # disk the stage stays empty a moment rather than show the decided photo again.
        if self._showing != index and not self._flying and not live.saving:
            self._show(index)

    def _show(self, index: int) -> None:
        self._showing = index
        self.index = index
        card = self.ids.card
        card.reset()
        image = self.live.images[index]
        cached = self.textures.get(image.preview_path, screen_box())
        card.texture = cached  # prefetched: the next image is there on the very next frame
        if cached is None:
            self.textures.request(
                image.preview_path, screen_box(), lambda t: self._arrived(index, t)
            )
        self.textures.prefetch_around([i.preview_path for i in self.live.images], index)

    def _arrived(self, index: int, texture) -> None:
        if index == self._showing and texture is not None:
            self.ids.card.texture = texture

    # commands ----------------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        if self._flying or not self.live.images:
            return
        image = self.live.images[self.live.current]
        self._flying = True
        try:
            # Written in the background while the card flies; the stamp and the counts come
            # with the acknowledgement (refresh), once it is durable.
            self.live.decide(image.id, decision)
        except CommandError:
            self._flying = False
            self.ids.card.spring_back()
            return
        except Exception as exc:  # the disk is full, the database locked: say so, stay usable
            self._flying = False
            self.ids.card.spring_back()
            self.decision_text = f"Not saved: {exc}. Ask the photographer."
            self.decision_color = theme.DANGER
            return
        self.ids.card.fly_off(decision, on_complete=self._after_fly)

    def swiped(self, direction: str) -> None:
        self.decide(direction)

    def _after_fly(self) -> None:
        self._flying = False
        self._showing = None
        self.refresh()

    def undo(self) -> None:
        try:
            self.live.undo()
        except CommandError:
            return
        self._showing = None
        self.refresh()

    def toggle_favourite(self) -> None:
        image = self.live.current_image
        self.live.do(Favourite(image.id, image.id not in self.live.state.favourites))

    def edit_notes(self) -> None:
        from kiosk.ui.widgets.notes import NotesEditor

        self.notes_editor = NotesEditor(self.live, self.live.current_image.id)
        self.notes_editor.open(animation=False)

    def zoomed(self, zoom: float) -> None:
        if zoom <= 1.0 or not self.live.images:
            return
        # Zoomed in: fetch the preview at full resolution so sharpness can be judged.
        index = self.index
        image = self.live.images[index]
        box = (int(screen_box()[0] * 4), int(screen_box()[1] * 4))
        self.textures.request(image.preview_path, box, lambda t: self._arrived(index, t))

    def on_key(self, key: str) -> bool:
        if key in KEYS:
            self.decide(KEYS[key])
        elif key in ("backspace", "u", "z"):
            self.undo()
        else:
            return False
        return True


load_kv(__file__)
