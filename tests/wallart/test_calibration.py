"""A client's own wall: scale from a reference of known length, and the mistakes people make."""

from __future__ import annotations

import math

import pytest
from PIL import Image

from kiosk.core.errors import CalibrationError, WallPhotoError
from kiosk.core.wall import Placement, calibrate_fronto, calibrate_perspective, check_wall_photo
from kiosk.imaging.rooms import load_wall_photo, photo_focal

PHOTO = (3000, 2000)


def test_a_door_80_in_tall_spanning_800_px_gives_10_px_per_inch():
    wall = calibrate_fronto(PHOTO, (600, 1900), (600, 1100), 80, on_floor=True)
    assert wall.pixels_per_inch(50, 50) == pytest.approx(10)
    assert wall.width == pytest.approx(300)
    # the door stands on the floor: its foot is the floor line, the wall is what is above it
    assert wall.to_image(0, 0) == pytest.approx((0, 1900))
    assert wall.height == pytest.approx(190)


def test_a_reference_not_on_the_floor_takes_the_photos_bottom_as_the_floor():
    wall = calibrate_fronto(PHOTO, (100, 100), (400, 500), 50)  # 500 px for 50 in
    assert wall.pixels_per_inch(1, 1) == pytest.approx(10)
    assert (wall.width, wall.height) == pytest.approx((300, 200))


def test_a_floor_below_the_photo_raises_the_walls_bottom_edge():
    wall = calibrate_fronto(PHOTO, (100, 200), (100, 1000), 40, floor_y=2400)  # 20 px/in
    assert wall.bottom == pytest.approx(20)  # the photo's bottom edge is 20 in above the floor
    assert wall.to_image(0, 20) == pytest.approx((0, 2000))


def test_a_piece_on_a_calibrated_wall_has_its_true_size():
    wall = calibrate_fronto(PHOTO, (600, 1900), (600, 1100), 80, on_floor=True)
    tl, tr, _, bl = wall.quad(Placement(x=150, y=58, width=30, height=40))
    assert (tr[0] - tl[0], bl[1] - tl[1]) == pytest.approx((300, 400))


def test_two_points_on_top_of_each_other_are_refused_with_what_to_do():
    with pytest.raises(CalibrationError) as caught:
        calibrate_fronto(PHOTO, (500, 500), (503, 502), 80)
    message = str(caught.value)
    assert "on top of each other" in message
    assert "4 pixels apart" in message
    assert "door" in message


def test_a_reference_length_of_zero_is_refused():
    with pytest.raises(CalibrationError, match="more than 0 inches"):
        calibrate_fronto(PHOTO, (0, 0), (0, 800), 0)


def test_a_photo_too_small_is_refused_with_its_size_and_what_to_send():
    with pytest.raises(WallPhotoError) as caught:
        check_wall_photo((800, 600))
    assert "800×600" in str(caught.value)
    assert "full size" in str(caught.value)
    with pytest.raises(WallPhotoError):
        calibrate_fronto((640, 480), (10, 10), (10, 400), 80)


def test_a_wall_photo_file_is_read_upright_and_checked(tmp_path):
    small = tmp_path / "thumb.jpg"
    Image.new("RGB", (600, 400), (120, 120, 120)).save(small)
    with pytest.raises(WallPhotoError, match="thumb.jpg is only 600×400"):
        load_wall_photo(small)
    rotated = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown portrait
    Image.new("RGB", (2000, 1500), (120, 120, 120)).save(rotated, exif=exif.tobytes())
    assert load_wall_photo(rotated).size == (1500, 2000)
    junk = tmp_path / "notes.jpg"
    junk.write_text("not a photo")
    with pytest.raises(WallPhotoError, match="cannot be read"):
        load_wall_photo(junk)


def test_four_dragged_corners_and_a_door_measure_a_wall_seen_at_an_angle(camera):
    """The camera draws a 200 × 100 in wall with a door (80 in) standing at x = 30. Its
    verticals stay parallel, so the focal length comes from the photo (EXIF), as on a phone."""
    true = camera.wall(200, 100)
    corners = true.corners
    foot, head = camera(30, 0), camera(30, 80)
    wall = calibrate_perspective(
        camera.size, corners, foot, head, 80, on_floor=True, focal=camera.focal
    )
    assert wall.width == pytest.approx(200, rel=0.01)
    assert wall.height == pytest.approx(100, rel=0.01)
    # a piece lands where the camera would put it, within a pixel
    piece = Placement(x=120, y=58, width=30, height=40)
    for got, want in zip(wall.quad(piece), true.quad(piece), strict=True):
        assert math.dist(got, want) < 1.0


def test_perspective_calibration_cuts_the_wall_at_a_floor_above_its_dragged_bottom(camera):
    corners = (camera(0, 100), camera(200, 100), camera(200, -10), camera(0, -10))
    wall = calibrate_perspective(
        camera.size, corners, camera(30, 0), camera(30, 80), 80, on_floor=True, focal=camera.focal
    )
    assert wall.height == pytest.approx(100, rel=0.01)
    assert math.dist(wall.to_image(100, 0), camera(100, 0)) < 1.0


def test_the_focal_length_is_read_from_a_phone_photos_exif(tmp_path):
    path = tmp_path / "wall.jpg"
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA405] = 26  # FocalLengthIn35mmFilm: a phone's main camera
    Image.new("RGB", (4032, 3024), (200, 200, 200)).save(path, exif=exif.tobytes())
    assert photo_focal(path) == pytest.approx(26 / 36 * 4032)
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (4032, 3024), (200, 200, 200)).save(plain)
    assert photo_focal(plain) == 0.0


def test_corners_that_cross_or_collapse_are_refused(camera):
    a, b = (600, 1500), (600, 700)
    with pytest.raises(CalibrationError, match="top left, top right, bottom right, bottom left"):
        calibrate_perspective(PHOTO, ((0, 0), (3000, 0), (0, 2000), (3000, 2000)), a, b, 80)
    with pytest.raises(CalibrationError, match="Two corners"):
        calibrate_perspective(PHOTO, ((0, 0), (10, 5), (3000, 2000), (0, 2000)), a, b, 80)
    with pytest.raises(CalibrationError, match="on top of each other"):
        calibrate_perspective(PHOTO, ((0, 0), (3000, 0), (3000, 2000), (0, 2000)), a, a, 80)


def test_a_client_wall_photo_is_stored_upright_and_renders_with_art(tmp_path, photo):
    from kiosk.core.wall import Finish
    from kiosk.imaging.mockup import Artwork, render_room
    from kiosk.imaging.rooms import client_room, save_wall_photo

    source = tmp_path / "upload.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8769)[0xA405] = 26
    Image.new("RGB", (2400, 1800), (180, 176, 170)).save(source, exif=exif.tobytes())
    stored = save_wall_photo(source, tmp_path / "walls" / "client.jpg")
    assert stored.size == (1800, 2400) and stored.focal == pytest.approx(26 / 36 * 2400)
    wall = calibrate_fronto(stored.size, (300, 2300), (300, 1500), 80, on_floor=True)
    room = client_room(stored, wall)
    piece = Placement(x=wall.width / 2, y=58, width=20, height=16)
    picture = render_room(room, [Artwork(photo, piece, Finish("canvas", 1.5, 1.5))])
    u, v = wall.to_image(piece.x + 8, piece.y)
    assert picture.size == (1800, 2400) and picture.getpixel((int(u), int(v)))[0] > 150
