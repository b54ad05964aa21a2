"""The room's light on a piece: dimmed as the wall is dimmed where it hangs."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageFilter

from kiosk.core.wall import Quad

Lightness = tuple[Image.Image, float, float]  # small blurred luminance, its "lit" level, scale


def luminance(base: Image.Image) -> Lightness:
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


def room_light(face: Image.Image, quad: Quad, lum: Lightness) -> Image.Image:
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
