"""The wall feed: drag steps reach the displays at most every STEP_SECONDS, a saved design
always and at once, and a stopped server's listener is let go."""

from __future__ import annotations

from kiosk.core.wall import Placement
from kiosk.core.walldesign import Piece, WallDesign
from kiosk.display.wallfeed import STEP_SECONDS, WallFeed


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def design(x: float) -> WallDesign:
    return WallDesign("living-room", (Piece(1, "canvas", "20x30", Placement(x, 60, 20, 30)),))


def test_drag_steps_are_thinned_and_the_saved_design_always_announced():
    clock = Clock()
    feed = WallFeed(clock)
    heard: list[int] = []
    feed.subscribe(heard.append)
    for step in range(10):  # ten steps within one STEP_SECONDS
        clock.now += STEP_SECONDS / 20
        feed.publish(7, design(80 + step), final=False)
    assert heard == [7]  # the first; the others wait for the next step or the saved design
    assert feed.latest(7)[1] == design(89) and feed.latest(7)[2] is False
    feed.publish(7, design(89), final=True)
    assert heard == [7, 7]
    version, saved, final = feed.latest(7)
    assert (saved, final, version) == (design(89), True, 11)
    clock.now += STEP_SECONDS
    feed.publish(7, design(90), final=False)
    assert heard == [7, 7, 7]
    assert feed.latest(8) is None


def test_a_listener_whose_server_stopped_is_let_go():
    feed = WallFeed(Clock())

    def closed(_session_id: int) -> None:
        raise RuntimeError("Event loop is closed")

    feed.subscribe(closed)
    feed.publish(1, design(80), final=True)
    feed.publish(1, design(81), final=True)  # no error: it was let go the first time
    assert feed.latest(1)[0] == 2
