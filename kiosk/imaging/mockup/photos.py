"""The client's photographs as a piece shows them: upright, sRGB, cropped to its shape.

A photo is decoded at the scale its crop needs (JPEG draft mode), and kept: a piece dragged
or resized on the screen reuses the decode it already has.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

from PIL import Image, ImageOps

from kiosk.imaging.mockup.artwork import Artwork
from kiosk.imaging.rooms import to_srgb


def photo_texture(art: Artwork, tw: int, th: int) -> Image.Image:
    """The photo cropped to the piece's shape and sized to the texture."""
    path = str(art.image)
    full_w, full_h = _upright_size(path)
    cl, ct, cr, cb = art.crop or _cover(full_w / full_h, tw / th)
    # decoded at the scale the crop needs to fill the texture, not the photo's full size
    photo = decode(path, max(tw / ((cr - cl) * full_w), th / ((cb - ct) * full_h)))
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


def decode(path: str, scale: float) -> Image.Image:
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
