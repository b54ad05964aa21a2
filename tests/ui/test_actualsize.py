"""The actual-size screen in a real 1920×1080 window: a print measured on the screenshot is as
many pixels wide as the screen's pixels per inch say, the photographer's ruler changes that
scale (behind the PIN) and keeps it, and a print larger than the screen says so."""

from __future__ import annotations

from dataclasses import replace

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.config import load_settings
from kiosk.core.glass import RULER_LENGTHS, ppi_from_diagonal
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui

PAPER = 225  # the white of the paper is ~247: anything this light in the row is paper


def tap(widget) -> None:
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.05)


def chip(screen, short: float, long: float):
    return next(c for c in screen.ids.sizes.children if c.size_key == (short, long))


def open_actual_size(run_app, session_factory, studio, **settings):
    studio.settings = replace(studio.settings, **settings)
    app = run_app(session_factory([(1200, 1500), (1500, 1000)]))
    app.show_screen("actualsize")
    screen = app.actualsize
    pump(lambda: app.screens.current == "actualsize" and screen.paper.texture is not None)
    pump(timeout=0.4)  # the fade between screens ends
    return app, screen


def stage_box(shot, screen) -> tuple[int, int, int, int]:
    """The stage (where the print is drawn) in the screenshot's pixels: left, top, right,
    bottom, rows running top-down. Only where to look; the sizes come from the pixels."""
    stage = screen.ids.stage
    return (
        int(stage.x),
        int(shot.height - stage.top),
        int(stage.right) - 1,
        int(shot.height - stage.y) - 1,
    )


def white_run(shot, screen, y: int) -> tuple[int, int]:
    """The first and last paper-white pixel of row `y` across the stage."""
    left, _, right, _ = stage_box(shot, screen)
    light = [x for x in range(left, right + 1) if min(shot.getpixel((x, y))) >= PAPER]
    return light[0], light[-1]


def white_column(shot, screen, x: int) -> tuple[int, int]:
    _, top, _, bottom = stage_box(shot, screen)
    light = [y for y in range(top, bottom + 1) if min(shot.getpixel((x, y))) >= PAPER]
    return light[0], light[-1]


def paper_on_screen(shot, screen) -> tuple[int, int]:
    """The paper's width and height in the screenshot's pixels, scanned through the middle of
    the stage (its white border is the first and last paper-white pixel either way)."""
    left, top, right, bottom = stage_box(shot, screen)
    x0, x1 = white_run(shot, screen, (top + bottom) // 2)
    y0, y1 = white_column(shot, screen, (left + right) // 2)
    return x1 - x0 + 1, y1 - y0 + 1


def test_an_8x10_is_8_inches_of_pixels_wide_on_a_65_inch_tv(
    window, run_app, session_factory, studio
):
    app, screen = open_actual_size(run_app, session_factory, studio, screen_diagonal_in=65.0)
    tap(chip(screen, 8, 10))
    ppi = ppi_from_diagonal(65.0, (1920, 1080))
    assert screen.caption == "Actual size — hold your 8×10 sample next to it"
    shot = screenshot(window, "actualsize-8x10-65in")
    width, height = paper_on_screen(shot, screen)
    assert abs(width - 8 * ppi) <= 1, (width, 8 * ppi)  # 271 px
    assert abs(height - 10 * ppi) <= 1, (height, 10 * ppi)  # 339 px: the photo is portrait
    assert screen.notice == ""
    # A larger size is larger by exactly its inches.
    tap(chip(screen, 11, 14))
    width, height = paper_on_screen(screenshot(window, "actualsize-11x14-65in"), screen)
    assert abs(width - 11 * ppi) <= 1 and abs(height - 14 * ppi) <= 1
    # The next photo is landscape: the same print is hung the long way.
    assert screen.on_key("right") and screen.subject_text == "Photo 2 of 2"
    pump(lambda: screen.paper.texture is not None)
    pump(timeout=0.1)
    width, height = paper_on_screen(screenshot(window, "actualsize-11x14-landscape"), screen)
    assert abs(width - 14 * ppi) <= 1 and abs(height - 11 * ppi) <= 1


def test_the_photographers_ruler_sets_the_scale_behind_the_pin_and_keeps_it(
    window, run_app, session_factory, studio
):
    app, screen = open_actual_size(
        run_app, session_factory, studio, screen_diagonal_in=65.0, pin="2468"
    )
    tap(chip(screen, 8, 10))
    tap(screen.ids.measure)
    assert screen.ruler is None and app.pinpad.parent is not None  # the PIN first
    for digit in "2468":
        app.pinpad.press(digit)
    pump(timeout=0.1)
    panel = screen.ruler
    assert panel is not None and panel.parent is not None
    ten_cm = RULER_LENGTHS["10 cm"]
    start = panel.bar.length
    assert abs(start - 33.89 * ten_cm) < 0.5  # the bar starts at the diagonal's scale
    # Drag the bar's end 60 px to the right, then 5 taps on + : 65 px longer in all.
    bar = panel.bar
    x, y = bar.to_window(bar.x + bar.origin + start - 5, bar.center_y)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    for step in range(1, 7):
        touch.touch_move(x + 10 * step, y)
    touch.touch_up()
    for _ in range(5):
        tap(panel.ids.longer)
    assert panel.bar.length == pytest.approx(start + 65)
    screenshot(window, "actualsize-ruler")
    tap(panel.ids.save)
    expected = round((start + 65) / ten_cm, 3)
    assert studio.settings.screen_ppi == pytest.approx(expected)
    assert load_settings(studio.paths).screen_ppi == pytest.approx(expected)  # on disk
    assert panel.parent is None
    pump(timeout=0.1)
    width, _ = paper_on_screen(screenshot(window, "actualsize-after-ruler"), screen)
    assert abs(width - 8 * expected) <= 1, (width, 8 * expected)
    assert screen.scale_text.startswith("Measured with a ruler")


def test_a_print_larger_than_the_screen_says_so_and_shows_its_middle(
    window, run_app, session_factory, studio
):
    app, screen = open_actual_size(run_app, session_factory, studio, screen_diagonal_in=65.0)
    tap(chip(screen, 24, 30))
    assert not screen.whole
    assert "larger than this screen" in screen.notice
    assert "larger than the screen" in chip(screen, 24, 30).text
    assert "larger" not in chip(screen, 8, 10).text
    shot = screenshot(window, "actualsize-24x30-too-large")
    left, top, right, bottom = stage_box(shot, screen)
    # Its width is still the true 24 inches...
    ppi = ppi_from_diagonal(65.0, (1920, 1080))
    x0, x1 = white_run(shot, screen, bottom - 20)
    assert abs(x1 - x0 + 1 - 24 * ppi) <= 1
    # ...and it runs off the top and bottom of the stage: cut at the stage's edges.
    y0, y1 = white_column(shot, screen, x0 + 3)  # down its white border
    assert (y0, y1) == (top, bottom)


def test_without_a_screen_size_it_shows_no_print_and_tells_the_photographer(
    window, run_app, session_factory, studio
):
    studio.settings = replace(studio.settings, screen_diagonal_in=0.0, screen_ppi=0.0)
    app = run_app(session_factory([(1200, 1500)]))
    app.show_screen("actualsize")
    screen = app.actualsize
    pump(lambda: app.screens.current == "actualsize", timeout=2)
    pump(timeout=0.4)
    assert not screen.measured and screen.paper.parent is None
    assert "Measure screen" in screen.notice and "screen_diagonal_in" in screen.notice
    screenshot(window, "actualsize-not-set")


def test_the_order_screen_leads_to_actual_size(window, run_app, session_factory, studio):
    studio.settings = replace(studio.settings, screen_diagonal_in=55.0)
    app = run_app(session_factory([(1500, 1000)]))
    app.show_screen("order")
    pump(lambda: app.screens.current == "order", timeout=2)
    pump(timeout=0.4)
    screenshot(window, "actualsize-order-header")
    button = next(w for w in app.order.walk() if getattr(w, "text", None) == "Actual size")
    tap(button)
    pump(lambda: app.screens.current == "actualsize" and app.actualsize.paper.texture, timeout=5)
    assert app.live.screen == "actualsize"  # through the live session: the remote follows
    # A landscape photo: the 8×10 is hung the long way, 10 inches of a 55-inch TV across.
    ppi = app.actualsize.ppi()
    assert (app.actualsize.glass.width_px, app.actualsize.glass.height_px) == (
        round(10 * ppi),
        round(8 * ppi),
    )
    pump(timeout=0.4)
    width, height = paper_on_screen(screenshot(window, "actualsize-landscape-55in"), app.actualsize)
    assert abs(width - 10 * ppi) <= 1 and abs(height - 8 * ppi) <= 1


def test_a_diagonal_no_tv_has_is_named_instead_of_drawn(window, run_app, session_factory, studio):
    studio.settings = replace(studio.settings, screen_diagonal_in=2.0)  # a typo for 62?
    app = run_app(session_factory([(1200, 1500)]))
    app.show_screen("actualsize")
    pump(lambda: app.screens.current == "actualsize", timeout=2)
    screen = app.actualsize
    assert not screen.measured and screen.paper.parent is None
    assert "pixels per inch" in screen.notice and "screen_diagonal_in" in screen.notice


def test_the_room_displays_are_told_which_print_the_screen_shows(
    window, run_app, session_factory, studio
):
    from kiosk.display.printfeed import PRINTS, ShownPrint

    app, screen = open_actual_size(run_app, session_factory, studio, screen_diagonal_in=65.0)
    portrait, landscape = (image.id for image in app.live.images)
    tap(chip(screen, 11, 14))
    assert PRINTS.latest(app.live.session_id) == ShownPrint(portrait, 11, 14, "11×14")
    assert screen.on_key("right")  # a landscape photo: the print hangs the long way
    assert PRINTS.latest(app.live.session_id) == ShownPrint(landscape, 14, 11, "11×14")
