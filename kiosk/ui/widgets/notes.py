"""The retouching request for one photo: quick tags plus a short note, typed on screen.

The panel sits near the top of the screen; on a short screen (720 px) the docked keyboard would
still reach the note, so while the note has the keyboard the panel rises just enough for the
note to clear it, never past the window's top.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.modalview import ModalView
from kivy.uix.togglebutton import ToggleButton

from kiosk.core.errors import CommandError
from kiosk.core.selection import MAX_NOTE_CHARS, RETOUCH_TAGS, Note
from kiosk.ui.loader import load_kv
from kiosk.ui.widgets import buttons  # noqa: F401  (BigButton, used in notes.kv)
from kiosk.ui.widgets.keyboard import lift_over_keyboard


class TagToggle(ToggleButton):
    pass


class NotesEditor(ModalView):
    REST_TOP = 0.97  # the panel's top, as a share of the window's height
    error = StringProperty("")
    lift = NumericProperty(0)  # pixels the panel has risen over the keyboard

    def __init__(self, live, image_id: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.image_id = image_id
        note = live.state.notes.get(image_id)
        chosen = set(note.tags) if note else set()
        for name, label in RETOUCH_TAGS.items():
            toggle = TagToggle(text=label, state="down" if name in chosen else "normal")
            toggle.tag = name
            self.ids.tags.add_widget(toggle)
        self.ids.text.text = note.text if note else ""
        self.ids.text.input_filter = lambda text, _undo: (
            text if len(self.ids.text.text) + len(text) <= MAX_NOTE_CHARS else ""
        )
        # A frame later: Kivy adds the keyboard to the window after the focus has changed.
        self._rise = Clock.create_trigger(self.rise_over_keyboard)
        self.ids.text.fbind("focus", self._rise)
        self.fbind("height", self._rise)

    def rise_over_keyboard(self, *_args) -> None:
        highest = Window.height * (1 - self.REST_TOP)  # up to the window's top edge
        self.lift = min(lift_over_keyboard(self.ids.text, self.lift), highest)

    @property
    def chosen_tags(self) -> tuple[str, ...]:
        return tuple(t.tag for t in self.ids.tags.children[::-1] if t.state == "down")

    def save(self) -> None:
        try:
            self.live.do(Note(self.image_id, self.ids.text.text, self.chosen_tags))
        except CommandError as exc:
            self.error = str(exc)
            return
        self.dismiss()


load_kv(__file__)
