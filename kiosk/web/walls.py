"""A client's photo of their own wall, sent from their phone: read under a size cap, checked,
and stored upright as an sRGB JPEG in the studio folder. For the TV::

    from kiosk.store.walls import issue_wall_token, list_wall_photos
    from kiosk.web.walls import wall_url

    url = wall_url(base, issue_wall_token(store, session_id))    # the QR code; valid 24 h
    api.state.on_wall_photo = show_it       # show_it(session_id, path), on the kiosk's loop
    list_wall_photos(store, session_id)     # every photo sent so far, newest last

The checks run cheapest first, and nothing reaches the studio folder until all have passed: the
declared length, then the bytes as they arrive (413 as soon as the cap is passed, the rest is
never read), then the header (pixel cap, minimum size and a shape the TV can show, before a
pixel is decoded), then a decode that shrinks while it reads (libvips), so the stored photo is
at most the display's size on both edges. The route (routes/phone.py) takes a slot in
kiosk/web/uploads.py before reading any of it. The stored file is named after the upload's
SHA-256, never after anything the phone sent, and carries no metadata (a phone's EXIF holds
where the client lives).
"""

from __future__ import annotations

import base64
import hashlib
import math
import secrets
import tempfile
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyvips
from PIL import Image, ImageOps
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartParser
from starlette.requests import Request

from kiosk.core.errors import ImageRejected, WallPhotoError
from kiosk.core.wall import MIN_PHOTO, check_wall_photo
from kiosk.imaging.memory import give_back_memory
from kiosk.imaging.previews import (
    PILLOW_FORMATS,
    Header,
    probe,
    save_atomic,
    shrink_to_srgb,
    to_srgb,
)

WALL_QUALITY = 90
PREVIEW_EDGE = 720  # the copy shown back on the phone's thanks page
FORM_OVERHEAD = 64 * 1024  # boundaries and part headers around the photo itself


@dataclass(frozen=True)
class WallLimits:
    """What one upload may be. On `app.state.wall_limits`; tests lower them."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000  # a 48 MP phone photo passes; a decompression bomb does not
    max_photos: int = 30  # per session: a leaked link cannot fill the studio's disk

    def too_large(self) -> str:
        return (
            f"This photo is larger than {self.max_bytes / 2**20:.3g} MB, the most a wall photo "
            "may be. Take it again with the camera's usual settings, or choose a smaller copy."
        )


@dataclass(frozen=True)
class StoredPhoto:
    path: Path
    width: int
    height: int
    preview: str  # a data: URL of a small copy, to show on the phone

    @property
    def name(self) -> str:
        return self.path.name


def wall_url(base_url: str, token: str) -> str:
    """The upload page's address, as the TV's QR holds it: http://192.168.1.20:8470/wall/TOKEN."""
    return f"{base_url.rstrip('/')}/wall/{token}"


def wall_folder(studio_root: Path, session_id: int) -> Path:
    return Path(studio_root) / "walls" / str(int(session_id))


# reading the upload --------------------------------------------------------------------------
def declared_too_large(request: Request, limits: WallLimits) -> bool:
    """Whether the request says, before sending it, that its body is over the cap."""
    try:
        return int(request.headers.get("content-length", "0")) > limits.max_bytes + FORM_OVERHEAD
    except ValueError:
        return False  # the count while streaming still holds


async def read_form(request: Request, limits: WallLimits) -> FormData:
    """The upload form, its file spooled to a temporary file. Raises WallPhotoError as soon as
    more than the cap has arrived (without reading the rest), MultiPartException when the body
    is not a form."""
    cap = limits.max_bytes + FORM_OVERHEAD

    async def counted() -> AsyncIterator[bytes]:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > cap:
                raise WallPhotoError(limits.too_large())
            yield chunk

    parser = MultiPartParser(request.headers, counted(), max_files=2, max_fields=2)
    return await parser.parse()


def photo_in(form: FormData) -> UploadFile:
    """The chosen photo: the page has two file inputs (camera and library), one left empty."""
    for value in form.getlist("photo"):
        if isinstance(value, UploadFile) and value.filename and value.size:
            return value
    raise WallPhotoError("No photo arrived. Take a photo of your wall, or choose one, and send it.")


# checking and storing --------------------------------------------------------------------------
def store_wall_photo(
    upload: BinaryIO,
    folder: Path,
    *,
    limits: WallLimits,
    studio_max_pixels: int,
    edge: int,
) -> StoredPhoto:
    """Check the uploaded photo and store it upright at `folder/<sha256>.jpg`, as an sRGB JPEG
    whose long edge is at most `edge` pixels (the TV's preview size; see `stored_edge`).
    Raises WallPhotoError with a sentence for the client; writes nothing in `folder` unless
    every check has passed. Blocking: run it in an executor."""
    digest = hashlib.sha256()
    # A named file, because the header probe may hand it to libvips; the suffix makes sure
    # libvips picks a loader by content, never by name.
    with tempfile.NamedTemporaryFile(prefix="reveal-wall-", suffix=".upload") as tmp:
        while chunk := upload.read(1 << 20):
            digest.update(chunk)
            tmp.write(chunk)
        tmp.flush()
        source = Path(tmp.name)
        header, target = _checked(source, limits, studio_max_pixels, edge)
        dest = Path(folder) / f"{digest.hexdigest()}.jpg"
        if not dest.exists():  # the same upload again: the same name, already complete
            part = dest.with_name(f".{dest.stem}.{secrets.token_hex(4)}.tmp")
            try:
                save_atomic(dest, part, lambda p: _write_shrunk(source, header, target, p))
            except (OSError, pyvips.Error) as exc:
                raise WallPhotoError(
                    "The studio's computer could not save your photo. Please tell the studio; "
                    "then send it again."
                ) from exc
    stored = pyvips.Image.new_from_file(str(dest))  # the header; JPEG shrinks while it loads
    small = pyvips.Image.thumbnail(str(dest), PREVIEW_EDGE, height=PREVIEW_EDGE, size="down")
    data = small.jpegsave_buffer(Q=80, keep="none")
    preview = "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
    give_back_memory()
    return StoredPhoto(dest, stored.width, stored.height, preview)


def stored_edge(size: tuple[int, int], edge: int) -> int:
    """The long edge a photo of `size` is stored at: the display's `edge` at most (the TV
    shows nothing bigger), and no larger than the photo. Raises WallPhotoError when that
    would leave the short side below what the wall-art screen needs (a panorama)."""
    edge = max(edge, MIN_PHOTO[0])
    long_edge, short_edge = max(size), min(size)
    target = min(edge, long_edge)
    if short_edge * target < MIN_PHOTO[1] * long_edge:
        raise WallPhotoError(
            f"This photo is {size[0]} × {size[1]} pixels, {long_edge / short_edge:.1f} times "
            f"longer than it is wide: shown on the TV it would be too narrow to hang art on "
            f"(at most {edge / MIN_PHOTO[1]:.1f} to 1). Take an ordinary photo of the wall, "
            "not a panorama."
        )
    return target


def _checked(
    source: Path, limits: WallLimits, studio_max_pixels: int, edge: int
) -> tuple[Header, int]:
    """The photo's header and the long edge to store it at; raises WallPhotoError before a
    pixel is decoded when the header alone says no."""
    try:
        # The studio's own cap, as the import uses: the probe sets Pillow's process-wide one.
        header = probe(source, studio_max_pixels)
    except ImageRejected as exc:
        raise WallPhotoError(_NOT_A_PHOTO) from exc
    most = min(limits.max_pixels, studio_max_pixels)
    if header.width * header.height > most:
        raise WallPhotoError(
            f"This picture claims to be {header.width} × {header.height} pixels "
            f"({header.width * header.height / 1e6:,.0f} megapixels), more than the "
            f"{most / 1e6:.3g} megapixels a wall photo may have, so it was not opened. "
            "Take the photo with your phone's usual camera."
        )
    check_wall_photo((header.width, header.height), name="This photo")
    return header, stored_edge((header.width, header.height), edge)


def _write_shrunk(source: Path, header: Header, edge: int, path: str) -> None:
    """Decode, shrink and write as JPEG in one pass: libvips shrinks while it reads and writes
    while it shrinks, so a 7000 × 7000 PNG never sits in memory whole, decoded or shrunk."""
    try:
        image = shrink_to_srgb(source, header, edge, in_memory=False)
        if image.bands == 1:
            image = image.colourspace("srgb")
        image.jpegsave(path, Q=WALL_QUALITY, keep="none")
        return
    except (pyvips.Error, ValueError):
        pass  # a format this libvips has no decoder for (HEIC from an iPhone), or damaged
    _decode_with_pillow(source, edge).save(path, "JPEG", quality=WALL_QUALITY)


def _decode_with_pillow(source: Path, edge: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source, formats=PILLOW_FORMATS) as im:
                im.verify()  # structure and checksums, before any decoding
            with Image.open(source, formats=PILLOW_FORMATS) as im:
                scale = edge / max(im.size)
                if scale < 1:  # JPEG: let libjpeg decode at a reduced size, never below `edge`
                    im.draft(None, (math.ceil(im.width * scale), math.ceil(im.height * scale)))
                profile = im.info.get("icc_profile")
                upright = to_srgb(ImageOps.exif_transpose(im), profile).convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise WallPhotoError(_DAMAGED) from exc  # damaged, cut short, or not a photo format
    upright.thumbnail((edge, edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return upright


_NOT_A_PHOTO = (
    "This file is not a photo we can read. Take a photo of your wall with your phone's "
    "camera, or choose one from your photos (JPEG, HEIC, PNG or WebP)."
)
_DAMAGED = (
    "This photo could not be opened: it may be damaged or only partly sent. "
    "Take it again, or choose another one."
)
