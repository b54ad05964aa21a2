"""Reading a QR code back, as a phone would, from a screenshot, a PNG or a PDF's image.

The kiosk's tokens are random, so each run draws a different pattern, and OpenCV's readers
each miss some patterns at some scales. Like a phone held at a few distances, this tries both
readers on crisp (nearest-neighbour) enlargements with a white margin and returns the first
text read, or "" when no reading finds a code.
"""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

SCALES = (1, 2, 4, 0.5)  # a whole 1920 px screenshot reads better halved


def read_qr(picture: Image.Image | bytes | Path | str) -> str:
    image = _image(picture).convert("L")
    for scale in SCALES:
        size = (round(image.width * scale), round(image.height * scale))
        crisp = Image.Resampling.NEAREST if scale >= 1 else Image.Resampling.BOX
        framed = np.array(ImageOps.expand(image.resize(size, crisp), border=40, fill=255))
        for reader in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
            text, _points, _ = reader.detectAndDecode(framed)
            if text:
                return text
    return ""


def _image(picture: Image.Image | bytes | Path | str) -> Image.Image:
    if isinstance(picture, Image.Image):
        return picture
    if isinstance(picture, bytes):
        return Image.open(io.BytesIO(picture))
    return Image.open(picture)
