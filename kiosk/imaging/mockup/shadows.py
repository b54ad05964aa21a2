"""The shadow a piece casts on the wall: a contact shadow and a soft one below it."""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from kiosk.core.wall import Placement, Wall
from kiosk.imaging.mockup.artwork import Artwork
from kiosk.imaging.mockup.pieces import texture_ppi
from kiosk.imaging.mockup.warping import Layer, warp_mask


def shadow(wall: Wall, art: Artwork, light: float, size: tuple[int, int]) -> Layer | None:
    """A contact shadow and a soft one below it, drawn on the wall plane and warped.

    The shadow is blurred at no more than 12 px per inch, so warping it at the export's full
    resolution only interpolates: it is warped at 1/n of the picture's scale (n whole, so the
    small pixel grid lands exactly on the big one) and enlarged, a quarter of the work at n = 2.
    It is a grey mask only, pasted in one dark colour."""
    p, depth = art.placement, art.finish.depth
    ppi = min(12.0, texture_ppi(wall, p))
    soft_blur, soft_drop = 0.5 + 0.9 * depth, 0.3 + 0.9 * depth
    margin = soft_blur * 3 + soft_drop + abs(light) * depth
    area = Placement(p.x, p.y, p.width + 2 * margin, p.height + 2 * margin)
    tw, th = max(4, round(area.width * ppi)), max(4, round(area.height * ppi))
    total = Image.new("L", (tw, th), 0)
    for drop, side, blur, strength in (
        (0.12 + 0.1 * depth, 0.0, 0.15 + 0.12 * depth, 0.5),
        (soft_drop, -light * 0.45 * depth, soft_blur, 0.36),
    ):
        mask = Image.new("L", (tw, th), 0)
        x0 = (margin + side) * ppi
        y0 = (margin + drop) * ppi  # image rows run down the wall
        ImageDraw.Draw(mask).rectangle(
            (x0, y0, x0 + p.width * ppi, y0 + p.height * ppi), fill=round(255 * strength)
        )
        total = ImageChops.add(total, mask.filter(ImageFilter.GaussianBlur(blur * ppi)))
    n = max(1, math.floor(texture_ppi(wall, area) / ppi))
    quad = tuple((u / n, v / n) for u, v in wall.quad(area))
    small = warp_mask(total, quad, (math.ceil(size[0] / n), math.ceil(size[1] / n)))  # type: ignore[arg-type]
    if small is None:
        return None
    im, (left, top) = small
    if n > 1:
        im = im.resize((im.width * n, im.height * n), Image.Resampling.BILINEAR)
    return im, (left * n, top * n)
