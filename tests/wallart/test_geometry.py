"""Where a piece of a real size lands in a wall's image: the homography and the camera."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.errors import CalibrationError
from kiosk.core.wall import Homography, Placement, Wall

FAST = settings(max_examples=150, deadline=None)


def test_a_30x40_canvas_on_a_120_inch_wall_imaged_at_2400_px_is_600_px_wide(flat_wall):
    tl, tr, br, bl = flat_wall.quad(Placement(x=60, y=40, width=30, height=40))
    assert tr[0] - tl[0] == pytest.approx(600, abs=1)
    assert br[0] - bl[0] == pytest.approx(600, abs=1)
    assert bl[1] - tl[1] == pytest.approx(800, abs=1)
    assert tl == pytest.approx((900, 400), abs=1e-6)  # y is up from the floor, rows go down
    assert flat_wall.pixels_per_inch(10, 10) == pytest.approx(20)


def test_a_piece_on_a_perspective_wall_lands_where_a_pinhole_camera_puts_it(camera):
    wall = camera.wall(200, 100)
    piece = Placement(x=130, y=62, width=40, height=30)
    expected = [camera(x, y) for x, y in ((110, 77), (150, 77), (150, 47), (110, 47))]
    for got, want in zip(wall.quad(piece), expected, strict=True):
        assert math.dist(got, want) < 1.0
    # ...and the face of a 1.5 in deep canvas, off the wall, too
    front = [camera(x, y, 1.5) for x, y in ((110, 77), (150, 77), (150, 47), (110, 47))]
    for got, want in zip(wall.quad(piece, depth=1.5), front, strict=True):
        assert math.dist(got, want) < 1.0


def test_the_walls_centre_is_where_its_diagonals_cross_in_the_image(camera):
    """A projective invariant, independent of how the homography is solved."""
    wall = camera.wall(200, 100)
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = wall.corners  # tl, tr, br, bl
    # diagonals tl→br and tr→bl
    d = (x1 - x3) * (y2 - y4) - (y1 - y3) * (x2 - x4)
    a, b = x1 * y3 - y1 * x3, x2 * y4 - y2 * x4
    crossing = ((a * (x2 - x4) - (x1 - x3) * b) / d, (a * (y2 - y4) - (y1 - y3) * b) / d)
    assert math.dist(wall.to_image(100, 50), crossing) < 1e-6


def test_a_touch_on_the_image_maps_back_to_inches_on_the_wall(camera):
    wall = camera.wall(200, 100)
    u, v = camera(123.4, 56.7)
    assert wall.to_wall(u, v) == pytest.approx((123.4, 56.7), abs=1e-6)


def test_the_focal_length_of_a_wall_turned_in_both_directions_is_measured():
    """With no focal length given, a wall whose verticals also converge tells the camera's."""
    f, cx, cy = 2000.0, 1500.0, 1000.0
    yaw, pitch = math.radians(30), math.radians(-12)

    def cam(x, y):
        dx, dy, dz = x - 40, y - 58, 160.0
        xc = dx * math.cos(yaw) - dz * math.sin(yaw)
        zc = dx * math.sin(yaw) + dz * math.cos(yaw)
        yc = dy * math.cos(pitch) - zc * math.sin(pitch)
        zc = dy * math.sin(pitch) + zc * math.cos(pitch)
        return cx + f * xc / zc, cy - f * yc / zc

    wall = Wall((cam(0, 100), cam(200, 100), cam(200, 0), cam(0, 0)), 200, 100, (3000, 2000))
    assert wall.camera_focal == pytest.approx(f, rel=1e-6)


def test_a_wall_scaled_for_export_keeps_its_geometry(camera):
    wall = camera.wall(200, 100)
    big = wall.scaled(2.0)
    piece = Placement(x=60, y=50, width=30, height=40)
    for a, b in zip(wall.quad(piece, 1.5), big.quad(piece, 1.5), strict=True):
        assert b == pytest.approx((2 * a[0], 2 * a[1]), abs=1e-6)


def test_three_corners_on_one_line_cannot_make_a_wall():
    with pytest.raises(CalibrationError, match="on one line"):
        Homography.from_points(
            ((0, 0), (1, 0), (2, 0), (0, 1)), ((0, 0), (10, 0), (20, 0), (0, 10))
        )


# -- properties ------------------------------------------------------------------------------


@st.composite
def convex_quads(draw):
    """A wall's four corners as a camera could see them: a convex quad, clockwise from top-left,
    corners up to 40 % of the way in from a 3000 × 2000 picture's corners."""
    w, h = 3000.0, 2000.0
    jitter = st.floats(0, 0.4)
    tl = (draw(jitter) * w * 0.5, draw(jitter) * h * 0.5)
    tr = (w - draw(jitter) * w * 0.5, draw(jitter) * h * 0.5)
    br = (w - draw(jitter) * w * 0.5, h - draw(jitter) * h * 0.5)
    bl = (draw(jitter) * w * 0.5, h - draw(jitter) * h * 0.5)
    return tl, tr, br, bl


@FAST
@given(
    quad=convex_quads(),
    size=st.tuples(st.floats(60, 400), st.floats(60, 200)),
    point=st.tuples(st.floats(0, 1), st.floats(0, 1)),
)
def test_inches_to_pixels_and_back_is_the_identity(quad, size, point):
    wall = Wall(quad, size[0], size[1], (3000, 2000))
    x, y = point[0] * size[0], point[1] * size[1]
    u, v = wall.to_image(x, y)
    assert wall.to_wall(u, v) == pytest.approx((x, y), abs=1e-6)


@FAST
@given(quad=convex_quads(), size=st.tuples(st.floats(60, 400), st.floats(60, 200)))
def test_the_walls_corners_map_onto_the_corners_given(quad, size):
    wall = Wall(quad, size[0], size[1], (3000, 2000))
    for (x, y), corner in zip(
        ((0, size[1]), (size[0], size[1]), (size[0], 0), (0, 0)), quad, strict=True
    ):
        assert math.dist(wall.to_image(x, y), corner) < 1e-6


@FAST
@given(quad=convex_quads(), point=st.tuples(st.floats(-500, 3500), st.floats(-500, 2500)))
def test_a_homography_composed_with_its_inverse_is_the_identity(quad, point):
    h = Homography.from_points(((0, 0), (1, 0), (1, 1), (0, 1)), quad)
    there = h.inverse()(*point)
    assert h(*there) == pytest.approx(point, abs=1e-6)
    ident = h.then_after(h.inverse())
    assert ident(*point) == pytest.approx(point, abs=1e-6)
