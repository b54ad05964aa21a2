"""The retouched finals of an order: which ordered image each exported file is, which images the
client bought as files, and the clean names they are delivered under.

What must stay true: a final is matched to an image only when nothing else could be meant; a
file that could be two images is asked about, never guessed.

    matching = match_finals(
        [FinalFile("IMG_1234-edit.jpg", hash_of_file), FinalFile("bride.jpg", other_hash)],
        [Original(7, "IMG_1234.CR3", thumb_hash), Original(8, "IMG_1240.CR3", thumb_hash_2)],
    )
    matching.matched        # {7: "IMG_1234-edit.jpg", 8: "bride.jpg"} when bride.jpg looks like 8
    matching.ambiguous      # (("a.jpg", (8, 9)), ...): looks like two images alike; ask
    matching.unmatched      # files that are none of the order's images

First by the original's file stem (`IMG_1234.jpg` <- `IMG_1234-edit.jpg`, `IMG_1234_retouched.tif`,
`img_1234 copy.jpg`), then, for renamed files, by a 64-bit perceptual hash of each picture
(kiosk/delivery/finals.py computes it from the final and the original's thumbnail).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from kiosk.core.invoices import Invoice

SEPARATORS = "-_ .(+"  # what may follow the original's stem in an exported name
SAME_PICTURE = 10  # bits of 64 that may differ between a final and its original's thumbnail
CLEARLY_BETTER = 4  # the best match must be this many bits closer than the next one
FINAL_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


@dataclass(frozen=True)
class FinalFile:
    name: str  # the file's name in the export folder
    hash: int | None = None  # its perceptual hash; None when it could not be read


@dataclass(frozen=True)
class Original:
    image_id: int
    file_name: str
    hash: int | None = None


@dataclass(frozen=True)
class Matching:
    matched: dict[int, str] = field(default_factory=dict)  # image id -> final's name
    by: dict[int, str] = field(default_factory=dict)  # image id -> "name" or "picture"
    ambiguous: tuple[tuple[str, tuple[int, ...]], ...] = ()
    unmatched: tuple[str, ...] = ()


def stem(name: str) -> str:
    return PurePath(name).stem.casefold()


def match_finals(finals: Sequence[FinalFile], originals: Sequence[Original]) -> Matching:
    """Each final to at most one original and each original to at most one final (the first
    by name; a second export of the same image is listed as unmatched)."""
    matched: dict[int, str] = {}
    by: dict[int, str] = {}
    ambiguous: list[tuple[str, tuple[int, ...]]] = []
    rest: list[FinalFile] = []
    for final in sorted(finals, key=lambda f: f.name):
        candidates = _by_name(stem(final.name), originals)
        if len(candidates) == 1 and candidates[0] not in matched:
            matched[candidates[0]] = final.name
            by[candidates[0]] = "name"
        elif len(candidates) > 1:
            ambiguous.append((final.name, tuple(candidates)))
        else:
            rest.append(final)
    unmatched: list[str] = []
    for final in rest:
        free = [o for o in originals if o.image_id not in matched and o.hash is not None]
        if final.hash is None or not free:
            unmatched.append(final.name)
            continue
        ranked = sorted((distance(final.hash, o.hash), o.image_id) for o in free)
        best, image_id = ranked[0]
        if best > SAME_PICTURE:
            unmatched.append(final.name)
        elif len(ranked) > 1 and ranked[1][0] < best + CLEARLY_BETTER:
            alike = tuple(i for d, i in ranked if d < best + CLEARLY_BETTER)
            ambiguous.append((final.name, alike))
        else:
            matched[image_id] = final.name
            by[image_id] = "picture"
    return Matching(matched, by, tuple(ambiguous), tuple(unmatched))


def _by_name(final_stem: str, originals: Sequence[Original]) -> list[int]:
    """The originals whose stem the final's begins with, at a separator; the longest stems
    only (IMG_12 does not claim IMG_1234-edit: no separator after it)."""
    hits = []
    for original in originals:
        s = stem(original.file_name)
        if final_stem == s or (final_stem.startswith(s) and final_stem[len(s)] in SEPARATORS):
            hits.append((len(s), original.image_id))
    if not hits:
        return []
    longest = max(length for length, _ in hits)
    return [image_id for length, image_id in hits if length == longest]


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def purchased_images(invoice: Invoice) -> tuple[int, ...]:
    """The images the client bought as files, in the invoice's order: every image of a
    digital line; every image of the order when a digital line names none (all files)."""
    wanted: set[int] = set()
    for line in invoice.lines:
        if line.kind != "digital":
            continue
        if not line.images:
            return tuple(i.id for i in sorted(invoice.images, key=lambda i: i.position))
        wanted.update(line.images)
    return tuple(i.id for i in sorted(invoice.images, key=lambda i: i.position) if i.id in wanted)


def slug(text: str) -> str:
    """ "Éleanor Whitfield" -> "eleanor-whitfield": ASCII letters and digits, dashes between."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain.casefold()).split()
    return "-".join(words)[:40].strip("-") or "photos"


def clean_names(invoice: Invoice, finals: Iterable[tuple[int, str]]) -> dict[int, str]:
    """image id -> the name the client downloads it under: "whitfield-003.jpg" (the client's
    name, the image's place in the order, the final's own extension)."""
    positions = {i.id: i.position for i in invoice.images}
    base = slug(invoice.client.name)
    out = {}
    for image_id, final_name in finals:
        suffix = PurePath(final_name).suffix.lower()
        suffix = ".jpg" if suffix == ".jpeg" else ".tif" if suffix == ".tiff" else suffix
        out[image_id] = f"{base}-{positions.get(image_id, image_id):03d}{suffix}"
    return out
