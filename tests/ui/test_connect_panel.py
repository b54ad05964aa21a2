"""The TV's pairing panel when strangers guess: it says so, a tap gives a fresh code that
pairs, and "Forget all tablets" closes the session's wall-photo links too."""

from __future__ import annotations

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.core.errors import PairingError
from kiosk.store.walls import issue_wall_token, session_for_wall_token
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui
KEY_P = 112


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()


def open_panel(app, window):
    window.dispatch("on_key_down", KEY_P, 0, "p", [])  # no PIN set: straight in
    panel = app.connect
    pump(timeout=0.3)
    return panel


def test_wrong_codes_are_shown_on_the_tv_and_a_tap_gives_a_fresh_code_that_pairs(
    run_app, session_factory, window
):
    app = run_app(session_factory([(3000, 2000)] * 3))
    panel = open_panel(app, window)
    assert panel.warning == "" and panel.ids.warning.opacity == 0
    shown = panel.code_text
    qr = panel.qr_texture
    for i in range(25):  # a LAN guest's script, from many addresses
        with pytest.raises(PairingError):
            app.pairing.pair("000000", client=f"192.0.2.{i}")
    pump(timeout=0.3)
    assert "Wrong codes are arriving" in panel.ids.warning.text
    assert "typed codes are paused" in panel.warning
    assert panel.code_text == shown  # guesses no longer change the code
    screenshot(window, "connect-wrong-codes")

    tap(panel.ids.code)
    pump(timeout=0.3)
    fresh = app.pairing.current_code()
    assert len(fresh) == 9 and panel.code_text == " ".join([fresh[:3], fresh[3:6], fresh[6:]])
    assert panel.qr_texture is not qr  # the QR carries the new code and key
    token = app.pairing.pair(panel.code_text, client="192.0.2.200")
    assert app.pairing.device(token) is not None
    tap(panel.ids.done)


def test_forget_all_tablets_also_closes_the_wall_links_of_the_session_on_screen(
    run_app, session_factory, window, studio
):
    on_screen = session_factory([(3000, 2000)] * 3)
    other = session_factory([(3000, 2000)] * 2)
    app = run_app(on_screen)
    link = issue_wall_token(studio.store, on_screen)
    other_link = issue_wall_token(studio.store, other)
    tablet = app.pairing.pair(app.pairing.current_code(), "192.0.2.7")
    panel = open_panel(app, window)
    tap(panel.ids.forget)
    assert app.pairing.device(tablet) is None
    assert session_for_wall_token(studio.store, link) is None
    assert session_for_wall_token(studio.store, other_link) == other  # another client's
    tap(panel.ids.done)
