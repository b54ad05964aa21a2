"""The wall's pictures for the displays: one render at a time, always of the newest design, and
requests that waited behind a render share the next one."""

from __future__ import annotations

import asyncio
import io

from PIL import Image

from kiosk.display.wallrender import WallPictures
from kiosk.imaging.rooms import load_rooms


def test_waiting_requests_get_the_newest_design_rendered_once():
    room = load_rooms()[0]
    version = [1]
    asked: list[int] = []

    def current():
        asked.append(version[0])
        return version[0], room, []

    async def scenario():
        pictures = WallPictures()
        first = asyncio.ensure_future(pictures.jpeg(current, 320))
        await asyncio.sleep(0)  # the first render is under way with version 1
        version[0] = 3  # two more steps of a drag meanwhile
        second = asyncio.ensure_future(pictures.jpeg(current, 320))
        third = asyncio.ensure_future(pictures.jpeg(current, 320))
        done = await asyncio.gather(first, second, third)
        pictures.shutdown()
        return done, pictures.render_ms

    (one, two, three), renders = asyncio.run(scenario())
    assert one[0] == 1 and two[0] == 3 and three == two  # the third shared the second's render
    assert [width for width, _ms in renders] == [320, 320]
    with Image.open(io.BytesIO(two[1])) as im:
        assert im.format == "JPEG" and im.width == 320


def test_no_design_no_picture():
    async def scenario():
        pictures = WallPictures()
        try:
            return await pictures.jpeg(lambda: None, 1920)
        finally:
            pictures.shutdown()

    assert asyncio.run(scenario()) is None


def _gallery_wall():
    """The hallway (a wall seen at an angle) with three framed prints and a canvas."""
    from pathlib import Path

    from kiosk.core.pricelist import load
    from kiosk.core.wall import Placement, finish_for
    from kiosk.imaging.mockup import Artwork

    root = Path(__file__).resolve().parents[2]
    products = load(root / "assets" / "pricelist.toml")
    framed, canvas = products.product("framed"), products.product("canvas")
    room = next(r for r in load_rooms() if r.id == "hallway")
    photos = sorted((root / "assets" / "demo" / "session").glob("*.jpg"))
    frame = finish_for(framed, {"frame": "walnut", "mat": "white"})
    arts = [Artwork(photos[i], Placement(60 + 22 * i, 60, 16, 20), frame) for i in range(3)]
    arts.append(Artwork(photos[3], Placement(40, 58, 30, 20), finish_for(canvas, {"depth": "1.5"})))
    return room, arts


def _moved(arts, i, dx):
    from dataclasses import replace

    art = arts[i]
    return [
        *arts[:i],
        replace(art, placement=replace(art.placement, x=art.placement.x + dx)),
        *arts[i + 1 :],
    ]


def test_a_drag_step_draws_only_the_piece_that_moved_and_the_picture_is_the_room_renders():
    from PIL import ImageChops, ImageStat

    from kiosk.display.wallrender import WallRenderer
    from kiosk.imaging.mockup import render_room

    room, arts = _gallery_wall()
    renderer = WallRenderer()
    try:
        renderer.render(room, arts, 960)
        assert renderer.drew == 4
        step = _moved(arts, 1, 2.0)
        picture = renderer.render(room, step, 960)
        assert renderer.drew == 1  # the three others were pasted as drawn before
        renderer.render(room, step, 1920)
        assert renderer.drew == 4  # another width: drawn anew
    finally:
        renderer.shutdown()
    reference = render_room(room, step, width=960)
    assert picture.size == reference.size
    # A frame's mat and a canvas carry random grain, so two renders differ by a few levels in
    # places; a piece in the wrong place would differ by far more, over a large area.
    difference = ImageChops.difference(picture, reference).convert("L")
    assert ImageStat.Stat(difference).mean[0] < 1.0
    assert (
        ImageChops.difference(picture, render_room(room, arts, width=960))
        .convert("L")
        .point(lambda v: 255 if v > 40 else 0)
        .getbbox()
        is not None
    )  # the step did move it
