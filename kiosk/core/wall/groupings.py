"""Groupings: frames hung as one (a triptych, a grid, a gallery wall), laid out in sold sizes.

A `Grouping` is a design in inches, read from layouts/groupings; `arrange` lays it out in the
sizes the studio sells at one scale, keeping its gaps, and the `Arrangement` moves as one.

    frames = tuple(Frame(name, x, 0, 20, 30) for name, x in (("l", -22), ("m", 0), ("r", 22)))
    triptych = check_grouping(Grouping("triptych", "Triptych", frames, gap=2))
    sizes = (SoldSize("16x24", 16, 24), SoldSize("20x30", 20, 30), SoldSize("24x36", 24, 36))
    arrange(triptych, sizes, scale=1.2, centre=(96, 58)).bounds
    # Placement(x=96.0, y=58.0, width=76.0, height=36.0): three 24×36, still 2 in apart
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kiosk.core.errors import LayoutError
from kiosk.core.wall.perspective import Point
from kiosk.core.wall.room import Placement
from kiosk.core.wall.sizes import SoldSize, snap_size


@dataclass(frozen=True)
class Frame:
    """One frame of a grouping: centre relative to the grouping's centre (y up) and size."""

    name: str
    x: float
    y: float
    width: float
    height: float

    @property
    def rect(self) -> Placement:
        return Placement(self.x, self.y, self.width, self.height)


@dataclass(frozen=True)
class Grouping:
    """Frames hung as one: a triptych, a grid, a gallery wall. `gap` is the smallest space
    between two frames, kept when the grouping is scaled."""

    id: str
    name: str
    frames: tuple[Frame, ...]
    gap: float
    description: str = ""


def check_grouping(grouping: Grouping, *, file: str = "") -> Grouping:
    """Raise LayoutError naming the file and the frames when two frames overlap or crowd."""
    if len(grouping.frames) < 2:
        raise LayoutError("a grouping needs at least two [[frame]] entries", file=file)
    for i, a in enumerate(grouping.frames):
        if a.width <= 0 or a.height <= 0:
            raise LayoutError(f"frame '{a.name}' needs a width and height above 0", file=file)
        for b in grouping.frames[i + 1 :]:
            space = _space_between(a.rect, b.rect)
            if space < grouping.gap - 1e-6:
                what = "overlap" if space < 0 else f"are only {space:g} in apart"
                raise LayoutError(
                    f"frames '{a.name}' and '{b.name}' {what}; the grouping's gap is "
                    f"{grouping.gap:g} in. Move one of them or make it smaller.",
                    file=file,
                )
    return grouping


def _space_between(a: Placement, b: Placement) -> float:
    """The gap between two rectangles along the axis that separates them; < 0 if overlapping."""
    dx = max(b.left - a.right, a.left - b.right)
    dy = max(b.bottom - a.top, a.bottom - b.top)
    return max(dx, dy)


@dataclass(frozen=True)
class Arrangement:
    """A grouping laid out in sold sizes at one spot on the wall; moves as one."""

    grouping: str
    pieces: tuple[Placement, ...]
    sizes: tuple[SoldSize, ...]
    scale: float

    @property
    def bounds(self) -> Placement:
        left = min(p.left for p in self.pieces)
        right = max(p.right for p in self.pieces)
        bottom = min(p.bottom for p in self.pieces)
        top = max(p.top for p in self.pieces)
        return Placement((left + right) / 2, (bottom + top) / 2, right - left, top - bottom)

    def moved_to(self, x: float, y: float) -> Arrangement:
        b = self.bounds
        dx, dy = x - b.x, y - b.y
        return replace(self, pieces=tuple(p.moved_to(p.x + dx, p.y + dy) for p in self.pieces))


def arrange(
    grouping: Grouping,
    sizes: Sequence[SoldSize],
    *,
    scale: float = 1.0,
    centre: Point = (0.0, 0.0),
) -> Arrangement:
    """Lay a grouping out in sold sizes: each frame scaled by `scale`, snapped to the nearest
    sold size the same way up, and the frames spread so no two are closer than the grouping's
    gap — the design's proportions kept, its gaps unchanged at every scale."""
    chosen = tuple(snap_size(sizes, f.width * scale, f.height * scale) for f in grouping.frames)
    spread = 0.0
    frames = grouping.frames
    for i, a in enumerate(frames):
        for j in range(i + 1, len(frames)):
            b = frames[j]
            need = []
            dx, dy = abs(a.x - b.x), abs(a.y - b.y)
            if dx >= (a.width + b.width) / 2 - 1e-9 and dx > 0:
                need.append(((chosen[i].width + chosen[j].width) / 2 + grouping.gap) / dx)
            if dy >= (a.height + b.height) / 2 - 1e-9 and dy > 0:
                need.append(((chosen[i].height + chosen[j].height) / 2 + grouping.gap) / dy)
            if need:
                spread = max(spread, min(need))
    pieces = tuple(
        Placement(f.x * spread, f.y * spread, s.width, s.height)
        for f, s in zip(frames, chosen, strict=True)
    )
    arrangement = Arrangement(grouping.id, pieces, chosen, scale)
    return arrangement.moved_to(*centre)


def scale_steps(
    grouping: Grouping, sizes: Sequence[SoldSize], low: float = 0.3, high: float = 4.0
) -> tuple[float, ...]:
    """The scales at which a grouping's sold sizes change, smallest first: a pinch steps
    through these, never through sizes the studio does not sell."""
    steps: list[float] = []
    seen: set[tuple[str, ...]] = set()
    scale = low
    while scale <= high:
        key = tuple(s.variant for s in arrange(grouping, sizes, scale=scale).sizes)
        if key not in seen:
            seen.add(key)
            steps.append(round(scale, 3))
        scale *= 1.02
    return tuple(steps)
