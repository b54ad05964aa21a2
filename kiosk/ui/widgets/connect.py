"""Pairing a tablet from the TV: the 6-digit code, a QR code of the pairing link, and the
photographer's "forget all tablets". Opened by the photographer (key P, or a long press in the
top-left corner), behind the PIN when one is set.

When wrong codes are arriving from the network the panel says so, in red: the QR code still
pairs, and a tap on the code gives a fresh one (kiosk.web.pairing explains why both always
work). "Forget all tablets" also withdraws the upload links of the session on screen, through
`on_forget`, since a tablet that saw the TV may have photographed its wall QR too. "Room
display" shows the room display's link and its QR instead (kiosk/display/links.py), with a field
for that screen's size: the link then carries it, and the display shows prints at true size."""

from __future__ import annotations

import io

import qrcode
from kivy.clock import Clock
from kivy.core.image import Image as CoreImage
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView

from kiosk.core.errors import CalibrationError
from kiosk.display.links import DisplayLinks, with_diagonal
from kiosk.ui.loader import load_kv
from kiosk.ui.widgets import buttons  # noqa: F401  (BigButton, used in connect.kv)


def qr_texture(text: str):
    """A QR code as a Kivy texture, sharp at any size (nearest-neighbour scaling)."""
    image = qrcode.make(text, border=2, box_size=10)
    data = io.BytesIO()
    image.save(data, format="PNG")
    data.seek(0)
    texture = CoreImage(data, ext="png").texture
    texture.mag_filter = "nearest"
    return texture


def spaced(code: str) -> str:
    """'123456' -> '123 456', '123456789' -> '123 456 789': read aloud in threes."""
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))


class CodeButton(ButtonBehavior, Label):
    """The code itself: a tap asks for a fresh one."""


class ConnectPanel(ModalView):
    code_text = StringProperty("")
    address = StringProperty("")
    status = StringProperty("")
    warning = StringProperty("")  # wrong codes arriving; empty otherwise
    qr_texture = ObjectProperty(None, allownone=True)
    display_address = StringProperty("")  # the room display's link, while its QR is shown
    display_diagonal = StringProperty("")  # that screen's size as typed ("65", "165cm")
    diagonal_error = StringProperty("")

    def __init__(self, pairing, base_url: str, on_forget=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pairing = pairing
        self.base_url = base_url
        self.on_forget = on_forget  # also called by "Forget all tablets": the wall links
        self.address = f"{base_url}/pair"
        self._shown_code = ""
        self._tick = Clock.schedule_interval(self.refresh, 1.0)
        pairing.subscribe(self._changed)
        self.refresh()

    def _changed(self, _pairing) -> None:
        self.refresh()

    def refresh(self, *_args) -> None:
        code = self.pairing.current_code()  # rotates on its own; read it every second
        shown = self.display_address and self._display_url()
        if shown and shown != self.display_address:
            self.display_address = shown  # the link was ended (another session): the new one
            self.qr_texture = qr_texture(shown)
        if code != self._shown_code:
            self._shown_code = code
            self.code_text = spaced(code)
            if not self.display_address:
                self.qr_texture = qr_texture(self.pairing.pair_url(self.base_url))
        paired = len(self.pairing.paired_devices())
        tablets = (
            "No tablet paired yet"
            if not paired
            else ("1 tablet paired" if paired == 1 else f"{paired} tablets paired")
        )
        left = self.pairing.code_seconds_left()
        self.status = (
            f"{tablets}. This code works once and changes in {left} s; tap it for a new one."
        )
        self.warning = self._warning()

    def _warning(self) -> str:
        if self.pairing.typing_paused:
            return (
                "Wrong codes are arriving from the network, so typed codes are paused. Scan "
                "the QR code, or tap the code for a fresh one."
            )
        count = self.pairing.wrong_codes_lately()
        if count:
            return (
                f"Wrong codes are arriving from the network ({count} in the last few "
                "minutes). The QR code always works; tap the code for a fresh one."
            )
        return ""

    def fresh_code(self) -> None:
        self.pairing.fresh_code()
        self.refresh()

    def toggle_display(self) -> None:
        """The QR of the room display's link (for a second screen, or `main.py display`), or
        back to the tablet's."""
        self.display_address = "" if self.display_address else self._display_url()
        self._shown_code = ""
        self.qr_texture = qr_texture(self.display_address) if self.display_address else None
        self.refresh()

    def set_diagonal(self, text: str, typed: bool = True) -> None:
        """The room display's size: its link and QR carry it from now on. While it is being
        typed (`typed` False) a size that is not one yet is not complained about."""
        try:
            with_diagonal("", text)
        except CalibrationError as error:
            self.diagonal_error = str(error) if typed else ""
            return
        self.diagonal_error = ""
        self.display_diagonal = text
        if self.display_address:
            self.display_address = self._display_url()
            self.qr_texture = qr_texture(self.display_address)

    def _display_url(self) -> str:
        url = DisplayLinks.of(self.pairing).display_url(self.base_url)
        return with_diagonal(url, self.display_diagonal)

    def forget_all(self) -> None:
        self.pairing.revoke_all()
        if self.on_forget is not None:
            self.on_forget()
        self.refresh()

    def on_dismiss(self) -> None:
        self._tick.cancel()
        self.pairing.unsubscribe(self._changed)


load_kv(__file__)
