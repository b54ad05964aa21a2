"""Pairing a tablet from the TV: the 6-digit code, a QR code of the pairing link, and the
photographer's "forget all tablets". Opened by the photographer (key P, or a long press in the
top-left corner), behind the PIN when one is set."""

from __future__ import annotations

import io

import qrcode
from kivy.clock import Clock
from kivy.core.image import Image as CoreImage
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView

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


class ConnectPanel(ModalView):
    code_text = StringProperty("")
    address = StringProperty("")
    status = StringProperty("")
    qr_texture = ObjectProperty(None, allownone=True)

    def __init__(self, pairing, base_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pairing = pairing
        self.base_url = base_url
        self.address = f"{base_url}/pair"
        self._shown_code = ""
        self._tick = Clock.schedule_interval(self.refresh, 1.0)
        pairing.subscribe(self._changed)
        self.refresh()

    def _changed(self, _pairing) -> None:
        self.refresh()

    def refresh(self, *_args) -> None:
        code = self.pairing.current_code()  # rotates on its own; read it every second
        if code != self._shown_code:
            self._shown_code = code
            self.code_text = f"{code[:3]} {code[3:]}"
            self.qr_texture = qr_texture(self.pairing.pair_url(self.base_url))
        paired = len(self.pairing.paired_devices())
        tablets = (
            "No tablet paired yet"
            if not paired
            else ("1 tablet paired" if paired == 1 else f"{paired} tablets paired")
        )
        left = self.pairing.code_seconds_left()
        self.status = f"{tablets}. This code works once and changes in {left} s."

    def forget_all(self) -> None:
        self.pairing.revoke_all()
        self.refresh()

    def on_dismiss(self) -> None:
        self._tick.cancel()
        self.pairing.unsubscribe(self._changed)


load_kv(__file__)
