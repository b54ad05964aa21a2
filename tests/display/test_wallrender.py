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
