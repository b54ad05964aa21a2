"""A spread drawn as a picture: each photo cropped to its cell (centred, filling it) on white
paper. The lab's file, the invoice's thumbnails and the TV's template strip are all this.

    picture = render_spread(Spread("three-up", (11, 12, 13)), paths, (4800, 2400), shape)
    picture.save("0042-album-spread-01.jpg", quality=95)

Each photo is decoded by libvips at the size its cell needs (shrink-on-load, EXIF orientation
applied), so a spread of 45 MP originals costs the memory of the spread, not of the originals.
No Kivy here: it runs in worker threads and in the order export.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps

from kiosk.core.album import AlbumShape, Cell, Spread

# Imported with the module, once, rather than on the cells' threads.
try:
    import pyvips

    from kiosk.imaging.printfile import filled
except ImportError:  # libvips missing: Pillow, with JPEG draft decoding
    pyvips = None

PAPER = (255, 255, 255)
CELL_WORKERS = min(4, len(os.sched_getaffinity(0)))
MISSING = (215, 212, 206)  # a cell whose photo cannot be read: shown, never left out silently


def cell_box(cell: Cell, size_px: tuple[int, int]) -> tuple[int, int, int, int]:
    """The cell's pixel box (left, top, right, bottom) on a spread of `size_px`."""
    width, height = size_px
    left, top = round(cell.x * width), round(cell.y * height)
    return left, top, round((cell.x + cell.w) * width), round((cell.y + cell.h) * height)


def render_spread(
    spread: Spread | tuple,
    images: Mapping[int, str | Path],
    size_px: tuple[int, int],
    shape: AlbumShape,
) -> PILImage.Image:
    """The spread as an RGB picture of `size_px`: `images` maps image id to the file to print
    from (the original for the lab, the thumbnail for an invoice). An unknown template is drawn
    with the first of the shape's templates for as many photos, so an old design still prints."""
    template_id, image_ids = spread
    template = shape.template(template_id)
    if template is None or len(template.cells) != len(image_ids):
        fits = shape.for_count(len(image_ids))
        template = fits[0] if fits else shape.templates[0]
    picture = PILImage.new("RGB", size_px, PAPER)
    cells = [cell_box(cell, size_px) for cell in template.cells[: len(image_ids)]]
    sizes = [(max(1, right - left), max(1, bottom - top)) for left, top, right, bottom in cells]
    paths = [images.get(image_id) for image_id in image_ids[: len(cells)]]
    # The photos are decoded side by side: libvips reads a JPEG on one thread, and a spread
    # of four 45 MP originals took 1 s one after another.
    with ThreadPoolExecutor(min(len(cells), CELL_WORKERS) or 1) as pool:
        photos = pool.map(lambda path, box: _cover(path, box) if path else None, paths, sizes)
        for (left, top, _, _), box, photo in zip(cells, sizes, photos, strict=True):
            picture.paste(
                photo if photo is not None else PILImage.new("RGB", box, MISSING), (left, top)
            )
    return picture


def _cover(path: str | Path, box: tuple[int, int]) -> PILImage.Image | None:
    """The photo scaled to fill `box` and cropped about its centre. A photo in Adobe RGB (or
    CMYK) prints in its own colours, as sRGB; only such a photo is converted (sending every
    sRGB photo through the profiles took 4-7 s a cell)."""
    if pyvips is None:
        return _cover_pillow(path, box)
    try:
        return PILImage.fromarray(filled(path, box))
    except pyvips.Error:
        return _cover_pillow(path, box)


def _cover_pillow(path: str | Path, box: tuple[int, int]) -> PILImage.Image | None:
    try:
        with PILImage.open(path) as im:
            im.draft("RGB", (box[0] * 2, box[1] * 2))
            im = ImageOps.exif_transpose(im).convert("RGB")
            return ImageOps.fit(im, box, PILImage.Resampling.LANCZOS)
    except OSError:
        return None
