"""Mock-ups: pixels where the geometry says, exports at full size, one render per sample room."""

from __future__ import annotations

import math
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from kiosk.core.wall import (
    Finish,
    Placement,
    Room,
    arrange,
    finish_for,
    snap,
    snap_size,
    sold_sizes,
)
from kiosk.imaging.mockup import Artwork, comparison, export, piece_layer, render
from kiosk.imaging.rooms import load_groupings, load_rooms
from tests.wallart.conftest import ROOT

WALL_GREY = (150, 150, 150)
BLACK_FRAME = Finish(
    "framed", 1.0, 1.0, frame_colour=(30, 29, 30), frame_width=1.25, mat_colour=(247, 246, 241)
)
CANVAS = Finish("canvas", 1.5, 1.5)
SCREENSHOTS = ROOT / "build" / "screenshots"


def grey_room(size) -> Image.Image:
    return Image.new("RGB", size, WALL_GREY)


def lum(px) -> float:
    return 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2]


def towards(a, b, d):
    """The point `d` pixels from a towards b."""
    length = math.dist(a, b)
    return a[0] + (b[0] - a[0]) * d / length, a[1] + (b[1] - a[1]) * d / length


def pixel(im, point):
    return im.getpixel((int(point[0]), int(point[1])))


def test_a_framed_print_has_its_frame_exactly_where_the_geometry_says(flat_wall, photo):
    piece = Placement(x=45, y=40, width=16, height=20)
    im = render(grey_room((2400, 1600)), flat_wall, [Artwork(photo, piece, BLACK_FRAME)])
    quad = flat_wall.quad(piece, depth=1.0)
    centre = (sum(u for u, _ in quad) / 4, sum(v for _, v in quad) / 4)
    for corner in quad:
        inside = pixel(im, towards(corner, centre, 3))
        outside = pixel(im, towards(corner, centre, -4))
        assert lum(inside) < 80, (corner, inside)  # the black moulding
        assert lum(outside) > 100, (corner, outside)  # the wall (at most in a soft shadow)
    # 20 px per inch: the frame is 1.25 in wide, then the white mat, then the photo's red
    tl = quad[0]
    assert lum(pixel(im, (tl[0] + 30, centre[1]))) > 200
    assert pixel(im, centre)[2] > 150  # the blue disc in the middle of the photo
    # the frame's top edge catches the light, its bottom edge does not
    top_rail = pixel(im, ((quad[0][0] + quad[1][0]) / 2, quad[0][1] + 8))
    bottom_rail = pixel(im, ((quad[3][0] + quad[2][0]) / 2, quad[3][1] - 8))
    assert lum(top_rail) > lum(bottom_rail)
    # and it casts a shadow below it on the wall
    below = pixel(im, ((quad[3][0] + quad[2][0]) / 2, quad[3][1] + 14))
    above = pixel(im, ((quad[0][0] + quad[1][0]) / 2, quad[0][1] - 14))
    assert lum(below) < lum(above) <= lum(WALL_GREY) + 1


def test_a_canvas_on_a_perspective_wall_covers_its_quad_and_shows_its_wrap(camera, photo):
    wall = camera.wall(200, 100)
    piece = Placement(x=130, y=58, width=30, height=40)
    im = render(grey_room(camera.size), wall, [Artwork(photo, piece, CANVAS)])
    front, back = wall.quad(piece, 1.5), wall.quad(piece, 0.0)
    centre = (sum(u for u, _ in front) / 4, sum(v for _, v in front) / 4)
    for f, b in zip(front, back, strict=True):
        inside = pixel(im, towards(f, centre, 3))
        assert inside[0] > 150 and inside[1] < 90, inside  # the photo's red, to its corner
        far = max((f, b), key=lambda p: math.dist(p, centre))
        outside = pixel(im, towards(far, centre, -4))
        assert not (outside[0] > 120 and outside[1] < 90), outside  # nothing red outside
    # The camera stands left of the piece, so the canvas's left side is seen: red, shaded.
    mid_front = ((front[0][0] + front[3][0]) / 2, (front[0][1] + front[3][1]) / 2)
    mid_back = ((back[0][0] + back[3][0]) / 2, (back[0][1] + back[3][1]) / 2)
    assert math.dist(mid_front, mid_back) > 6
    wrap = pixel(im, ((mid_front[0] + mid_back[0]) / 2, (mid_front[1] + mid_back[1]) / 2))
    assert wrap[0] > 2 * wrap[1] and lum(wrap) < lum(pixel(im, towards(mid_front, centre, 6)))


@pytest.mark.parametrize("kind", ["metal", "acrylic", "print"])
def test_every_wall_product_is_drawn_inside_its_quad(flat_wall, photo, kind):
    finish = Finish(kind, 0.75, 0.25, glossy=True)
    piece = Placement(x=80, y=40, width=20, height=16)
    im = render(grey_room((2400, 1600)), flat_wall, [Artwork(photo, piece, finish)])
    quad = flat_wall.quad(piece, 0.75)
    centre = (sum(u for u, _ in quad) / 4, sum(v for _, v in quad) / 4)
    for corner in quad:
        assert lum(pixel(im, towards(corner, centre, -5))) > 90  # wall, not piece
    assert pixel(im, towards(quad[2], centre, 12))[0] > 150  # red near the bottom right


def test_a_sprite_of_one_piece_lines_up_with_the_full_render(flat_wall, photo):
    piece = Placement(x=45, y=40, width=16, height=20)
    art = Artwork(photo, piece, BLACK_FRAME)
    sprite, (left, top) = piece_layer(flat_wall, art)
    u, v = flat_wall.to_image(piece.x, piece.y)
    assert sprite.getpixel((int(u) - left, int(v) - top))[3] == 255
    assert sprite.getpixel((0, 0))[3] < 10


def test_an_export_is_a_6000_px_srgb_jpeg_with_the_screens_geometry(tmp_path, photo):
    room = next(r for r in load_rooms() if r.id == "living-room")
    sofa = room.wall.main_furniture
    piece = Placement(sofa.centre, sofa.top + 9 + 15, 40, 30)
    path = export(room, [Artwork(photo, piece, CANVAS)], tmp_path / "mockup.jpg")
    with Image.open(path) as im:
        assert im.format == "JPEG" and im.width == 6000
        assert im.quantization[0][0] == 3  # the luminance table of quality 90
        profile = ImageCms.ImageCmsProfile(BytesIO(im.info["icc_profile"]))
        assert "sRGB" in profile.profile.profile_description
        scale = 6000 / room.wall.image_size[0]
        u, v = room.wall.to_image(piece.x, piece.y)
        assert im.getpixel((int(u * scale), int(v * scale)))[2] > 120  # the disc, scaled
        tl = room.wall.quad(piece, 1.5)[0]
        assert im.getpixel((int(tl[0] * scale) + 6, int(tl[1] * scale) + 6))[0] > 140


def test_two_arrangements_side_by_side_on_one_sheet(photo, tmp_path):
    room = next(r for r in load_rooms() if r.id == "living-room")
    blue = tmp_path / "blue.jpg"
    Image.new("RGB", (900, 1200), (30, 60, 200)).save(blue)
    at = Placement(60, 60, 30, 40)
    sheet = comparison(
        room,
        [Artwork(photo, at, CANVAS)],
        [Artwork(blue, at, CANVAS)],
        width=1600,
        labels=("30×40 canvas", "Blue"),
    )
    assert sheet.width == 1600 and sheet.height > 800 * 1688 // 3000
    half = (1600 - 10) // 2
    u, v = room.wall.scaled(half / 3000).to_image(60, 70)
    assert pixel(sheet, (u, v))[0] > 150  # red on the left
    right = pixel(sheet, (1600 - half + u, v))
    assert right[2] > 150 and right[0] < 90  # blue on the right


# -- the sample rooms, with art, for people to look at ------------------------------------------

PHOTOS = ROOT / "assets" / "demo" / "session"


def _demo(name: str) -> Path:
    return next(PHOTOS.glob(f"{name}*"))


def room_designs(room: Room, price_list) -> list[Artwork]:
    """What a photographer might show in each room."""
    wall = room.wall
    sofa = wall.main_furniture
    groupings = {g.id: g for g in load_groupings()}
    framed, canvas = price_list.product("framed"), price_list.product("canvas")
    if room.id == "living-room":
        size = snap_size(sold_sizes(canvas), 40, 30)
        piece, _ = snap(
            wall, Placement(sofa.centre + 1, sofa.top + 10 + 15, size.width, size.height)
        )
        return [Artwork(_demo("30-sunset"), piece, finish_for(canvas, {"depth": "1.5"}))]
    if room.id == "hallway":
        grouping, sizes = groupings["gallery-wall"], sold_sizes(framed)
        a = arrange(grouping, sizes, scale=0.9)  # over the console, clear of its lamp
        lamp = wall.furniture[1]
        a, _ = snap(wall, a.moved_to(lamp.right + 2 + a.bounds.width / 2, 59))
        names = ["02-", "27-", "05-", "17-", "24-", "09-", "29-"]
        finishes = [
            finish_for(framed, {"frame": "walnut", "mat": "white"}, s.variant) for s in a.sizes
        ]
        return [Artwork(_demo(n), p, f) for n, p, f in zip(names, a.pieces, finishes, strict=False)]
    if room.id == "bedroom":
        a = arrange(groupings["triptych"], sold_sizes(canvas), scale=1.0)
        a, _ = snap(wall, a.moved_to(sofa.centre, sofa.top + 9 + a.bounds.height / 2 + 0.5))
        names = ["06-", "16-", "10-"]
        return [
            Artwork(_demo(n), p, finish_for(canvas)) for n, p in zip(names, a.pieces, strict=True)
        ]
    grouping = groupings["large-and-two"]
    acrylic = price_list.product("acrylic")
    a = arrange(grouping, sold_sizes(acrylic), scale=1.0)
    a, _ = snap(wall, a.moved_to(sofa.centre + 1, sofa.top + 9 + a.bounds.height / 2))
    names = ["27-", "01-", "07-"]
    return [Artwork(_demo(n), p, finish_for(acrylic)) for n, p in zip(names, a.pieces, strict=True)]


def test_every_sample_room_renders_with_art_for_review(price_list):
    """Writes build/screenshots/room-<id>.jpg: look at them, they should convince."""
    for room in load_rooms():
        arts = room_designs(room, price_list)
        for art in arts:
            assert room.wall.contains(art.placement)
        from kiosk.imaging.mockup import render_room, save_jpeg

        picture = render_room(room, arts)
        path = save_jpeg(picture, SCREENSHOTS / f"room-{room.id}.jpg", quality=88)
        assert path.stat().st_size > 100_000
