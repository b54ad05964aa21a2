"""The review grid: piles, favourites, opening a photo, ordering keepers by dragging."""

from __future__ import annotations

import time

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.core import selection
from kiosk.core.selection import Decide, Decision
from kiosk.live import LiveSession
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui


@pytest.fixture
def reviewing(run_app, session_factory):
    app = run_app(session_factory([(3000, 2000), (1600, 2400), (2400, 2400)] * 4))
    ids = [i.id for i in app.images]
    for image_id, decision in zip(ids, "kkkmdkmd", strict=False):
        app.live.do(Decide(image_id, Decision({"k": "keep", "m": "maybe", "d": "drop"}[decision])))
    app.show_screen("review")
    screen = app.review
    assert pump(lambda: len(screen.ids.grid.layout_manager.children) >= 12)
    assert pump(lambda: all(c.texture for c in screen.ids.grid.layout_manager.children))
    return app, screen


def cells(screen):
    return sorted(screen.ids.grid.layout_manager.children, key=lambda c: c.index)


def press(widget, *, hold=0.0, to=None):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    if hold:
        pump(timeout=hold)
    if to is not None:
        for step in range(1, 7):
            x0, y0 = widget.to_window(*widget.center)
            touch.touch_move(x0 + (to[0] - x0) * step / 6, y0 + (to[1] - y0) * step / 6)
            time.sleep(0.01)
    touch.touch_up()


def filter_button(screen, value):
    return next(b for b in screen.ids.filters.children if getattr(b, "value", None) == value)


def test_grid_shows_every_image_with_its_pile_and_filters(reviewing, window):
    app, screen = reviewing
    assert (screen.total, screen.kept, screen.maybe, screen.dropped, screen.undecided) == (
        12,
        4,
        2,
        2,
        4,
    )
    screenshot(window, "review-all")
    press(filter_button(screen, "maybe"))
    pump(lambda: len(screen.ids.grid.data) == 2)
    assert [d["decision"] for d in screen.ids.grid.data] == ["maybe", "maybe"]
    press(filter_button(screen, "undecided"))
    pump(timeout=0.1)
    assert len(screen.ids.grid.data) == 4


def test_tapping_a_photo_opens_it_for_choosing(reviewing):
    app, screen = reviewing
    target = cells(screen)[6]
    press(target)
    assert app.screens.current == "select"
    assert app.live.current_image.id == target.image_id


def test_star_makes_a_favourite(reviewing):
    app, screen = reviewing
    cell = cells(screen)[2]
    star = next(c for c in cell.children if getattr(c, "text", None) == "☆")
    press(star)
    state = LiveSession(app.studio.store, app.session.id).state
    assert cell.image_id in state.favourites


def test_hold_and_drag_a_keeper_puts_it_first(reviewing, window):
    app, screen = reviewing
    press(filter_button(screen, "keep"))
    pump(
        lambda: len(screen.ids.grid.data) == 4 and len(screen.ids.grid.layout_manager.children) == 4
    )
    pump(timeout=0.1)
    order = [d["image_id"] for d in screen.ids.grid.data]
    last, first = cells(screen)[3], cells(screen)[0]
    press(last, hold=0.6, to=first.to_window(*first.center))
    state = LiveSession(app.studio.store, app.session.id).state
    assert list(selection.keepers(state)) == [order[3], *order[:3]]
    pump(timeout=0.1)
    assert screen.ids.grid.data[0]["badge"].startswith("#1")
    screenshot(window, "review-kept")
