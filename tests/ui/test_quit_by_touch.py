"""Leaving the full-screen kiosk by touch: the PIN pad offers "Quit the kiosk" to whoever
knows the PIN, and without a PIN a long press in the top-right corner asks before quitting."""

from __future__ import annotations

from dataclasses import replace

import pytest
from kivy.tests.common import UnitTestTouch

from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()


def press_keys(pad, digits):
    keys = {k.text: k for k in pad.ids.pad.children}
    for digit in digits:
        tap(keys[digit])


def long_press(window, x, y, seconds: float = 1.7):
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    pump(timeout=seconds)
    touch.touch_up()
    pump(timeout=0.1)


def quit_button(pad):
    return next(w for w in pad.walk() if getattr(w, "text", "") == "Quit the kiosk")


def test_the_pin_pad_offers_quit_and_only_the_right_pin_asks_before_quitting(
    run_app, session_factory, window, studio
):
    studio.settings = replace(studio.settings, pin="2468")
    app = run_app(session_factory([(3000, 2000)] * 3))
    stopped = []
    app.stop = lambda *a: stopped.append(True)  # the question's answer, not the test's end
    long_press(window, 40, window.height - 40)  # the pairing corner: the PIN first
    pad = app.pinpad
    assert pad.parent is not None and pad.can_quit
    tap(quit_button(pad))
    assert pad.quitting and pad.message == "PIN to quit the kiosk"
    pump(timeout=0.2)
    screenshot(window, "pin-quit")
    press_keys(pad, "1357")
    assert pad.wrong and pad.parent is not None and app.confirm is None
    press_keys(pad, "2468")
    assert pad.parent is None and getattr(app, "connect", None) is None  # not pairing
    assert app.confirm is not None and app.confirm.parent is not None
    assert "Quit" in app.confirm.question
    tap(app.confirm.ids.confirm)
    pump(timeout=0.1)
    assert stopped == [True]


def test_without_a_pin_a_long_press_top_right_asks_and_a_short_one_does_nothing(
    run_app, session_factory, window
):
    app = run_app(session_factory([(3000, 2000)] * 3))
    stopped = []
    app.stop = lambda *a: stopped.append(True)
    long_press(window, window.width - 40, window.height - 40, seconds=0.3)
    assert app.confirm is None
    long_press(window, window.width - 40, window.height - 40)
    assert app.confirm is not None and app.confirm.parent is not None
    pump(timeout=0.2)
    screenshot(window, "quit-without-pin")
    tap(app.confirm.ids.cancel)
    pump(timeout=0.1)
    assert stopped == [] and app.confirm.parent is None
