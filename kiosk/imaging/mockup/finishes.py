"""The products drawn flat, before any perspective: a canvas's weave and wrap, a print, a
metal's or acrylic's sheen, a frame's moulding, mat and glass."""

from __future__ import annotations

import math
import random
import threading

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter

from kiosk.core.wall import Finish
from kiosk.imaging.mockup.artwork import Artwork
from kiosk.imaging.mockup.photos import photo_texture
from kiosk.imaging.mockup.warping import BICUBIC


def finish_face(photo: Image.Image, ppi: float, light: float, f: Finish) -> Image.Image:
    """The face of a piece that is not framed: the photo as its finish makes it look."""
    draw = {"canvas": _canvas, "metal": _metal, "acrylic": _acrylic}.get(f.kind, _print)
    return draw(photo, ppi, light, f)


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


def framed(
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
    photo = photo_texture(art, max(4, ow), max(4, oh))
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
