"""The order screen: products added by touch, a collection chosen, the total live on screen."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import pytest
from kivy.tests.common import UnitTestTouch
from PIL import Image as PILImage
from PIL import ImageChops, ImageStat

from kiosk.core.cart import MAX_QUANTITY, SetQuantity
from kiosk.core.pricing import Cart, CartLine, format_money, price
from kiosk.live import LiveSession
from tests.ui.conftest import pump, screenshot, show

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
    show(app, "order")  # the fade over: mid-fade the screens take no touch
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


def line_row(screen, line_id):
    return next(r for r in screen.ids.lines.children if getattr(r, "line_id", "") == line_id)


def stepper(screen, line_id, step):
    """The − (step -1) or + (step 1) button of a cart line."""
    row = line_row(screen, line_id)
    return next(
        b
        for box in row.children
        for b in box.children
        if getattr(b, "quantity_line", None) == line_id and b.step == step
    )


def shown_quantity(screen, line_id):
    return next(
        int(box.count.text) for box in line_row(screen, line_id).children if hasattr(box, "count")
    )


def expected_total(app, *lines):
    """The total the pricing engine gives for these lines, with the screen's price list."""
    pricelist = app.live.pricelist.current
    cart = Cart(lines=tuple(lines))
    return format_money(price(pricelist, cart, today=date.today()).total, pricelist.currency)


def test_plus_and_minus_change_a_lines_quantity_and_the_total_on_screen(ordering, window):
    app, screen = ordering
    image = (app.images[0].id,)
    add(screen, "print", "8x10")
    add(screen, "canvas", "16x20")
    prints = CartLine("print", "8x10", {"paper": "lustre"}, image, id="L1")
    canvas = CartLine("canvas", "16x20", {"depth": "0.75"}, image, id="L2")
    assert screen.total_text == expected_total(app, prints, canvas)
    tap(stepper(screen, "L1", 1))
    tap(stepper(screen, "L1", 1))
    assert shown_quantity(screen, "L1") == 3
    assert screen.total_text == expected_total(app, replace(prints, quantity=3), canvas)
    pump(timeout=0.2)
    screenshot(window, "order-quantity")
    tap(stepper(screen, "L1", -1))
    assert shown_quantity(screen, "L1") == 2
    assert screen.total_text == expected_total(app, replace(prints, quantity=2), canvas)
    tap(stepper(screen, "L1", -1))
    # At one, − does nothing: the line stays until its × is tapped.
    assert stepper(screen, "L1", -1).disabled
    tap(stepper(screen, "L1", -1))
    assert shown_quantity(screen, "L1") == 1
    assert screen.total_text == expected_total(app, prints, canvas)
    stored = LiveSession(app.studio.store, app.session.id, app.live.pricelist)
    assert [(line.id, line.quantity) for line in stored.cart.cart.lines] == [("L1", 1), ("L2", 1)]
    tap(screen.ids.undo)  # undo steps back through the quantity changes too
    assert app.live.cart.line("L1").quantity == 2


def test_plus_at_the_most_the_studio_takes_says_so_and_changes_nothing(ordering):
    app, screen = ordering
    add(screen, "print", "5x7")
    app.live.do(SetQuantity("L1", MAX_QUANTITY))
    pump(timeout=0.05)
    total = screen.total_text
    tap(stepper(screen, "L1", 1))
    assert app.live.cart.line("L1").quantity == MAX_QUANTITY
    assert str(MAX_QUANTITY) in screen.cart_error
    assert screen.ids.cart_error.text == screen.cart_error and screen.total_text == total
    tap(stepper(screen, "L1", -1))
    assert screen.cart_error == "" and shown_quantity(screen, "L1") == MAX_QUANTITY - 1


def picture_pixels(texture):
    return PILImage.frombytes("RGBA", texture.size, texture.pixels).convert("RGB")


def test_choosing_a_product_shows_the_photo_as_that_product(ordering, window):
    app, screen = ordering
    picture = screen.ids.picture
    assert picture.texture is screen.subject_texture  # no product yet: the photo itself
    started = time.perf_counter()
    tap(button(screen.ids.products, "canvas"))
    assert pump(lambda: screen.picture_texture is not None and not screen.picture_waiting)
    assert picture.texture is screen.picture_texture and picture.opacity == 1
    waited = time.perf_counter() - started
    print(f"canvas picture shown {waited * 1000:.0f} ms after the tap")
    assert "Gallery canvas" in screen.picture_caption
    canvas = picture_pixels(screen.picture_texture)
    # Not blank: the photo's colours and the wall's tone, not one flat colour.
    assert max(hi - lo for lo, hi in canvas.getextrema()) > 120
    assert ImageStat.Stat(canvas).stddev[0] > 15
    tap(button(screen.ids.products, "framed"))
    tap(button(screen.ids.variants, "16x20"))
    row = next(
        r
        for r in screen.ids.options.children
        if any(getattr(c, "value", None) == ("frame", "gold") for c in r.children)
    )
    tap(next(c for c in row.children if getattr(c, "value", None) == ("frame", "gold")))
    assert "Antique gold leaf" in screen.picture_caption
    assert pump(
        lambda: (
            screen.picture_texture is not None
            and picture.texture is screen.picture_texture
            and not screen.picture_waiting
        )
    )
    framed = picture_pixels(screen.picture_texture)
    assert ImageStat.Stat(ImageChops.difference(canvas, framed)).mean[0] > 5
    pump(timeout=0.2)
    shot = screenshot(window, "order-picture")
    x, y = picture.to_window(*picture.pos)
    on_screen = shot.crop(
        (
            int(x),
            int(window.height - y - picture.height),
            int(x + picture.width),
            int(window.height - y),
        )
    )
    assert ImageStat.Stat(on_screen).stddev[0] > 15
    # Products that do not hang on a wall are drawn, with the photo in them.
    for product, words in (("album", "Heirloom album"), ("digital", "Digital file")):
        tap(button(screen.ids.products, product))
        assert words in screen.picture_caption
        assert pump(lambda: screen.picture_texture is not None and not screen.picture_waiting)
        drawn = picture_pixels(screen.picture_texture)
        assert ImageStat.Stat(ImageChops.difference(framed, drawn)).mean[0] > 5
        assert max(hi - lo for lo, hi in drawn.getextrema()) > 120
