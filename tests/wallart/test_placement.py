"""Sizes the studio sells, guides, keeping pieces on the wall, groupings that act as one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.wall import (
    ABOVE_FURNITURE,
    Frame,
    Furniture,
    Grouping,
    Placement,
    SoldSize,
    Wall,
    arrange,
    clamp,
    guide_line,
    overlapping,
    scale_steps,
    snap,
    snap_size,
    sold_sizes,
    step_size,
)

FAST = settings(max_examples=200, deadline=None)
SOFA = Furniture("sofa", left=30, right=114, top=34)


@pytest.fixture(scope="module")
def living_wall() -> Wall:
    """144 × 96 in with a sofa under its middle, 20 px per inch."""
    corners = ((0, 0), (2880, 0), (2880, 1920), (0, 1920))
    return Wall(corners, 144, 96, (2880, 1920), furniture=(SOFA,))


@pytest.fixture(scope="module")
def canvases(price_list) -> tuple[SoldSize, ...]:
    return sold_sizes(price_list.product("canvas"))


# -- sizes -----------------------------------------------------------------------------------


def test_sold_sizes_come_from_the_price_list_smallest_first(canvases):
    assert [s.label for s in canvases] == ["16×20", "20×30", "24×36", "30×40", "40×60"]
    assert canvases[3].variant == "30x40"


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ((28, 38), (30, 40)),
        ((38, 28), (40, 30)),  # the way up asked for is kept
        ((17, 21), (16, 20)),
        ((21, 31), (20, 30)),
        ((45, 70), (40, 60)),
        ((4, 5), (16, 20)),  # never a size that is not sold, however small the pinch
        ((200, 300), (40, 60)),
    ],
)
def test_a_size_snaps_to_the_nearest_sold_size(canvases, wanted, expected):
    got = snap_size(canvases, *wanted)
    assert (got.width, got.height) == expected


def test_snapping_by_long_edge_prefers_the_size_with_the_nearest_long_edge(canvases):
    assert (
        snap_size(canvases, 10, 34, by="long").width,
        snap_size(canvases, 10, 34, by="long").height,
    ) == (24, 36)
    assert snap_size(canvases, 10, 34, by="area").label == "16×20"


def test_stepping_a_size_walks_the_sold_sizes_and_stops_at_the_ends(canvases):
    size = snap_size(canvases, 40, 30)
    assert (step_size(canvases, size, 1).width, step_size(canvases, size, 1).height) == (60, 40)
    assert step_size(canvases, size, -2).label == "20×30"
    assert step_size(canvases, size, -2).width == 30  # still landscape
    assert step_size(canvases, size, 9).label == "40×60"


# -- guides ----------------------------------------------------------------------------------


def test_a_centre_near_eye_level_snaps_to_it(living_wall):
    piece = Placement(x=20, y=59.2, width=16, height=20)
    snapped, active = snap(living_wall, piece)
    assert snapped.y == 58
    assert [g.kind for g in active] == ["eye-level"]


def test_a_piece_over_the_sofa_snaps_centred_and_nine_inches_above_it(living_wall):
    piece = Placement(x=73.2, y=34 + 9 + 10 + 1.2, width=30, height=20)
    snapped, active = snap(living_wall, piece)
    assert snapped.x == SOFA.centre == 72
    assert snapped.bottom == pytest.approx(SOFA.top + ABOVE_FURNITURE)
    assert {g.kind for g in active} == {"wall-centre", "furniture-centre", "above-furniture"}


def test_a_piece_far_from_every_guide_stays_where_it_is(living_wall):
    piece = Placement(x=20, y=75, width=16, height=20)
    assert snap(living_wall, piece) == (piece, ())


def test_a_guide_line_runs_across_the_wall_in_pixels(living_wall):
    _, active = snap(living_wall, Placement(x=20, y=58.5, width=16, height=20))
    start, end = guide_line(living_wall, active[0])
    assert start == pytest.approx((0, (96 - 58) * 20))
    assert end == pytest.approx((2880, (96 - 58) * 20))


# -- on the wall -----------------------------------------------------------------------------


def test_a_piece_dragged_off_the_wall_stops_at_its_edge(living_wall):
    moved = clamp(living_wall, Placement(x=-30, y=200, width=30, height=40))
    assert (moved.left, moved.top) == (0, 96)


def test_a_piece_is_never_hung_behind_the_sofa(living_wall):
    moved = clamp(living_wall, Placement(x=72, y=30, width=30, height=20))
    assert moved.bottom >= SOFA.top
    beside = clamp(living_wall, Placement(x=12, y=30, width=16, height=20))
    assert beside.y == 30  # not over the sofa: free to hang low


@FAST
@given(
    x=st.floats(-500, 500),
    y=st.floats(-500, 500),
    w=st.floats(1, 200),
    h=st.floats(1, 150),
)
def test_a_piece_never_leaves_the_wall(living_wall, x, y, w, h):
    moved = clamp(living_wall, Placement(x, y, w, h))
    if living_wall.fits(w, h):
        assert living_wall.contains(moved)
    else:  # too big for the wall: centred on it, the screen says it does not fit
        assert moved.x == pytest.approx(72) or moved.y == pytest.approx(48)


# -- groupings -------------------------------------------------------------------------------

TRIPTYCH = Grouping(
    "triptych",
    "Triptych",
    (Frame("l", -23, 0, 20, 30), Frame("c", 0, 0, 20, 30), Frame("r", 23, 0, 20, 30)),
    gap=3,
)


def test_a_grouping_is_laid_out_in_sold_sizes_with_its_gaps(canvases):
    a = arrange(TRIPTYCH, canvases, scale=1.0, centre=(72, 60))
    assert [(p.width, p.height) for p in a.pieces] == [(20, 30)] * 3
    assert a.pieces[1].left - a.pieces[0].right == pytest.approx(3)
    assert (a.bounds.x, a.bounds.y) == pytest.approx((72, 60))
    assert [s.variant for s in a.sizes] == ["20x30"] * 3


def test_a_scaled_grouping_keeps_its_gaps_and_sold_sizes(canvases):
    a = arrange(TRIPTYCH, canvases, scale=1.3)
    assert {(p.width, p.height) for p in a.pieces} == {(24, 36)}
    assert a.pieces[2].left - a.pieces[1].right == pytest.approx(3)
    assert overlapping(a.pieces) == []


def test_a_grouping_moves_as_one_and_stays_on_the_wall_as_one(living_wall, canvases):
    a = arrange(TRIPTYCH, canvases, centre=(72, 60))
    moved = clamp(living_wall, a.moved_to(140, 60))
    assert moved.bounds.right == pytest.approx(144)
    gaps = [moved.pieces[i + 1].left - moved.pieces[i].right for i in range(2)]
    assert gaps == pytest.approx([3, 3])


def test_scale_steps_each_give_a_different_set_of_sizes(canvases):
    steps = scale_steps(TRIPTYCH, canvases)
    sets = [tuple(s.variant for s in arrange(TRIPTYCH, canvases, scale=k).sizes) for k in steps]
    assert len(set(sets)) == len(sets) == 5  # one per canvas size


@FAST
@given(scale=st.floats(0.2, 5.0))
def test_no_scale_makes_the_frames_of_a_gallery_wall_overlap(scale, canvases, price_list):
    from kiosk.imaging.rooms import load_grouping
    from tests.wallart.conftest import ROOT

    gallery = load_grouping(ROOT / "layouts/groupings/gallery-wall.toml")
    for sizes in (canvases, sold_sizes(price_list.product("framed"))):
        a = arrange(gallery, sizes, scale=scale)
        assert overlapping(a.pieces) == []
