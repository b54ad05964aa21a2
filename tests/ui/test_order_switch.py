"""The order screen's Switch button: the advisor's suggestion taken with one tap, one Undo."""

from __future__ import annotations

import pytest

from kiosk.core.cart import AddLine
from kiosk.core.pricing import format_money
from kiosk.live import LiveSession
from tests.ui.conftest import pump, screenshot, show
from tests.ui.test_order import tap

pytestmark = pytest.mark.gui


@pytest.fixture
def sixteen_files(run_app, session_factory):
    """The demo studio (assets/pricelist.toml): files $125 each, "All digital files" $1,995.
    Sixteen files chosen one by one, as the client would on the order screen."""
    app = run_app(session_factory([(600, 400)] * 20))
    show(app, "order")  # the fade over: mid-fade the screens take no touch
    screen = app.order
    pump(lambda: screen.subject_texture is not None and screen.ids.add.width > 100)
    for image in app.images[:16]:
        app.live.do(AddLine("digital", "single", {}, (image.id,)))
    pump(lambda: screen.switch_command is not None)
    return app, screen


def test_tapping_switch_takes_the_bundle_and_one_undo_brings_the_files_back(sixteen_files, window):
    app, screen = sixteen_files
    money = app.live.pricelist.current.currency
    # 16 × $125 = $2,000 (files are untaxed), less the $250 session-fee credit: $1,750; the
    # bundle: $1,995 − $250 = $1,745.
    assert screen.total_text == format_money(175000, money)
    assert screen.advice_text == "All digital files: $5.00 less than 16 single files."
    assert screen.ids.switch.opacity == 1 and not screen.ids.switch.disabled
    pump(timeout=0.2)
    screenshot(window, "order-switch-offered")

    tap(screen.ids.switch)
    pump(lambda: screen.total_text == format_money(174500, money))
    assert [line.product for line in app.live.cart.cart.lines] == ["digital-all"]
    assert screen.total_text == format_money(174500, money)
    assert screen.switch_command is None and screen.ids.switch.opacity == 0
    # Written as it was shown: a session reopened from the log has the bundle.
    stored = LiveSession(app.studio.store, app.session.id, app.live.pricelist)
    assert [line.product for line in stored.cart.cart.lines] == ["digital-all"]
    screenshot(window, "order-switch-taken")

    tap(screen.ids.undo)
    pump(lambda: screen.total_text == format_money(175000, money))
    lines = app.live.cart.cart.lines
    assert [line.product for line in lines] == ["digital"] * 16
    assert [line.images[0] for line in lines] == [image.id for image in app.images[:16]]
    assert screen.advice_text.startswith("All digital files: $5.00 less")
