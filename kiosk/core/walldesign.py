"""A wall design: the pieces a client hangs in one room, kept with the session.

Each piece is an image (or an empty frame of a grouping, waiting for one), a product, the
variant (a size the studio sells) and its place on the wall in inches. Pieces of one grouping
share a `group` key and move and scale as one; every other piece is a unit of its own. The
wall-art screen only turns touches into these operations and draws the result.

    design = WallDesign("living-room").with_piece(Piece(101, "canvas", "30x40", placement))
    design.unit(0)                      # the indices that move with piece 0
    design = design.moved(wall, 0, 90, 60)[0]
    design.commands()                   # AddLine for every filled piece, for live.do(*...)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kiosk.core.cart import AddLine
from kiosk.core.errors import CommandError
from kiosk.core.wall import (
    Arrangement,
    Guide,
    Placement,
    SoldSize,
    Wall,
    clamp,
    overlapping,
    snap,
)

GAP = 4.0  # inches between a new piece and its neighbours: close enough to read as a set


@dataclass(frozen=True)
class Piece:
    image: int | None  # None: an empty frame of a grouping
    product: str
    variant: str
    placement: Placement
    group: str = ""  # pieces with the same key move and scale as one; "" for a single piece
    grouping: str = ""  # the grouping's id (layouts/groupings) when grouped
    scale: float = 1.0  # the grouping's scale step
    slot: int = -1  # the frame of the grouping this piece fills

    def to_json(self) -> dict[str, Any]:
        p = self.placement
        return {
            "image": self.image,
            "product": self.product,
            "variant": self.variant,
            "x": round(p.x, 3),
            "y": round(p.y, 3),
            "width": p.width,
            "height": p.height,
            "group": self.group,
            "grouping": self.grouping,
            "scale": self.scale,
            "slot": self.slot,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Piece:
        image = data.get("image")
        return cls(
            None if image is None else int(image),
            str(data["product"]),
            str(data["variant"]),
            Placement(
                float(data["x"]), float(data["y"]), float(data["width"]), float(data["height"])
            ),
            str(data.get("group", "")),
            str(data.get("grouping", "")),
            float(data.get("scale", 1.0)),
            int(data.get("slot", -1)),
        )


@dataclass(frozen=True)
class WallDesign:
    room: str
    pieces: tuple[Piece, ...] = ()

    # reading ----------------------------------------------------------------------------
    def unit(self, index: int) -> tuple[int, ...]:
        """The pieces that move with piece `index`: its grouping, or itself."""
        group = self.pieces[index].group
        if not group:
            return (index,)
        return tuple(i for i, p in enumerate(self.pieces) if p.group == group)

    def bounds(self, indices: Sequence[int]) -> Placement:
        return _unit(self, indices).bounds

    def at(self, x: float, y: float) -> int | None:
        """The piece under a point of the wall (the top one when they overlap)."""
        for i in range(len(self.pieces) - 1, -1, -1):
            p = self.pieces[i].placement
            if p.left <= x <= p.right and p.bottom <= y <= p.top:
                return i
        return None

    def nearest(self, x: float, y: float, within: float) -> int | None:
        """The piece under a point, or the nearest whose edge is at most `within` inches away:
        a photo dropped just beside a small frame still lands in it."""
        hit = self.at(x, y)
        if hit is not None:
            return hit
        best, best_d = None, within
        for i, piece in enumerate(self.pieces):
            p = piece.placement
            d = max(p.left - x, x - p.right, 0.0) ** 2 + max(p.bottom - y, y - p.top, 0.0) ** 2
            if d**0.5 <= best_d:
                best, best_d = i, d**0.5
        return best

    def empty_slots(self, group: str = "") -> tuple[int, ...]:
        return tuple(
            i
            for i, p in enumerate(self.pieces)
            if p.image is None and (not group or p.group == group)
        )

    def overlaps(self) -> list[tuple[int, int]]:
        return overlapping(p.placement for p in self.pieces)

    def images(self) -> tuple[int, ...]:
        return tuple(p.image for p in self.pieces if p.image is not None)

    # changing ---------------------------------------------------------------------------
    def with_piece(self, piece: Piece) -> WallDesign:
        return replace(self, pieces=(*self.pieces, piece))

    def replaced(self, index: int, piece: Piece) -> WallDesign:
        pieces = list(self.pieces)
        pieces[index] = piece
        return replace(self, pieces=tuple(pieces))

    def without(self, indices: Sequence[int]) -> WallDesign:
        gone = set(indices)
        return replace(self, pieces=tuple(p for i, p in enumerate(self.pieces) if i not in gone))

    def filled(self, index: int, image: int) -> WallDesign:
        return self.replaced(index, replace(self.pieces[index], image=image))

    def moved(
        self, wall: Wall, index: int, x: float, y: float, *, snapping: bool = True
    ) -> tuple[WallDesign, tuple[Guide, ...]]:
        """Piece `index` and its unit moved so the unit's centre is at (x, y), snapped to the
        guides, kept on the wall; and the guides it rests on."""
        indices = self.unit(index)
        unit = _unit(self, indices).moved_to(x, y)
        if snapping:
            placed, active = snap(wall, unit)
        else:
            placed, active = clamp(wall, unit), ()
        return self._placed(indices, placed.pieces), active  # type: ignore[attr-defined]

    def relaid(self, indices: Sequence[int], pieces: Sequence[Piece]) -> WallDesign:
        """A unit replaced by new pieces (a grouping rescaled or shown in another product)."""
        out = list(self.pieces)
        first = min(indices)
        kept = [p for i, p in enumerate(out) if i not in set(indices)]
        kept[first:first] = pieces
        return replace(self, pieces=tuple(kept))

    def _placed(self, indices: Sequence[int], placements: Sequence[Placement]) -> WallDesign:
        pieces = list(self.pieces)
        for i, p in zip(indices, placements, strict=True):
            pieces[i] = replace(pieces[i], placement=p)
        return replace(self, pieces=tuple(pieces))

    # the cart and the store -------------------------------------------------------------
    def commands(self, options: Mapping[str, Mapping[str, str]] | None = None) -> list[AddLine]:
        """One AddLine per piece, for `live.do(*commands)`: all or none. Refused while a frame
        of a grouping is still empty, so a grouping is never ordered with a piece missing."""
        if not self.pieces:
            raise CommandError("There is nothing on the wall yet. Add a piece first.")
        empty = len(self.empty_slots())
        if empty:
            frames = "frame is" if empty == 1 else "frames are"
            raise CommandError(
                f"{empty} {frames} still empty. Drag a photo onto each empty frame, or tap a "
                "frame and then a photo."
            )
        options = options or {}
        return [
            AddLine(p.product, p.variant, dict(options.get(p.product, {})), (p.image,))
            for p in self.pieces
            if p.image is not None
        ]

    def to_json(self) -> dict[str, Any]:
        return {"room": self.room, "pieces": [p.to_json() for p in self.pieces]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WallDesign:
        return cls(str(data["room"]), tuple(Piece.from_json(p) for p in data.get("pieces", ())))


def _unit(design: WallDesign, indices: Sequence[int]) -> Arrangement:
    pieces = tuple(design.pieces[i].placement for i in indices)
    return Arrangement(design.pieces[indices[0]].grouping, pieces, (), 1.0)


def free_spot(
    wall: Wall,
    taken: Sequence[Placement],
    width: float,
    height: float,
    *,
    near: tuple[float, float] | None = None,
    gap: float = GAP,
) -> Placement:
    """Where a new width × height piece goes: beside the pieces already hung (right, then
    left, then above or below them), on the wall and overlapping none; failing that, the free
    spot nearest `near` (the wall's centre at eye level) on a grid over the wall."""
    cx, cy = near or (wall.width / 2, wall.eye_level)

    def ok(p: Placement) -> bool:
        return wall.contains(p) and not any(p.overlaps(_grown(t, gap - 1e-6)) for t in taken)

    if not taken:
        p = clamp(wall, Placement(cx, cy, width, height))
        return p  # type: ignore[return-value]
    left = min(t.left for t in taken)
    right = max(t.right for t in taken)
    bottom = min(t.bottom for t in taken)
    top = max(t.top for t in taken)
    mid_y = (bottom + top) / 2
    mid_x = (left + right) / 2
    candidates = [
        Placement(right + gap + width / 2, mid_y, width, height),
        Placement(left - gap - width / 2, mid_y, width, height),
        Placement(mid_x, top + gap + height / 2, width, height),
        Placement(mid_x, bottom - gap - height / 2, width, height),
    ]
    # A candidate the wall's edges or the furniture would push far away is not "beside".
    for c in candidates:
        placed = clamp(wall, c).bounds
        if ok(placed) and abs(placed.x - c.x) + abs(placed.y - c.y) < 1.0:
            return placed
    step = 2.0
    best: Placement | None = None
    best_d = float("inf")
    y = wall.bottom + height / 2
    while y <= wall.top - height / 2 + 1e-9:
        x = width / 2
        while x <= wall.width - width / 2 + 1e-9:
            p = Placement(x, y, width, height)
            d = (x - cx) ** 2 + (y - cy) ** 2
            if d < best_d and ok(clamp(wall, p).bounds):
                best, best_d = clamp(wall, p).bounds, d
            x += step
        y += step
    # A wall too full for one more: hang it anyway, where asked; the screen warns of overlaps.
    return best or clamp(wall, Placement(cx, cy, width, height)).bounds  # type: ignore[return-value]


def _grown(p: Placement, by: float) -> Placement:
    return Placement(p.x, p.y, p.width + 2 * by, p.height + 2 * by)


def sized(placement: Placement, size: SoldSize) -> Placement:
    return Placement(placement.x, placement.y, size.width, size.height)
