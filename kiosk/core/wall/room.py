"""A room's wall as photographed: its real size in inches and where it lies in the image.

A `Wall` is a rectangle of known size (x from its left edge, y up from the floor) seen through
a homography solved from its four corners; everything the wall-art screen does is expressed in
wall inches and mapped to pixels only to draw. A `Placement` is a rectangle on it, `Furniture`
stands in front of it, and a `Room` is a sample room (or a client's photo) with its wall.

    wall = Wall(((0, 0), (1000, 0), (1000, 600), (0, 600)), 100, 60, (1000, 600))
    wall.to_wall(500, 300)                  # a touch at the image's centre: (50.0, 30.0) in
    wall.quad(Placement(50, 30, 20, 16))    # a 20×16 piece there: (400, 220) … (400, 380) px
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from kiosk.core.wall.perspective import (
    Homography,
    Point,
    Quad,
    camera_matrix,
    default_focal,
    focal_from,
)

EYE_LEVEL = 58.0  # inches: galleries hang a piece's centre at 57–60 in above the floor


@dataclass(frozen=True)
class Furniture:
    """Something standing in front of the wall: art is not hung behind it."""

    name: str
    left: float  # inches along the wall
    right: float
    top: float  # inches above the floor

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class Placement:
    """A rectangle on the wall: its centre (x from the left edge, y above the floor), its size
    as hung, in inches."""

    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y - self.height / 2

    @property
    def top(self) -> float:
        return self.y + self.height / 2

    @property
    def bounds(self) -> Placement:
        return self

    def moved_to(self, x: float, y: float) -> Placement:
        return replace(self, x=x, y=y)

    def overlaps(self, other: Placement) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.bottom < other.top
            and other.bottom < self.top
        )


@dataclass(frozen=True)
class Wall:
    """A flat wall seen in an image: four corners in pixels and its real size in inches.

    `corners` are continuous image coordinates (a pixel's centre is at +0.5) of the wall's
    top-left, top-right, bottom-right and bottom-left. `bottom` is the height above the floor
    of the bottom edge (0 when it is the floor line). `focal` is the camera's focal length in
    pixels, used only for what stands off the wall (a canvas's sides, a frame's depth); 0 means
    estimate it from the corners, or assume a phone's field of view.
    """

    corners: Quad
    width: float
    height: float
    image_size: tuple[int, int]
    bottom: float = 0.0
    eye_level: float = EYE_LEVEL
    furniture: tuple[Furniture, ...] = ()
    focal: float = 0.0
    homography: Homography = field(init=False, compare=False, repr=False)
    camera_focal: float = field(init=False, compare=False, repr=False)  # focal used, px
    _camera: tuple[tuple[float, ...], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError("a wall's width and height must be positive")
        top = self.bottom + self.height
        src = ((0.0, top), (self.width, top), (self.width, self.bottom), (0.0, self.bottom))
        h = Homography.from_points(src, self.corners)
        object.__setattr__(self, "homography", h)
        cx, cy = self.image_size[0] / 2, self.image_size[1] / 2
        f = self.focal or focal_from(h, cx, cy) or default_focal(self.image_size[0])
        object.__setattr__(self, "camera_focal", f)
        object.__setattr__(self, "_camera", camera_matrix(h, self.image_size, f))

    @property
    def top(self) -> float:
        return self.bottom + self.height

    @property
    def main_furniture(self) -> Furniture | None:
        return self.furniture[0] if self.furniture else None

    def to_image(self, x: float, y: float) -> Point:
        """Wall inches → image pixels."""
        return self.homography(x, y)

    def to_wall(self, u: float, v: float) -> Point:
        """Image pixels (a touch) → wall inches."""
        return self.homography.inverse()(u, v)

    def project(self, x: float, y: float, z: float) -> Point:
        """A point `z` inches out from the wall (towards the room) → image pixels."""
        (a, b, c, d), (e, f, g, h), (i, j, k, l_) = self._camera
        w = i * x + j * y + k * z + l_
        return (a * x + b * y + c * z + d) / w, (e * x + f * y + g * z + h) / w

    def quad(self, item: Placement, depth: float = 0.0) -> Quad:
        """The image corners (top-left, top-right, bottom-right, bottom-left) of a rectangle on
        the wall, or of its face `depth` inches in front of the wall."""
        p = item.bounds
        return tuple(  # type: ignore[return-value]
            self.project(x, y, depth)
            for x, y in ((p.left, p.top), (p.right, p.top), (p.right, p.bottom), (p.left, p.bottom))
        )

    def pixels_per_inch(self, x: float, y: float) -> float:
        """The local scale at a point of the wall: √ of the area a square inch covers."""
        (u0, v0), (u1, v1), (u2, v2) = (
            self.to_image(x, y),
            self.to_image(x + 1, y),
            self.to_image(x, y + 1),
        )
        return math.sqrt(abs((u1 - u0) * (v2 - v0) - (v1 - v0) * (u2 - u0)))

    def scaled(self, factor: float) -> Wall:
        """The same wall in the image resized by `factor` (an export at another width)."""
        w, h = self.image_size
        return replace(
            self,
            corners=tuple((u * factor, v * factor) for u, v in self.corners),  # type: ignore[arg-type]
            image_size=(round(w * factor), round(h * factor)),
            focal=self.camera_focal * factor,
        )

    def contains(self, item: Placement) -> bool:
        p = item.bounds
        eps = 1e-6
        return (
            p.left >= -eps
            and p.right <= self.width + eps
            and p.bottom >= self.bottom - eps
            and p.top <= self.top + eps
        )

    def fits(self, width: float, height: float) -> bool:
        return width <= self.width and height <= self.height


@dataclass(frozen=True)
class Room:
    """A sample room (or a client's wall photo) with its calibrated wall."""

    id: str
    name: str
    image: str  # path of the room's image
    wall: Wall
    light: float = 0.0  # where light comes from: -1 the left, 0 above, 1 the right
    description: str = ""
