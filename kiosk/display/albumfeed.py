"""The album spread the TV's album screen shows, told to the room displays.

Which spread the client looks at is the screen's own (a swipe, no command), so the screen tells
the feed each time it shows another or the design changes, and a display draws the same
spread large: the open pages, each photo filling its cell about its centre, as on the TV::

    SPREADS.publish(session_id, ShownSpread("Heirloom album 10×10", 1, 10, 2.0, cells))
    spread_state(SPREADS.latest(session_id), live.by_id)     # what the display is sent
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.core.models import Image
from kiosk.display.feed import Feed

Cell = tuple[float, float, float, float, int]  # x, y, w, h (fractions of the spread), image id


@dataclass(frozen=True)
class ShownSpread:
    title: str  # the album, as the TV names it: "Heirloom album 10×10"
    index: int  # the spread shown, from 0
    count: int
    aspect: float  # the open spread's width over its height (2.0 for square pages)
    cells: tuple[Cell, ...]


SPREADS: Feed[ShownSpread] = Feed()


def spread_state(shown: ShownSpread | None, by_id: Mapping[int, Image]) -> dict[str, Any] | None:
    """The spread as the display draws it: an SVG of `width` × 100 units, the fold in the
    middle, each cell in those units with its photo (a photo gone since is an empty cell).
    None while the album screen has shown none."""
    if shown is None:
        return None
    width = round(100 * shown.aspect, 3)
    cells = [
        {
            "image": image_id if image_id in by_id else None,
            "x": round(x * width, 3),
            "y": round(y * 100, 3),
            "w": round(w * width, 3),
            "h": round(h * 100, 3),
        }
        for x, y, w, h, image_id in shown.cells
    ]
    return {
        "title": shown.title,
        "position": f"Spread {shown.index + 1} of {shown.count}",
        "width": width,
        "fold": round(width / 2, 3),
        "cells": cells,
    }
