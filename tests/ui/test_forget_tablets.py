"""Forgetting paired tablets from the TV itself: behind the photographer's PIN, and at once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from kivy.tests.common import UnitTestTouch

from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui
KEY_P = 112


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()


def press_keys(pad, digits):
    keys = {k.text: k for k in pad.ids.pad.children}
    for digit in digits:
        tap(keys[digit])


def test_forgetting_the_tablets_on_the_tv_asks_for_the_pin_and_revokes_every_one(
    run_app, session_factory, window, studio
):
    studio.settings = replace(studio.settings, pin="2468")
    app = run_app(session_factory([(3000, 2000)] * 3))
    tablets = [app.pairing.pair(app.pairing.current_code(), f"192.0.2.{n}") for n in (7, 8)]
    mirror = app.pairing.mirror_token()

    window.dispatch("on_key_down", KEY_P, 0, "p", [])  # the photographer's door to pairing
    pad = app.pinpad
    assert pad.parent is not None and getattr(app, "connect", None) is None
    pump(timeout=0.2)  # laid out, so that taps land on the keys
    press_keys(pad, "1357")  # a client guessing gets nowhere
    assert pad.wrong and getattr(app, "connect", None) is None
    press_keys(pad, "2468")
    panel = app.connect
    assert panel.parent is not None
    pump(timeout=0.3)
    assert "2 tablets paired" in panel.status

    tap(panel.ids.forget)
    assert all(app.pairing.device(token) is None for token in tablets)
    assert app.pairing.device(mirror, "mirror") is None  # the mirror link goes too
    pump(timeout=0.3)
    assert "No tablet paired yet" in panel.status
    screenshot(window, "connect-forgotten")
    tap(panel.ids.done)
