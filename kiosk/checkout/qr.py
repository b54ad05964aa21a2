"""QR codes for the TV and the invoice: a phone's camera opens the order page from them."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(url: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """A black-on-white PNG of `url`: `box_size` pixels per module and the standard 4-module
    quiet zone, which phone cameras need to find the code on a busy TV screen."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
