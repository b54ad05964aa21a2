"""A client's own wall: a calibration as touched and typed, the wall it gives, and keeping it."""

from __future__ import annotations

import pytest

from kiosk.core.calibration import PRESETS, WallCalibration, calibrate, parse_length
from kiosk.core.errors import CalibrationError, WallPhotoError
from kiosk.store.db import Store
from kiosk.store.walls import (
    add_wall_photo,
    calibrated_rooms,
    room_id,
    save_wall_calibration,
    wall_calibration,
)

PHOTO = (3000, 2000)


def flat(points) -> list[float]:
    return [v for point in points for v in point]


def test_a_ruler_of_60_cm_over_600_px_gives_25_4_px_per_inch():
    cal = WallCalibration(a=(1000, 1200), b=(1600, 1200), length=60, unit="cm")
    wall = calibrate(PHOTO, cal)
    assert cal.inches == pytest.approx(60 / 2.54)
    assert wall.pixels_per_inch(40, 40) == pytest.approx(600 / (60 / 2.54))


def test_the_door_preset_stands_on_the_floor():
    door = next(p for p in PRESETS if p.label == "Door 80 in")
    cal = WallCalibration((2500, 1900), (2500, 1100), door.length, door.unit, on_floor=True)
    wall = calibrate(PHOTO, cal)
    assert wall.pixels_per_inch(50, 50) == pytest.approx(10)
    assert wall.to_image(0, 0) == pytest.approx((0, 1900))  # the floor is at the door's foot


def test_four_corners_make_a_perspective_wall_scaled_by_the_reference():
    corners = ((300, 200), (2700, 400), (2700, 1700), (300, 1900))
    cal = WallCalibration((1500, 1600), (1500, 600), 50, "in", corners=corners)
    wall = calibrate(PHOTO, cal)
    assert flat(wall.corners) == pytest.approx(flat(corners))
    # The reference's two ends are 50 in apart on the wall, whatever the perspective.
    (xa, ya), (xb, yb) = wall.to_wall(1500, 1600), wall.to_wall(1500, 600)
    assert ((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5 == pytest.approx(50, rel=1e-6)


@pytest.mark.parametrize(
    ("typed", "unit", "words"),
    [
        ("", "in", "Type the length"),
        ("0", "in", "Type the length"),
        ("0.5", "in", "too short"),
        ("9000", "cm", "longer than any wall. Check the number, and whether it should be in in"),
        ("600", "in", "should be in cm"),
        ("8..0", "in", "is not a length"),
    ],
)
def test_a_length_that_cannot_be_right_is_refused_with_what_to_type(typed, unit, words):
    with pytest.raises(CalibrationError, match=words):
        parse_length(typed, unit)


def test_a_wall_that_would_be_absurdly_wide_names_its_width_and_the_unit():
    # 45 px for 80 in: the whole photo would be a wall 444 ft wide.
    cal = WallCalibration((100, 100), (100, 145), 80, "in")
    with pytest.raises(CalibrationError, match=r"444 ft wide.*in or cm"):
        calibrate(PHOTO, cal)


def test_points_on_top_of_each_other_and_a_small_photo_are_refused():
    with pytest.raises(CalibrationError, match="on top of each other"):
        calibrate(PHOTO, WallCalibration((500, 500), (510, 505), 80))
    with pytest.raises(WallPhotoError, match="only 800×600 pixels"):
        calibrate((800, 600), WallCalibration((100, 100), (100, 500), 80))


# kept in the studio's database --------------------------------------------------------------
def test_a_calibration_survives_a_restart_and_gives_the_same_wall(studio, tmp_path):
    store = studio.store
    session = store.create_session("The Okafors")
    first = add_wall_photo(store, session.id, str(tmp_path / "a.jpg"), 3000, 2000)
    second = add_wall_photo(store, session.id, str(tmp_path / "b.jpg"), 3000, 2000)
    door = WallCalibration((2500, 1900), (2500, 1100), 80, "in", on_floor=True)
    corners = ((300, 200), (2700, 400), (2700, 1700), (300, 1900))
    angled = WallCalibration((1500, 1600), (1500, 600), 127, "cm", corners=corners, focal=2400)
    room = save_wall_calibration(store, second.id, door)
    assert (room.id, room.name, room.image) == (room_id(second.id), "Your room", second.path)
    save_wall_calibration(store, first.id, angled)

    reopened = Store(store.path)
    try:
        rooms = calibrated_rooms(reopened, session.id)
        assert [r.name for r in rooms] == ["Your room 2", "Your room"]  # in the order sent
        assert rooms[1].wall == room.wall
        assert rooms[1].wall.pixels_per_inch(50, 50) == pytest.approx(10)
        assert wall_calibration(reopened, first.id) == angled
        assert flat(rooms[0].wall.corners) == pytest.approx(flat(corners))
    finally:
        reopened.close()


def test_calibrating_a_photo_again_replaces_its_calibration_and_keeps_its_name(studio, tmp_path):
    store = studio.store
    session = store.create_session("The Okafors")
    photo = add_wall_photo(store, session.id, str(tmp_path / "a.jpg"), 3000, 2000)
    save_wall_calibration(store, photo.id, WallCalibration((0, 0), (0, 800), 80))
    save_wall_calibration(store, photo.id, WallCalibration((0, 0), (0, 400), 80))
    [room] = calibrated_rooms(store, session.id)
    assert room.name == "Your room"
    assert room.wall.pixels_per_inch(10, 10) == pytest.approx(5)


def test_a_refused_calibration_saves_nothing(studio, tmp_path):
    store = studio.store
    session = store.create_session("The Okafors")
    photo = add_wall_photo(store, session.id, str(tmp_path / "a.jpg"), 3000, 2000)
    with pytest.raises(CalibrationError):
        save_wall_calibration(store, photo.id, WallCalibration((700, 700), (700, 700), 80))
    assert calibrated_rooms(store, session.id) == []
    assert wall_calibration(store, photo.id) is None
