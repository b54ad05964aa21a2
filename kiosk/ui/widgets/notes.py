"""The retouching request for one photo: quick tags plus a short note, typed on screen."""

from __future__ import annotations

from kivy.properties import StringProperty
from kivy.uix.modalview import ModalView
from kivy.uix.togglebutton import ToggleButton

from kiosk.core.errors import CommandError
from kiosk.core.selection import MAX_NOTE_CHARS, RETOUCH_TAGS, Note
from kiosk.ui.loader import load_kv
from kiosk.ui.widgets import buttons  # noqa: F401  (BigButton, used in notes.kv)


class TagToggle(ToggleButton):
    pass


class NotesEditor(ModalView):
    error = StringProperty("")

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
