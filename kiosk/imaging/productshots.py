"""Pictures of a product made from the client's own photo, for the order screen's picker.

Wall products (print, canvas, metal, acrylic, framed) are drawn by the wall mock-up renderer
(`kiosk.imaging.mockup.render`) on a plain wall seen a little from the left, so that a canvas
shows its wrap, a frame its moulding and mat, metal and acrylic their sheen, and every piece its
shadow. Albums, digital files, retouching and other products are a drawing from
`assets/products/` (made by `scripts/make_product_pictures.py`) with the photo laid into its
window. No Kivy here: the screen calls this from a worker thread and uploads the result.

    picture = product_picture("preview.jpg", product, "16x20", {"depth": "1.5"}, 640, aspect=1.5)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from kiosk.config import ASSETS
from kiosk.core.crop import Crop
from kiosk.core.pricelist import WALL_KINDS, Product
from kiosk.core.wall import Placement, Wall, finish_for
from kiosk.imaging.mockup import Artwork, render

PICTURES = ASSETS / "products"
WALL_TONE = (229, 224, 215)  # a warm gallery white: every product sits on the same wall
WALL_SHADE = (205, 199, 189)  # the wall's far corner, so the plain wall reads as a room
TURN = 32.0  # degrees the wall turns away on the right: the piece's left side shows
VIEW_BASE = 20.0  # inches of wall round the smallest piece
LIGHT = -0.5  # light from the left, lighting the side that shows
# Where the photo shows in each drawing, as fractions of its square (left, top, right, bottom).
WINDOWS: dict[str, tuple[float, float, float, float]] = {
    "album": (0.365, 0.3, 0.715, 0.59),
    "digital": (0.19, 0.26, 0.81, 0.69),
    "retouch": (0.17, 0.2, 0.65, 0.7),
}
DRAWN_KINDS = tuple(WINDOWS)


def product_picture(
    photo: str | Path,
    product: Product,
    variant: str,
    options: Mapping[str, str],
    px: int,
    *,
    aspect: float | None = None,
    crop: Crop | None = None,
) -> Image.Image:
    """The photo as `product` in `variant` with `options`, on a plain wall, `px` square (RGB).

    `aspect` (the photo's width / height) turns a wall piece to the photo's orientation; when
    None it is read from the file. A wall piece shows `crop` (kiosk.core.crop), turned as it
    is, when given; else the largest centred crop."""
    if aspect is None:
        with Image.open(photo) as im:
            aspect = im.width / im.height
    if product.kind in WALL_KINDS:
        chosen = product.variant(variant)
        if chosen is not None and chosen.size is not None:
            return wall_picture(
                photo, finish_for(product, options, variant), chosen.size.inches(), px, aspect, crop
            )
    return drawn_picture(photo, product.kind, px)


def wall_picture(
    photo: str | Path,
    finish,
    size: tuple[float, float],
    px: int,
    aspect: float,
    crop: Crop | None = None,
) -> Image.Image:
    """A wall piece of `size` inches, turned to the photo's orientation (or the crop's), seen
    from the left."""
    short, long = sorted(size)
    landscape = aspect > 1.0001 if crop is None else crop.w * aspect > crop.h
    w, h = (long, short) if landscape else (short, long)
    # Room for the shadow and the sides; and a wall that grows more slowly than the piece, so
    # that choosing 30×40 over 16×20 visibly gives more (5×7: a quarter of the picture's
    # height, 16×20: five eighths, 30×40 and up: three quarters).
    long = max(w, h)
    view = max(long * 1.24 + 4 * finish.depth, VIEW_BASE + 0.6 * long)
    margin = (view - long) / 2
    wall = _view(w + 2 * margin, h + 2 * margin, px)
    box = None if crop is None else (crop.x, crop.y, crop.x + crop.w, crop.y + crop.h)
    art = Artwork(str(photo), Placement(wall.width / 2, wall.height / 2, w, h), finish, box)
    return render(_backdrop(px), wall, [art], light=LIGHT)


def _view(width: float, height: float, px: int) -> Wall:
    """A wall `width`×`height` inches filling a `px` square, turned by TURN degrees, as a
    pinhole camera with its principal point at the centre sees it (what `Wall` assumes)."""
    turn = math.radians(TURN)
    distance = 2.4 * max(width, height)

    def seen(x: float, y: float) -> tuple[float, float]:  # inches from the wall's centre
        depth = distance + x * math.sin(turn)
        return x * math.cos(turn) / depth, -y / depth

    outline = [
        seen(x, y)
        for x, y in (
            (-width / 2, height / 2),
            (width / 2, height / 2),
            (width / 2, -height / 2),
            (-width / 2, -height / 2),
        )
    ]
    reach = max(max(abs(u), abs(v)) for u, v in outline)
    focal = px / 2 / reach
    corners = tuple((px / 2 + focal * u, px / 2 + focal * v) for u, v in outline)
    return Wall(corners, width, height, (px, px), focal=focal)  # type: ignore[arg-type]


def _backdrop(px: int) -> Image.Image:
    """The plain wall: lit from the left, a little darker towards the right."""
    ramp = Image.linear_gradient("L").rotate(90).resize((px, px))  # 255 at the left
    return Image.composite(
        Image.new("RGB", (px, px), WALL_TONE), Image.new("RGB", (px, px), WALL_SHADE), ramp
    )


def drawn_picture(photo: str | Path, kind: str, px: int) -> Image.Image:
    """The drawing for `kind` (an album for "album", a tablet for "digital", a print being
    retouched for anything else) with the photo in its window."""
    kind = kind if kind in WINDOWS else "retouch"
    picture = _backdrop(px).convert("RGBA")
    left, top, right, bottom = window_box(kind, px)
    picture.paste(_filled(photo, (right - left, bottom - top)), (left, top))
    picture.alpha_composite(_drawing(kind, px))
    return picture.convert("RGB")


@functools.lru_cache(maxsize=8)
def _drawing(kind: str, px: int) -> Image.Image:
    """The drawing at `px`, kept: decoding and reducing the 1024 px PNG is most of the cost."""
    with Image.open(PICTURES / f"{kind}.png") as drawing:
        return drawing.convert("RGBA").resize((px, px), Image.Resampling.LANCZOS)


def _filled(photo: str | Path, size: tuple[int, int]) -> Image.Image:
    """The photo cropped to fill `size` (centred), decoded no larger than needed."""
    with Image.open(photo) as im:
        if im.format == "JPEG":
            im.draft("RGB", size)
        im = ImageOps.exif_transpose(im).convert("RGB")
        return ImageOps.fit(im, size, Image.Resampling.LANCZOS)


def window_box(kind: str, px: int) -> tuple[int, int, int, int]:
    """Where the photo goes in the drawing for `kind`, in pixels of a `px` square."""
    left, top, right, bottom = WINDOWS[kind]
    return round(left * px), round(top * px), round(right * px), round(bottom * px)


def cut_window(drawing: Image.Image, kind: str) -> Image.Image:
    """Make the drawing transparent where the photo shows (the script draws, then cuts)."""
    hole = Image.new("L", drawing.size, 255)
    ImageDraw.Draw(hole).rectangle(window_box(kind, drawing.width), fill=0)
    alpha = Image.composite(drawing.getchannel("A"), hole, hole)
    drawing.putalpha(alpha)
    return drawing
