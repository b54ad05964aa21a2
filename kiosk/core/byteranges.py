"""Which bytes of a file have arrived: sorted, disjoint, half-open ranges.

An upload sent in chunks, some twice, some out of order, some lost to a dropped connection, is
whole when its ranges cover `[0, size)`; what is missing is what the browser sends next.

    >>> have = add((), 0, 4)
    >>> have = add(have, 8, 12)
    >>> have, missing(have, 12), covers(have, 12)
    (((0, 4), (8, 12)), ((4, 8),), False)
"""

from __future__ import annotations

Ranges = tuple[tuple[int, int], ...]


def add(ranges: Ranges, start: int, end: int) -> Ranges:
    """`ranges` with `[start, end)` added, touching and overlapping ranges merged."""
    if end <= start:
        return ranges
    merged: list[tuple[int, int]] = []
    for low, high in sorted((*ranges, (start, end))):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def missing(ranges: Ranges, size: int) -> Ranges:
    """The gaps of `[0, size)` that `ranges` leave."""
    gaps: list[tuple[int, int]] = []
    at = 0
    for low, high in ranges:
        if low > at:
            gaps.append((at, min(low, size)))
        at = max(at, high)
    if at < size:
        gaps.append((at, size))
    return tuple(gap for gap in gaps if gap[0] < gap[1])


def covers(ranges: Ranges, size: int) -> bool:
    return not missing(ranges, size)


def total(ranges: Ranges) -> int:
    return sum(high - low for low, high in ranges)
