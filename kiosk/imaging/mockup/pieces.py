"""One piece on the wall: its face drawn flat at the resolution the wall shows it, lit as
the room is, warped into place, and the sides the camera sees (a canvas's wrap, a frame's)."""

from __future__ import annotations

import math

from PIL import Image, ImageEnhance

from kiosk.core.wall import Placement, Wall
from kiosk.imaging.mockup.artwork import Artwork
from kiosk.imaging.mockup.finishes import finish_face, framed
from kiosk.imaging.mockup.photos import photo_texture
from kiosk.imaging.mockup.roomlight import Lightness, room_light
from kiosk.imaging.mockup.warping import Layer, padded, warp

MAX_TEXTURE = 4096  # px on a piece's long edge: beyond, the photo has no more to show


def piece(
    wall: Wall,
    art: Artwork,
    light: float,
    size: tuple[int, int],
    lum: Lightness | None = None,
) -> list[Layer]:
    p, f = art.placement, art.finish
    ppi = min(texture_ppi(wall, p, f.depth), MAX_TEXTURE / max(p.width, p.height))
    tw, th = max(8, round(p.width * ppi)), max(8, round(p.height * ppi))
    if f.kind == "framed":
        front, edge = framed(art, tw, th, ppi, light)
    else:
        photo = photo_texture(art, tw, th)
        front = finish_face(photo, ppi, light, f)
        edge = photo
    if lum is not None:
        front = room_light(front, wall.quad(p, f.depth), lum)
    layers = [layer for layer in _sides(wall, art, edge, ppi, light, size) if layer]
    layer = warp(padded(front), wall.quad(p, f.depth), size)
    return layers + ([layer] if layer else [])


def texture_ppi(wall: Wall, p: Placement, depth: float = 0.0) -> float:
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
        out.append(warp(padded(_brightness(strip.convert("RGB"), k)), quad, size))  # type: ignore[arg-type]
    return out


def _brightness(im: Image.Image, k: float) -> Image.Image:
    return ImageEnhance.Brightness(im).enhance(k)
