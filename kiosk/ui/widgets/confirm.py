"""A modal question with two big answers; the safe answer is on the left and is the default."""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import StringProperty
from kivy.uix.modalview import ModalView

from kiosk.ui.loader import load_kv
from kiosk.ui.widgets import buttons  # noqa: F401  (BigButton, used in confirm.kv)

load_kv(__file__)


class Confirm(ModalView):
    question = StringProperty("")
    detail = StringProperty("")
    confirm_text = StringProperty("OK")
    cancel_text = StringProperty("Cancel")

    def __init__(self, on_confirm: Callable[[], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_confirm = on_confirm

    def answer(self, confirmed: bool) -> None:
        self.dismiss(animation=False)
        if confirmed:
            self.on_confirm()
