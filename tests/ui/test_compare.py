"""Comparing and narrowing on the touch screen: from 20 keepers to 8 in 12 taps, with undo."""

from __future__ import annotations

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.core import selection
from kiosk.core.selection import Decide, Decision
from kiosk.live import LiveSession
from tests.ui.conftest import pump, screenshot, show

pytestmark = pytest.mark.gui


def tap(widget, *, double=False):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.is_double_tap = double
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0)  # until what the tap changed is durable, and so shown


@pytest.fixture
def comparing(run_app, session_factory):
    app = run_app(session_factory([(3000, 2000), (2000, 3000), (2400, 2400)] * 8))
    for image in app.images[:20]:
        app.live.do(Decide(image.id, Decision.KEEP))
    show(app, "compare")
    return app, app.compare


def stored(app):
    return LiveSession(app.studio.store, app.session.id).state


def set_target(screen, target):
    for _ in range(50):  # bounded: a tap that misses must fail the test, not hang it
        if screen.target == target:
            return
        tap(screen.ids.fewer if screen.target > target else screen.ids.more)
    assert screen.target == target


def test_narrow_twenty_keepers_to_eight_in_twelve_taps(comparing, window):
    app, screen = comparing
    set_target(screen, 8)
    screenshot(window, "compare-setup")
    tap(screen.ids.start)
    assert screen.running and screen.title == "12 left to remove · keeping 8"
    taps = 0
    while screen.running:
        assert pump(lambda: all(t.texture for t in screen.tiles))
        if taps == 3:
            screenshot(window, "compare-pair")
        keep = screen.tiles[taps % 2]  # alternate left and right, like an undecided client
        tap(keep.keep_button)
        taps += 1
        assert taps <= 12, (screen.error, screen.title)
    assert taps == 12
    state = stored(app)
    assert selection.counts(state).kept == 8
    assert selection.counts(state).dropped_in_comparison == 12
    assert screen.title == "Done: your 8 favourites"


def test_equal_height_side_by_side_for_portrait_and_landscape(comparing):
    app, screen = comparing
    set_target(screen, 10)
    tap(screen.ids.start)
    pump(timeout=0.3)
    heights = {round(t.height) for t in screen.tiles}
    assert len(heights) == 1
    for tile in screen.tiles:
        aspect = app.live.by_id[tile.image_id].aspect
        assert tile.width / tile.height == pytest.approx(aspect, rel=0.01)
    left, right = screen.tiles
    assert left.right < right.x, "the photos must not overlap"


def test_tap_on_a_photo_keeps_it_and_undo_brings_the_pair_back(comparing):
    app, screen = comparing
    set_target(screen, 10)
    tap(screen.ids.start)
    pump(timeout=0.2)
    first_pair = screen._group
    winner, loser = screen.tiles
    tap(winner)
    assert pump(lambda: screen._group != first_pair, timeout=2), "a tap picks after a moment"
    assert selection.decision_of(stored(app), loser.image_id) == "dropped_in_comparison"
    assert screen.title == "9 left to remove · keeping 10"
    tap(screen.ids.undo)
    assert screen._group == first_pair
    assert selection.decision_of(stored(app), loser.image_id) == "keep"


def test_double_tap_zooms_every_photo_to_the_same_spot(comparing, window):
    app, screen = comparing
    set_target(screen, 10)
    tap(screen.ids.start)
    pump(lambda: all(t.texture for t in screen.tiles))
    left, right = screen.tiles
    touch = UnitTestTouch(left.x + left.width * 0.25, left.y + left.height * 0.75)
    touch.is_double_tap = True
    touch.touch_down()
    touch.touch_up()
    assert left.zoom == right.zoom == pytest.approx(2.5)
    assert (left.focus_x, left.focus_y) == (right.focus_x, right.focus_y)
    assert left.focus_x == pytest.approx(0.25, abs=0.01)
    pump(timeout=0.5)
    screenshot(window, "compare-zoom")
    assert stored(app).narrowing.comparisons == 0, "zooming is not a pick"


def test_stop_leaves_the_photos_already_compared_out(comparing):
    app, screen = comparing
    set_target(screen, 10)
    tap(screen.ids.start)
    pump(timeout=0.2)
    tap(screen.tiles[0].keep_button)
    tap(screen.ids.stop)
    assert not screen.running
    assert selection.counts(stored(app)).kept == 19
