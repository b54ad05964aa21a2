"""The album screen's spread as the room displays get it: the open pages in SVG units, each
photo in its cell, announced only when the spread or its design changes."""

from __future__ import annotations

from kiosk.core.models import Image
from kiosk.display.albumfeed import ShownSpread, spread_state
from kiosk.display.feed import Feed


def image(image_id: int) -> Image:
    return Image(image_id, 1, f"IMG_{image_id}.jpg", "/x.jpg", "h", 6000, 4000, "", "/p.jpg",
                 "/t.jpg", image_id)  # fmt: skip


LEFT_FULL = (0.0, 0.0, 0.5, 1.0, 3)  # a full page on the left
RIGHT_SMALL = (0.55, 0.2, 0.4, 0.6, 4)


def test_a_spread_is_announced_once_per_change():
    feed: Feed[ShownSpread] = Feed()
    heard: list[int] = []
    feed.subscribe(heard.append)
    first = ShownSpread("Heirloom album 8×8", 0, 10, 2.0, (LEFT_FULL,))
    for _ in range(3):  # the screen shows the same spread again on each refresh
        feed.publish(5, first)
    feed.publish(5, ShownSpread("Heirloom album 8×8", 1, 10, 2.0, (LEFT_FULL, RIGHT_SMALL)))
    assert heard == [5, 5] and feed.latest(5).index == 1 and feed.latest(6) is None


def test_the_display_gets_the_spread_in_svg_units_with_each_photo_in_its_cell():
    shown = ShownSpread("Heirloom album 11×8", 2, 12, 2.75, (LEFT_FULL, RIGHT_SMALL))
    state = spread_state(shown, {3: image(3), 4: image(4)})
    assert state["title"] == "Heirloom album 11×8" and state["position"] == "Spread 3 of 12"
    assert state["width"] == 275.0 and state["fold"] == 137.5  # two 11×8 pages side by side
    left, right = state["cells"]
    assert left == {"image": 3, "x": 0.0, "y": 0.0, "w": 137.5, "h": 100.0}
    assert right == {"image": 4, "x": 151.25, "y": 20.0, "w": 110.0, "h": 60.0}
    gone = spread_state(shown, {3: image(3)})  # a photo removed from the session since
    assert gone["cells"][1]["image"] is None and gone["cells"][0]["image"] == 3
    assert spread_state(None, {}) is None
