"""Adding an order's retouched finals from the folder the photographer exported them to.

    report = add_finals(store, studio.paths.root / "finals", invoice, Path("~/Exports/Whitfield"))
    report.text        # "13 of 15 retouched; 1 file matched by picture; 1 to ask: bride.jpg"

Each file is matched to the order's images (kiosk/core/finals.py: by name, then by picture),
then copied into the studio folder (`finals/<order>/`), its size and CRC-32 taken on the way,
so the gallery's ZIP knows every header before it sends a byte. A file that could be two
images, or none, is listed and not copied.
"""

from __future__ import annotations

import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from kiosk.core.errors import CommandError
from kiosk.core.finals import (
    FINAL_SUFFIXES,
    FinalFile,
    Matching,
    Original,
    match_finals,
    purchased_images,
)
from kiosk.core.invoices import Invoice
from kiosk.store import delivery as rows
from kiosk.store.db import Store

HASH_EDGE = 9  # a dHash: 9×8 greys, each compared with its right neighbour: 64 bits


@dataclass(frozen=True)
class FinalsReport:
    matching: Matching
    added: int
    wanted: tuple[int, ...]  # images bought as files
    retouched: tuple[int, ...]  # of those, with a final (this time or before)
    names: dict[int, str]  # image id -> the order's file name, to say which is missing

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(i for i in self.wanted if i not in self.retouched)

    @property
    def text(self) -> str:
        parts = [f"{len(self.retouched)} of {len(self.wanted)} retouched"]
        by_picture = sum(1 for how in self.matching.by.values() if how == "picture")
        if by_picture:
            parts.append(f"{by_picture} file{'s' if by_picture > 1 else ''} matched by picture")
        if self.matching.ambiguous:
            names = ", ".join(name for name, _ in self.matching.ambiguous)
            parts.append(f"could be more than one image, so not added: {names}")
        if self.matching.unmatched:
            parts.append(f"not one of the order's images: {', '.join(self.matching.unmatched)}")
        if self.missing:
            parts.append(f"still to retouch: {', '.join(self.names[i] for i in self.missing)}")
        return "; ".join(parts) + "."


def picture_hash(path: Path | str) -> int | None:
    """A 64-bit difference hash of the picture: alike for a retouched export and its original's
    thumbnail (colour, size and small edits change few bits). None when it cannot be read."""
    try:
        with Image.open(path) as image:
            image.draft("L", (64, 64))  # a JPEG decodes at 1/8 scale: a 10 MB file in ms
            grey = image.convert("L").resize((HASH_EDGE, 8), Image.Resampling.LANCZOS)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    pixels = grey.tobytes()  # one byte per grey, row by row
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * HASH_EDGE + col], pixels[row * HASH_EDGE + col + 1]
            bits = (bits << 1) | (left > right)
    return bits


def add_finals(store: Store, finals_root: Path, invoice: Invoice, folder: Path) -> FinalsReport:
    """Match and copy the finals in `folder` (not its subfolders); CommandError when it is not
    a folder."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise CommandError(
            f"{folder} is not a folder; give the folder the finals were exported to."
        )
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in FINAL_SUFFIXES and not p.name.startswith(".")
    )
    finals = [FinalFile(p.name, picture_hash(p)) for p in files]
    originals = [
        Original(i.id, Path(i.source_path).name or i.file_name, picture_hash(i.thumb_path))
        for i in invoice.images
    ]
    matching = match_finals(finals, originals)
    target = finals_root / invoice.reference
    target.mkdir(parents=True, exist_ok=True)
    saved = []
    for image_id, name in matching.matched.items():
        copy = target / name
        size, crc = _copy(folder / name, copy)
        saved.append(
            {
                "invoice": invoice.number,
                "image_id": image_id,
                "source_name": name,
                "path": str(copy),
                "size": size,
                "crc": crc,
                "mtime": copy.stat().st_mtime,
                "matched_by": matching.by[image_id],
            }
        )
    rows.save_finals(store, saved)
    have = {f.image_id for f in rows.finals(store, invoice.number)}
    wanted = purchased_images(invoice)
    names = {i.id: i.file_name for i in invoice.images}
    return FinalsReport(matching, len(saved), wanted, tuple(i for i in wanted if i in have), names)


def _copy(source: Path, dest: Path) -> tuple[int, int]:
    """Copy, taking size and CRC-32 on the way; written beside and renamed, so a copy cut off
    halfway never stands as a final."""
    part = dest.with_name(dest.name + ".part")
    crc, size = 0, 0
    with open(source, "rb") as src, open(part, "wb") as out:
        while chunk := src.read(1024 * 1024):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            out.write(chunk)
    shutil.copystat(source, part)
    part.replace(dest)
    return size, crc
