"""Wall mock-ups: a client's photographs hung on a room's wall, rendered with Pillow.

Each piece is drawn flat (the photo cropped to the product's shape, then the product: a
canvas's wrap, a frame's moulding and mat, a metal's or acrylic's sheen), warped into the
wall's perspective with the homography from `kiosk.core.wall` (Pillow's PERSPECTIVE
transform), its sides drawn where the camera sees them, and a soft shadow cast on the wall
first. Only each piece's bounding box is transformed, never the whole picture. The pieces and
shadows are drawn on a small thread pool (Pillow releases the GIL in its heavy calls) while
another thread enlarges the room; shadows, being blurred, are warped at their own low scale as
one-channel masks; photos are decoded at the scale their crop needs. Together these make a
6000-pixel export of eight framed pieces take about 1.2 s of CPU (bench/wallart_bench.py).

    art = Artwork("portrait.jpg", Placement(x=80, y=58, width=30, height=40), finish)
    picture = render_room(room, [art], width=1920)           # for the screen
    export(room, [art], "mockup.jpg")                         # 6000 px JPEG, sRGB, q 90
    export_comparison(room, [art], [other], "compare.jpg", labels=("30×40", "Triptych"))

Here, the entry points and the pool; a piece is drawn by `pieces` (its face from `finishes`,
its photo from `photos`, dimmed by `roomlight`), its shadow by `shadows`, and both are put in
perspective by `warping`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFont

from kiosk.config import ASSETS
from kiosk.core.wall import Room, Wall
from kiosk.imaging.mockup.artwork import Artwork
from kiosk.imaging.mockup.photos import clear_photo_cache
from kiosk.imaging.mockup.pieces import piece
from kiosk.imaging.mockup.roomlight import Lightness, luminance
from kiosk.imaging.mockup.shadows import shadow
from kiosk.imaging.mockup.warping import BICUBIC, Layer, as_rgba, paste
from kiosk.imaging.rooms import room_image

__all__ = [
    "Artwork",
    "clear_photo_cache",
    "comparison",
    "export",
    "export_comparison",
    "piece_layer",
    "render",
    "render_room",
    "save_jpeg",
]

EXPORT_WIDTH = 6000
JPEG_QUALITY = 90
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
_POOL = ThreadPoolExecutor(min(4, os.cpu_count() or 1), thread_name_prefix="mockup")


def render(
    base: Image.Image, wall: Wall, artworks: Sequence[Artwork], *, light: float = 0.0
) -> Image.Image:
    """A copy of `base` with the artworks hung on `wall` (its corners in `base`'s pixels).

    `light` is where the room's light comes from (-1 left, 0 above, 1 right): it sets which way
    shadows fall and which frame edges are lit.
    """
    return _composite(base, _draw(wall, artworks, light, base.size, luminance(base)))


def render_room(room: Room, artworks: Sequence[Artwork], *, width: int = 0) -> Image.Image:
    """The room with the artworks, at `width` pixels (0: the room image's own width).

    The room is decoded once and resized on one thread of the pool while the pieces are drawn
    on the others, then each piece is pasted as soon as it is ready."""
    width = width or room.wall.image_size[0]
    native = room_image(room.image)  # the luminance needs it; an export enlarges it
    if width > native.width:
        # An export: enlarged here rather than through room_image's cache, which would keep
        # 60 MB for a picture drawn once, and would have to be copied before drawing on it.
        # Submitted first: it is the longest single job, and the pieces fill the other core.
        size = (width, round(native.height * width / native.width))
        base, owned = _POOL.submit(native.resize, size, BICUBIC), True
    else:
        base, owned = _POOL.submit(room_image, room.image, width), False
    lum = luminance(native)  # scale-free: the room's own size will do
    height = round(room.wall.image_size[1] * width / room.wall.image_size[0])
    wall = room.wall.scaled(width / room.wall.image_size[0])
    drawn = _draw(wall, artworks, room.light, (width, height), lum)
    return _composite(base.result(), drawn, owned=owned)


def _draw(
    wall: Wall, artworks: Sequence[Artwork], light: float, size: tuple[int, int], lum: Lightness
) -> list[Future[list[Layer | None]]]:
    """Start drawing every piece and every shadow on the pool (Pillow lets go of the GIL while
    it decodes, resizes, blurs and warps, so two cores draw two pieces at once). The jobs come
    back in the order they are pasted: every shadow first, so that a shadow never darkens a
    neighbouring piece."""
    pieces = [_POOL.submit(piece, wall, art, light, size, lum) for art in artworks]
    shadows = [_POOL.submit(_shadow_layers, wall, art, light, size) for art in artworks]
    return shadows + pieces


def _shadow_layers(
    wall: Wall, art: Artwork, light: float, size: tuple[int, int]
) -> list[Layer | None]:
    return [shadow(wall, art, light, size)]


def _composite(
    base: Image.Image, drawn: Sequence[Future[list[Layer | None]]], *, owned: bool = False
) -> Image.Image:
    """The drawn layers pasted on `base` in order, each as soon as it is ready (while the rest
    are still drawn), on a copy of `base` unless `owned`."""
    if base.mode != "RGB":
        canvas = base.convert("RGB")
    else:
        canvas = base if owned else base.copy()
    for job in drawn:
        for layer in job.result():
            paste(canvas, layer)
    return canvas


def export(
    room: Room,
    artworks: Sequence[Artwork],
    path: str | Path,
    *,
    width: int = EXPORT_WIDTH,
    quality: int = JPEG_QUALITY,
) -> Path:
    """Write the mock-up as an sRGB JPEG, the room upscaled to `width` with the same geometry
    the screen uses."""
    return save_jpeg(render_room(room, artworks, width=width), path, quality)


def export_comparison(
    room: Room,
    first: Sequence[Artwork],
    second: Sequence[Artwork],
    path: str | Path,
    *,
    width: int = EXPORT_WIDTH,
    labels: tuple[str, str] = ("", ""),
    quality: int = JPEG_QUALITY,
) -> Path:
    """Two arrangements on the same wall, side by side in one JPEG `width` pixels wide."""
    return save_jpeg(comparison(room, first, second, width=width, labels=labels), path, quality)


def comparison(
    room: Room,
    first: Sequence[Artwork],
    second: Sequence[Artwork],
    *,
    width: int = EXPORT_WIDTH,
    labels: tuple[str, str] = ("", ""),
) -> Image.Image:
    gutter = max(8, width // 150)
    half = (width - gutter) // 2
    left = render_room(room, first, width=half)
    right = render_room(room, second, width=half)
    band = round(left.height * 0.09) if any(labels) else 0
    sheet = Image.new("RGB", (width, left.height + band), (246, 244, 240))
    sheet.paste(left, (0, 0))
    sheet.paste(right, (width - half, 0))
    if band:
        draw = ImageDraw.Draw(sheet)
        font = _font(round(band * 0.42))
        for x, text in ((0, labels[0]), (width - half, labels[1])):
            draw.text(
                (x + half / 2, left.height + band / 2),
                text,
                fill=(40, 38, 36),
                font=font,
                anchor="mm",
            )
    return sheet


def save_jpeg(picture: Image.Image, path: str | Path, quality: int = JPEG_QUALITY) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if picture.mode != "RGB":  # convert() would copy 60 MB even when there is nothing to do
        picture = picture.convert("RGB")
    picture.save(path, "JPEG", quality=quality, icc_profile=SRGB_ICC)
    return path


def piece_layer(wall: Wall, art: Artwork, *, light: float = 0.0) -> Layer:
    """One piece with its shadow as an RGBA sprite and where it goes in the wall's image: for
    a screen that moves pieces as textures and re-renders only the one that changed."""
    layers = [
        shadow(wall, art, light, wall.image_size),
        *piece(wall, art, light, wall.image_size),
    ]
    layers = [layer for layer in layers if layer is not None]
    left = min(pos[0] for _, pos in layers)
    top = min(pos[1] for _, pos in layers)
    right = max(pos[0] + im.width for im, pos in layers)
    bottom = max(pos[1] + im.height for im, pos in layers)
    sprite = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    for im, (x, y) in layers:
        sprite.alpha_composite(as_rgba(im), (x - left, y - top))
    return sprite, (left, top)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(ASSETS / "fonts" / "Inter-Medium.otf"), size)
    except OSError:
        return ImageFont.load_default(size)
