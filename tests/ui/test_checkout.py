"""Checkout on the TV: details checked, the order confirmed, a QR code for the phone."""

from __future__ import annotations

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.checkout import outbox
from kiosk.checkout.invoice import get_invoice, invoice_for_phone_token
from kiosk.checkout.settings import save_smtp_settings, save_studio_details
from kiosk.core.cart import AddLine
from kiosk.core.mail import SmtpSettings
from tests.checkout.conftest import STUDIO
from tests.qr import read_qr
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.05)


@pytest.fixture
def at_checkout(run_app, session_factory, studio):
    save_studio_details(studio.store, STUDIO)
    app = run_app(session_factory([(3000, 2000)] * 3))
    image = app.images[0].id
    app.live.do(AddLine("canvas", "16x20", {"depth": "1.5"}, (image,)))
    app.live.do(AddLine("digital", "single", {}, (image,)))
    app.show_screen("checkout")
    confirm = app.checkout.ids.confirm
    right_of_order = app.root.width / 3
    assert pump(lambda: confirm.to_window(*confirm.pos)[0] > right_of_order), (
        "the form sits right of the order"
    )
    return app, app.checkout


def test_confirming_makes_invoice_one_queues_the_email_and_shows_the_phone_qr(at_checkout, window):
    app, screen = at_checkout
    # "On its way" is said only with a mail server to send it through.
    save_smtp_settings(app.studio.store, SmtpSettings("smtp.studio.example", 587))
    screen.ids.phone.text = "+1 503 555 0142"
    screen.ids.address.text = "1420 Alder Street\nPortland, OR 97205"
    total = app.live.breakdown()[0].total
    assert screen.total_text.endswith(f"{total // 100:,}.{total % 100:02d}")
    screenshot(window, "checkout-review")
    tap(screen.ids.confirm)
    tap(screen.confirming.ids.confirm)
    assert screen.done and screen.invoice.number == 1
    assert pump(lambda: "on its way" in screen.thanks.mail_status, timeout=20)
    url = ""
    for _ in range(20):  # until the thank-you has faded in and its QR is drawn
        pump(timeout=0.3)
        shot = screenshot(window, "checkout-thanks")
        url = read_qr(shot)
        if url:
            break
    token = url.rsplit("/", 1)[-1]
    opened = invoice_for_phone_token(app.studio.store, token)
    assert opened is not None and opened.number == 1 and opened.total == total
    stored = get_invoice(app.studio.store, 1)
    assert stored.client.name == "Test Family" and stored.client.phone == "+1 503 555 0142"
    queued = outbox.entries(app.studio.store, invoice=1)
    assert sorted((e.kind, e.recipients, e.status) for e in queued) == [
        ("copy", ("hello@goldenhour.example",), "queued"),
        ("invoice", ("test@example.com",), "queued"),
    ]


def test_a_bad_email_is_refused_at_entry_and_nothing_is_invoiced(at_checkout):
    app, screen = at_checkout
    screen.ids.email.text = "morgans@@example"
    tap(screen.ids.confirm)
    assert "email" in screen.errors and "looks wrong" in screen.errors["email"]
    assert not screen.done
    with pytest.raises(Exception, match="no invoice|not found|No invoice"):
        get_invoice(app.studio.store, 1)
