"""Actual size on the glass: pixels per inch from a TV's diagonal or a ruler, prints in pixels."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kiosk.core.errors import CalibrationError
from kiosk.core.glass import (
    RULER_LENGTHS,
    diagonal_from_ppi,
    fits,
    on_glass,
    ppi_from_diagonal,
    ppi_from_ruler,
    print_px,
    print_sizes,
    ruler_px,
    screen_ppi,
)
from kiosk.core.pricelist import load
from kiosk.core.wall import SoldSize

ROOT = Path(__file__).resolve().parents[2]


def test_a_65_inch_1080p_tv_has_33_9_pixels_per_inch():
    assert ppi_from_diagonal(65, (1920, 1080)) == pytest.approx(33.9, abs=0.1)


def test_the_same_diagonal_at_4k_has_twice_the_pixels_per_inch():
    assert ppi_from_diagonal(65, (3840, 2160)) == pytest.approx(67.8, abs=0.1)
    assert ppi_from_diagonal(55, (1920, 1080)) == pytest.approx(40.05, abs=0.01)


def test_an_8x10_on_a_65_inch_tv_is_271_by_339_pixels():
    ppi = ppi_from_diagonal(65, (1920, 1080))
    assert print_px(8, 10, ppi) == (271, 339)  # 8 × 33.89 = 271.1, 10 × 33.89 = 338.9


def test_a_bar_of_10_cm_gives_pixels_per_inch_and_back():
    ten_cm = RULER_LENGTHS["10 cm"]
    assert ten_cm == pytest.approx(3.937, abs=0.001)
    assert ppi_from_ruler(400, ten_cm) == pytest.approx(101.6)  # 400 px in 10 cm
    ppi = ppi_from_diagonal(65, (1920, 1080))
    assert ruler_px(ppi, ten_cm) == pytest.approx(133.4, abs=0.1)
    assert ppi_from_ruler(ruler_px(ppi, ten_cm), ten_cm) == pytest.approx(ppi)


def test_a_ruler_calibration_tells_the_screens_diagonal():
    ppi = ppi_from_ruler(ruler_px(33.89, 4.0), RULER_LENGTHS["4 in"])
    assert diagonal_from_ppi(ppi, (1920, 1080)) == pytest.approx(65.0, abs=0.02)


def test_the_ruler_wins_over_the_diagonal_and_nothing_set_is_none():
    assert screen_ppi((1920, 1080), diagonal_in=65, measured_ppi=35.2) == 35.2
    assert screen_ppi((1920, 1080), diagonal_in=65) == pytest.approx(33.89, abs=0.01)
    assert screen_ppi((1920, 1080)) is None


@pytest.mark.parametrize("diagonal", [0, -5, 1.0, 5000])
def test_an_impossible_diagonal_is_refused_with_a_sentence(diagonal):
    with pytest.raises(CalibrationError, match="inch"):
        ppi_from_diagonal(diagonal, (1920, 1080))


@pytest.mark.parametrize("bar", [0, -3, 2.0, 100_000])
def test_an_impossible_ruler_bar_is_refused(bar):
    with pytest.raises(CalibrationError, match="ruler|bar"):
        ppi_from_ruler(bar, RULER_LENGTHS["10 cm"])


def test_a_print_fits_only_when_both_sides_fit():
    assert fits((271, 339), (1872, 800))
    assert not fits((813, 1017), (1872, 800))  # 24×30 at 33.9 ppi: too tall
    assert not fits((1900, 100), (1872, 800))
    assert fits((800, 800), (800, 800))  # exactly: it is whole


def test_a_size_is_turned_to_the_photo_and_measured():
    ppi = ppi_from_diagonal(65, (1920, 1080))
    size = SoldSize("8x10", 8, 10, "8×10")
    landscape = on_glass(size, ppi, (1872, 800), portrait=False)
    assert (landscape.width_px, landscape.height_px) == (339, 271)
    assert landscape.whole and landscape.label == "8×10"
    big = on_glass(SoldSize("24x30", 24, 30, "24×30"), ppi, (1872, 800), portrait=True)
    assert (big.width_px, big.height_px) == (813, 1017) and not big.whole


def test_every_wall_size_of_the_price_list_once_smallest_first():
    pricelist = load(ROOT / "assets" / "pricelist.toml")
    sizes = print_sizes(pricelist.products)
    dims = [(s.width, s.height) for s in sizes]
    assert dims[:3] == [(5, 7), (8, 10), (11, 14)]
    keys = [tuple(sorted(d)) for d in dims]
    assert len(keys) == len(set(keys))  # 16×20 is sold as a print, canvas, metal, frame: once
    assert (16, 20) in keys and (40, 60) in keys
    areas = [math.prod(d) for d in dims]
    assert areas == sorted(areas)
    assert all(s.variant for s in sizes)  # albums (not wall items) bring no sizes
    assert (8, 8) not in keys
