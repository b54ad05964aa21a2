"""A client's own wall, as the kiosk calibrates it: what was touched and typed, and the wall.

The calibration view collects a `WallCalibration` (the two ends of a reference touched on the
photo, its length as typed with its unit, optionally the wall's four corners) and `calibrate`
turns it into a `Wall` with `kiosk.core.wall`. The store keeps the calibration, not the
wall, so a restart re-derives the same wall from the same touches. Pure Python.

    cal = WallCalibration(a=(600, 1900), b=(600, 1100), length=80, unit="in", on_floor=True)
    wall = calibrate((3000, 2000), cal)           # 10 px per inch
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.errors import CalibrationError, WallPhotoError
from kiosk.core.wall import Point, Quad, Wall, calibrate_fronto, calibrate_perspective

CM_PER_INCH = 2.54
UNITS = ("in", "cm")
# A reference shorter than a coin's width cannot be touched precisely enough; one longer than a
# room is not something a client photographs on their wall.
MIN_REFERENCE = 1.0  # inches
MAX_REFERENCE = 400.0  # inches (about 10 m)
# A wall outside these, once scaled, means the length or its unit was mistyped (203 in for a
# door of 203 cm) or the points are on the wrong things.
MIN_WALL_WIDTH = 24.0  # inches
MAX_WALL_WIDTH = 1200.0  # inches (100 ft)


@dataclass(frozen=True)
class Preset:
    """Something of a standard length a client may have on their wall."""

    label: str
    length: float
    unit: str
    on_floor: bool = False


PRESETS = (
    Preset("Door 80 in", 80, "in", on_floor=True),
    Preset("Outlet plate 4.5 in", 4.5, "in"),
)


@dataclass(frozen=True)
class WallCalibration:
    """What a person placed on a wall photo: `a`, `b` the ends of the reference in image
    pixels of the stored (upright) photo, its `length` in `unit`, and, for a wall seen at an
    angle, its `corners` (top-left, top-right, bottom-right, bottom-left)."""

    a: Point
    b: Point
    length: float
    unit: str = "in"
    corners: Quad | None = None
    on_floor: bool = False
    focal: float = 0.0  # px, from the photo's EXIF when it had one; 0: a phone's default

    @property
    def inches(self) -> float:
        return to_inches(self.length, self.unit)


def to_inches(length: float, unit: str) -> float:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    return length / CM_PER_INCH if unit == "cm" else float(length)


def describe(length: float, unit: str) -> str:
    """80 in, 203 cm, 4.5 in: as a person writes it."""
    return f"{length:g} {unit}"


def parse_length(text: str, unit: str) -> float:
    """The number typed on the pad, checked: raises CalibrationError saying what to type."""
    text = text.strip()
    try:
        length = float(text) if text else 0.0
    except ValueError:
        raise CalibrationError(
            f"'{text}' is not a length. Type the reference's length with the number pad, "
            "such as 80 for a door."
        ) from None
    check_length(length, unit)
    return length


def check_length(length: float, unit: str) -> None:
    inches = to_inches(length, unit)
    if not inches > 0:
        raise CalibrationError(
            "Type the length of what the two points mark, such as 80 in for a standard door "
            "or 4.5 in for an outlet plate."
        )
    if inches < MIN_REFERENCE:
        raise CalibrationError(
            f"{describe(length, unit)} is too short to measure a wall by. Use something longer "
            "on the wall: a door (80 in), a tape measure pulled out, an outlet plate (4.5 in)."
        )
    if inches > MAX_REFERENCE:
        other = "in" if unit == "cm" else "cm"
        raise CalibrationError(
            f"{describe(length, unit)} is longer than any wall. Check the number, and whether "
            f"it should be in {other}."
        )


def require_points(a: Point | None, b: Point | None) -> tuple[Point, Point]:
    """Both ends of the reference, or CalibrationError saying which to touch."""
    if a is None or b is None:
        which = "the two ends" if a is None else "the other end"
        raise CalibrationError(
            f"Touch {which} of something on the wall you know the length of, such as the top "
            "and bottom of a door, then type its length."
        )
    return a, b


def unreadable_photo() -> WallPhotoError:
    return WallPhotoError(
        "This wall photo cannot be shown: the file is missing or is not a picture. Send the "
        "photo again from the phone, or choose another one."
    )


def calibrate(image_size: tuple[int, int], cal: WallCalibration) -> Wall:
    """The wall the calibration describes; CalibrationError (or WallPhotoError for a photo
    too small) with a sentence for the client when it cannot give a believable one."""
    check_length(cal.length, cal.unit)
    if cal.corners is None:
        wall = calibrate_fronto(image_size, cal.a, cal.b, cal.inches, on_floor=cal.on_floor)
    else:
        wall = calibrate_perspective(
            image_size,
            cal.corners,
            cal.a,
            cal.b,
            cal.inches,
            on_floor=cal.on_floor,
            focal=cal.focal,
        )
    if not MIN_WALL_WIDTH <= wall.width <= MAX_WALL_WIDTH:
        feet = wall.width / 12
        size = f"{feet:,.0f} ft" if feet >= 10 else f"{wall.width:,.0f} in"
        raise CalibrationError(
            f"With {describe(cal.length, cal.unit)} between the two points, this wall would be "
            f"{size} wide, which no wall is. Check the length and its unit (in or cm), and that "
            "the points sit on the two ends of what you measured."
        )
    return wall
