"""A print's file for the lab, made from its original in constant memory.

What must stay true: the file is exactly the size asked for, shows the box of the original it
was given, is 8-bit sRGB with the sRGB profile embedded, and its making holds a few strips of
the picture at a time, never the whole of it. libvips streams the original from the top down
through crop, resampling, sharpening and the JPEG encoder, so a 40×60 at 300 ppi (216 MP)
costs the memory of a 4×6 (bench/production_bench.py: under 100 MB where Pillow takes 1.3 GB).

    render_print(Path("IMG_1234.jpg"), (420, 0, 5600, 3888), (9000, 12000), Path("out.jpg"),
                 quality=95, ppi=300)

Huffman optimisation (`optimize_coding`) stays off: libjpeg then keeps every DCT coefficient of
the picture until the end, 2.5 GB for a 40×60 (measured), for files about 5% smaller.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyvips
from PIL import Image as PILImage

from kiosk.imaging.previews import is_foreign_profile

# A light unsharp mask at the print's own resolution: 0.5 × (the pixel − a 3×3 blur of it),
# about a hundredth of an inch at 300 ppi, what resampling softens. Integer weights keep libvips
# on its vector path: its own `sharpen` goes through Lab and took 20× as long at 40×60.
SHARPEN = pyvips.Image.new_from_array([[-1, -2, -1], [-2, 44, -2], [-1, -2, -1]], scale=32)
SRGB = pyvips.Image.profile_load("srgb")  # libvips's own sRGB profile, 480 bytes
PAPER_WHITE = 255  # what a transparent original prints on
_TURNED = (5, 6, 7, 8)  # EXIF orientations that swap width and height


def render_print(
    source: Path,
    box: tuple[int, int, int, int],
    size_px: tuple[int, int],
    dest: Path,
    *,
    quality: int,
    ppi: int,
) -> None:
    """`box` (left, top, right, bottom in the upright original's pixels) of `source`, resampled
    to exactly `size_px`, sharpened, sRGB, written to `dest` as a JPEG tagged with `ppi`.
    Raises pyvips.Error when the original cannot be read whole (damaged, truncated)."""
    header = pyvips.Image.new_from_file(str(source))
    upright_w, upright_h = upright_size(header)
    left, top, right, bottom = box
    width, height = size_px
    turned = orientation(header) > 1
    # A rotation reads the picture out of order: libvips then decodes it once (to a temporary
    # file when large) instead of streaming it. An upright original streams top to bottom.
    options: dict[str, Any] = {"access": "random" if turned else "sequential"}
    shrink = _shrink_on_load(header, right - left, bottom - top, width, height)
    if shrink > 1:
        options["shrink"] = shrink
    image = pyvips.Image.new_from_file(str(source), fail_on="truncated", **options)
    if turned:
        image = image.autorot()
    sx, sy = image.width / upright_w, image.height / upright_h
    x, y = min(round(left * sx), image.width - 1), min(round(top * sy), image.height - 1)
    w = max(1, min(round(right * sx), image.width) - x)
    h = max(1, min(round(bottom * sy), image.height) - y)
    image = print_colours(image.crop(x, y, w, h))
    image = image.resize(width / w, vscale=height / h, kernel="lanczos3")
    if (image.width, image.height) != (width, height):  # a rounding pixel, either way
        image = image.embed(0, 0, width, height, extend="copy")
    save_for_lab(image.conv(SHARPEN, precision="integer"), dest, quality=quality, ppi=ppi)


def save_for_lab(image: pyvips.Image, dest: Path, *, quality: int, ppi: int) -> None:
    """`image` (8-bit sRGB, upright) as the lab's JPEG: the sRGB profile, and an EXIF of its
    own with the print's resolution and nothing of the camera's (no place, no serial number);
    written aside and renamed, so a file with the name is a whole one."""
    tagged = image.copy(xres=ppi / 25.4, yres=ppi / 25.4)  # libvips counts pixels per mm
    for field in tagged.get_fields():
        if field.startswith("exif-") or field in ("xmp-data", "iptc-data", "orientation"):
            tagged.remove(field)
    tagged.set_type(pyvips.GValue.blob_type, "icc-profile-data", SRGB)
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        tagged.jpegsave(str(partial), Q=quality, optimize_coding=False, keep="icc,exif")
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)


def save_picture_for_lab(picture: PILImage.Image, dest: Path, *, quality: int, ppi: int) -> None:
    """A picture already drawn in memory (an album spread) as the lab's JPEG, like
    `save_for_lab`'s but saved by Pillow from its own pixels: no second copy of a spread that
    is 54 MB at 10×10 and 300 ppi. Not sharpened: its photos were shrunk into their cells."""
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        picture.save(
            partial,
            "JPEG",
            quality=quality,
            subsampling=0 if quality >= 90 else 2,  # full colour at a lab's quality, as libvips
            icc_profile=SRGB,
            dpi=(ppi, ppi),
        )
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)


def print_colours(image: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB, three bands: an embedded profile other than sRGB converted (Adobe RGB,
    Display P3, CMYK), grey and 16-bit made sRGB, transparency printed on white paper."""
    if image.interpretation == "cmyk":
        image = image.icc_transform("srgb", input_profile="cmyk", embedded=True, depth=8)
    elif _foreign_profile(image):
        image = image.icc_transform("srgb", embedded=True, intent="relative", depth=8)
    if image.interpretation != "srgb" or image.format != "uchar":
        image = image.colourspace("srgb")
    if image.hasalpha():
        image = image.flatten(background=[PAPER_WHITE] * (image.bands - 1))
    return image.cast("uchar")


def upright_size(image: pyvips.Image) -> tuple[int, int]:
    """An image's width and height with its EXIF orientation applied."""
    if orientation(image) in _TURNED:
        return image.height, image.width
    return image.width, image.height


def orientation(image: pyvips.Image) -> int:
    """The EXIF orientation, 1 (upright) to 8; 1 when there is none."""
    return image.get("orientation") if image.get_typeof("orientation") else 1


def _shrink_on_load(header: pyvips.Image, crop_w: int, crop_h: int, width: int, height: int) -> int:
    """The largest JPEG shrink-on-load (8, 4 or 2) that leaves the crop at least as many
    pixels as the print needs; 1 otherwise, and for other formats."""
    loader = header.get("vips-loader") if header.get_typeof("vips-loader") else ""
    if not loader.startswith("jpeg"):
        return 1
    return next((s for s in (8, 4, 2) if crop_w // s >= width and crop_h // s >= height), 1)


def _foreign_profile(image: pyvips.Image) -> bool:
    embedded = image.get_typeof("icc-profile-data")
    return is_foreign_profile(image.get("icc-profile-data") if embedded else None, damaged=False)
