"""The print the TV's actual-size screen shows, told to the room displays.

Which photo and which size the actual-size screen shows are the screen's own (a chip, an arrow:
no command, nothing saved), so the screen tells the feed each time it draws another, and a
display draws the same print at its own true size (kiosk/web/static/display.js), cropped as the
TV crops it: the largest centred crop of the paper's picture area (`kiosk.core.crop`)::

    PRINTS.publish(session_id, ShownPrint(image_id=12, width_in=8, height_in=10, label="8×10"))
    PRINTS.subscribe(listener)          # listener(session_id), on the loop's thread
    print_state(PRINTS.latest(session_id), live.by_id)   # what the display is sent

Only a change is announced: the screen draws its print again on every resize and tick.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.core.crop import default_crop
from kiosk.core.glass import PRINT_BORDER_IN
from kiosk.core.models import Image
from kiosk.display.feed import Feed


@dataclass(frozen=True)
class ShownPrint:
    """A print as the actual-size screen hangs it: turned the photo's way, inches."""

    image_id: int
    width_in: float
    height_in: float
    label: str  # as the price list writes the size ("16×20")


PRINTS: Feed[ShownPrint] = Feed()


def print_state(shown: ShownPrint | None, by_id: Mapping[int, Image]) -> dict[str, Any] | None:
    """What a display needs to draw the print: its photo, its size in inches as it hangs, its
    white border, and the crop of the photo inside the border (x, y, w, h: fractions of the
    upright photo). None while the screen has not shown one, or its photo is gone."""
    image = by_id.get(shown.image_id) if shown is not None else None
    if shown is None or image is None:
        return None
    inner_w = max(0.1, shown.width_in - 2 * PRINT_BORDER_IN)
    inner_h = max(0.1, shown.height_in - 2 * PRINT_BORDER_IN)
    crop = default_crop(image.width, image.height, inner_w, inner_h, inner_w > inner_h)
    label = shown.label or f"{shown.width_in:g}×{shown.height_in:g}"
    if not re.search(r"[A-Za-z\"″]", label):
        label += " in"
    return {
        "image": image.id,
        "width_in": shown.width_in,
        "height_in": shown.height_in,
        "border_in": PRINT_BORDER_IN,
        "label": label,
        "crop": [round(v, 5) for v in crop.as_tuple()],
    }
