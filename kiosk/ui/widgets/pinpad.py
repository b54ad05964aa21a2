"""The photographer's PIN, typed on an on-screen number pad before anything a client should
not reach (quitting, pairing tablets). The PIN is `pin` in the studio's settings.toml."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.ui.loader import load_kv
from kiosk.ui.widgets.buttons import BigButton


class PinPad(ModalView):
    message = StringProperty("Photographer's PIN")
    typed = StringProperty("")
    wrong = BooleanProperty(False)

    def __init__(self, pin: str, on_ok: Callable[[], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.pin = pin
        self.on_ok = on_ok
        for label in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "Cancel", "0", "⌫"):
            key = BigButton(text=label, height=86, font_size=34 if label.isdigit() else 22)
            key.bind(on_release=lambda _k, label=label: self.press(label))
            self.ids.pad.add_widget(key)

    def press(self, label: str) -> None:
        if label == "Cancel":
            self.dismiss(animation=False)
            return
        if label == "⌫":
            self.typed = self.typed[:-1]
            return
        self.typed += label
        self.wrong = False
        self.message = "Photographer's PIN"
        if len(self.typed) >= len(self.pin):
            if hmac.compare_digest(self.typed, self.pin):
                self.dismiss(animation=False)
                self.on_ok()
            else:
                self.typed = ""
                self.wrong = True
                self.message = "Wrong PIN, try again"


load_kv(__file__)
