"""Placing a piece on the wall: the guides its centre snaps to, keeping it on the wall and
clear of the furniture, and which pieces overlap.

Works on anything `Placed` (a single piece's `Placement` or a grouping's `Arrangement`), in
wall inches.

    wall = Wall(((0, 0), (1000, 0), (1000, 1000), (0, 1000)), 100, 100, (1000, 1000))
    piece, resting_on = snap(wall, Placement(49, 57, 20, 16))
    piece                           # Placement(x=50.0, y=58.0, …): centred, at eye level
    [g.kind for g in resting_on]    # ["wall-centre", "eye-level"]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from kiosk.core.wall.perspective import Point
from kiosk.core.wall.room import Placement, Wall

ABOVE_FURNITURE = 9.0  # inches between furniture and a piece's bottom edge (8–10 in)
SNAP_DISTANCE = 2.0  # inches: a centre this close to a guide lands on it


class Placed(Protocol):
    """A piece or a whole arrangement: anything with bounds that can be moved."""

    @property
    def bounds(self) -> Placement: ...

    def moved_to(self, x: float, y: float) -> Placed: ...


@dataclass(frozen=True)
class Guide:
    """A line a centre snaps to. axis "x": a vertical line at x = value; "y": the centre's height
    at y = value."""

    kind: str  # "wall-centre", "furniture-centre", "eye-level", "above-furniture"
    axis: str
    value: float


def guides(wall: Wall, item: Placed) -> tuple[Guide, ...]:
    p = item.bounds
    out = [Guide("wall-centre", "x", wall.width / 2), Guide("eye-level", "y", wall.eye_level)]
    sofa = wall.main_furniture
    if sofa is not None:
        out.append(Guide("furniture-centre", "x", sofa.centre))
        if sofa.left < p.right and p.left < sofa.right:
            out.append(Guide("above-furniture", "y", sofa.top + ABOVE_FURNITURE + p.height / 2))
    return tuple(out)


def guide_line(wall: Wall, guide: Guide) -> tuple[Point, Point]:
    """Where to draw a guide across the wall, in image pixels."""
    if guide.axis == "x":
        return wall.to_image(guide.value, wall.top), wall.to_image(guide.value, wall.bottom)
    return wall.to_image(0, guide.value), wall.to_image(wall.width, guide.value)


def snap(
    wall: Wall, item: Placed, tolerance: float = SNAP_DISTANCE
) -> tuple[Placed, tuple[Guide, ...]]:
    """Move the centre onto the nearest guide on each axis within `tolerance` inches, then keep
    it on the wall. Returns the item and the guides it rests on (for the screen to draw)."""
    p = item.bounds
    x, y = p.x, p.y
    active = []
    for axis in ("x", "y"):
        here = x if axis == "x" else y
        near = [
            g for g in guides(wall, item) if g.axis == axis and abs(g.value - here) <= tolerance
        ]
        if near:
            best = min(near, key=lambda g: abs(g.value - here))
            x, y = (best.value, y) if axis == "x" else (x, best.value)
    moved = clamp(wall, item.moved_to(x, y))
    q = moved.bounds
    for g in guides(wall, moved):
        if abs((q.x if g.axis == "x" else q.y) - g.value) < 1e-6:
            active.append(g)
    return moved, tuple(active)


def clamp(wall: Wall, item: Placed, clearance: float = 1.0) -> Placed:
    """The item moved the least so it lies on the wall and not behind furniture it is above.

    A piece larger than the wall stays centred on it; the wall's edges win over furniture.
    """
    p = item.bounds
    x = _within(p.x, p.width / 2, wall.width - p.width / 2, wall.width / 2)
    low, high = wall.bottom + p.height / 2, wall.top - p.height / 2
    if low > high:
        return item.moved_to(x, wall.bottom + wall.height / 2)
    for piece in wall.furniture:
        if piece.left < x + p.width / 2 and x - p.width / 2 < piece.right:
            low = max(low, piece.top + clearance + p.height / 2)
    return item.moved_to(x, min(max(p.y, low), high))


def _within(value: float, low: float, high: float, middle: float) -> float:
    if low > high:
        return middle
    return min(max(value, low), high)


def overlapping(items: Iterable[Placement]) -> list[tuple[int, int]]:
    """Pairs of pieces (by index) that overlap on the wall, for the screen to warn about."""
    items = list(items)
    return [
        (i, j)
        for i in range(len(items))
        for j in range(i + 1, len(items))
        if items[i].overlaps(items[j])
    ]
