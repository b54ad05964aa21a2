"""The actual-size screen's print as the room displays get it: announced only when it changes,
its photo cropped as the TV crops it inside the paper's white border."""

from __future__ import annotations

from kiosk.core.glass import PRINT_BORDER_IN
from kiosk.core.models import Image
from kiosk.display.feed import Feed
from kiosk.display.printfeed import ShownPrint, print_state


def image(image_id: int, width: int, height: int) -> Image:
    return Image(image_id, 1, f"IMG_{image_id}.jpg", "/x.jpg", "h", width, height, "", "/p.jpg",
                 "/t.jpg", image_id)  # fmt: skip


def test_a_print_is_announced_once_per_change():
    feed: Feed[ShownPrint] = Feed()
    heard: list[int] = []
    feed.subscribe(heard.append)
    for _ in range(3):  # the screen draws the same print on every resize
        feed.publish(7, ShownPrint(1, 8, 10, "8×10"))
    feed.publish(7, ShownPrint(1, 11, 14, "11×14"))
    assert heard == [7, 7]
    assert feed.latest(7) == ShownPrint(1, 11, 14, "11×14") and feed.latest(8) is None


def test_the_display_gets_the_size_and_the_crop_of_the_picture_inside_the_border():
    landscape = image(3, 6000, 4000)
    state = print_state(ShownPrint(3, 20, 16, "16×20"), {3: landscape})
    assert state["width_in"] == 20 and state["height_in"] == 16
    assert state["label"] == "16×20 in" and state["border_in"] == PRINT_BORDER_IN
    x, y, w, h = state["crop"]
    inner = (20 - 2 * PRINT_BORDER_IN) / (16 - 2 * PRINT_BORDER_IN)
    assert abs(w * 6000 / (h * 4000) - inner) < 1e-3  # the picture area's shape, not squeezed
    assert h == 1.0 and abs(x - (1 - w) / 2) < 1e-4  # the largest centred crop, as the TV's
    assert print_state(ShownPrint(3, 30, 40, "30×40 cm"), {3: landscape})["label"] == "30×40 cm"
    assert print_state(ShownPrint(9, 8, 10, "8×10"), {3: landscape}) is None  # a photo gone
    assert print_state(None, {3: landscape}) is None
