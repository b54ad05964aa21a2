"""The files on the card, read in the parent process: which are pictures (by their content,
not their name), what each is, its content hash, and the reason when one cannot be imported."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.errors import ImportFolderError
from kiosk.imaging.importer.reasons import PERMS, RECOPY, not_a_picture, raw_file, unsupported

# Names a photographer's images go by, per content format; a file named otherwise is still
# imported when its content is one of these (a PNG called .jpg, a JPEG without an extension).
SUFFIXES = {
    "JPEG": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "PNG": {".png"},
    "TIFF": {".tif", ".tiff"},
    "WebP": {".webp"},
    "HEIC": {".heic", ".heif", ".hif"},
    "AVIF": {".avif"},
}
IMAGE_SUFFIXES = set().union(*SUFFIXES.values())
# Many RAW formats are TIFF inside: they would "import" as their tiny embedded preview.
# Many RAW formats are TIFF inside: they would "import" as their tiny embedded preview.
RAW_SUFFIXES = {
    ".3fr", ".arw", ".cr2", ".cr3", ".crw", ".dcr", ".dng", ".erf", ".iiq", ".kdc", ".mef",
    ".mos", ".mrw", ".nef", ".nrw", ".orf", ".pef", ".raf", ".raw", ".rw2", ".rwl", ".sr2",
    ".srf", ".srw", ".x3f",
}  # fmt: skip
# Pictures in formats Reveal does not import, recognised so the reason can name them.
# Pictures in formats Reveal does not import, recognised so the reason can name them.
OTHER_FORMATS = {b"GIF87a": "GIF", b"GIF89a": "GIF", b"8BPS": "Photoshop (PSD)"}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


@dataclass(frozen=True)
class FileRead:
    """What reading one file in the parent found."""

    path: Path
    name: str
    content_hash: str = ""
    format: str = ""
    reason: str = ""  # set when the file is skipped
    note: str = ""
    ignore: bool = False


def find_files(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every non-hidden file under `folder`, sorted; and subfolders that could not be read."""
    files: list[Path] = []
    unreadable: list[tuple[str, str]] = []

    def note_error(error: OSError) -> None:
        name = Path(error.filename).relative_to(folder).as_posix() + "/"
        unreadable.append((name, f"Reveal cannot read this folder ({error.strerror}): {PERMS}"))

    for root, dirs, names in os.walk(folder, onerror=note_error):
        # Hidden: macOS "._IMG_0001.JPG" companions, .Trashes, .thumbnails ...
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
    return files, unreadable


def sniff(head: bytes) -> str:
    """The picture format the first bytes of a file announce, or "" when they name none."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp":
        box = int.from_bytes(head[:4], "big")
        brands = {head[i : i + 4] for i in range(8, min(box, len(head)), 4)}
        if brands & _AVIF_BRANDS and head[8:12] in _AVIF_BRANDS:
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIC"
        if brands & _AVIF_BRANDS:
            return "AVIF"
    return ""


def read_file(path: Path, folder: Path) -> FileRead:
    name = path.relative_to(folder).as_posix()
    suffix = path.suffix.lower()
    if suffix in RAW_SUFFIXES:
        return FileRead(path, name, reason=raw_file(suffix))
    try:
        with open(path, "rb") as file:
            head = file.read(64)
            content = sniff(head)
            if not content:
                other = next((k for m, k in OTHER_FORMATS.items() if head.startswith(m)), "")
                if other:
                    return FileRead(path, name, reason=unsupported(other))
                if suffix not in IMAGE_SUFFIXES:
                    return FileRead(path, name, ignore=True)
                if not head:
                    return FileRead(path, name, reason=f"The file is empty (0 bytes): {RECOPY}")
                return FileRead(path, name, reason=not_a_picture(suffix))
            file.seek(0)
            content_hash = hashlib.file_digest(file, "sha256").hexdigest()
    except PermissionError:
        return FileRead(path, name, reason=f"Reveal is not allowed to read this file: {PERMS}")
    except OSError as exc:
        return FileRead(path, name, reason=f"The file cannot be read ({exc.strerror}): {RECOPY}")
    note = ""
    if suffix not in SUFFIXES[content]:
        called = f"named '{path.suffix}'" if path.suffix else "without an extension"
        note = f"This is a {content} picture {called}; it was imported by its content."
    return FileRead(path, name, content_hash, content, note=note)


@contextmanager
def reader_thread() -> Iterator[ThreadPoolExecutor]:
    # One thread: a card reads fastest sequentially, and hashlib releases the GIL.
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reveal-import-read")
    try:
        yield reader
    finally:
        reader.shutdown(wait=True, cancel_futures=True)  # on Ctrl-C, don't read the rest


def usable_folder(folder: Path | str) -> Path:
    path = Path(folder).expanduser().absolute()
    if not path.exists():
        raise ImportFolderError(
            f"The folder {path} does not exist. Check the path, and that the memory card or "
            "drive is connected."
        )
    if not path.is_dir():
        raise ImportFolderError(
            f"{path} is a file, not a folder. Give the folder that holds the session's images."
        )
    try:
        os.listdir(path)
    except OSError as exc:
        raise ImportFolderError(
            f"Reveal cannot read the folder {path} ({exc.strerror}): {PERMS}"
        ) from exc
    return path
