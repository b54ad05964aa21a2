"""The photographer's PIN, typed on an on-screen number pad before anything a client should
not reach (quitting, pairing tablets, measuring the TV). The PIN is `pin` in the studio's
settings.toml: 4 to 8 digits, or empty for none (kiosk.config.PIN_RULE).

The pad also offers "Quit the kiosk" when it is given `on_quit`: whoever knows the PIN taps it,
types the PIN, and is asked before the kiosk quits, so a full-screen kiosk can be left by touch.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.ui.loader import load_kv
from kiosk.ui.widgets.buttons import BigButton

ASK = "Photographer's PIN"
ASK_TO_QUIT = "PIN to quit the kiosk"


class PinPad(ModalView):
    message = StringProperty(ASK)
    typed = StringProperty("")
    wrong = BooleanProperty(False)
    can_quit = BooleanProperty(False)  # the "Quit the kiosk" button is offered
    quitting = BooleanProperty(False)  # the PIN being typed is for quitting

    def __init__(
        self,
        pin: str,
        on_ok: Callable[[], None],
        on_quit: Callable[[], None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.pin = pin
        self.on_ok = on_ok
        self.on_quit = on_quit
        self.can_quit = on_quit is not None
        for label in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "Cancel", "0", "⌫"):
            key = BigButton(text=label, height=86, font_size=34 if label.isdigit() else 22)
            key.bind(on_release=lambda _k, label=label: self.press(label))
            self.ids.pad.add_widget(key)

    def quit_instead(self) -> None:
        """The "Quit the kiosk" button: the PIN typed next quits (after a last question)."""
        self.quitting = not self.quitting
        self.typed, self.wrong = "", False
        self.message = ASK_TO_QUIT if self.quitting else ASK

    def press(self, label: str) -> None:
        if label == "Cancel":
            self.dismiss(animation=False)
            return
        if label == "⌫":
            self.typed = self.typed[:-1]
            return
        self.typed += label
        self.wrong = False
        self.message = ASK_TO_QUIT if self.quitting else ASK
        if len(self.typed) >= len(self.pin):
            if hmac.compare_digest(self.typed, self.pin):
                self.dismiss(animation=False)
                (self.on_quit if self.quitting and self.on_quit else self.on_ok)()
            else:
                self.typed = ""
                self.wrong = True
                self.message = "Wrong PIN, try again"


load_kv(__file__)
