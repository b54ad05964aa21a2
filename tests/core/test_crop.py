"""Print crops: the largest centred default, a frame never partly empty, pixels per inch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.crop import (
    MIN_SCALE,
    Crop,
    clamp,
    crop_box_px,
    default_crop,
    is_soft,
    line_crop,
    print_ppi,
    reshaped,
    resolution_note,
    shape_error,
)
from kiosk.core.pricelist.models import Size
from kiosk.core.pricing import CartLine

EPS = 1e-9


def pixel_aspect(crop: Crop, w: int, h: int) -> float:
    return crop.w * w / (crop.h * h)


def test_a_landscape_photo_prints_landscape_full_height_and_centred() -> None:
    crop = default_crop(6000, 4000, Decimal(16), Decimal(20))
    assert crop.h == 1.0 and crop.y == 0.0
    assert pixel_aspect(crop, 6000, 4000) == pytest.approx(20 / 16)
    assert crop.x == pytest.approx((1 - crop.w) / 2)
    assert crop_box_px(crop, 6000, 4000) == (500, 0, 5500, 4000)


def test_a_portrait_photo_prints_portrait_full_width() -> None:
    crop = default_crop(4000, 6000, 30, 40)
    assert crop.w == 1.0 and crop.x == 0.0
    assert pixel_aspect(crop, 4000, 6000) == pytest.approx(30 / 40)
    assert crop_box_px(crop, 4000, 6000) == (0, 333, 4000, 5667)


def test_the_print_turned_against_the_photo_takes_its_full_other_side() -> None:
    portrait_of_landscape = default_crop(6000, 4000, 20, 16, landscape=False)
    assert portrait_of_landscape.h == 1.0
    assert pixel_aspect(portrait_of_landscape, 6000, 4000) == pytest.approx(16 / 20)
    landscape_of_portrait = default_crop(4000, 6000, 16, 20, landscape=True)
    assert landscape_of_portrait.w == 1.0
    assert pixel_aspect(landscape_of_portrait, 4000, 6000) == pytest.approx(20 / 16)


def test_a_square_print_of_a_square_photo_is_the_whole_photo() -> None:
    assert default_crop(3000, 3000, 10, 10) == Crop(0.0, 0.0, 1.0, 1.0)
    assert crop_box_px(Crop(0.0, 0.0, 1.0, 1.0), 3000, 3000) == (0, 0, 3000, 3000)


def test_a_frame_dragged_off_the_photo_comes_back_to_its_edge_at_its_size() -> None:
    crop = clamp(Crop(0.7, -0.2, 0.4, 0.6), 6000, 4000, 16, 20)  # landscape box, 2400×2400 px
    # A square box of a 16×20: the photo's orientation decides; kept 2400 px wide.
    assert crop.x + crop.w == pytest.approx(1.0) and crop.y == 0.0
    assert crop.w * 6000 == pytest.approx(2400)


def test_a_frame_pinched_larger_than_the_photo_is_the_largest_crop() -> None:
    assert clamp(Crop(-1, -1, 3, 3), 6000, 4000, 16, 20) == default_crop(6000, 4000, 16, 20)


images = st.integers(100, 12000)
prints = st.sampled_from([(4, 6), (5, 7), (8, 10), (10, 10), (16, 20), (20, 30), (12, 36)])
fractions = st.floats(-2, 3, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(images, images, prints, fractions, fractions, st.floats(0.001, 4), st.floats(0.001, 4))
def test_clamp_never_leaves_the_frame_partly_empty(iw, ih, size, x, y, w, h) -> None:
    crop = clamp(Crop(x, y, w, h), iw, ih, *size)
    assert crop.x >= 0 and crop.y >= 0
    assert crop.x + crop.w <= 1 + EPS and crop.y + crop.h <= 1 + EPS
    largest = default_crop(iw, ih, *size, landscape=crop.landscape(iw, ih))
    assert crop.w <= largest.w + EPS and crop.h <= largest.h + EPS
    assert crop.w >= largest.w * MIN_SCALE - EPS
    assert shape_error(crop, iw, ih, *size) == ""  # the print's shape, inside the photo
    assert clamp(crop, iw, ih, *size).as_tuple() == pytest.approx(
        crop.as_tuple()
    )  # already printable: kept
    left, top, right, bottom = crop_box_px(crop, iw, ih)
    assert 0 <= left < right <= iw and 0 <= top < bottom <= ih


@settings(max_examples=200, deadline=None)
@given(images, images, prints, st.sampled_from([None, True, False]))
def test_the_default_crop_is_printable_and_as_large_as_the_photo_allows(
    iw, ih, size, landscape
) -> None:
    crop = default_crop(iw, ih, *size, landscape=landscape)
    assert shape_error(crop, iw, ih, *size) == ""
    assert crop.w == pytest.approx(1.0) or crop.h == pytest.approx(1.0)
    assert crop.x == pytest.approx((1 - crop.w) / 2) and crop.y == pytest.approx((1 - crop.h) / 2)


def test_pixels_per_inch_follow_the_crop_and_the_print_size() -> None:
    whole = default_crop(6000, 4000, 20, 30)  # 6000×4000 px on 30×20 in
    assert print_ppi(whole, 6000, 4000, 20, 30) == pytest.approx(200)
    half = Crop(0.25, 0.25, 0.5, 0.5)
    assert print_ppi(half, 6000, 4000, 20, 30) == pytest.approx(100)
    upright = default_crop(6000, 4000, 20, 30, landscape=False)  # 20 across, 30 down
    assert print_ppi(upright, 6000, 4000, 20, 30) == pytest.approx(4000 / 30)
    narrower = clamp(Crop(0.3, 0, 0.4, 1), 6000, 4000, 20, 30)  # 2400 px wide kept
    assert print_ppi(narrower, 6000, 4000, 20, 30) == pytest.approx(2400 / 20)


def test_a_crop_reshaped_for_another_size_keeps_its_centre_and_area() -> None:
    crop = clamp(Crop(0.2, 0.2, 0.5, 0.5), 6000, 4000, 16, 20)  # 3000×2400 px, landscape
    other = reshaped(crop, 6000, 4000, 20, 30)
    assert other.w * 6000 * other.h * 4000 == pytest.approx(3000 * 2400)
    assert other.w * 6000 / (other.h * 4000) == pytest.approx(1.5)
    assert other.x + other.w / 2 == pytest.approx(crop.x + crop.w / 2)
    square = default_crop(4000, 4000, 16, 20, landscape=True)  # 4000×3200 px
    wide = reshaped(square, 4000, 4000, 40, 60)  # 4899×3266 would not fit: the largest
    assert wide.as_tuple() == pytest.approx(default_crop(4000, 4000, 40, 60, True).as_tuple())


def test_the_note_changes_exactly_at_the_lab_minimum_and_ideal() -> None:
    assert resolution_note(300, "30×40", 150, 300) is None
    assert resolution_note(299.99, "30×40", 150, 300) == (
        "prints at 299 ppi at 30×40: sharp from a step back"
    )
    assert resolution_note(150, "30×40", 150, 300) == (
        "prints at 150 ppi at 30×40: sharp from a step back"
    )
    assert resolution_note(149.99, "30×40", 150, 300) == (
        "prints at 149 ppi at 30×40: soft up close"
    )
    assert resolution_note(120, "30×40", 150, 300) == "prints at 120 ppi at 30×40: soft up close"
    assert not is_soft(150, 150) and is_soft(149.99, 150)


def test_a_crop_of_the_wrong_shape_or_outside_the_photo_is_explained() -> None:
    assert "outside the photo" in shape_error(Crop(0.6, 0, 0.5, 1), 6000, 4000, 16, 20)
    assert "shape" in shape_error(Crop(0, 0, 1, 1), 6000, 4000, 16, 20)
    assert "no width" in shape_error(Crop(0, 0, 0, 1), 6000, 4000, 16, 20)
    assert "four numbers" in shape_error(Crop(0, 0, float("nan"), 1), 6000, 4000, 16, 20)


def test_a_line_prints_its_chosen_crop_or_the_default() -> None:
    size = Size(Decimal(16), Decimal(20))
    plain = CartLine("canvas", "16x20", images=(1,))
    assert line_crop(plain, 6000, 4000, size) == default_crop(6000, 4000, 16, 20)
    chosen = clamp(Crop(0.1, 0.1, 0.3, 0.5), 6000, 4000, 16, 20)
    line = CartLine("canvas", "16x20", images=(1,), crop=chosen.as_tuple())
    assert line_crop(line, 6000, 4000, size).as_tuple() == pytest.approx(chosen.as_tuple())
    in_cm = Size(Decimal(40), Decimal(50), "cm")  # the same shape in centimetres
    expected = default_crop(6000, 4000, 40, 50).as_tuple()
    assert line_crop(plain, 6000, 4000, in_cm).as_tuple() == pytest.approx(expected)
