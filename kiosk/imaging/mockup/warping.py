"""Flat textures warped into the wall's perspective, and pasted where they land.

Only a texture's bounding box on the canvas is ever transformed, never the whole picture: a
piece on a 6000-pixel export costs its own size, not the room's.
"""

from __future__ import annotations

import math

from PIL import Image

from kiosk.core.wall import Homography, Quad, translation

PAD = 2  # transparent pixels round a texture, so warped edges are antialiased
BICUBIC = Image.Resampling.BICUBIC
PERSPECTIVE = Image.Transform.PERSPECTIVE
SHADOW = (22, 18, 14)  # a warm near-black: shadows on a painted wall are not neutral
Layer = tuple[Image.Image, tuple[int, int]]  # an RGBA image (or an L mask of the shadow
# colour) and where its top-left goes


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


def warp_mask(mask: Image.Image, quad: Quad, canvas_size: tuple[int, int]) -> Layer | None:
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


def paste(canvas: Image.Image, layer: Layer | None) -> None:
    if layer is None:
        return
    im, pos = layer
    if im.mode == "L":  # a shadow: its colour through its mask
        canvas.paste(SHADOW, (*pos, pos[0] + im.width, pos[1] + im.height), im)
    else:
        canvas.paste(im.convert("RGB"), pos, im.getchannel("A"))


def as_rgba(im: Image.Image) -> Image.Image:
    if im.mode == "RGBA":
        return im
    out = Image.new("RGBA", im.size, SHADOW)
    out.putalpha(im)
    return out


def padded(im: Image.Image, pad: int = PAD) -> Image.Image:
    out = Image.new("RGBA", (im.width + 2 * pad, im.height + 2 * pad), (0, 0, 0, 0))
    out.paste(im.convert("RGBA"), (pad, pad))
    return out
