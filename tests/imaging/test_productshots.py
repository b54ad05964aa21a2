"""Product pictures: the client's photo as each product, drawn in the background for the
order screen's picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from kiosk.config import ASSETS
from kiosk.core.pricelist import load
from kiosk.imaging.productshots import WALL_TONE, WINDOWS, product_picture, window_box

GREEN = (30, 160, 70)
PX = 256


@pytest.fixture(scope="module")
def pricelist():
    return load(ASSETS / "pricelist.toml")


def photo(tmp_path: Path, size: tuple[int, int]) -> Path:
    path = tmp_path / f"photo-{size[0]}x{size[1]}.jpg"
    Image.new("RGB", size, GREEN).save(path, quality=92)
    return path


def green_box(picture: Image.Image) -> tuple[int, int, int, int]:
    """Where the photo's green shows in the picture."""
    r, g, b = picture.split()
    mask = ImageChops.subtract(g, ImageChops.add(r, b, scale=2.0))  # green well above r and b
    return mask.point(lambda v: 255 if v > 40 else 0).getbbox()


def near(colour, target, within=30) -> bool:
    return all(abs(a - b) <= within for a, b in zip(colour, target, strict=True))


@pytest.mark.parametrize("product", ["print", "canvas", "metal", "acrylic", "framed"])
def test_a_wall_product_is_the_photo_on_a_wall_turned_to_its_orientation(
    tmp_path, pricelist, product
):
    item = pricelist.product(product)
    variant = item.variants[1].id
    wide = product_picture(photo(tmp_path, (1500, 1000)), item, variant, {}, PX, aspect=1.5)
    tall = product_picture(photo(tmp_path, (1000, 1500)), item, variant, {}, PX, aspect=2 / 3)
    assert wide.size == tall.size == (PX, PX) and wide.mode == "RGB"
    assert near(wide.getpixel((PX - 3, PX // 2)), WALL_TONE, within=40)  # the wall round it
    left, top, right, bottom = green_box(wide)
    assert right - left > bottom - top  # a landscape photo makes a landscape piece
    left, top, right, bottom = green_box(tall)
    assert bottom - top > right - left


def test_a_bigger_size_shows_bigger_and_a_frame_takes_its_options(tmp_path, pricelist):
    canvas, framed = pricelist.product("canvas"), pricelist.product("framed")
    path = photo(tmp_path, (1200, 1500))

    def area(item, variant, options):
        box = green_box(product_picture(path, item, variant, options, PX, aspect=0.8))
        return (box[2] - box[0]) * (box[3] - box[1])

    assert area(canvas, "30x40", {}) > 1.15 * area(canvas, "16x20", {})
    prints = pricelist.product("print")
    assert area(prints, "5x7", {}) < 0.5 * area(prints, "16x20", {})
    gold = product_picture(path, framed, "16x20", {"frame": "gold", "mat": "none"}, PX, aspect=0.8)
    black = product_picture(
        path, framed, "16x20", {"frame": "black", "mat": "none"}, PX, aspect=0.8
    )
    assert ImageChops.difference(gold, black).getbbox() is not None


@pytest.mark.parametrize("product", ["album", "digital", "retouch"])
def test_a_product_off_the_wall_is_a_drawing_with_the_photo_in_its_window(
    tmp_path, pricelist, product
):
    picture = product_picture(
        photo(tmp_path, (1500, 1000)), pricelist.product(product), "", {}, PX, aspect=1.5
    )
    assert product in WINDOWS
    left, top, right, bottom = window_box(product, PX)
    assert near(picture.getpixel(((left + right) // 2, (top + bottom) // 2)), GREEN)
    assert not near(picture.getpixel((left - 12, top - 12)), GREEN)  # the drawing round it
