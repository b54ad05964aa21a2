"""Decoding a cached preview for the screen, off the UI thread (no Kivy here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage


@dataclass(frozen=True)
class Pixels:
    """Raw top-down RGBA rows ready for a texture upload (RGBA uploads in half the time of RGB
    on the GL drivers measured: bench/import_bench.py)."""

    width: int
    height: int
    data: bytes


def fit(width: int, height: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The largest size with the image's aspect ratio inside the box, never above the original."""
    scale = min(box_w / width, box_h / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode_fitted(path: Path | str, box: tuple[int, int]) -> Pixels:
    """Decode a preview scaled to fit `box`: the screen never uploads more pixels than it shows.

    JPEG `draft` lets libjpeg scale by 1/2, 1/4 or 1/8 while decoding, which is most of the win.
    """
    with PILImage.open(path) as im:
        w, h = fit(im.width, im.height, *box)
        im.draft("RGB", (w, h))
        im = im.convert("RGB")
        if im.size != (w, h):
            im = im.resize((w, h), PILImage.Resampling.LANCZOS, reducing_gap=2.0)
        return Pixels(w, h, im.convert("RGBA").tobytes())
