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


def test_a_discount_reason_in_square_brackets_is_shown_as_typed_not_as_formatting(
    run_app, session_factory
):
    app = run_app(session_factory([(3000, 2000)]))
    app.show_screen("order")
    app.live.do(AddLine("canvas", "20x30", {}, (app.images[0].id,)))
    app.live.do(SetStudioDiscount(percent=5, reason="[b]VIP[/b]"), actor="remote")
    wanted = "Studio discount — [b]VIP[/b] −5%"

    def drawn() -> list[str]:
        out = []
        for w in app.order.ids.lines.walk():
            if isinstance(w, Label) and w.markup:
                w.texture_update()
                words = (word.text for ln in w._label._cached_lines for word in ln.words)
                out.append("".join(words).replace(" ", ""))
        return out

    # Kivy lays the words out without the spaces between them.
    assert pump(lambda: any(t.startswith(wanted.replace(" ", "")) for t in drawn()))
