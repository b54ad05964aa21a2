"""Display previews and thumbnails of one image, written into the studio's cache.

`make_previews` is the import's worker: a pure function of its arguments, run in a *spawn*
process pool (pyvips in a forked child can deadlock). It probes the header first, so a
decompression bomb is refused before a pixel is decoded and a bad file gets a reason a
photographer understands, then makes the preview with libvips' shrink-on-load `thumbnail`
(EXIF orientation applied, embedded profile converted to sRGB), falling back to Pillow when
libvips cannot read a file. Files are written to a temporary name and renamed into place, so an
interrupted import never leaves half a preview behind.
"""

from __future__ import annotations

import math
import os
import signal
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Literal

import pyvips
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from kiosk.core.errors import ImageRejected

try:  # HEIC/HEIF from phones; optional, libvips reads them without it.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    pass

PREVIEW_QUALITY = 88
THUMB_QUALITY = 85
# Transparent pixels are shown on a mid grey: neither a black nor a white background changes how
# the photograph's own tones are judged.
NEUTRAL_GREY = 128
Engine = Literal["auto", "vips", "pillow"]

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_SUBSEC_ORIGINAL = 0x9291
PILLOW_FORMATS = ["JPEG", "PNG", "TIFF", "WEBP", "HEIF", "AVIF"]
_GREY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "F"}
_FORMAT_NAMES = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF", "webp": "WebP", "heif": "HEIC"}
_TRUNCATION_WORDS = ("premature end", "truncated", "unexpected end", "end of file", "short read")
_RECOPY = "copy it again from the camera card."


@dataclass(frozen=True)
class PreviewResult:
    """What the import records about one image once its previews are in the cache."""

    width: int  # upright, original pixels
    height: int
    capture_time: str  # ISO-8601 local camera time: EXIF DateTimeOriginal, else the file's mtime
    preview_path: str
    thumb_path: str
    format: str  # the content's format ("JPEG", "PNG", ...), whatever the file's name says


@dataclass(frozen=True)
class Header:
    format: str
    width: int  # as stored, before orientation
    height: int
    capture_time: str | None
    grey: bool
    cmyk: bool
    foreign_profile: bool  # an embedded colour profile other than sRGB


def cache_paths(
    cache_dir: Path, content_hash: str, preview_edge: int, thumb_edge: int
) -> tuple[Path, Path]:
    """Where the preview and thumbnail of the content with this hash live in the cache."""
    shard = content_hash[:2]
    return (
        Path(cache_dir) / "previews" / shard / f"{content_hash}-{preview_edge}.jpg",
        Path(cache_dir) / "thumbs" / shard / f"{content_hash}-{thumb_edge}.jpg",
    )


def temp_folder(cache_dir: Path) -> Path:
    """Where previews are written before being renamed into place (one folder: cheap to sweep)."""
    return Path(cache_dir) / "tmp"


def make_previews(
    source: Path,
    cache_dir: Path,
    content_hash: str,
    preview_edge: int,
    thumb_edge: int,
    max_pixels: int,
    *,
    engine: Engine = "auto",
) -> PreviewResult:
    """Write the display preview and thumbnail of `source` into the cache; raise ImageRejected.

    The preview's long edge is at most `preview_edge` (a smaller image is never upscaled), the
    thumbnail's at most `thumb_edge`. Both are 8-bit sRGB JPEGs (greyscale stays grey,
    transparency is flattened on neutral grey), upright, without metadata.
    """
    source = Path(source)
    header = probe(source, max_pixels)
    if header.width * header.height > max_pixels:
        raise ImageRejected(_too_many_pixels(header.width, header.height, max_pixels))
    preview_path, thumb_path = cache_paths(cache_dir, content_hash, preview_edge, thumb_edge)
    targets = _Targets(preview_path, thumb_path, temp_folder(cache_dir))
    render = _render_with_pillow if engine == "pillow" else _render_with_vips
    try:
        width, height = render(source, header, targets, preview_edge, thumb_edge)
    except ImageRejected:
        raise
    except (pyvips.Error, OSError, ValueError) as vips_error:
        if engine != "auto":
            raise ImageRejected(_decode_reason(vips_error)) from vips_error
        try:
            width, height = _render_with_pillow(source, header, targets, preview_edge, thumb_edge)
        except ImageRejected:
            raise
        except Exception as pillow_error:
            raise ImageRejected(_decode_reason(vips_error, pillow_error)) from pillow_error
    # The preview is upright; the header is as stored. Compare shapes, not orientation tags,
    # because HEIC carries its rotation outside EXIF.
    upright = (header.width, header.height)
    if (width > height) != (header.width > header.height) and width != height:
        upright = (header.height, header.width)
    return PreviewResult(
        width=upright[0],
        height=upright[1],
        capture_time=header.capture_time or _mtime_iso(source),
        preview_path=str(preview_path),
        thumb_path=str(thumb_path),
        format=header.format,
    )


def init_worker(max_pixels: int) -> None:
    """Prepare a pool process: no operation cache (every file is read once), Pillow's bomb cap."""
    # Ctrl-C reaches the whole process group: the parent stops the import and the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    pyvips.cache_set_max(0)
    Image.MAX_IMAGE_PIXELS = max_pixels


def warm_up() -> int:
    """A no-op task that makes a pool start its processes before the first real image."""
    return os.getpid()


# header ------------------------------------------------------------------------------------
def probe(source: Path, max_pixels: int) -> Header:
    """Read only the header: format, stored size and capture time; nothing is decoded."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source, formats=PILLOW_FORMATS) as im:
                fmt = "HEIC" if im.format == "HEIF" else im.format or "image"
                taken = _exif_capture_time(im)
                foreign = is_foreign_profile(im.info.get("icc_profile"))
                grey, cmyk = im.mode in _GREY_MODES, im.mode == "CMYK"
                return Header(fmt, im.width, im.height, taken, grey, cmyk, foreign)
    except Image.DecompressionBombError:
        pass  # far over the cap: libvips reads the size for the message, still without decoding
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        pass  # a variant Pillow cannot parse may still be readable by libvips
    try:
        image = pyvips.Image.new_from_file(str(source), access="sequential")
    except pyvips.Error as exc:
        raise ImageRejected(_not_an_image(source)) from exc
    loader = image.get("vips-loader") if image.get_typeof("vips-loader") else ""
    fmt = next((name for key, name in _FORMAT_NAMES.items() if loader.startswith(key)), "image")
    grey, cmyk = image.interpretation in ("b-w", "grey16"), image.interpretation == "cmyk"
    profile = image.get("icc-profile-data") if image.get_typeof("icc-profile-data") else None
    taken, foreign = _vips_capture_time(image), is_foreign_profile(profile)
    return Header(fmt, image.width, image.height, taken, grey, cmyk, foreign)


def is_foreign_profile(profile: bytes | None, damaged: bool = True) -> bool:
    """Whether an embedded profile needs converting: most cameras embed plain sRGB. What a
    damaged profile counts as is the caller's (`damaged`): a preview lets libvips try it and
    falls back to the pixels unconverted; a print file takes the pixels as they are."""
    if not profile:
        return False
    try:
        description = ImageCms.ImageCmsProfile(BytesIO(profile)).profile.profile_description
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return damaged
    return not (description or "").replace(" ", "").lower().startswith("srgb")


def _exif_capture_time(im: Image.Image) -> str | None:
    if im.format == "PNG" and "exif" not in im.info:
        # Pillow looks for a PNG's EXIF after the pixels by decoding them all: 147 MB for a
        # 7000 × 7000 upload, in what must be a header read. EXIF before the pixels is in info.
        return None
    try:
        exif = im.getexif().get_ifd(_EXIF_IFD)
    except Exception:  # damaged EXIF must not cost the picture
        return None
    return _iso_from_exif(exif.get(_DATETIME_ORIGINAL), exif.get(_SUBSEC_ORIGINAL))


def _vips_capture_time(image: pyvips.Image) -> str | None:
    field = "exif-ifd2-DateTimeOriginal"
    if not image.get_typeof(field):
        return None
    # libvips formats EXIF strings as "2024:05:01 10:00:00 (2024:05:01 10:00:00, ASCII, ...)".
    return _iso_from_exif(image.get(field)[:19], None)


def _iso_from_exif(value: object, subsec: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    try:
        taken = datetime.strptime(value.strip("\0 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:  # "0000:00:00 00:00:00" from cameras whose clock was never set
        return None
    iso = taken.isoformat()
    digits = str(subsec or "").strip("\0 ")
    # Sub-seconds keep a burst in order; ISO strings with a fraction still sort as text.
    return f"{iso}.{digits}" if digits.isdigit() else iso


def _mtime_iso(source: Path) -> str:
    # Local time without a zone, like EXIF's, so both kinds sort together.
    return datetime.fromtimestamp(source.stat().st_mtime).isoformat(timespec="seconds")


# libvips -------------------------------------------------------------------------------------
def _render_with_vips(
    source: Path, header: Header, targets: _Targets, preview_edge: int, thumb_edge: int
) -> tuple[int, int]:
    preview = shrink_to_srgb(source, header, preview_edge)
    targets.save(targets.preview, lambda tmp: preview.jpegsave(tmp, Q=PREVIEW_QUALITY, keep="none"))
    thumb = preview.thumbnail_image(thumb_edge, height=thumb_edge, size="down")
    targets.save(targets.thumb, lambda tmp: thumb.jpegsave(tmp, Q=THUMB_QUALITY, keep="none"))
    return preview.width, preview.height


def shrink_to_srgb(
    source: Path, header: Header, edge: int, *, in_memory: bool = True
) -> pyvips.Image:
    """`source` upright, 8-bit sRGB (or grey), alpha flattened, fitting an `edge` × `edge`
    box (never enlarged); in memory, or (`in_memory=False`) a pipeline to save once, which
    then never holds the whole picture. libvips shrinks while it loads (JPEG, HEIC, WebP) or
    streams the rows through (PNG, TIFF), so a large picture never sits decoded in memory
    whole. Raises pyvips.Error for what libvips cannot read or finds damaged (for a pipeline,
    when it is saved)."""
    # No export_profile here: libvips would then push every untagged pixel through a float
    # Lab round trip (~0.5 s per preview); convert only what carries a foreign profile.
    options = dict(height=edge, size="down")
    if str(source).endswith("]"):  # libvips would read "[...]" as load options
        loaded = pyvips.Source.new_from_file(str(source))
        # thumbnail_source ignores fail_on=; it takes load options only as a string.
        truncated = "fail_on=truncated"
        image = pyvips.Image.thumbnail_source(loaded, edge, option_string=truncated, **options)
    else:
        image = pyvips.Image.thumbnail(str(source), edge, fail_on="truncated", **options)
    if image.interpretation == "cmyk":  # libvips 8.18 already imports CMYK; older ones may not
        image = image.icc_transform("srgb", input_profile="cmyk", embedded=True, intent="relative")
    elif header.foreign_profile and not header.cmyk:
        image = image.icc_transform("srgb", embedded=True, intent="relative", depth=8)
    image = _displayable(image, header.grey)
    # thumbnail() reads sequentially: keep the result in memory so it can be read again.
    return image.copy_memory() if in_memory else image


def block_untrusted_loaders() -> None:
    """Refuse libvips's loaders that are not fuzzed for hostile input (SVG, the VIPS format,
    Matlab, FITS, ...), process-wide. The kiosk calls it at start, before a stranger's upload
    can reach libvips's header probe; photographs keep their loaders (JPEG, PNG, TIFF, WebP,
    HEIF)."""
    pyvips.block_untrusted_set(True)


def _displayable(image: pyvips.Image, grey: bool) -> pyvips.Image:
    """8-bit sRGB (or 8-bit grey), alpha flattened on neutral grey."""
    if image.interpretation not in ("srgb", "b-w") or image.format != "uchar":
        image = image.colourspace("srgb")  # 16-bit, CMYK without a profile, Lab, ...
    if image.hasalpha():
        image = image.flatten(background=[NEUTRAL_GREY] * (image.bands - 1))
    if grey and image.bands == 3:  # libvips makes grey three equal bands on the way to sRGB
        image = image.colourspace("b-w")
    return image.cast("uchar")


# Pillow ----------------------------------------------------------------------------------------
def _render_with_pillow(
    source: Path, header: Header, targets: _Targets, preview_edge: int, thumb_edge: int
) -> tuple[int, int]:
    with Image.open(source, formats=PILLOW_FORMATS) as im:
        # draft() lets libjpeg decode at 1/2, 1/4 or 1/8 size, never below the request.
        scale = preview_edge / max(im.size)
        if scale < 1:
            im.draft(None, (math.ceil(im.width * scale), math.ceil(im.height * scale)))
        profile = im.info.get("icc_profile")
        upright = ImageOps.exif_transpose(im)
        preview = to_srgb(upright, profile)
    preview.thumbnail((preview_edge, preview_edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
    targets.save(targets.preview, lambda tmp: preview.save(tmp, "JPEG", quality=PREVIEW_QUALITY))
    thumb = preview.copy()
    thumb.thumbnail((thumb_edge, thumb_edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
    targets.save(targets.thumb, lambda tmp: thumb.save(tmp, "JPEG", quality=THUMB_QUALITY))
    return preview.size


def to_srgb(im: Image.Image, profile: bytes | None) -> Image.Image:
    """8-bit sRGB (or grey) from any mode Pillow opens, `profile` (embedded) converted,
    transparency flattened on neutral grey."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit grey: scale, don't clip
        im = im.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    elif im.mode == "F":
        im = im.point(lambda v: v * 255).convert("L")
    if im.mode in ("P", "PA", "LA", "RGBA", "La", "RGBa"):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", im.size, (NEUTRAL_GREY,) * 3)
        background.paste(rgba, mask=rgba.getchannel("A"))
        im = background.convert("L") if im.mode in ("LA", "La") else background
    if im.mode == "CMYK":
        # Without an embedded profile, use the same fallback CMYK profile libvips uses.
        source = profile or pyvips.Image.profile_load("cmyk")
        return _convert_profile(im, source, "RGB")
    if im.mode == "L" or im.mode == "1":
        return im.convert("L")
    im = im.convert("RGB")
    return _convert_profile(im, profile, "RGB") if profile else im


def _convert_profile(im: Image.Image, profile: bytes | None, mode: str) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(profile))
        # Relative colorimetric, as libvips does: CMYK profiles' perceptual tables differ a lot.
        return ImageCms.profileToProfile(
            im,
            source,
            ImageCms.createProfile("sRGB"),
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            outputMode=mode,
        )
    except (ImageCms.PyCMSError, OSError, TypeError):
        # A damaged profile: showing the colours unconverted beats refusing the picture.
        return im.convert(mode)


# writing -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Targets:
    preview: Path
    thumb: Path
    temp_folder: Path

    def save(self, dest: Path, save: Callable[[str], object]) -> None:
        """Save to a temporary file, flush it to disk, then rename it into place."""
        # The pid lets the next import tell a dead run's leftovers from a running one's.
        tmp = self.temp_folder / f"{dest.name}.{os.getpid()}.tmp"
        try:
            save_atomic(dest, tmp, save)
        except (OSError, pyvips.Error) as exc:
            # The studio's disk, not the picture: say so rather than call the file damaged.
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else "write error"
            raise ImageRejected(
                f"Reveal could not write this picture's preview into the studio folder "
                f"({detail}): free some disk space or check the folder, then import again."
            ) from exc


def save_atomic(dest: Path, tmp: Path, save: Callable[[str], object]) -> None:
    """`save(tmp)`, flushed to disk, then renamed over `dest`: `dest` is whole or absent."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        save(str(tmp))
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)  # the database will point at this file: it must survive a power cut
        finally:
            os.close(fd)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# reasons -------------------------------------------------------------------------------------
def _not_an_image(source: Path) -> str:
    named = f", although its name ends in '{source.suffix}'" if source.suffix else ""
    return f"This file is not a picture Reveal can read{named}: it may be damaged; {_RECOPY}"


def _too_many_pixels(width: int, height: int, max_pixels: int) -> str:
    return (
        f"The image claims to be {width} × {height} pixels "
        f"({width * height / 1e6:.3g} megapixels), over the studio's limit of "
        f"{max_pixels / 1e6:.3g} megapixels, so it was not opened; if it is genuine, raise "
        f"max_pixels in settings.toml."
    )


def _decode_reason(*errors: BaseException) -> str:
    text = " ".join(str(e) for e in errors).lower()
    if any(word in text for word in _TRUNCATION_WORDS):
        return f"The file is cut short (truncated), probably by an interrupted copy: {_RECOPY}"
    return f"The picture data is damaged and cannot be decoded: {_RECOPY}"
