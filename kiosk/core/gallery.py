"""When the client's gallery opens, and what a request for part of a file asks for.

    state = gallery_state(paid_in_full=True, wanted=(3, 5, 8), retouched={3, 5})
    state.open, state.text          # False, "2 of 3 retouched"
    byte_range("bytes=100-", 1000)  # (100, 1000): half-open; None for the whole file

What must stay true: no full-resolution file answers before the order is paid in full and every
image bought as a file has its final; a link expires (GALLERY_DAYS) and can be withdrawn.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

GALLERY_DAYS = 90
RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")


@dataclass(frozen=True)
class GalleryState:
    open: bool
    paid_in_full: bool
    wanted: int  # images bought as files
    retouched: int  # of those, with their final

    @property
    def text(self) -> str:
        if not self.wanted:
            return "No image was bought as a file."
        return f"{self.retouched} of {self.wanted} retouched"


def gallery_state(
    *, paid_in_full: bool, wanted: Sequence[int], retouched: Collection[int]
) -> GalleryState:
    done = sum(1 for image_id in wanted if image_id in retouched)
    ready = paid_in_full and bool(wanted) and done == len(wanted)
    return GalleryState(ready, paid_in_full, len(wanted), done)


class RangeNotSatisfiable(ValueError):
    """The Range asks for bytes the file does not have (answered 416)."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One `Range: bytes=a-b` (or `a-`, or `-n`: the last n) as a half-open (start, end); None
    for the whole file (no header, or one this does not serve, like several ranges, which a
    client then gets whole: RFC 9110 allows ignoring Range)."""
    if not header:
        return None
    found = RANGE.fullmatch(header.strip())
    if not found or found.group(1) == found.group(2) == "":
        return None
    first, last = found.groups()
    if first == "":
        start, end = max(size - int(last), 0), size
    else:
        start = int(first)
        end = size if last == "" else min(int(last) + 1, size)
    if start >= size or start >= end:
        raise RangeNotSatisfiable(f"bytes {start}- of a file of {size} bytes")
    return start, end
