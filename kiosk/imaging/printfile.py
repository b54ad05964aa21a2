"""A print's file for the lab, made from its original in bounded memory, on every core.

What must stay true: the file is exactly the size asked for, shows the box of the original it
was given, is 8-bit sRGB with the sRGB profile embedded, and its making never holds the print
whole. libvips decodes the crop (shrinking on load when the print is smaller) and manages its
colours; an enlargement is then resampled and the print sharpened and coded band by band on
worker threads (kiosk.imaging.bandedjpeg) as the rows arrive from the decoder (`Decoding`), so
a 40×60 at 300 ppi (216 MP) holds its crop and a few bands: about 300 MB, where Pillow takes
2.1 GB (bench/production_bench.py). A crop over `IN_MEMORY_PIXELS` is streamed by libvips from
top to bottom instead, in constant memory.

    render_print(Path("IMG_1234.jpg"), (420, 0, 5600, 3888), (9000, 12000), Path("out.jpg"),
                 quality=95, ppi=300)

Huffman optimisation stays off: bands joined into one scan share the standard tables, and an
optimised whole keeps every DCT coefficient until the end (2.5 GB for a 40×60, measured) for
files about 5% smaller.
"""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pyvips
from PIL import Image as PILImage

from kiosk.imaging.bandedjpeg import scratch, write_banded_jpeg
from kiosk.imaging.previews import is_foreign_profile

# A light unsharp mask at the print's own resolution: 0.5 × (the pixel − a 3×3 blur of it),
# about a hundredth of an inch at 300 ppi, what resampling softens. Integer weights keep libvips
# on its vector path: its own `sharpen` goes through Lab and took 20× as long at 40×60.
SHARPEN = pyvips.Image.new_from_array([[-1, -2, -1], [-2, 44, -2], [-1, -2, -1]], scale=32)
# A crop (or a shrunk print) of up to 48 MP, a 45 MP camera's whole frame, is held in memory,
# 144 MB, and made on every core; a larger one is streamed by libvips in constant memory, more
# slowly.
IN_MEMORY_PIXELS = 48_000_000
SRGB = pyvips.Image.profile_load("srgb")  # libvips's own sRGB profile, 480 bytes
PAPER_WHITE = 255  # what a transparent original prints on
_TURNED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
_ROTATIONS = {3: cv2.ROTATE_180, 6: cv2.ROTATE_90_CLOCKWISE, 8: cv2.ROTATE_90_COUNTERCLOCKWISE}


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
    width, height = size_px
    box = _inside(box, upright_size(header))
    crop_pixels = (box[2] - box[0]) * (box[3] - box[1])
    if width * height > crop_pixels and crop_pixels <= IN_MEMORY_PIXELS:  # an enlargement
        crop, turn = _stored_crop(source, header, box, size_px)
        with Decoding(crop) as stored:
            _enlarge(stored, turn, size_px, dest, quality=quality, ppi=ppi)
    elif width * height <= crop_pixels and width * height <= IN_MEMORY_PIXELS:
        crop, turn = _stored_crop(source, header, box, size_px)
        stored_w, stored_h = (height, width) if turn in _TURNED else size_px
        shrunk = crop.resize(
            stored_w / crop.width, vscale=stored_h / crop.height, kernel="lanczos3"
        )
        pixels = turned_upright(_pixels(_exact(shrunk, stored_w, stored_h)), turn)
        _sharpen_and_save(pixels, dest, quality=quality, ppi=ppi)
    else:  # too large to hold: libvips streams it through, in constant memory, more slowly
        _stream(source, header, box, size_px, dest, quality=quality, ppi=ppi)


def _inside(box: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """`box` kept inside a picture of `size`, at least a pixel each way."""
    left, top = min(max(0, box[0]), size[0] - 1), min(max(0, box[1]), size[1] - 1)
    return left, top, max(left + 1, min(box[2], size[0])), max(top + 1, min(box[3], size[1]))


def _stored_crop(
    source: Path, header: pyvips.Image, box: tuple[int, int, int, int], size_px: tuple[int, int]
) -> tuple[pyvips.Image, int]:
    """`box` of the upright original as it is stored (to be turned by the EXIF orientation
    returned with it), in print colours: read from the top down, decoded at a JPEG's smaller
    scale when the print allows. Turning the pixels afterwards, in memory, avoids libvips's
    out-of-order read of a turned original (a second decode, to a temporary file when large)."""
    turn = orientation(header)
    left, top, right, bottom = box
    crop_size = (right - left, bottom - top)
    image = _load(source, header, crop_size, size_px, access="sequential", fail_on="truncated")
    stored_size = (header.width, header.height)
    x, y, w, h = _box_in(image, stored_box(box, stored_size, turn), stored_size)
    return print_colours(image.crop(x, y, w, h)), turn


def _stream(
    source: Path,
    header: pyvips.Image,
    box: tuple[int, int, int, int],
    size_px: tuple[int, int],
    dest: Path,
    *,
    quality: int,
    ppi: int,
) -> None:
    """A crop too large to hold, streamed by libvips through resampling, sharpening and its
    JPEG encoder, in constant memory, on fewer cores."""
    upright_w, upright_h = upright_size(header)
    left, top, right, bottom = box
    width, height = size_px
    turned = orientation(header) > 1
    # A rotation reads the picture out of order: libvips then decodes it once (to a temporary
    # file when large) instead of streaming it. An upright original streams top to bottom.
    access = "random" if turned else "sequential"
    crop_size = (right - left, bottom - top)
    image = _load(source, header, crop_size, size_px, access=access, fail_on="truncated")
    if turned:
        image = image.autorot()
    x, y, w, h = _box_in(image, box, (upright_w, upright_h))
    image = print_colours(image.crop(x, y, w, h))
    image = _exact(image.resize(width / w, vscale=height / h, kernel="lanczos3"), width, height)
    save_for_lab(image.conv(SHARPEN, precision="integer"), dest, quality=quality, ppi=ppi)


def filled(source: Path | str, box: tuple[int, int]) -> np.ndarray:
    """The photo scaled to fill `box` (width, height) and cropped about its centre, upright,
    in print colours (an album's cell). Decoded at a JPEG's smaller scale when the cell allows
    and turned only once cropped: libvips's `thumbnail` took half as long again."""
    header = pyvips.Image.new_from_file(str(source))
    turn = orientation(header)
    upright_w, upright_h = upright_size(header)
    scale = max(box[0] / upright_w, box[1] / upright_h)
    need_w, need_h = math.ceil(upright_w * scale), math.ceil(upright_h * scale)
    image = _load(source, header, (upright_w, upright_h), (need_w, need_h), access="sequential")
    image = image.resize(scale * header.width / image.width, kernel="lanczos3")
    shown_w, shown_h = (
        (image.height, image.width) if turn in _TURNED else (image.width, image.height)
    )
    width, height = min(box[0], shown_w), min(box[1], shown_h)  # a rounding pixel short
    left, top = (shown_w - width) // 2, (shown_h - height) // 2
    x0, y0, x1, y1 = stored_box(
        (left, top, left + width, top + height), (image.width, image.height), turn
    )
    pixels = turned_upright(_pixels(print_colours(image.crop(x0, y0, x1 - x0, y1 - y0))), turn)
    if (width, height) != box:
        pixels = cv2.resize(pixels, box, interpolation=cv2.INTER_CUBIC)
    return pixels


def stored_box(
    box: tuple[int, int, int, int], stored_size: tuple[int, int], turn: int
) -> tuple[int, int, int, int]:
    """The box of the upright picture (left, top, right, bottom) in the pixels as stored, for
    an EXIF orientation `turn` (1 to 8)."""
    left, top, right, bottom = box
    sw, sh = stored_size
    return {
        1: (left, top, right, bottom),
        2: (sw - right, top, sw - left, bottom),  # mirrored
        3: (sw - right, sh - bottom, sw - left, sh - top),  # upside down
        4: (left, sh - bottom, right, sh - top),  # mirrored upside down
        5: (top, left, bottom, right),  # on its side, mirrored
        6: (top, sh - right, bottom, sh - left),  # on its side, to be turned clockwise
        7: (sw - bottom, sh - right, sw - top, sh - left),
        8: (sw - bottom, left, sw - top, right),  # to be turned anticlockwise
    }.get(turn, box)


def turned_upright(pixels: np.ndarray, turn: int) -> np.ndarray:
    """Stored pixels (rows × columns × 3) turned upright for an EXIF orientation, as a new
    array, in one OpenCV pass for the usual turns: about 0.1-0.3 s for 45 MP, where a numpy
    copy of a turned view took 0.5 s."""
    if turn in _ROTATIONS:
        return cv2.rotate(pixels, _ROTATIONS[turn])
    if turn in (2, 4):  # mirrored across, or upside down
        return cv2.flip(pixels, 1 if turn == 2 else 0)
    if turn in (5, 7):  # on its side and mirrored
        sideways = cv2.transpose(pixels)
        return sideways if turn == 5 else cv2.flip(sideways, -1)
    return pixels


def upright_rows(stored: np.ndarray, turn: int, lo: int, hi: int) -> np.ndarray:
    """Rows `lo` to `hi` of the upright picture, from its pixels as stored: the stored rows
    or columns they come from, turned. Turning a band at a time spares the copy of the whole
    crop that turning it at once takes (and its memory)."""
    if turn in _TURNED:
        across = stored.shape[1]
        part = stored[:, lo:hi] if turn in (5, 6) else stored[:, across - hi : across - lo]
    else:
        down = stored.shape[0]
        part = stored[lo:hi] if turn in (1, 2) else stored[down - hi : down - lo]
    return turned_upright(np.ascontiguousarray(part), turn)


def _enlarge(
    stored: Decoding, turn: int, size_px: tuple[int, int], dest: Path, *, quality: int, ppi: int
) -> None:
    """The crop as stored (RGB, shown turned by EXIF orientation `turn`), enlarged bicubic,
    one direction at a time, band by band on every core. Down the picture Pillow, whose
    resampler takes a band's exact place in the whole (its `box`, in fractions of a row);
    across it OpenCV, the faster, where every row is whole. libvips's two-dimensional
    resampler took 3.4 s of a 40×60's 4.1 s."""
    rows_in, cols_in = stored.pixels.shape[:2]
    if turn in _TURNED:
        rows_in, cols_in = cols_in, rows_in
    width, height = size_px
    step = rows_in / height  # source rows a print row moves down

    def band(top: int, rows: int) -> np.ndarray:
        first, last = max(0, top - 1), min(height, top + rows + 1)  # a row more for sharpening
        lo = max(0, math.floor(first * step) - 3)  # bicubic reads two rows each way
        hi = min(rows_in, math.ceil(last * step) + 3)
        rows_out = last - first
        pixels = stored.rows(_stored_rows(turn, lo, hi, stored.pixels.shape[0]))
        tall = PILImage.fromarray(upright_rows(pixels, turn, lo, hi)).resize(
            (cols_in, rows_out),
            PILImage.Resampling.BICUBIC,
            box=(0, first * step - lo, cols_in, last * step - lo),
        )
        wide = cv2.resize(
            np.asarray(tall),
            (width, rows_out),
            dst=scratch("wide", (rows_out, width, 3)),
            interpolation=cv2.INTER_CUBIC,
        )
        return _sharpened(wide)[top - first : top - first + rows]

    write_banded_jpeg(dest, size_px, band, quality=quality, ppi=ppi, icc=SRGB)


def _stored_rows(turn: int, lo: int, hi: int, down: int) -> int:
    """How many of the stored rows, from the top, upright rows `lo` to `hi` come from."""
    if turn in (1, 2):
        return hi
    if turn in (3, 4):  # upside down: the upright top is the stored bottom
        return down - lo
    return down  # on its side: every stored row gives a pixel to each upright row


class Decoding:
    """A libvips image's pixels (8-bit RGB), decoded from the top down on a thread of its own
    while the bands already use the rows decoded: libjpeg decodes on one core, 0.2 s for a
    45 MP original, and the other core then resamples and codes instead of waiting. A
    turned original's bands need every row, and wait for all of them. libvips hands the rows
    over as it writes them raw, in order (`rawsave_target`), into the array the bands read."""

    def __init__(self, image: pyvips.Image) -> None:
        self.pixels = np.empty((image.height, image.width, 3), np.uint8)
        self._image = image
        self._flat = self.pixels.reshape(-1)
        self._written = 0  # bytes
        self._failed: BaseException | None = None
        self._stopping = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._decode, name="decoding", daemon=True)

    def __enter__(self) -> Decoding:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopping = True  # a band failed: no more decoding for nothing
        self._thread.join()

    def rows(self, count: int) -> np.ndarray:
        """All the pixels, once their first `count` rows are decoded. Raises what the
        decoding raised (pyvips.Error for a damaged original)."""
        needed = count * self.pixels.shape[1] * 3
        with self._changed:
            self._changed.wait_for(lambda: self._written >= needed or self._failed is not None)
            if self._written < needed and self._failed is not None:
                raise self._failed
        return self.pixels

    def _decode(self) -> None:
        target = pyvips.TargetCustom()
        target.on_write(self._take)
        try:
            self._image.rawsave_target(target)
            if self._written < self._flat.size:
                raise pyvips.Error("the picture ended before its last row")
        except BaseException as exc:  # handed to the bands waiting, raised there
            with self._changed:
                self._failed = exc
                self._changed.notify_all()

    def _take(self, chunk: bytes) -> int:
        if self._stopping:
            return -1  # libvips stops writing, and the decoding ends
        start, count = self._written, min(len(chunk), self._flat.size - self._written)
        self._flat[start : start + count] = np.frombuffer(chunk, np.uint8, count)
        with self._changed:
            self._written = start + count
            self._changed.notify_all()
        return len(chunk)


def _sharpen_and_save(pixels: np.ndarray, dest: Path, *, quality: int, ppi: int) -> None:
    height, width = pixels.shape[:2]

    def band(top: int, rows: int) -> np.ndarray:
        first, last = max(0, top - 1), min(height, top + rows + 1)
        return _sharpened(pixels[first:last])[top - first : top - first + rows]

    write_banded_jpeg(dest, (width, height), band, quality=quality, ppi=ppi, icc=SRGB)


def _sharpened(pixels: np.ndarray) -> np.ndarray:
    """`SHARPEN`'s unsharp mask: 1.5 × the pixel − 0.5 × its 3×3 blur ([1, 2, 1] each way)."""
    blur = cv2.GaussianBlur(
        pixels, (3, 3), 0, dst=scratch("blur", pixels.shape), borderType=cv2.BORDER_REPLICATE
    )
    return cv2.addWeighted(pixels, 1.5, blur, -0.5, 0, dst=scratch("sharp", pixels.shape))


def _pixels(image: pyvips.Image) -> np.ndarray:
    """An 8-bit RGB libvips image decoded into memory, as rows × columns × 3."""
    data = image.write_to_memory()
    return np.frombuffer(data, dtype=np.uint8).reshape(image.height, image.width, 3)


def _exact(image: pyvips.Image, width: int, height: int) -> pyvips.Image:
    if (image.width, image.height) != (width, height):  # a rounding pixel, either way
        image = image.embed(0, 0, width, height, extend="copy")
    return image


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
    """A picture already drawn in memory (an album spread, RGB) as the lab's JPEG, with the
    sRGB profile and `ppi`, coded on every core a band at a time: no second copy of a spread
    that is 54 MB at 10×10 and 300 ppi. Not sharpened: its photos were shrunk into their cells."""
    width, height = picture.size

    def band(top: int, rows: int) -> np.ndarray:
        return np.asarray(picture.crop((0, top, width, top + rows)))

    write_banded_jpeg(dest, picture.size, band, quality=quality, ppi=ppi, icc=SRGB)


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


def _load(
    source: Path | str,
    header: pyvips.Image,
    crop_size: tuple[int, int],
    size: tuple[int, int],
    **options: Any,
) -> pyvips.Image:
    """`source` opened with libvips `options`, at the largest JPEG shrink-on-load that leaves
    a crop of `crop_size` at least `size` pixels."""
    shrink = _shrink_on_load(header, *crop_size, *size)
    if shrink > 1:
        options["shrink"] = shrink
    return pyvips.Image.new_from_file(str(source), **options)


def _box_in(
    image: pyvips.Image, box: tuple[int, int, int, int], full_size: tuple[int, int]
) -> tuple[int, int, int, int]:
    """`box` (left, top, right, bottom in a picture of `full_size`) as x, y, width, height in
    `image`, the same picture perhaps loaded smaller: inside it, a pixel at least each way."""
    sx, sy = image.width / full_size[0], image.height / full_size[1]
    x = min(round(box[0] * sx), image.width - 1)
    y = min(round(box[1] * sy), image.height - 1)
    w = max(1, min(round(box[2] * sx), image.width) - x)
    h = max(1, min(round(box[3] * sy), image.height) - y)
    return x, y, w, h


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
