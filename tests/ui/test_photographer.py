"""The photographer's doors on the TV: pairing a tablet, and the PIN before quitting."""

from __future__ import annotations

from dataclasses import replace

import pytest
from kivy.tests.common import UnitTestTouch

from tests.qr import read_qr
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


def test_long_press_in_the_corner_shows_the_code_and_a_qr_that_pairs(
    run_app, session_factory, window, studio
):
    app = run_app(session_factory([(3000, 2000)] * 3))
    touch = UnitTestTouch(40, window.height - 40)
    touch.touch_down()
    pump(timeout=1.7)
    touch.touch_up()
    panel = app.connect
    assert panel.parent is not None
    code = app.pairing.current_code()
    assert panel.code_text.replace(" ", "") == code
    pump(timeout=0.3)
    shot = screenshot(window, "connect")
    decoded = read_qr(shot)
    assert f"/pair?code={code}&key=" in decoded  # the key pairs even while guesses pause typing
    key = decoded.split("&key=")[1]
    token = app.pairing.pair(code, "192.0.2.7", key=key)  # what the scanned link's page sends
    pump(timeout=0.1)
    assert len(token) >= 22 and "1 tablet paired" in panel.status
    tap(panel.ids.forget)
    assert app.pairing.device(token) is None
    tap(panel.ids.done)


def test_a_short_touch_in_the_corner_does_not_open_pairing(run_app, session_factory, window):
    app = run_app(session_factory([(3000, 2000)] * 3))
    touch = UnitTestTouch(40, window.height - 40)
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.2)
    assert getattr(app, "connect", None) is None


def test_quitting_asks_for_the_pin_when_the_studio_set_one(
    run_app, session_factory, window, studio
):
    studio.settings = replace(studio.settings, pin="2468")
    app = run_app(session_factory([(3000, 2000)] * 3))
    window.dispatch("on_key_down", 27, 0, None, [])
    pad = app.pinpad
    assert pad.parent is not None and app.confirm is None
    pump(timeout=0.2)
    press_keys(pad, "1111")
    assert pad.wrong and pad.typed == "" and app.confirm is None
    pump(timeout=0.1)
    screenshot(window, "pin-wrong")
    press_keys(pad, "2468")
    assert pad.parent is None
    assert app.confirm is not None and app.confirm.parent is not None
    tap(app.confirm.ids.cancel)
