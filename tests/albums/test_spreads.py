"""Spreads drawn as pictures (the lab's file, the invoice) and the template files on disk."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PIL import Image

from kiosk.albums.library import load_shapes, shape_for, spread_pixels
from kiosk.albums.render import MISSING, PAPER, cell_box, render_spread
from kiosk.core.album import Spread
from kiosk.core.errors import AlbumTemplateError
from kiosk.core.pricelist import Size, Variant

RED, BLUE, GREEN = (220, 30, 30), (30, 60, 220), (30, 180, 60)


def photo(path, size, colour, mode="RGB"):
    Image.new(mode, size, colour).save(path, quality=95)
    return path


def close(a, b, tolerance=12):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def test_each_photo_fills_its_cell_on_white_paper_at_the_exact_size(tmp_path):
    shape = load_shapes()["square"]
    paths = {
        1: photo(tmp_path / "a.jpg", (600, 400), RED),
        2: photo(tmp_path / "b.jpg", (400, 600), BLUE),
        3: photo(tmp_path / "c.jpg", (500, 500), GREEN),
    }
    spread = Spread("three-up", (1, 2, 3))
    picture = render_spread(spread, paths, (1600, 800), shape)
    assert picture.size == (1600, 800) and picture.mode == "RGB"
    for cell, colour in zip(shape.template("three-up").cells, (RED, BLUE, GREEN), strict=True):
        left, top, right, bottom = cell_box(cell, (1600, 800))
        assert close(picture.getpixel(((left + right) // 2, (top + bottom) // 2)), colour)
        assert close(picture.getpixel((left + 3, top + 3)), colour), "the cell is filled"
    assert picture.getpixel((5, 5)) == PAPER
    assert picture.getpixel((800, 5)) == PAPER  # the gutter stays clear outside a panorama


def test_a_missing_photo_is_a_grey_cell_and_cmyk_prints_in_srgb(tmp_path):
    shape = load_shapes()["square"]
    cmyk = photo(tmp_path / "cmyk.jpg", (300, 300), (0, 220, 220, 0), mode="CMYK")
    picture = render_spread(Spread("two-up", (1, 2)), {1: cmyk}, (800, 400), shape)
    left, top, right, bottom = cell_box(shape.template("two-up").cells[0], (800, 400))
    r, g, b = picture.getpixel(((left + right) // 2, (top + bottom) // 2))
    assert r > 180 and g < 120 and b < 120, "cyan-free magenta and yellow read as red"
    left, top, right, bottom = cell_box(shape.template("two-up").cells[1], (800, 400))
    assert picture.getpixel(((left + right) // 2, (top + bottom) // 2)) == MISSING


def test_album_variants_find_their_shape_and_spread_size():
    square = Variant("10x10", "10×10", 99500, size=Size(Decimal(10), Decimal(10)))
    wide = Variant("11x8", "11×8", 99500, size=Size(Decimal(11), Decimal(8)))
    tall = Variant("8x11", "8×11", 99500, size=Size(Decimal(8), Decimal(11)))
    assert shape_for(square).shape == "square"
    assert shape_for(wide).shape == "landscape"
    assert shape_for(tall).shape == "square"  # no portrait file: the nearest in proportion
    assert spread_pixels(square, 300) == (6000, 3000)


def test_a_broken_template_file_is_named(tmp_path):
    (tmp_path / "square.toml").write_text('shape = "square"\npage_aspect = 1\n')
    with pytest.raises(AlbumTemplateError, match="square.toml: margin must be a number"):
        load_shapes(tmp_path)


def test_an_adobe_rgb_photo_prints_in_its_own_colours_and_srgb_ones_as_they_are(tmp_path):
    """An Adobe RGB green is deeper than the same numbers in sRGB: drawn as sRGB it gains green
    or loses red. An sRGB photo (what cameras usually write) keeps its values."""
    from tests.imaging.conftest import icc_profile

    shape = load_shapes()["square"]
    adobe = tmp_path / "adobe.jpg"
    Image.new("RGB", (300, 300), (120, 200, 80)).save(
        adobe, quality=100, icc_profile=icc_profile("adobe-rgb")
    )
    plain = photo(tmp_path / "plain.jpg", (300, 300), (120, 200, 80))
    picture = render_spread(Spread("two-up", (1, 2)), {1: adobe, 2: plain}, (800, 400), shape)
    cells = shape.template("two-up").cells
    middles = [
        ((x0 + x1) // 2, (y0 + y1) // 2)
        for x0, y0, x1, y1 in map(cell_box, cells, [(800, 400)] * 2)
    ]
    converted, kept = (picture.getpixel(middle) for middle in middles)
    assert close(kept, (120, 200, 80), tolerance=4)
    assert converted[1] > kept[1] + 5 or converted[0] < kept[0] - 5, (converted, kept)
