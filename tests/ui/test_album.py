"""The album designer on the TV: opened from the order, spreads swapped, re-templated, added and
removed by touch, the price following, Undo, and the design there again after a restart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.core.cart import AddLine, SetAlbumDesign
from kiosk.core.pricing import Cart, CartLine, format_money, price
from kiosk.core.selection import Decide, Decision, keepers
from kiosk.display.albumfeed import SPREADS
from kiosk.live import LiveSession
from tests.ui.conftest import pump, screenshot, show

pytestmark = pytest.mark.gui
DOCS = Path(__file__).resolve().parents[2] / "docs"
SIZES = [(3000, 2000), (2000, 3000), (2400, 2400)]


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.05)


def drag(start, end, steps=8, window=None):
    """A finger from `start` to `end`; with `window`, the screen is kept mid-drag."""
    touch = UnitTestTouch(*start)
    touch.touch_down()
    pump(timeout=0.02)
    for n in range(1, steps + 1):
        touch.touch_move(
            start[0] + (end[0] - start[0]) * n / steps, start[1] + (end[1] - start[1]) * n / steps
        )
        pump(timeout=0.02)
    if window is not None:
        screenshot(window, "album-dragging")
    touch.touch_up()
    pump(timeout=0.05)


def album_line(app_or_live):
    live = getattr(app_or_live, "live", app_or_live)
    return next(line for line in live.cart.cart.lines if line.product == "album")


def cell_centre(screen, n):
    view = screen.ids.spread
    x, y, w, h = view.cell_rect(n)
    return view.to_window(x + w / 2, y + h / 2)


def loaded(screen):
    view = screen.ids.spread
    return view.template is not None and all(t is not None for t in view.textures)


def designing(run_app, session_factory, photos=14, demo=None):
    session_id = demo if demo is not None else session_factory(SIZES * (photos // 3 + 1))
    app = run_app(session_id)
    images = app.images[:photos]
    app.live.do(*[Decide(i.id, Decision.KEEP) for i in images])
    assert app.live.try_do(AddLine("album", "8x8", {}, (images[0].id,))) == ""
    show(app, "order")
    order = app.order
    assert pump(lambda: any(hasattr(b, "line_id") for b in _design_buttons(order)))
    tap(_design_buttons(order)[0])
    screen = app.album
    assert pump(lambda: app.screens.current == "album" and screen.has_design and loaded(screen))
    assert pump(lambda: not app.screens.transition.is_active)
    return app, screen


def _design_buttons(order):
    rows = order.ids.lines.children
    return [w for row in rows for w in row.children if getattr(w, "text", "") == "Design the album"]


@pytest.fixture
def album_app(run_app, session_factory):
    return designing(run_app, session_factory)


def test_design_the_album_lays_out_the_keepers_favourite_first(album_app, window):
    app, screen = album_app
    line = album_line(app)
    preferred = keepers(app.live.state)
    assert line.design[0][1] == (preferred[0],), "the favourite alone on the first spread"
    assert sorted(line.images) == sorted(preferred)
    assert line.spreads == len(line.design) == 10  # 14 photos, 10 spreads included
    assert screen.position_text == "Spread 1 of 10"
    assert screen.price_text == format_money(69500, app.live.pricelist.current.currency)
    stored = LiveSession(app.studio.store, app.session.id, app.live.pricelist)
    assert album_line(stored).design == line.design


def test_dragging_a_photo_onto_another_swaps_them_and_undo_swaps_back(album_app, window):
    app, screen = album_app
    index = next(n for n, s in enumerate(album_line(app).design) if len(s[1]) >= 2)
    while screen.index < index:
        tap(screen.ids.next)
    assert pump(lambda: loaded(screen))
    before = album_line(app).design
    a, b = before[index][1][:2]
    before_shot = screenshot(window, "album-before-swap")
    drag(cell_centre(screen, 0), cell_centre(screen, 1), window=window)
    assert pump(lambda: album_line(app).design != before)
    after = album_line(app).design
    assert after[index][1][:2] == (b, a)
    assert pump(lambda: loaded(screen))
    after_shot = screenshot(window, "album-after-swap")
    x, y = (int(v) for v in cell_centre(screen, 0))
    y = window.height - y  # the picture's rows run top-down
    assert before_shot.getpixel((x, y)) != after_shot.getpixel((x, y)), "the photos on screen"
    tap(screen.ids.undo)
    assert pump(lambda: album_line(app).design == before)


def test_a_swipe_shows_the_next_spread(album_app, window):
    app, screen = album_app
    view = screen.ids.spread
    x, y, w, h = view.paper()
    start = view.to_window(x + w * 0.25, y + h * 0.5)  # the plain left page of the opening
    drag(start, (start[0] - 400, start[1]))
    assert pump(lambda: screen.index == 1)
    assert screen.position_text == "Spread 2 of 10"
    # The room displays are told which spread it is, with its photos where the TV has them.
    shown = SPREADS.latest(app.session.id)
    assert (shown.index, shown.count, shown.title) == (1, 10, screen.title_text)
    assert [cell[4] for cell in shown.cells] == list(album_line(app).design[1][1])


def test_choosing_a_template_from_the_strip_changes_the_spread(album_app, window):
    app, screen = album_app
    tap(screen.ids.next)
    spread = album_line(app).design[1]
    assert len(spread[1]) == 2
    single = next(b for b in screen.ids.strip.children if b.template_id == "single")
    tap(single)
    assert pump(lambda: album_line(app).design[1] == ("single", spread[1][:1]))
    assert single.current
    two = next(b for b in screen.ids.strip.children if b.template_id == "two-up")
    tap(two)  # the photo that left comes back from the keepers not in the album
    assert pump(lambda: album_line(app).design[1] == ("two-up", spread[1]))
    four = next(b for b in screen.ids.strip.children if b.template_id == "four-up")
    tap(four)
    assert pump(lambda: "Four-up needs 4 photos" in screen.message)
    assert album_line(app).design[1] == ("two-up", spread[1])


def test_adding_and_removing_spreads_prices_them_at_once(album_app, window):
    app, screen = album_app
    pricelist = app.live.pricelist.current
    money = pricelist.currency
    tap(screen.ids.remove_spread)  # ten are included: the album cannot have fewer
    assert pump(lambda: "has 10 spreads included" in screen.message)
    assert len(album_line(app).design) == 10
    tap(screen.ids.add_spread)
    assert pump(lambda: len(album_line(app).design) == 11)
    assert screen.position_text == "Spread 2 of 11"
    line = album_line(app)
    quoted = price(
        pricelist,
        Cart(lines=(CartLine("album", "8x8", spreads=11, id=line.id),)),
        today=date.today(),
    )
    item = next(li for li in quoted.lines if li.kind == "item")
    assert screen.price_text == format_money(item.amount, money) == format_money(73000, money)
    assert (
        app.live.breakdown()[0].total
        == price(pricelist, app.live.cart.cart, today=date.today()).total
    )
    tap(screen.ids.remove_spread)
    assert pump(lambda: len(album_line(app).design) == 10)
    assert screen.price_text == format_money(69500, money)


def test_more_spreads_than_the_album_holds_is_refused_on_screen(run_app, session_factory, window):
    app, screen = designing(run_app, session_factory, photos=33)
    line = album_line(app)
    singles = tuple(("single", (i,)) for i in line.images[:30])
    assert app.live.try_do(SetAlbumDesign(line.id, singles)) == ""
    assert pump(lambda: screen.count == 30)
    tap(screen.ids.add_spread)
    assert pump(lambda: "holds at most 30 spreads; this design has 31" in screen.message)
    assert len(album_line(app).design) == 30


def test_a_restart_reopens_the_same_design(run_app, session_factory, window):
    app, screen = designing(run_app, session_factory)
    tap(screen.ids.add_spread)
    assert pump(lambda: len(album_line(app).design) == 11)
    design, session_id = album_line(app).design, app.session.id
    app.dispatch("on_stop")
    window.remove_widget(app.root)
    again = run_app(session_id)
    assert pump(lambda: again.screens.current == "album" and again.album.has_design)
    assert album_line(again).design == design
    assert again.album.count == 11


def test_screenshot_of_the_album_designer(run_app, studio, window):
    from tests.conftest import demo_session

    app, screen = designing(run_app, None, photos=20, demo=demo_session(studio, 20))
    tap(screen.ids.next)
    assert pump(lambda: loaded(screen))
    pump(timeout=0.3)
    shot = screenshot(window, "album")
    DOCS.mkdir(exist_ok=True)
    shot.save(DOCS / "album.png")
    assert shot.size == (1920, 1080)
