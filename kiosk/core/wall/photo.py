"""A client's own wall photo: refused when too small, and its wall found from a reference.

`calibrate_fronto` takes a photo taken square-on and the two touched ends of something of known
length (a door, a tape measure); `calibrate_perspective` adds the wall's four dragged corners
for a photo taken at an angle. Both return a `Wall` at true scale, or raise CalibrationError /
WallPhotoError with what to do instead.

    wall = calibrate_fronto((3000, 2000), (600, 1900), (600, 1100), 80, on_floor=True)
    wall.width, wall.height      # (300.0, 190.0): a door 800 px tall makes 10 px an inch
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from kiosk.core.errors import CalibrationError, WallPhotoError
from kiosk.core.wall.perspective import Homography, Point, Quad, default_focal, focal_from
from kiosk.core.wall.room import Wall

MIN_PHOTO = (1024, 640)  # long × short edge of the smallest wall photo worth calibrating
MIN_POINT_DISTANCE = 40.0  # pixels between the two ends of a reference


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
    f = focal or focal_from(unit, cx, cy) or default_focal(image_size[0])
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
