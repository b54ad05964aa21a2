"""What the thank-you says comes next follows the order, and its link is short to read."""

from __future__ import annotations

from dataclasses import replace

from kiosk.checkout.invoice import confirm_order
from kiosk.checkout.thanks import next_steps, short_link
from kiosk.core.pricing import Cart, CartLine
from tests.checkout.conftest import CLIENT, TODAY


def test_an_order_with_retouching_products_by_mail_and_a_plan_says_so(invoice, pricelist):
    text = next_steps(invoice, pricelist)
    assert text == (
        "We retouch the 2 photos you marked, then make your products for delivery and hanging "
        "(within 30 miles). Your digital files open in your gallery once the last payment is "
        "made."
    )


def test_digital_files_alone_picked_up_and_paid_today(studio, session_images, pricelist):
    session_id, ids = session_images
    cart = Cart(lines=(CartLine("digital", "single", images=(ids[10], ids[11])),))
    invoice = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=TODAY)
    assert next_steps(invoice, pricelist) == (
        "Your digital files open in your gallery once the order is paid in full."
    )
    framed = replace(cart, lines=(CartLine("framed", "16x20", images=(ids[12],)),))
    invoice = confirm_order(studio.store, session_id, pricelist, framed, CLIENT, today=TODAY)
    assert "collect at the studio" in next_steps(invoice, pricelist)
    shipped = replace(framed, shipping="ship")
    invoice = confirm_order(studio.store, session_id, pricelist, shipped, CLIENT, today=TODAY)
    assert next_steps(invoice, pricelist).startswith("We make your products and send them to you.")


def test_the_phone_link_is_shown_with_its_token_abbreviated():
    url = "http://192.168.1.20:8470/i/Zk3pQ9v-longtokenlongtokenlongtoken"
    assert short_link(url) == "192.168.1.20:8470/i/Zk3p…"
    assert short_link("https://viewing.studio.example/i/abc") == "viewing.studio.example/i/abc"
