"""Adding an order's retouched finals from the folder the photographer exported them to.

    report = add_finals(store, studio.paths.root / "finals", invoice, Path("~/Exports/Whitfield"))
    report.text        # "13 of 15 retouched; 1 file matched by picture; 1 to ask: bride.jpg"
    choose_final(store, root, invoice, Path("~/Exports/Whitfield/bride.jpg"), image_id=7)

Each file is matched to the order's images (kiosk/core/finals.py: by name, then by picture),
then copied into the studio folder (`finals/<order>/`), its size and CRC-32 taken on the way,
so the gallery's ZIP knows every header before it sends a byte. A file that could be two
images, or none, is listed and not copied; the photographer's answer for the first is recorded
with `choose_final` (the Orders page asks it with both pictures side by side).
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


def final_files(folder: Path, within: Path | None = None) -> list[Path]:
    """The pictures directly in `folder` that may be finals (not its subfolders, not hidden);
    with `within`, only those that really lie under it once links are followed."""
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in FINAL_SUFFIXES and not p.name.startswith(".")
    )
    if within is None:
        return found
    return [p for p in found if p.resolve().is_relative_to(within)]


def add_finals(
    store: Store, finals_root: Path, invoice: Invoice, folder: Path, within: Path | None = None
) -> FinalsReport:
    """Match and copy the finals in `folder` (not its subfolders); CommandError when it is not
    a folder. With `within` (a folder the tablet may browse), a file that links outside it is
    left alone, as if it were not there."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise CommandError(
            f"{folder} is not a folder; give the folder the finals were exported to."
        )
    finals = [FinalFile(p.name, picture_hash(p)) for p in final_files(folder, within)]
    originals = [
        Original(i.id, Path(i.source_path).name or i.file_name, picture_hash(i.thumb_path))
        for i in invoice.images
    ]
    matching = match_finals(finals, originals)
    saved = [
        _final_row(finals_root, invoice, folder / name, image_id, matching.by[image_id])
        for image_id, name in matching.matched.items()
    ]
    rows.save_finals(store, saved)
    return _report(store, invoice, matching, len(saved))


def choose_final(
    store: Store, finals_root: Path, invoice: Invoice, file: Path, image_id: int
) -> FinalsReport:
    """Record `file` as the final of the order's image `image_id`: the photographer's answer
    to a file that could be two images (CommandError for an image not in the order)."""
    if image_id not in {i.id for i in invoice.images}:
        raise CommandError(
            f"Image {image_id} is not one of order {invoice.reference}'s; choose one of its own."
        )
    rows.save_finals(store, [_final_row(finals_root, invoice, file, image_id, "chosen")])
    matching = Matching({image_id: file.name}, {image_id: "chosen"})
    return _report(store, invoice, matching, 1)


def finals_state(store: Store, invoice: Invoice) -> FinalsReport:
    """How far the order's retouching is, with nothing added now."""
    return _report(store, invoice, Matching(), 0)


def _final_row(
    finals_root: Path, invoice: Invoice, source: Path, image_id: int, matched_by: str
) -> dict:
    target = finals_root / invoice.reference
    target.mkdir(parents=True, exist_ok=True)
    copy = target / source.name
    size, crc = _copy(source, copy)
    return {
        "invoice": invoice.number,
        "image_id": image_id,
        "source_name": source.name,
        "path": str(copy),
        "size": size,
        "crc": crc,
        "mtime": copy.stat().st_mtime,
        "matched_by": matched_by,
    }


def _report(store: Store, invoice: Invoice, matching: Matching, added: int) -> FinalsReport:
    have = {f.image_id for f in rows.finals(store, invoice.number)}
    wanted = purchased_images(invoice)
    names = {i.id: i.file_name for i in invoice.images}
    return FinalsReport(matching, added, wanted, tuple(i for i in wanted if i in have), names)


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
