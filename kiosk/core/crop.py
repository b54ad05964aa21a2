"""How a photo is cropped for a print: what must stay true is that the frame is never partly
empty and always has the print's shape.

A `Crop` is a box in fractions of the original's upright width and height (EXIF orientation
applied), so it holds for the original, its preview and its thumbnail alike. Its shape in
pixels is the print's in the orientation the client chose: a landscape box prints the size
turned on its side. Without a chosen crop a line prints the largest centred one.

    default_crop(6000, 4000, 16, 20)   # a landscape photo prints landscape: x≈0.083, w≈0.833
    crop = clamp(Crop(0.9, 0.0, 0.5, 1.0), 6000, 4000, 16, 20)  # upright, back inside: x=0.5
    crop_box_px(crop, 6000, 4000)                  # (3000, 125, 6000, 3875)
    ppi = print_ppi(crop, 6000, 4000, 16, 20)      # 187.5
    resolution_note(ppi, "16×20", 150, 300)        # "prints at 187 ppi at 16×20: sharp ..."

Print sizes are in inches where pixels per inch are computed; elsewhere only their shape counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.core.pricelist.models import Size
    from kiosk.core.pricing.cart import CartLine

Number = Decimal | float | int

# The smallest frame a pinch may leave, as a share of the largest: below it a print is a blur
# of a few hundred pixels, and a finger could no longer grab the frame on the TV.
MIN_SCALE = 0.1
# How far a crop's shape may stray from the print's and still be that shape: the box is sent
# as fractions rounded to pixels on the way, so an exact match is not to be expected.
SHAPE_TOLERANCE = 0.01


@dataclass(frozen=True)
class Crop:
    """The box (x, y from the top left; w, h) in fractions 0..1 of the upright original."""

    x: float
    y: float
    w: float
    h: float

    def landscape(self, image_w: int, image_h: int) -> bool:
        """Wider than tall in the original's pixels: the print turned on its side."""
        return self.w * image_w > self.h * image_h

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.w, self.h)


def _aspect(print_w: Number, print_h: Number, landscape: bool) -> float:
    """Width over height of the print as hung: its long side across when `landscape`."""
    short, long = sorted((float(print_w), float(print_h)))
    if short <= 0:
        raise ValueError(f"A print size must be positive, not {print_w}×{print_h}.")
    return long / short if landscape else short / long


def _largest_px(image_w: int, image_h: int, aspect: float) -> tuple[float, float]:
    """The largest box of `aspect` (width/height) inside the image, in pixels."""
    if image_w / image_h > aspect:
        return image_h * aspect, float(image_h)
    return float(image_w), image_w / aspect


def default_crop(
    image_w: int,
    image_h: int,
    print_w: Number,
    print_h: Number,
    landscape: bool | None = None,
) -> Crop:
    """The largest centred crop of the print's shape; `landscape=None` orients the print like
    the photo (a square photo takes it upright)."""
    if landscape is None:
        landscape = image_w > image_h
    w_px, h_px = _largest_px(image_w, image_h, _aspect(print_w, print_h, landscape))
    w, h = min(w_px / image_w, 1.0), min(h_px / image_h, 1.0)
    return Crop((1.0 - w) / 2, (1.0 - h) / 2, w, h)


def clamp(crop: Crop, image_w: int, image_h: int, print_w: Number, print_h: Number) -> Crop:
    """`crop` made printable: the print's shape in its own orientation (kept from the crop's
    width in pixels), no larger than the largest crop nor smaller than `MIN_SCALE` of it,
    moved as little as needed to lie inside the photo. Its centre stays put when it can."""
    short, long = sorted((float(print_w), float(print_h)))
    if short == long:
        landscape = image_w > image_h  # a square print has no orientation of its own
    elif math.isclose(crop.w * image_w, crop.h * image_h):
        landscape = image_w > image_h
    else:
        landscape = crop.landscape(image_w, image_h)
    aspect = _aspect(print_w, print_h, landscape)
    largest_w, _ = _largest_px(image_w, image_h, aspect)
    wanted = crop.w * image_w if math.isfinite(crop.w) else largest_w
    w_px = min(max(wanted, largest_w * MIN_SCALE), largest_w)
    w, h = min(w_px / image_w, 1.0), min(w_px / aspect / image_h, 1.0)
    cx = crop.x + crop.w / 2 if math.isfinite(crop.x + crop.w) else 0.5
    cy = crop.y + crop.h / 2 if math.isfinite(crop.y + crop.h) else 0.5
    x = min(max(cx - w / 2, 0.0), 1.0 - w)
    y = min(max(cy - h / 2, 0.0), 1.0 - h)
    return Crop(x, y, w, h)


def reshaped(crop: Crop, image_w: int, image_h: int, print_w: Number, print_h: Number) -> Crop:
    """`crop` for another print size: the same centre, orientation and area in pixels, in the
    other size's shape (then made printable). What "this crop at 30×40" means."""
    landscape = crop.landscape(image_w, image_h)
    aspect = _aspect(print_w, print_h, landscape)
    area = crop.w * image_w * crop.h * image_h
    w, h = math.sqrt(area * aspect) / image_w, math.sqrt(area / aspect) / image_h
    cx, cy = crop.x + crop.w / 2, crop.y + crop.h / 2
    return clamp(Crop(cx - w / 2, cy - h / 2, w, h), image_w, image_h, print_w, print_h)


def crop_box_px(crop: Crop, image_w: int, image_h: int) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) in the original's pixels, inside it and at least 1 px."""
    left = min(max(round(crop.x * image_w), 0), image_w - 1)
    top = min(max(round(crop.y * image_h), 0), image_h - 1)
    right = min(max(round((crop.x + crop.w) * image_w), left + 1), image_w)
    bottom = min(max(round((crop.y + crop.h) * image_h), top + 1), image_h)
    return left, top, right, bottom


def print_ppi(crop: Crop, image_w: int, image_h: int, print_w: Number, print_h: Number) -> float:
    """The original's pixels per inch on the print, `print_w`×`print_h` in inches in either
    orientation: the crop decides which side is across."""
    short, long = sorted((float(print_w), float(print_h)))
    across, down = (long, short) if crop.landscape(image_w, image_h) else (short, long)
    return min(crop.w * image_w / across, crop.h * image_h / down)


def resolution_note(ppi: float, size_label: str, lab_min_ppi: float, lab_ppi: float) -> str | None:
    """What the client should know about the print's sharpness, in words; None at the lab's
    ideal `lab_ppi` or above. Below `lab_min_ppi` it is soft up close."""
    shown = math.floor(ppi)  # never say "150" of a print that falls short of 150
    if ppi >= lab_ppi:
        return None
    if ppi >= lab_min_ppi:
        return f"prints at {shown} ppi at {size_label}: sharp from a step back"
    return f"prints at {shown} ppi at {size_label}: soft up close"


def is_soft(ppi: float, lab_min_ppi: float) -> bool:
    """Below the lab's minimum: the size button is marked and the screen says so."""
    return ppi < lab_min_ppi


def shape_error(crop: Crop, image_w: int, image_h: int, print_w: Number, print_h: Number) -> str:
    """Why `crop` cannot be printed at this size, in words for the client; "" when it can."""
    values = crop.as_tuple()
    if not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
    ):
        return "The crop must be four numbers: left, top, width and height."
    eps = 1e-6
    if crop.w <= 0 or crop.h <= 0:
        return "The crop has no width or height; move the frame over the photo again."
    if crop.x < -eps or crop.y < -eps or crop.x + crop.w > 1 + eps or crop.y + crop.h > 1 + eps:
        return "The crop reaches outside the photo; move the frame back over it."
    aspect = _aspect(print_w, print_h, crop.landscape(image_w, image_h))
    actual = crop.w * image_w / (crop.h * image_h)
    if abs(actual / aspect - 1) > SHAPE_TOLERANCE:
        return "The crop is not the print's shape; adjust the frame again."
    return ""


def size_of(size: Size) -> tuple[float, float]:
    """A price list size in inches, as the functions here take it."""
    return size.inches()


def line_crop(line: CartLine, image_w: int, image_h: int, size: Size) -> Crop:
    """The crop `line` prints at `size`: the client's, kept printable, or the default."""
    print_w, print_h = size_of(size)
    if line.crop is None:
        return default_crop(image_w, image_h, print_w, print_h)
    return clamp(Crop(*line.crop), image_w, image_h, print_w, print_h)
