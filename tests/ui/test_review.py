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
    assert pump(lambda: not app.screens.transition.is_active)  # it takes no touch mid-fade
    assert pump(lambda: laid_out(screen) == [d["image_id"] for d in screen.ids.grid.data])
    return app, screen


def cells(screen):
    return sorted(screen.ids.grid.layout_manager.children, key=lambda c: c.index)


def laid_out(screen):
    """The photos in the order they appear on screen, row by row."""
    placed = sorted(cells(screen), key=lambda c: (-round(c.y), round(c.x)))
    return [c.image_id for c in placed]


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
    pump(lambda: app.screens.current == "select")
    assert app.screens.current == "select"
    assert app.live.current_image.id == target.image_id


def test_star_makes_a_favourite(reviewing):
    app, screen = reviewing
    cell = cells(screen)[2]
    image_id = cell.image_id  # the grid recycles its cells when it redraws
    star = next(c for c in cell.children if getattr(c, "text", None) == "☆")
    press(star)
    pump(timeout=0)  # until durable, and so shown
    state = LiveSession(app.studio.store, app.session.id).state
    assert image_id in state.favourites


def test_hold_and_drag_a_keeper_puts_it_first(reviewing, window):
    app, screen = reviewing
    press(filter_button(screen, "keep"))
    pump(
        lambda: len(screen.ids.grid.data) == 4 and len(screen.ids.grid.layout_manager.children) == 4
    )
    order = [d["image_id"] for d in screen.ids.grid.data]
    # The grid lays its cells out a frame or more later: press only where they now are.
    assert pump(lambda: laid_out(screen) == order)
    last, first = cells(screen)[3], cells(screen)[0]
    press(last, hold=0.6, to=first.to_window(*first.center))
    pump(timeout=0)
    state = LiveSession(app.studio.store, app.session.id).state
    assert list(selection.keepers(state)) == [order[3], *order[:3]]
    pump(timeout=0.1)
    assert screen.ids.grid.data[0]["badge"].startswith("#1")
    screenshot(window, "review-kept")


def test_add_to_order_on_a_photo_opens_the_picker_for_it_and_adds_it(reviewing, window):
    app, screen = reviewing
    cell = cells(screen)[7]
    assert cell.ids.order.height >= 48 and cell.ids.order.width >= 48  # a finger's worth
    screenshot(window, "review-add-to-order")
    press(cell.ids.order)
    pump(lambda: app.screens.current == "order")
    assert app.screens.current == "order"
    order = app.order
    assert order.subject == cell.image_id
    assert pump(lambda: not app.screens.transition.is_active and order.ids.add.width > 100)
    assert app.live.current_image.id == cell.image_id  # the TV and the remote agree
    press(next(b for b in order.ids.products.children if b.value == "canvas"))
    assert pump(lambda: order.picture_texture is not None and not order.picture_waiting)
    press(next(b for b in order.ids.variants.children if b.value == "20x30"))
    press(order.ids.add)
    pump(timeout=0.05)
    lines = app.live.cart.cart.lines
    assert [(line.product, line.variant, line.images) for line in lines] == [
        ("canvas", "20x30", (cell.image_id,))
    ]
    row = next(r for r in order.ids.lines.children if getattr(r, "line_id", "") == lines[0].id)
    assert "Gallery canvas" in row.children[-1].text  # the line's words, shown in the cart
    stored = LiveSession(app.studio.store, app.session.id, app.live.pricelist).cart.cart
    assert stored.lines[0].images == (cell.image_id,)
    pump(timeout=0.2)
    screenshot(window, "review-added-to-order")
