"""The rooms and groupings in layouts/, and the messages for broken files."""

from __future__ import annotations

import pytest
from PIL import Image

from kiosk.core.errors import LayoutError
from kiosk.core.wall import Placement, clamp
from kiosk.imaging.rooms import (
    load_grouping,
    load_groupings,
    load_room,
    load_rooms,
    parse_grouping,
    parse_room,
)
from tests.wallart.conftest import ROOT

ROOM_TOML = """
name = "Test room"
image = "test.jpg"
size = [2400, 1600]
[wall]
corners = [[0, 0], [2400, 0], [2400, 1600], [0, 1600]]
width = 120
height = 80
[[furniture]]
name = "sofa"
left = 30
right = 90
top = 33
"""


def test_the_sample_rooms_are_ready_with_their_calibration():
    rooms = {room.id: room for room in load_rooms()}
    assert {"living-room", "bedroom", "hallway", "dining-room"} <= set(rooms)
    for room in rooms.values():
        with Image.open(room.image) as im:
            assert im.size == room.wall.image_size
            assert 2900 <= im.width <= 3100
        assert (ROOT / "layouts/rooms" / f"{room.id}.jpg").stat().st_size < 1_500_000
        wall = room.wall
        assert 100 <= wall.width <= 400 and 80 <= wall.height <= 110
        for u, v in wall.corners:  # the whole wall is in the picture
            assert 0 <= u <= wall.image_size[0] and 0 <= v <= wall.image_size[1]
        sofa = wall.main_furniture
        assert sofa is not None and 0 <= sofa.left < sofa.right <= wall.width
        # a 30×40 hung 9 in above the main furniture stays there
        piece = Placement(sofa.centre, sofa.top + 9 + 15, 40, 30)
        assert clamp(wall, piece).y == pytest.approx(piece.y)


def test_at_least_one_sample_room_sees_its_wall_at_an_angle():
    def angled(room) -> bool:
        (_, y0), (_, y1), _, _ = room.wall.corners
        return abs(y0 - y1) > 50

    assert sum(angled(r) for r in load_rooms()) >= 1


def test_the_groupings_are_checked_and_sorted_by_size():
    groupings = load_groupings()
    assert [g.id for g in groupings][-1] == "gallery-wall"
    assert {"triptych", "grid-2x2", "large-and-two", "gallery-wall"} == {g.id for g in groupings}
    assert 5 <= len(groupings[-1].frames) <= 7


def test_a_grouping_whose_frames_overlap_names_the_file_and_the_frames(tmp_path):
    path = tmp_path / "crowded.toml"
    path.write_text(
        'name = "Crowded"\ngap = 2\n'
        '[[frame]]\nname = "big"\nx = 0\ny = 0\nwidth = 30\nheight = 40\n'
        '[[frame]]\nname = "small"\nx = 20\ny = 0\nwidth = 16\nheight = 20\n'
    )
    with pytest.raises(LayoutError) as caught:
        load_grouping(path)
    message = str(caught.value)
    assert str(path) in message
    assert "'big' and 'small' overlap" in message


def test_frames_closer_than_the_gap_are_refused():
    text = (
        'name = "Tight"\ngap = 3\n'
        "[[frame]]\nx = -11\ny = 0\nwidth = 20\nheight = 30\n"
        "[[frame]]\nx = 11\ny = 0\nwidth = 20\nheight = 30\n"
    )
    with pytest.raises(LayoutError, match="'frame 1' and 'frame 2' are only 2 in apart"):
        parse_grouping(text, file="tight.toml")


def test_a_room_file_is_parsed_into_a_calibrated_wall():
    room = parse_room(ROOM_TOML, file="layouts/rooms/test.toml")
    assert room.id == "test"
    assert room.wall.to_image(60, 40) == pytest.approx((1200, 800))
    assert room.wall.furniture[0].top == 33


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (ROOM_TOML.replace("corners = [[0, 0], ", "corners = ["), "wall.corners must be four"),
        (ROOM_TOML.replace("width = 120", "width = -5"), "width must be more than 0"),
        (ROOM_TOML.replace('name = "Test room"', ""), "name is missing"),
        (ROOM_TOML.replace("left = 30", "left = 95"), "furniture 1: right (90.0) must be more"),
        (ROOM_TOML.replace("size = [2400, 1600]", "size = [2400]"), "size must be [width, height]"),
        (ROOM_TOML.replace("[wall]", "[wall"), "not valid TOML"),
    ],
)
def test_a_broken_room_file_says_what_to_fix(broken, message):
    with pytest.raises(LayoutError) as caught:
        parse_room(broken, file="rooms/test.toml")
    assert str(caught.value).startswith("rooms/test.toml: ")
    assert message in str(caught.value)


def test_a_room_image_of_another_size_than_measured_is_refused(tmp_path):
    (tmp_path / "test.toml").write_text(ROOM_TOML)
    Image.new("RGB", (1200, 800)).save(tmp_path / "test.jpg")
    with pytest.raises(LayoutError, match=r"size = \[2400, 1600\] but test.jpg is 1200×800"):
        load_room(tmp_path / "test.toml")


def test_a_broken_room_is_skipped_and_reported_when_asked(tmp_path):
    (tmp_path / "good.toml").write_text(ROOM_TOML.replace("test.jpg", "good.jpg"))
    Image.new("RGB", (2400, 1600)).save(tmp_path / "good.jpg")
    (tmp_path / "bad.toml").write_text(ROOM_TOML.replace("test.jpg", "missing.jpg"))
    errors: list[LayoutError] = []
    rooms = load_rooms(tmp_path, errors)
    assert [r.id for r in rooms] == ["good"]
    assert "missing.jpg cannot be opened" in str(errors[0])
    with pytest.raises(LayoutError):
        load_rooms(tmp_path)
