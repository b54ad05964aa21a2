"""A discount given from the remote shows on the TV's order screen as its own line."""

from __future__ import annotations

import pytest
from kivy.uix.label import Label

from kiosk.core.cart import AddLine, ApplyPromo, SetStudioDiscount
from kiosk.core.pricing import format_money
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui


def texts(widget) -> list[str]:
    return [w.text for w in widget.walk() if isinstance(w, Label)]


def test_a_studio_discount_from_the_remote_is_a_line_on_the_order_screen(
    run_app, session_factory, window
):
    app = run_app(session_factory([(3000, 2000)] * 2))
    app.show_screen("order")
    screen = app.order
    image = app.images[0].id
    app.live.do(AddLine("canvas", "20x30", {}, (image,)))
    app.live.do(ApplyPromo("VIEWING100"))
    # What kiosk.web.commands does for the paired tablet.
    app.live.do(SetStudioDiscount(percent=10, reason="loyal client"), actor="remote")
    label = "Studio discount — loyal client −10%"
    assert pump(lambda: any(t.startswith(label) for t in texts(screen.ids.lines)))
    shown = texts(screen.ids.lines)
    money = app.live.pricelist.current.currency
    # $695 - $100 = $595, less 10 % = $59.50.
    assert format_money(-5950, money) in shown
    assert any(t.startswith("Ordered at the viewing (VIEWING100)") for t in shown)
    breakdown, _ = app.live.breakdown()
    assert screen.total_text == format_money(breakdown.total, money)
    pump(timeout=0.2)
    screenshot(window, "order-studio-discount")
