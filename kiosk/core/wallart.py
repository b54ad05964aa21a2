"""Wall-art geometry: where a piece of a real size lands on a photographed wall.

A `Wall` is a rectangle of known size in inches (x from its left edge, y up from the floor)
seen in an image through a homography, solved here from its four corners. Everything the
wall-art screen does is expressed in wall inches and mapped to pixels only to draw: placing a
piece (`Wall.quad`), touching it (`Wall.to_wall`), snapping to the sizes the studio sells
(`snap_size`), to guides (`snap`), keeping it on the wall (`clamp`), and groupings that move
and scale as one (`arrange`). A client's own wall is calibrated from a reference of known
length (`calibrate_fronto`, `calibrate_perspective`). Pure Python: no numpy, no files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from kiosk.core.errors import CalibrationError, LayoutError, WallPhotoError
from kiosk.core.pricelist import Product

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left
RGB = tuple[int, int, int]

EYE_LEVEL = 58.0  # inches: galleries hang a piece's centre at 57–60 in above the floor
ABOVE_FURNITURE = 9.0  # inches between furniture and a piece's bottom edge (8–10 in)
SNAP_DISTANCE = 2.0  # inches: a centre this close to a guide lands on it
DEFAULT_FOV = 65.0  # degrees across a phone's main camera, when a photo does not say
MIN_PHOTO = (1024, 640)  # long × short edge of the smallest wall photo worth calibrating
MIN_POINT_DISTANCE = 40.0  # pixels between the two ends of a reference


# ---------------------------------------------------------------------------------------------
# Homography


@dataclass(frozen=True)
class Homography:
    """A projective map of the plane, row-major 3×3 with m[8] scaled to 1 when it can be."""

    m: tuple[float, ...]

    @classmethod
    def from_points(cls, src: Sequence[Point], dst: Sequence[Point]) -> Homography:
        """The map sending four points `src` to `dst`: the 8-unknown linear system, solved.

        Both sides are normalised (centred, mean distance √2) first so that inches and
        thousands of pixels do not make the system ill-conditioned.
        """
        if len(src) != 4 or len(dst) != 4:
            raise ValueError("a homography needs exactly four point pairs")
        ts, td = _normaliser(src), _normaliser(dst)
        rows: list[list[float]] = []
        for (x, y), (u, v) in zip((ts(*p) for p in src), (td(*p) for p in dst), strict=True):
            rows.append([x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u, u])
            rows.append([0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v, v])
        h = _solve(rows)
        core = cls((*h, 1.0))
        return td.inverse().then_after(core).then_after(ts)

    def __call__(self, x: float, y: float) -> Point:
        m = self.m
        w = m[6] * x + m[7] * y + m[8]
        return (m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w

    def inverse(self) -> Homography:
        a, b, c, d, e, f, g, h, i = self.m
        adj = (
            e * i - f * h,
            c * h - b * i,
            b * f - c * e,
            f * g - d * i,
            a * i - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        )
        return Homography(adj)._scaled()

    def then_after(self, first: Homography) -> Homography:
        """`self ∘ first`: apply `first`, then `self`."""
        a, b = self.m, first.m
        out = tuple(
            sum(a[3 * r + k] * b[3 * k + c] for k in range(3)) for r in range(3) for c in range(3)
        )
        return Homography(out)._scaled()

    def pil_data(self) -> tuple[float, ...]:
        """Pillow's PERSPECTIVE data to draw through this map: it wants output → input."""
        inv = self.inverse().m
        return tuple(v / inv[8] for v in inv[:8])

    def _scaled(self) -> Homography:
        s = self.m[8]
        if abs(s) < 1e-12:
            return self
        return Homography(tuple(v / s for v in self.m))


def translation(dx: float, dy: float) -> Homography:
    return Homography((1.0, 0.0, dx, 0.0, 1.0, dy, 0.0, 0.0, 1.0))


def scaling(sx: float, sy: float | None = None) -> Homography:
    return Homography((sx, 0.0, 0.0, 0.0, sx if sy is None else sy, 0.0, 0.0, 0.0, 1.0))


def _normaliser(points: Sequence[Point]) -> Homography:
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    spread = sum(math.hypot(p[0] - cx, p[1] - cy) for p in points) / len(points)
    s = math.sqrt(2) / spread if spread > 1e-12 else 1.0
    return Homography((s, 0.0, -s * cx, 0.0, s, -s * cy, 0.0, 0.0, 1.0))


def _solve(rows: list[list[float]]) -> list[float]:
    """Gauss-Jordan with partial pivoting on an n×(n+1) augmented matrix."""
    n = len(rows)
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            raise CalibrationError(
                "Three of the four corners lie on one line, so they cannot outline a wall. "
                "Drag each corner to a different corner of the wall."
            )
        rows[col], rows[pivot] = rows[pivot], rows[col]
        top = rows[col]
        for r in range(n):
            if r != col and rows[r][col]:
                k = rows[r][col] / top[col]
                rows[r] = [a - k * b for a, b in zip(rows[r], top, strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Walls and rooms


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
        f = self.focal or _focal_from(h, cx, cy) or default_focal(self.image_size[0])
        object.__setattr__(self, "camera_focal", f)
        object.__setattr__(self, "_camera", _camera(h, self.image_size, f))

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


def _camera(h: Homography, size: tuple[int, int], f: float) -> tuple[tuple[float, ...], ...]:
    """The 3×4 camera matrix P with P·(x, y, 0, 1) = H·(x, y, 1), for points off the wall.

    H = s·K·[r1 r2 t] for a pinhole camera K (square pixels, principal point at the image's
    centre); the wall's normal r3 = r1 × r2 gives the missing column.
    """
    cx, cy = size[0] / 2, size[1] / 2
    m = h.m
    cols = [(m[c], m[3 + c], m[6 + c]) for c in range(3)]
    k_inv = [((x - cx * z) / f, (y - cy * z) / f, z) for x, y, z in cols]
    n1, n2 = math.hypot(*k_inv[0]), math.hypot(*k_inv[1])
    lam = 2 / (n1 + n2)
    if k_inv[2][2] * lam < 0:  # the wall is in front of the camera
        lam = -lam
    r1 = [v * lam for v in k_inv[0]]
    r2 = [v * lam for v in k_inv[1]]
    r3 = (
        r1[1] * r2[2] - r1[2] * r2[1],
        r1[2] * r2[0] - r1[0] * r2[2],
        r1[0] * r2[1] - r1[1] * r2[0],
    )
    hz = tuple(v / lam for v in (f * r3[0] + cx * r3[2], f * r3[1] + cy * r3[2], r3[2]))
    return tuple((cols[0][r], cols[1][r], hz[r], cols[2][r]) for r in range(3))


def default_focal(image_width: float, fov_degrees: float = DEFAULT_FOV) -> float:
    return image_width / 2 / math.tan(math.radians(fov_degrees) / 2)


def _focal_from(h: Homography, cx: float, cy: float) -> float:
    """The focal length that makes the wall's two directions perpendicular, if measurable.

    Only a wall seen at an angle in both directions tells it; a wall facing the camera, or one
    whose verticals stay parallel, does not (0 is returned and a default is assumed).
    """
    m = h.m
    (x1, y1, z1), (x2, y2, z2) = ((m[c], m[3 + c], m[6 + c]) for c in range(2))
    scale = max(abs(x1), abs(y1), abs(x2), abs(y2)) / max(cx, cy)
    if abs(z1 * z2) < 1e-6 * scale * scale:
        return 0.0
    f2 = -((x1 - cx * z1) * (x2 - cx * z2) + (y1 - cy * z1) * (y2 - cy * z2)) / (z1 * z2)
    if f2 <= 0:
        return 0.0
    f = math.sqrt(f2)
    # A value far outside real lenses means noise in the corners, not a measurement.
    low, high = default_focal(2 * cx, 120), default_focal(2 * cx, 15)
    return f if low <= f <= high else 0.0


@dataclass(frozen=True)
class Room:
    """A sample room (or a client's wall photo) with its calibrated wall."""

    id: str
    name: str
    image: str  # path of the room's image
    wall: Wall
    light: float = 0.0  # where light comes from: -1 the left, 0 above, 1 the right
    description: str = ""


# ---------------------------------------------------------------------------------------------
# Calibration of a client's wall photo


def check_wall_photo(size: tuple[int, int], *, name: str = "The wall photo") -> None:
    """Refuse a photo too small to show art at a believable size."""
    long_edge, short_edge = max(size), min(size)
    if long_edge < MIN_PHOTO[0] or short_edge < MIN_PHOTO[1]:
        raise WallPhotoError(
            f"{name} is only {size[0]}×{size[1]} pixels; a mock-up needs at least "
            f"{MIN_PHOTO[0]}×{MIN_PHOTO[1]}. Send the photo at full size (not a screenshot or "
            "a messaging-app copy), or take it again."
        )


def calibrate_fronto(
    image_size: tuple[int, int],
    a: Point,
    b: Point,
    length: float,
    *,
    on_floor: bool = False,
    floor_y: float | None = None,
) -> Wall:
    """A photo taken square-on to the wall, scaled by a reference of known length.

    `a`, `b` are the two touched ends of the reference (a standard door is 80 in tall) and
    `length` its real length in inches. With `on_floor` the lower end stands on the floor, which
    gives the floor line; `floor_y` gives it directly; otherwise the photo's bottom is taken as
    the floor. The wall is the whole photo above the floor line.
    """
    check_wall_photo(image_size)
    distance = _reference(a, b, length)
    ppi = distance / length
    w, h = image_size
    if floor_y is None:
        floor_y = max(a[1], b[1]) if on_floor else float(h)
    base = min(floor_y, float(h))
    if base < MIN_PHOTO[1] / 4:
        raise CalibrationError(
            "The floor line is at the very top of the photo, so there is no wall above it. "
            "Move the reference's lower end to where the wall meets the floor."
        )
    corners = ((0.0, 0.0), (float(w), 0.0), (float(w), base), (0.0, base))
    return Wall(corners, w / ppi, base / ppi, image_size, bottom=(floor_y - base) / ppi)


def calibrate_perspective(
    image_size: tuple[int, int],
    corners: Sequence[Point],
    a: Point,
    b: Point,
    length: float,
    *,
    on_floor: bool = False,
    focal: float = 0.0,
) -> Wall:
    """A wall photographed at an angle: four dragged corners of the wall plus a reference.

    The corners' perspective gives the wall's proportions (with the camera's focal length, from
    the corners when they show it, or a phone's default); the reference on the wall (a door's
    height) gives the scale. With `on_floor` the reference's lower end marks the floor.
    """
    check_wall_photo(image_size)
    quad = _check_corners(corners)
    _reference(a, b, length)
    unit = Homography.from_points(((0, 0), (1, 0), (1, 1), (0, 1)), quad)
    cx, cy = image_size[0] / 2, image_size[1] / 2
    f = focal or _focal_from(unit, cx, cy) or default_focal(image_size[0])
    m = unit.m
    k_inv = [((m[c] - cx * m[6 + c]) / f, (m[3 + c] - cy * m[6 + c]) / f, m[6 + c]) for c in (0, 1)]
    aspect = math.hypot(*k_inv[0]) / math.hypot(*k_inv[1])  # width / height
    back = unit.inverse()
    (sa, ta), (sb, tb) = back(*a), back(*b)
    in_heights = math.hypot((sa - sb) * aspect, ta - tb)  # in units of the wall's height
    if in_heights < 1e-6:
        raise CalibrationError(_TOGETHER)
    height = length / in_heights
    bottom = 0.0
    if on_floor:
        floor_t = max(ta, tb)
        if floor_t < 1:  # the dragged bottom edge is below the floor: stop the wall there
            quad = (quad[0], quad[1], unit(1, floor_t), unit(0, floor_t))
            height *= floor_t
        else:
            bottom = (floor_t - 1) * height
    return Wall(quad, aspect * length / in_heights, height, image_size, bottom=bottom, focal=focal)


_TOGETHER = (
    "The two reference points are on top of each other. Drag them to the two ends of something "
    "you know the length of, such as the top and bottom of a door (80 in)."
)


def _reference(a: Point, b: Point, length: float) -> float:
    if not length > 0:
        raise CalibrationError(
            f"The reference length must be more than 0 inches (got {length}). Enter the real "
            "length of what the two points mark, such as 80 for a standard door."
        )
    distance = math.hypot(a[0] - b[0], a[1] - b[1])
    if distance < MIN_POINT_DISTANCE:
        raise CalibrationError(
            f"{_TOGETHER[:-1]} They are {distance:.0f} pixels apart; place them at least "
            f"{MIN_POINT_DISTANCE:.0f} pixels apart."
        )
    return distance


def _check_corners(corners: Sequence[Point]) -> Quad:
    if len(corners) != 4:
        raise CalibrationError("Place exactly four corners, one on each corner of the wall.")
    quad: Quad = tuple((float(u), float(v)) for u, v in corners)  # type: ignore[assignment]
    for i in range(4):
        for j in range(i + 1, 4):
            if math.dist(quad[i], quad[j]) < MIN_POINT_DISTANCE:
                raise CalibrationError(
                    "Two corners of the wall are on top of each other. Drag each of the four "
                    "corners to a different corner of the wall."
                )
    crosses = []
    for i in range(4):
        (x0, y0), (x1, y1), (x2, y2) = quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]
        crosses.append((x1 - x0) * (y2 - y1) - (y1 - y0) * (x2 - x1))
    if not all(c > 0 for c in crosses):
        raise CalibrationError(
            "The four corners do not outline the wall: they cross or fold in. Place them in "
            "order — top left, top right, bottom right, bottom left."
        )
    return quad


# ---------------------------------------------------------------------------------------------
# Sizes the studio sells


@dataclass(frozen=True)
class SoldSize:
    """One size of a wall product, oriented as hung (inches)."""

    variant: str  # the price list's variant id
    width: float
    height: float
    label: str = ""

    @property
    def portrait(self) -> bool:
        return self.height >= self.width

    def oriented(self, portrait: bool) -> SoldSize:
        if portrait == (self.height >= self.width) or self.width == self.height:
            return self
        return replace(self, width=self.height, height=self.width)


def sold_sizes(product: Product) -> tuple[SoldSize, ...]:
    """A wall product's sizes, smallest first, each as written (portrait or landscape)."""
    out = []
    for v in product.variants:
        if v.size is not None:
            w, h = v.size.inches()
            out.append(SoldSize(v.id, w, h, v.size.label))
    return tuple(sorted(out, key=lambda s: s.width * s.height))


def snap_size(
    sizes: Sequence[SoldSize], width: float, height: float, *, by: str = "area"
) -> SoldSize:
    """The sold size nearest to width × height (by `area` or `long` edge, as ratios, so a pinch
    feels the same at every size), in the orientation asked for."""
    if not sizes:
        raise ValueError("no sizes to snap to: the product has no sizes in the price list")
    portrait = height >= width
    want = max(1e-9, width * height if by == "area" else max(width, height))

    def distance(s: SoldSize) -> tuple[float, float]:
        have = s.width * s.height if by == "area" else max(s.width, s.height)
        aspect = abs(math.log(max(s.width, s.height) / min(s.width, s.height)))
        target = abs(math.log(max(width, height) / max(min(width, height), 1e-9)))
        return abs(math.log(have / want)), abs(aspect - target)

    return min(sizes, key=distance).oriented(portrait)


def step_size(sizes: Sequence[SoldSize], current: SoldSize, steps: int) -> SoldSize:
    """The sold size `steps` larger (or smaller, when negative) than `current`, same way up."""
    ordered = sorted(sizes, key=lambda s: s.width * s.height)
    here = min(
        range(len(ordered)),
        key=lambda i: abs(ordered[i].width * ordered[i].height - current.width * current.height),
    )
    target = ordered[max(0, min(len(ordered) - 1, here + steps))]
    return target.oriented(current.portrait)


# ---------------------------------------------------------------------------------------------
# Guides and keeping a piece on the wall


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


# ---------------------------------------------------------------------------------------------
# Groupings


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


# ---------------------------------------------------------------------------------------------
# How a product looks on the wall


@dataclass(frozen=True)
class Finish:
    """What the renderer needs to know about a product; inches and sRGB colours."""

    kind: str  # "canvas", "framed", "metal", "acrylic", "print"
    depth: float  # how far the face stands off the wall
    thickness: float  # of the visible edge (a canvas's whole depth, an acrylic block's)
    frame_colour: RGB = (0, 0, 0)
    frame_width: float = 0.0  # moulding profile, framed only
    mat_colour: RGB | None = None
    image_size: tuple[float, float] | None = None  # framed: the photo's opening, as listed
    glossy: bool = False
    wood: bool = False


FRAME_COLOURS: dict[str, tuple[RGB, bool]] = {
    "walnut": ((96, 62, 40), True),
    "oak": ((170, 130, 86), True),
    "black": ((30, 29, 30), False),
    "white": ((236, 234, 228), False),
    "gold": ((178, 142, 74), False),
    "silver": ((176, 176, 172), False),
}
MAT_COLOURS: dict[str, RGB] = {
    "white": (247, 246, 241),
    "cream": (240, 232, 212),
    "black": (28, 28, 28),
}


def finish_for(
    product: Product, choices: Mapping[str, str] | None = None, variant: str = ""
) -> Finish:
    """The finish of a wall product with the client's option choices (price-list ids)."""
    choices = choices or {}
    kind = product.kind
    if kind == "canvas":
        depth = float(choices.get("depth", "1.5")) if _number(choices.get("depth")) else 1.5
        return Finish("canvas", depth, depth)
    if kind == "metal":
        return Finish("metal", 0.75, 0.06, glossy=choices.get("finish", "gloss") != "matte")
    if kind == "acrylic":
        thick = 0.5 if choices.get("thickness") == "half" else 0.25
        return Finish("acrylic", 0.5 + thick, thick, glossy=True)
    if kind == "framed":
        colour, wood = FRAME_COLOURS.get(choices.get("frame", "black"), FRAME_COLOURS["black"])
        mat_id = choices.get("mat", "white")
        opening = None
        v = product.variant(variant) if variant else None
        if v is not None:
            found = re.search(r"(\d+(?:\.\d+)?)\s*[×x]\s*(\d+(?:\.\d+)?)\s*image", v.name)
            if found:
                opening = (float(found.group(1)), float(found.group(2)))
        return Finish(
            "framed",
            1.0,
            1.0,
            frame_colour=colour,
            frame_width=1.25,
            mat_colour=None if mat_id == "none" else MAT_COLOURS.get(mat_id, MAT_COLOURS["white"]),
            image_size=opening,
            wood=wood,
        )
    return Finish("print", 0.2, 0.2)


def _number(text: str | None) -> bool:
    try:
        float(text or "")
    except ValueError:
        return False
    return True


def overlapping(items: Iterable[Placement]) -> list[tuple[int, int]]:
    """Pairs of pieces (by index) that overlap on the wall, for the screen to warn about."""
    items = list(items)
    return [
        (i, j)
        for i in range(len(items))
        for j in range(i + 1, len(items))
        if items[i].overlaps(items[j])
    ]
