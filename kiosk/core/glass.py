"""Actual size on the glass: how many of the TV's pixels make an inch, and so how large a print
is drawn so that a client holding a real 8×10 sees the same size on the screen.

The studio says how big its screen is once, either as its diagonal (`screen_diagonal_in` in
settings.toml) or by holding a ruler to it (the photographer stretches an on-screen bar to
exactly 10 cm, which stores `screen_ppi`). A ruler wins: it measures the glass itself, while a
diagonal trusts the label on the box (a "65-inch" panel is often 64.5 in of picture).

    ppi = ppi_from_diagonal(65, (1920, 1080))      # 33.9 pixels per inch
    ppi = ppi_from_ruler(bar_px=534, length_in=RULER_LENGTHS["10 cm"])
    print_px(8, 10, ppi)                           # (271, 339): an 8×10 on that TV
    fits(print_px(24, 30, ppi), (1920, 800))       # False: say so, show what fits

Pure arithmetic, no Kivy: pixel numbers in, pixel numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.core.errors import CalibrationError
from kiosk.core.pricelist import Product
from kiosk.core.wall import SoldSize, sold_sizes

MM_PER_INCH = 25.4
# What the ruler bar can be set against, and its length in inches.
RULER_LENGTHS = {"10 cm": 100 / MM_PER_INCH, "4 in": 4.0}
# Pixels per inch a screen can plausibly have: a 150-inch 720p projection has ~10, a 4K
# tablet ~300. Outside that, the number was mistyped or the bar slipped.
MIN_PPI = 8.0
MAX_PPI = 400.0
PRINT_BORDER_IN = 0.25  # the white paper round the picture, as on the studio's sample prints


Resolution = tuple[int, int]


def ppi_from_diagonal(diagonal_in: float, resolution: Resolution) -> float:
    """Pixels per inch of a screen `diagonal_in` inches across its picture (square pixels)."""
    if not diagonal_in > 0:
        raise CalibrationError(
            f"A screen diagonal of {diagonal_in} inches cannot be right. Enter the size printed "
            "on the TV (for example 65), or measure the screen with a ruler."
        )
    w, h = resolution
    return _checked(math.hypot(w, h) / diagonal_in, "diagonal")


def diagonal_from_ppi(ppi: float, resolution: Resolution) -> float:
    """The picture's diagonal in inches: what a ruler calibration says the screen is."""
    w, h = resolution
    return math.hypot(w, h) / ppi


def ppi_from_ruler(bar_px: float, length_in: float) -> float:
    """Pixels per inch from a bar of `bar_px` pixels that measures `length_in` on a ruler."""
    if not bar_px > 0 or not length_in > 0:
        raise CalibrationError(
            "The ruler bar has no length. Stretch it until it matches the ruler, then save."
        )
    return _checked(bar_px / length_in, "ruler")


def ruler_px(ppi: float, length_in: float) -> float:
    """How long the ruler bar is drawn for a given pixels-per-inch: the inverse of the above."""
    return ppi * length_in


def _checked(ppi: float, source: str) -> float:
    if not MIN_PPI <= ppi <= MAX_PPI:
        what = "That diagonal" if source == "diagonal" else "The bar against the ruler"
        raise CalibrationError(
            f"{what} gives {ppi:.1f} pixels per inch, which no TV has (expected "
            f"{MIN_PPI:.0f} to {MAX_PPI:.0f}). Check the number, or measure again with a ruler."
        )
    return ppi


def screen_ppi(
    resolution: Resolution, *, diagonal_in: float = 0.0, measured_ppi: float = 0.0
) -> float | None:
    """The screen's pixels per inch from the studio's settings: the ruler's measurement when
    there is one, else the diagonal, else None (not configured: no size can be promised)."""
    if measured_ppi > 0:
        return measured_ppi
    if diagonal_in > 0:
        return ppi_from_diagonal(diagonal_in, resolution)
    return None


def print_px(width_in: float, height_in: float, ppi: float) -> tuple[int, int]:
    """A print's size on the screen, whole pixels (the nearest: within half a pixel)."""
    return round(width_in * ppi), round(height_in * ppi)


def fits(size_px: tuple[float, float], area_px: tuple[float, float]) -> bool:
    """Whether a print of `size_px` is shown whole in `area_px` (the part of the screen free
    for it)."""
    return size_px[0] <= area_px[0] and size_px[1] <= area_px[1]


@dataclass(frozen=True)
class GlassSize:
    """A print size as it would hang for this photo, and how the screen can show it."""

    size: SoldSize  # oriented like the photo
    width_px: int
    height_px: int
    whole: bool  # False: larger than the free part of the screen; only its middle is shown

    @property
    def label(self) -> str:
        return self.size.label or f"{_plain(self.size.width)}×{_plain(self.size.height)}"


def on_glass(
    size: SoldSize, ppi: float, area_px: tuple[float, float], *, portrait: bool
) -> GlassSize:
    """`size` turned to the photo's orientation and measured in the screen's pixels."""
    turned = size.oriented(portrait)
    w, h = print_px(turned.width, turned.height, ppi)
    return GlassSize(turned, w, h, fits((w, h), area_px))


def print_sizes(products: Iterable[Product]) -> tuple[SoldSize, ...]:
    """Every size the wall products sell, once (an 8×10 print and an 8×10 metal are one
    size on the glass), smallest first, as the price list writes them."""
    seen: dict[tuple[float, float], SoldSize] = {}
    for product in products:
        if not product.is_wall_item:
            continue
        for size in sold_sizes(product):
            key = (min(size.width, size.height), max(size.width, size.height))
            seen.setdefault(key, size)
    return tuple(sorted(seen.values(), key=lambda s: (s.width * s.height, max(s.width, s.height))))


def _plain(value: float) -> str:
    return f"{value:g}"
