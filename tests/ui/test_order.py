"""The order screen: products added by touch, a collection chosen, the total live on screen."""

from __future__ import annotations

from datetime import date

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.core.pricing import format_money
from kiosk.live import LiveSession
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.05)


def button(grid, value):
    return next(b for b in grid.children if b.value == value)


def add(screen, product, variant, option=None):
    tap(button(screen.ids.products, product))
    tap(button(screen.ids.variants, variant))
    if option:
        row = next(
            r
            for r in screen.ids.options.children
            if any(getattr(c, "value", None) == option for c in r.children)
        )
        tap(next(c for c in row.children if getattr(c, "value", None) == option))
    tap(screen.ids.add)


@pytest.fixture
def ordering(run_app, session_factory):
    app = run_app(session_factory([(3000, 2000)] * 4))
    app.show_screen("order")
    screen = app.order
    pump(lambda: screen.subject_texture is not None and screen.ids.add.width > 100)
    return app, screen


def test_three_products_added_by_touch_make_the_total_on_screen(ordering, window):
    app, screen = ordering
    pricelist = app.live.pricelist.current
    money = pricelist.currency
    assert screen.total_text == format_money(0, money) or screen.total_text == ""
    add(screen, "print", "8x10")
    add(screen, "canvas", "16x20", ("depth", "1.5"))
    add(screen, "digital", "single")
    # By hand from assets/pricelist.toml: 65.00 print + (495.00 canvas + 50.00 wrap) + 125.00
    # file; 8.25 % sales tax on the taxable 610.00 (files are a service) = 50.325 -> 50.33
    # (half up), less the 250.00 session-fee credit: 535.33. The minimum order is 500.00.
    taxable = 6500 + 49500 + 5000
    tax = (taxable * 825 + 5000) // 10000
    expected = taxable + 12500 + tax - 25000
    assert expected == 53533
    assert screen.total_text == format_money(expected, money)
    pump(timeout=0.2)
    screenshot(window, "order-three")
    stored = LiveSession(app.studio.store, app.session.id, app.live.pricelist)
    assert stored.breakdown(date.today())[0].total == expected
    assert [line.product for line in stored.cart.cart.lines] == ["print", "canvas", "digital"]
    assert all(line.images == (app.images[0].id,) for line in stored.cart.cart.lines)


def test_choosing_a_collection_uses_its_credits_and_undo_takes_it_back(ordering, window):
    app, screen = ordering
    add(screen, "canvas", "16x20", ("depth", "1.5"))
    add(screen, "print", "8x10")
    before = screen.total_text
    tap(button(screen.ids.collections, "classic"))
    breakdown, _ = app.live.breakdown()
    assert breakdown.collection == "classic"
    assert screen.total_text == format_money(breakdown.total, breakdown.currency) != before
    assert any("8×10 prints used" in u.text for u in breakdown.credits)
    pump(timeout=0.2)
    screenshot(window, "order-collection")
    tap(screen.ids.undo)
    assert app.live.cart.cart.collection is None and screen.total_text == before


def test_removing_a_line_lowers_the_total(ordering):
    app, screen = ordering
    add(screen, "print", "8x10")
    add(screen, "print", "11x14")
    with_both = app.live.breakdown()[0].total
    row = next(
        r
        for r in screen.ids.lines.children
        if any(getattr(c, "line_id", None) == "L1" for c in r.children)
    )
    tap(next(c for c in row.children if getattr(c, "line_id", None) == "L1"))
    assert [line.id for line in app.live.cart.cart.lines] == ["L2"]
    assert app.live.breakdown()[0].total < with_both
