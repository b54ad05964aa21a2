"""Wall mock-ups: a client's photographs hung on a room's wall, rendered with Pillow.

Each piece is drawn flat (the photo cropped to the product's shape, then the product: a
canvas's wrap, a frame's moulding and mat, a metal's or acrylic's sheen), warped into the
wall's perspective with the homography from `kiosk.core.wallart` (Pillow's PERSPECTIVE
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
"""

from __future__ import annotations

import math
import os
import random
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import (
    Image,
    ImageChops,
    ImageCms,
    ImageDraw,
    ImageEnhance,
    ImageFilter,
    ImageFont,
    ImageOps,
)

from kiosk.config import ASSETS
from kiosk.core.wall import Finish, Homography, Placement, Quad, Room, Wall, translation
from kiosk.imaging.rooms import room_image, to_srgb

EXPORT_WIDTH = 6000
JPEG_QUALITY = 90
MAX_TEXTURE = 4096  # px on a piece's long edge: beyond, the photo has no more to show
PAD = 2  # transparent pixels round a texture, so warped edges are antialiased
BICUBIC = Image.Resampling.BICUBIC
PERSPECTIVE = Image.Transform.PERSPECTIVE
SHADOW = (22, 18, 14)  # a warm near-black: shadows on a painted wall are not neutral
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
Layer = tuple[Image.Image, tuple[int, int]]  # an RGBA image (or an L mask of the shadow
# colour) and where its top-left goes
Lightness = tuple[Image.Image, float, float]  # small blurred luminance, its "lit" level, scale
_POOL = ThreadPoolExecutor(min(4, os.cpu_count() or 1), thread_name_prefix="mockup")


@dataclass(frozen=True)
class Artwork:
    """One photograph as a product on the wall."""

    image: str | Path
    placement: Placement  # centre and size on the wall, inches
    finish: Finish
    crop: tuple[float, float, float, float] | None = None  # fractions of the photo (l, t, r, b);
    # None: the largest centred crop of the piece's shape


# ---------------------------------------------------------------------------------------------
# Entry points


def render(
    base: Image.Image, wall: Wall, artworks: Sequence[Artwork], *, light: float = 0.0
) -> Image.Image:
    """A copy of `base` with the artworks hung on `wall` (its corners in `base`'s pixels).

    `light` is where the room's light comes from (-1 left, 0 above, 1 right): it sets which way
    shadows fall and which frame edges are lit.
    """
    return _composite(base, _draw(wall, artworks, light, base.size, _luminance(base)))


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
    lum = _luminance(native)  # scale-free: the room's own size will do
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
    pieces = [_POOL.submit(_piece, wall, art, light, size, lum) for art in artworks]
    shadows = [_POOL.submit(_shadow_layers, wall, art, light, size) for art in artworks]
    return shadows + pieces


def _shadow_layers(
    wall: Wall, art: Artwork, light: float, size: tuple[int, int]
) -> list[Layer | None]:
    return [_shadow(wall, art, light, size)]


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
            _paste(canvas, layer)
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
        _shadow(wall, art, light, wall.image_size),
        *_piece(wall, art, light, wall.image_size),
    ]
    layers = [layer for layer in layers if layer is not None]
    left = min(pos[0] for _, pos in layers)
    top = min(pos[1] for _, pos in layers)
    right = max(pos[0] + im.width for im, pos in layers)
    bottom = max(pos[1] + im.height for im, pos in layers)
    sprite = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    for im, (x, y) in layers:
        sprite.alpha_composite(_rgba(im), (x - left, y - top))
    return sprite, (left, top)


# ---------------------------------------------------------------------------------------------
# Warping


def warp(
    tex: Image.Image, quad: Quad, canvas_size: tuple[int, int], pad: int = PAD
) -> Layer | None:
    """Warp an RGBA texture (with `pad` transparent pixels round it) so that its inside lands
    on `quad`; only the quad's bounding box is computed. None when it falls outside."""
    box = _warp_box(tex.size, quad, canvas_size, pad)
    if box is None:
        return None
    size, data, pos = box
    # Premultiplied alpha, so that interpolating at an edge does not darken it.
    out = tex.convert("RGBa").transform(size, PERSPECTIVE, data, BICUBIC)
    return out.convert("RGBA"), pos


def _warp_mask(mask: Image.Image, quad: Quad, canvas_size: tuple[int, int]) -> Layer | None:
    """`warp` for a one-channel mask (a shadow's coverage): a quarter of the work of RGBA."""
    box = _warp_box(mask.size, quad, canvas_size, 0)
    if box is None:
        return None
    size, data, pos = box
    return mask.transform(size, PERSPECTIVE, data, BICUBIC), pos


def _warp_box(
    tex_size: tuple[int, int], quad: Quad, canvas_size: tuple[int, int], pad: int
) -> tuple[tuple[int, int], tuple[float, ...], tuple[int, int]] | None:
    """Where a texture warped onto `quad` lands on the canvas (its bounding box, clipped) and
    Pillow's PERSPECTIVE data to draw it there."""
    tw, th = tex_size
    inside = ((pad, pad), (tw - pad, pad), (tw - pad, th - pad), (pad, th - pad))
    h = Homography.from_points(inside, quad)
    outline = [h(0, 0), h(tw, 0), h(tw, th), h(0, th)]
    left = max(0, math.floor(min(u for u, _ in outline)))
    top = max(0, math.floor(min(v for _, v in outline)))
    right = min(canvas_size[0], math.ceil(max(u for u, _ in outline)))
    bottom = min(canvas_size[1], math.ceil(max(v for _, v in outline)))
    if right <= left or bottom <= top:
        return None
    data = translation(-left, -top).then_after(h).pil_data()
    return (right - left, bottom - top), data, (left, top)


def _paste(canvas: Image.Image, layer: Layer | None) -> None:
    if layer is None:
        return
    im, pos = layer
    if im.mode == "L":  # a shadow: its colour through its mask
        canvas.paste(SHADOW, (*pos, pos[0] + im.width, pos[1] + im.height), im)
    else:
        canvas.paste(im.convert("RGB"), pos, im.getchannel("A"))


def _rgba(im: Image.Image) -> Image.Image:
    if im.mode == "RGBA":
        return im
    out = Image.new("RGBA", im.size, SHADOW)
    out.putalpha(im)
    return out


def _padded(im: Image.Image, pad: int = PAD) -> Image.Image:
    out = Image.new("RGBA", (im.width + 2 * pad, im.height + 2 * pad), (0, 0, 0, 0))
    out.paste(im.convert("RGBA"), (pad, pad))
    return out


# ---------------------------------------------------------------------------------------------
# Shadows


def _shadow(wall: Wall, art: Artwork, light: float, size: tuple[int, int]) -> Layer | None:
    """A contact shadow and a soft one below it, drawn on the wall plane and warped.

    The shadow is blurred at no more than 12 px per inch, so warping it at the export's full
    resolution only interpolates: it is warped at 1/n of the picture's scale (n whole, so the
    small pixel grid lands exactly on the big one) and enlarged, a quarter of the work at n = 2.
    It is a grey mask only, pasted in one dark colour."""
    p, depth = art.placement, art.finish.depth
    ppi = min(12.0, _ppi(wall, p))
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
    n = max(1, math.floor(_ppi(wall, area) / ppi))
    quad = tuple((u / n, v / n) for u, v in wall.quad(area))
    small = _warp_mask(total, quad, (math.ceil(size[0] / n), math.ceil(size[1] / n)))  # type: ignore[arg-type]
    if small is None:
        return None
    im, (left, top) = small
    if n > 1:
        im = im.resize((im.width * n, im.height * n), Image.Resampling.BILINEAR)
    return im, (left * n, top * n)


# ---------------------------------------------------------------------------------------------
# Pieces


def _piece(
    wall: Wall,
    art: Artwork,
    light: float,
    size: tuple[int, int],
    lum: Lightness | None = None,
) -> list[Layer]:
    p, f = art.placement, art.finish
    ppi = min(_ppi(wall, p, f.depth), MAX_TEXTURE / max(p.width, p.height))
    tw, th = max(8, round(p.width * ppi)), max(8, round(p.height * ppi))
    if f.kind == "framed":
        front, edge = _framed(art, tw, th, ppi, light)
    else:
        photo = _photo_texture(art, tw, th)
        front = {
            "canvas": _canvas,
            "metal": _metal,
            "acrylic": _acrylic,
        }.get(f.kind, _print)(photo, ppi, light, f)
        edge = photo
    if lum is not None:
        front = _room_light(front, wall.quad(p, f.depth), lum)
    layers = [layer for layer in _sides(wall, art, edge, ppi, light, size) if layer]
    layer = warp(_padded(front), wall.quad(p, f.depth), size)
    return layers + ([layer] if layer else [])


def _ppi(wall: Wall, p: Placement, depth: float = 0.0) -> float:
    """Texture pixels per inch: the most the projected piece shows anywhere, so the warp never
    magnifies (which would blur it)."""
    q = wall.quad(p, depth)
    lengths = [math.dist(q[0], q[1]) / p.width, math.dist(q[3], q[2]) / p.width]
    lengths += [math.dist(q[0], q[3]) / p.height, math.dist(q[1], q[2]) / p.height]
    return max(2.0, max(lengths))


def _sides(
    wall: Wall, art: Artwork, edge: Image.Image, ppi: float, light: float, size: tuple[int, int]
) -> list[Layer | None]:
    """The four sides between the face and its back; those turned away end up under the face."""
    p, f = art.placement, art.finish
    z0, z1 = f.depth - f.thickness, f.depth
    band = max(2, round(f.thickness * ppi))
    lf, r, t, b = p.left, p.right, p.top, p.bottom
    w, h = edge.size
    lit = 1.0 - 0.12 * light  # the left side faces a light on the left
    faces = (  # texture strip (outer edge of the photo, mirrored), quad, brightness
        (
            edge.crop((0, 0, band, h)).transpose(Image.Transpose.FLIP_LEFT_RIGHT),
            ((lf, t, z0), (lf, t, z1), (lf, b, z1), (lf, b, z0)),
            0.72 * lit,
        ),
        (
            edge.crop((w - band, 0, w, h)).transpose(Image.Transpose.FLIP_LEFT_RIGHT),
            ((r, t, z1), (r, t, z0), (r, b, z0), (r, b, z1)),
            0.72 * (2 - lit),
        ),
        (
            edge.crop((0, 0, w, band)).transpose(Image.Transpose.FLIP_TOP_BOTTOM),
            ((lf, t, z0), (r, t, z0), (r, t, z1), (lf, t, z1)),
            0.95,
        ),
        (
            edge.crop((0, h - band, w, h)).transpose(Image.Transpose.FLIP_TOP_BOTTOM),
            ((lf, b, z1), (r, b, z1), (r, b, z0), (lf, b, z0)),
            0.5,
        ),
    )
    out = []
    for strip, corners, k in faces:
        if f.kind == "acrylic":  # polished clear edge: bright, a little of the photo's colour
            strip = Image.blend(
                strip.convert("RGB"), Image.new("RGB", strip.size, (250, 252, 252)), 0.6
            )
            k = min(1.1, k + 0.35)
        elif f.kind in ("metal", "print"):
            strip = Image.new(
                "RGB", strip.size, (228, 228, 226) if f.kind == "print" else (70, 72, 74)
            )
        quad = tuple(wall.project(*c) for c in corners)
        out.append(warp(_padded(_brightness(strip.convert("RGB"), k)), quad, size))  # type: ignore[arg-type]
    return out


def _brightness(im: Image.Image, k: float) -> Image.Image:
    return ImageEnhance.Brightness(im).enhance(k)


def _photo_texture(art: Artwork, tw: int, th: int) -> Image.Image:
    """The photo cropped to the piece's shape and sized to the texture."""
    path = str(art.image)
    full_w, full_h = _upright_size(path)
    cl, ct, cr, cb = art.crop or _cover(full_w / full_h, tw / th)
    # decoded at the scale the crop needs to fill the texture, not the photo's full size
    photo = _photo(path, max(tw / ((cr - cl) * full_w), th / ((cb - ct) * full_h)))
    pw, ph = photo.size
    box = (cl * pw, ct * ph, cr * pw, cb * ph)
    return photo.resize((tw, th), Image.Resampling.LANCZOS, box=box, reducing_gap=2.0)


def _cover(photo_aspect: float, aspect: float) -> tuple[float, float, float, float]:
    """The largest centred crop of shape `aspect`, in fractions of the photo."""
    if photo_aspect > aspect:
        k = aspect / photo_aspect
        return (0.5 - k / 2, 0.0, 0.5 + k / 2, 1.0)
    k = photo_aspect / aspect
    return (0.0, 0.5 - k / 2, 1.0, 0.5 + k / 2)


def _photo(path: str, scale: float) -> Image.Image:
    """The photo, upright, sRGB, decoded at no less than `scale` of its full size but no more
    than needed (JPEG draft mode: 1/2, 1/4, 1/8). Kept: a piece dragged or resized reuses the
    decode it already has."""
    with _PHOTOS_LOCK:
        kept = _PHOTOS.get(path)
        if kept is not None and (kept[1] >= scale - 1e-6 or kept[1] >= 1):
            _PHOTOS.move_to_end(path)
            return kept[0]
    with Image.open(path) as im:
        full = im.width
        if im.format == "JPEG" and scale < 1:
            # both sides scaled: draft() keeps each requested side, so a square request would
            # keep the long edge of a landscape photo at full size
            im.draft("RGB", (math.ceil(im.width * scale), math.ceil(im.height * scale)))
        im.load()
        decoded = im.width / full
        upright = ImageOps.exif_transpose(im, in_place=False) if _rotated(im) else im
        photo = to_srgb(upright)
    with _PHOTOS_LOCK:
        _PHOTOS[path] = (photo, decoded)
        while len(_PHOTOS) > 16:
            _PHOTOS.popitem(last=False)
    return photo


def _upright_size(path: str) -> tuple[int, int]:
    """The photo's full size as it is shown (EXIF orientation applied), from its header."""
    with _PHOTOS_LOCK:
        size = _SIZES.get(path)
    if size is None:
        with Image.open(path) as im:
            w, h = im.size
            size = (h, w) if im.getexif().get(0x0112, 1) in (5, 6, 7, 8) else (w, h)
        with _PHOTOS_LOCK:
            _SIZES[path] = size
    return size


def _rotated(im: Image.Image) -> bool:
    return im.getexif().get(0x0112, 1) != 1


def clear_photo_cache() -> None:
    with _PHOTOS_LOCK:
        _PHOTOS.clear()
        _SIZES.clear()


_PHOTOS: OrderedDict[str, tuple[Image.Image, float]] = OrderedDict()  # path: (photo, scale)
_SIZES: dict[str, tuple[int, int]] = {}
_PHOTOS_LOCK = threading.Lock()


# ---------------------------------------------------------------------------------------------
# Products, drawn flat


def _canvas(photo: Image.Image, ppi: float, light: float, f: Finish) -> Image.Image:
    """Canvas weave, and the wrap's rounded fold darkening the very edge."""
    w, h = photo.size
    weave = _noise((w, h), 18).point(lambda v: 244 + v // 24)
    face = ImageChops.multiply(photo, Image.merge("RGB", (weave, weave, weave)))
    return ImageChops.multiply(face, _edge_shade((w, h), max(1.0, 0.08 * ppi), 0.82))


def _print(photo: Image.Image, ppi: float, light: float, f: Finish) -> Image.Image:
    return photo


def _metal(photo: Image.Image, ppi: float, light: float, f: Finish) -> Image.Image:
    face = ImageEnhance.Color(ImageEnhance.Contrast(photo).enhance(1.06)).enhance(1.1)
    return _sheen(face, 0.16 if f.glossy else 0.07, light)


def _acrylic(photo: Image.Image, ppi: float, light: float, f: Finish) -> Image.Image:
    face = ImageEnhance.Color(ImageEnhance.Contrast(photo).enhance(1.08)).enhance(1.12)
    face = _sheen(face, 0.2, light, narrow=True)
    draw = ImageDraw.Draw(face)
    w, h = face.size
    line = max(1, round(0.05 * ppi))
    draw.rectangle((0, 0, w - 1, line - 1), fill=(250, 250, 250))  # the polished top edge
    draw.rectangle((0, h - line, w - 1, h - 1), fill=(60, 60, 62))
    return face


def _sheen(face: Image.Image, strength: float, light: float, narrow: bool = False) -> Image.Image:
    """A soft diagonal highlight, as a window reflects in a smooth surface."""
    w, h = face.size
    g = Image.linear_gradient("L").resize((64, 64))
    g = g.rotate(-35 if light <= 0 else 35, resample=BICUBIC, expand=False, fillcolor=0)
    band = g.point(lambda v: round(255 * max(0.0, 1 - abs(v - 90) / (40 if narrow else 90)) ** 2))
    band = band.resize((w, h), BICUBIC)
    white = Image.new("RGB", (w, h), (255, 255, 255))
    return Image.composite(white, face, band.point(lambda v: round(v * strength)))


def _edge_shade(size: tuple[int, int], width: float, low: float) -> Image.Image:
    """An RGB multiplier: 1 inside, falling to `low` at the very edge over `width` pixels."""
    w, h = size
    m = Image.new("L", size, 0)
    inset = max(1, round(width))
    ImageDraw.Draw(m).rectangle((inset, inset, w - 1 - inset, h - 1 - inset), fill=255)
    m = m.filter(ImageFilter.GaussianBlur(width / 2))
    lo = round(255 * low)
    m = m.point(lambda v: lo + (255 - lo) * v // 255)
    return Image.merge("RGB", (m, m, m))


def _framed(
    art: Artwork, tw: int, th: int, ppi: float, light: float
) -> tuple[Image.Image, Image.Image]:
    """Moulding with a lit top and a shaded bottom, a bevelled mat, the photo, glass.
    Returns the face and the texture for the frame's outer sides."""
    f, p = art.finish, art.placement
    fw = max(2, round(f.frame_width * ppi))
    face = Image.new("RGB", (tw, th), f.mat_colour or (30, 30, 30))
    if f.mat_colour:
        face = ImageChops.multiply(face, _grain((tw, th), 6))
    inner_w, inner_h = tw - 2 * fw, th - 2 * fw
    if f.mat_colour and f.image_size:
        ow, oh = sorted(f.image_size, reverse=p.width > p.height)
        ow, oh = min(round(ow * ppi), inner_w - 2), min(round(oh * ppi), inner_h - 2)
    elif f.mat_colour:
        ow, oh = inner_w - round(2.5 * ppi), inner_h - round(2.5 * ppi)
    else:
        ow, oh = inner_w, inner_h
    ox, oy = (tw - ow) // 2, (th - oh) // 2
    photo = _photo_texture(art, max(4, ow), max(4, oh))
    face.paste(photo, (ox, oy))
    if f.mat_colour:
        _bevel(face, (ox, oy, ox + ow, oy + oh), max(1, round(0.12 * ppi)), f.mat_colour, light)
    # The moulding's lip shades the mat below the top edge and on the side away from the light.
    lip = Image.new("L", (tw, th), 255)
    ImageDraw.Draw(lip).rectangle((fw, fw, tw - fw - 1, th - fw - 1), fill=0)
    lip = ImageChops.offset(lip, round(0.3 * light * ppi * -0.5), round(0.18 * ppi))
    lip = lip.filter(ImageFilter.GaussianBlur(max(1.0, 0.2 * ppi))).point(
        lambda v: 255 - v * 45 // 100
    )
    face = ImageChops.multiply(face, Image.merge("RGB", (lip, lip, lip)))
    face = _sheen(face, 0.05, light)  # glazing
    moulding = _moulding(f, tw, th, fw, light)
    face.paste(moulding, (0, 0), moulding.getchannel("A"))
    side = Image.new("RGB", (tw, th), f.frame_colour)
    if f.wood:  # grained only in the bands _sides() cuts for the frame's outer sides
        band = min(tw, th, max(2, round(f.thickness * ppi)))
        for box in (
            (0, 0, tw, band),
            (0, th - band, tw, th),
            (0, 0, band, th),
            (tw - band, 0, tw, th),
        ):
            part = Image.new("RGB", (box[2] - box[0], box[3] - box[1]), f.frame_colour)
            side.paste(ImageChops.multiply(part, _wood(part.size)), box)
    return face, side


def _moulding(f: Finish, tw: int, th: int, fw: int, light: float) -> Image.Image:
    """Four mitred sides of the frame, each shaded across its profile and by where it faces."""
    gold = f.frame_colour[0] > 150 and f.frame_colour[2] < 100
    bright = sum(f.frame_colour) > 600  # a white frame needs darker shading to read
    profile = Image.new("L", (1, 64))
    values = []
    for i in range(64):
        t = i / 63  # 0 at the outer edge, 1 at the inner lip
        v = 0.78 + 0.42 * math.exp(-(((t - 0.28) / 0.16) ** 2)) * (1.6 if gold else 1.0)
        v -= 0.35 * max(0.0, (t - 0.86) / 0.14)  # the lip rolls down into the rebate
        v -= 0.12 * max(0.0, (0.08 - t) / 0.08)
        values.append(max(0, min(255, round(200 * v * (0.92 if bright else 1.0)))))
    profile.putdata(values)
    out = Image.new("RGBA", (tw, th), (0, 0, 0, 0))
    sides = (  # polygon, rotation of the profile (outer edge first), brightness
        ([(0, 0), (tw, 0), (tw - fw, fw), (fw, fw)], 0, 1.14),
        ([(0, th), (tw, th), (tw - fw, th - fw), (fw, th - fw)], 180, 0.72),
        ([(0, 0), (fw, fw), (fw, th - fw), (0, th)], 90, 1.0 - 0.1 * light),
        ([(tw, 0), (tw - fw, fw), (tw - fw, th - fw), (tw, th)], 270, 0.9 + 0.1 * light),
    )
    across = profile.resize((1, fw), BICUBIC)
    for poly, turn, k in sides:
        # Each side is drawn only over its own strip (a pixel wider than the moulding, which
        # the polygon's edge reaches), not over the whole face: a sixth of the pixels.
        if turn in (0, 180):
            x0, y0 = 0, 0 if turn == 0 else max(0, th - fw - 1)
            region = (tw, min(th, fw + 1))
            shade = across.resize((tw, fw))
            if turn == 180:
                shade = shade.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
            strip = Image.new("L", region, 200)
            strip.paste(shade, (0, 0 if turn == 0 else region[1] - fw))
        else:
            x0, y0 = 0 if turn == 90 else max(0, tw - fw - 1), 0
            region = (min(tw, fw + 1), th)
            shade = across.transpose(Image.Transpose.TRANSPOSE).resize((fw, th))
            if turn == 270:
                shade = shade.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            strip = Image.new("L", region, 200)
            strip.paste(shade, (0 if turn == 90 else region[0] - fw, 0))
        k_map = strip.point(lambda v, k=k: min(255, round(v * k * 255 / 200 / 1.25)))
        base = Image.new("RGB", region, f.frame_colour)
        paint = ImageChops.multiply(base, Image.merge("RGB", (k_map, k_map, k_map)))
        paint = ImageEnhance.Brightness(paint).enhance(1.25)
        if f.wood:
            if turn in (0, 180):
                grain = _wood(region)
            else:
                grain = _wood((region[1], region[0])).rotate(90, expand=True)
            paint = ImageChops.multiply(paint, grain)
        mask = Image.new("L", region, 0)
        ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in poly], fill=255)
        out.paste(paint, (x0, y0), mask)
    return out


def _bevel(
    face: Image.Image, box: tuple[int, int, int, int], width: int, mat, light: float
) -> None:
    """The mat's 45° cut round the photo: its white core, lit from above, shaded below."""
    x0, y0, x1, y1 = box
    w = width
    core = (250, 249, 245)
    draw = ImageDraw.Draw(face)
    for poly, k in (
        ([(x0 - w, y0 - w), (x1 + w, y0 - w), (x1, y0), (x0, y0)], 0.8),  # top: faces down
        ([(x0 - w, y1 + w), (x1 + w, y1 + w), (x1, y1), (x0, y1)], 1.0),
        ([(x0 - w, y0 - w), (x0, y0), (x0, y1), (x0 - w, y1 + w)], 0.93 + 0.04 * light),
        ([(x1 + w, y0 - w), (x1, y0), (x1, y1), (x1 + w, y1 + w)], 0.93 - 0.04 * light),
    ):
        draw.polygon(poly, fill=tuple(min(255, round(c * k)) for c in core))


def _grain(size: tuple[int, int], amount: int) -> Image.Image:
    n = _noise(size, 30).point(lambda v: 255 - amount + amount * v // 255)
    return Image.merge("RGB", (n, n, n))


def _noise(size: tuple[int, int], sigma: int) -> Image.Image:
    """Gaussian noise, cut at a random place from a tile made once per process (and repeated
    beyond it): drawing fresh noise for every mat and canvas cost more than the rest of its
    frame, and a grain of a few levels shows no seam nor repeat."""
    with _NOISE_LOCK:
        tile = _NOISE.get(sigma)
        if tile is None:
            tile = _NOISE[sigma] = Image.effect_noise((NOISE_TILE, NOISE_TILE), sigma)
    w, h = size
    if w <= NOISE_TILE and h <= NOISE_TILE:
        x, y = random.randrange(NOISE_TILE - w + 1), random.randrange(NOISE_TILE - h + 1)
        return tile.crop((x, y, x + w, y + h))
    out = Image.new("L", size)
    for y in range(0, h, NOISE_TILE):
        for x in range(0, w, NOISE_TILE):
            out.paste(tile, (x, y))
    return out


NOISE_TILE = 1024
_NOISE: dict[int, Image.Image] = {}
_NOISE_LOCK = threading.Lock()


def _wood(size: tuple[int, int]) -> Image.Image:
    """Streaks along the length (x) of a moulding."""
    w, h = size
    streak = Image.effect_noise((max(2, w // 40), max(2, h)), 60).resize((w, h), BICUBIC)
    streak = streak.point(lambda v: 215 + v * 40 // 255)
    return Image.merge("RGB", (streak, streak, streak))


# ---------------------------------------------------------------------------------------------
# Room light


def _luminance(base: Image.Image) -> Lightness:
    """The room's brightness, small and blurred, and the level of its well-lit wall."""
    small = base.convert("L").reduce(max(1, base.width // 256))
    small = small.filter(ImageFilter.GaussianBlur(4))
    hist = small.histogram()
    total, seen, ref = sum(hist), 0, 255
    for level in range(256):  # the 90th percentile stands for "well lit"
        seen += hist[level]
        if seen >= 0.9 * total:
            ref = max(1, level)
            break
    return small, float(ref), small.width / base.width


def _room_light(face: Image.Image, quad: Quad, lum: Lightness) -> Image.Image:
    """Dim the face as the wall is dimmed where it hangs, so it sits in the room's light."""
    small, ref, scale = lum
    values = []
    for u, v in (quad[0], quad[1], quad[3], quad[2]):
        x = min(small.width - 1, max(0, int(u * scale)))
        y = min(small.height - 1, max(0, int(v * scale)))
        values.append(round(255 * min(1.0, max(0.7, 0.8 + 0.2 * small.getpixel((x, y)) / ref))))
    grid = Image.new("L", (2, 2))
    grid.putdata(values)
    k_map = grid.resize(face.size, Image.Resampling.BILINEAR)
    return ImageChops.multiply(face, Image.merge("RGB", (k_map, k_map, k_map)))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(ASSETS / "fonts" / "Inter-Medium.otf"), size)
    except OSError:
        return ImageFont.load_default(size)
