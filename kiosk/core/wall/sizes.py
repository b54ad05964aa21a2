"""The sizes the studio sells of a wall product, and stepping a piece between them.

A pinch on the wall-art screen never lands between sizes: `snap_size` finds the sold size
nearest to what the fingers ask for, `step_size` the next one up or down.

    sizes = (SoldSize("8x10", 8, 10), SoldSize("16x20", 16, 20))  # or sold_sizes(product)
    snap_size(sizes, 19, 15)         # the 16x20 turned landscape: SoldSize("16x20", 20, 16)
    step_size(sizes, sizes[1], -1)   # one size down: the 8x10
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kiosk.core.pricelist import Product


@dataclass(frozen=True)
class SoldSize:
    """One size of a wall product, oriented as hung (inches)."""

    variant: str  # the price list's variant id
    width: float
    height: float
    label: str = ""

    @property
    def portrait(self) -> bool:
        return self.height >= self.width

    def oriented(self, portrait: bool) -> SoldSize:
        if portrait == (self.height >= self.width) or self.width == self.height:
            return self
        return replace(self, width=self.height, height=self.width)


def sold_sizes(product: Product) -> tuple[SoldSize, ...]:
    """A wall product's sizes, smallest first, each as written (portrait or landscape)."""
    out = []
    for v in product.variants:
        if v.size is not None:
            w, h = v.size.inches()
            out.append(SoldSize(v.id, w, h, v.size.label))
    return tuple(sorted(out, key=lambda s: s.width * s.height))


def snap_size(
    sizes: Sequence[SoldSize], width: float, height: float, *, by: str = "area"
) -> SoldSize:
    """The sold size nearest to width × height (by `area` or `long` edge, as ratios, so a pinch
    feels the same at every size), in the orientation asked for."""
    if not sizes:
        raise ValueError("no sizes to snap to: the product has no sizes in the price list")
    portrait = height >= width
    want = max(1e-9, width * height if by == "area" else max(width, height))

    def distance(s: SoldSize) -> tuple[float, float]:
        have = s.width * s.height if by == "area" else max(s.width, s.height)
        aspect = abs(math.log(max(s.width, s.height) / min(s.width, s.height)))
        target = abs(math.log(max(width, height) / max(min(width, height), 1e-9)))
        return abs(math.log(have / want)), abs(aspect - target)

    return min(sizes, key=distance).oriented(portrait)


def step_size(sizes: Sequence[SoldSize], current: SoldSize, steps: int) -> SoldSize:
    """The sold size `steps` larger (or smaller, when negative) than `current`, same way up."""
    ordered = sorted(sizes, key=lambda s: s.width * s.height)
    here = min(
        range(len(ordered)),
        key=lambda i: abs(ordered[i].width * ordered[i].height - current.width * current.height),
    )
    target = ordered[max(0, min(len(ordered) - 1, here + steps))]
    return target.oriented(current.portrait)
