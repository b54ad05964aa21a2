"""How a wall product looks hung: its depth off the wall, its edge, frame and mat colours.

The renderer draws from a `Finish`, never from the price list: `finish_for` reads the product's
kind and the client's option choices (price-list ids) once.

    finish_for(canvas, {"depth": "0.75"})   # canvas: a price-list Product of kind "canvas"
    # Finish(kind="canvas", depth=0.75, thickness=0.75, …)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.core.pricelist import Product

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Finish:
    """What the renderer needs to know about a product; inches and sRGB colours."""

    kind: str  # "canvas", "framed", "metal", "acrylic", "print"
    depth: float  # how far the face stands off the wall
    thickness: float  # of the visible edge (a canvas's whole depth, an acrylic block's)
    frame_colour: RGB = (0, 0, 0)
    frame_width: float = 0.0  # moulding profile, framed only
    mat_colour: RGB | None = None
    image_size: tuple[float, float] | None = None  # framed: the photo's opening, as listed
    glossy: bool = False
    wood: bool = False


FRAME_COLOURS: dict[str, tuple[RGB, bool]] = {
    "walnut": ((96, 62, 40), True),
    "oak": ((170, 130, 86), True),
    "black": ((30, 29, 30), False),
    "white": ((236, 234, 228), False),
    "gold": ((178, 142, 74), False),
    "silver": ((176, 176, 172), False),
}
MAT_COLOURS: dict[str, RGB] = {
    "white": (247, 246, 241),
    "cream": (240, 232, 212),
    "black": (28, 28, 28),
}


def finish_for(
    product: Product, choices: Mapping[str, str] | None = None, variant: str = ""
) -> Finish:
    """The finish of a wall product with the client's option choices (price-list ids)."""
    choices = choices or {}
    kind = product.kind
    if kind == "canvas":
        depth = float(choices.get("depth", "1.5")) if _number(choices.get("depth")) else 1.5
        return Finish("canvas", depth, depth)
    if kind == "metal":
        return Finish("metal", 0.75, 0.06, glossy=choices.get("finish", "gloss") != "matte")
    if kind == "acrylic":
        thick = 0.5 if choices.get("thickness") == "half" else 0.25
        return Finish("acrylic", 0.5 + thick, thick, glossy=True)
    if kind == "framed":
        colour, wood = FRAME_COLOURS.get(choices.get("frame", "black"), FRAME_COLOURS["black"])
        mat_id = choices.get("mat", "white")
        opening = None
        v = product.variant(variant) if variant else None
        if v is not None:
            found = re.search(r"(\d+(?:\.\d+)?)\s*[×x]\s*(\d+(?:\.\d+)?)\s*image", v.name)
            if found:
                opening = (float(found.group(1)), float(found.group(2)))
        return Finish(
            "framed",
            1.0,
            1.0,
            frame_colour=colour,
            frame_width=1.25,
            mat_colour=None if mat_id == "none" else MAT_COLOURS.get(mat_id, MAT_COLOURS["white"]),
            image_size=opening,
            wood=wood,
        )
    return Finish("print", 0.2, 0.2)


def _number(text: str | None) -> bool:
    try:
        float(text or "")
    except ValueError:
        return False
    return True
