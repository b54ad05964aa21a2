"""The spread templates on disk: one file per album shape in `layouts/albums/`, read once.

    shapes = load_shapes()                     # {"square": AlbumShape, "landscape": ...}
    shape = shape_for(variant)                 # the templates for an album variant's pages

An album whose pages have no file of their own (a portrait album) takes the shape whose pages
are nearest in proportion, so "Design the album" always has templates to offer.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from kiosk.config import LAYOUTS
from kiosk.core.album import AlbumShape, parse_templates, shape_of
from kiosk.core.errors import AlbumTemplateError
from kiosk.core.pricelist import Variant

FOLDER = LAYOUTS / "albums"


def load_shapes(folder: Path = FOLDER) -> dict[str, AlbumShape]:
    """Every album shape's templates; AlbumTemplateError names a broken file."""
    return dict(_load(str(folder)))


@cache
def _load(folder: str) -> tuple[tuple[str, AlbumShape], ...]:
    shapes: dict[str, AlbumShape] = {}
    for path in sorted(Path(folder).glob("*.toml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AlbumTemplateError(f"{path.name} cannot be read ({exc}).") from exc
        shape = parse_templates(text, file=path.name)
        if shape.shape in shapes:
            raise AlbumTemplateError(f"{path.name}: another file holds the {shape.shape} shape.")
        shapes[shape.shape] = shape
    if not shapes:
        raise AlbumTemplateError(f"There are no album templates in {folder}; reinstall Reveal.")
    return tuple(shapes.items())


def page_inches(variant: Variant) -> tuple[float, float]:
    """A page's width and height in inches (a 10×10 album has 10×10 pages); 10×10 when the
    price list gives no size."""
    return variant.size.inches() if variant.size is not None else (10.0, 10.0)


def shape_for(variant: Variant, folder: Path = FOLDER) -> AlbumShape:
    return shape_for_page(*page_inches(variant), folder=folder)


def shape_for_page(width: float, height: float, *, folder: Path = FOLDER) -> AlbumShape:
    """The templates for pages of this size (any unit: only the proportion counts)."""
    shapes = load_shapes(folder)
    named = shapes.get(shape_of(width, height))
    if named is not None:
        return named
    wanted = math.log(width / height)
    return min(shapes.values(), key=lambda s: abs(math.log(s.page_aspect) - wanted))


def spread_pixels(variant: Variant, ppi: int) -> tuple[int, int]:
    """A spread's size in pixels at `ppi`: two pages side by side."""
    width, height = page_inches(variant)
    return round(2 * width * ppi), round(height * ppi)
