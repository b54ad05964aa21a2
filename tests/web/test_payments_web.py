"""Payments on the Orders page for real: uvicorn on 127.0.0.1, httpx as the tablet, and chromium
at iPad size recording a deposit (docs/orders-payments.jpg)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from kiosk.checkout import outbox
from kiosk.checkout.invoice import confirm_order, get_invoice
from kiosk.checkout.settings import save_studio_details
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine
from kiosk.store import payments as rows
from tests.checkout.conftest import CLIENT, STUDIO
from tests.conftest import ROOT
from tests.web.tablet import tablet_page

CHROMIUM = Path("/usr/bin/chromium")
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def pricelist():
    return load(ROOT / "assets" / "pricelist.toml")


def confirm_with_plan(studio, session_id, pricelist):
    """A wall canvas and an album on a deposit and three monthly payments, issued today."""
    ids = [image.id for image in studio.store.images(session_id)]
    cart = Cart(
        lines=(
            CartLine("canvas", "30x40", {"depth": "1.5"}, images=(ids[1],)),
            CartLine("album", "10x10", {"cover": "leather"}, spreads=12, images=tuple(ids[:5])),
        ),
        payment_plan="three",
    )
    invoice = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=date.today())
    assert invoice.breakdown["instalments"], "the cart should reach the plan's minimum"
    return invoice


@pytest.fixture
def shop(server, studio, pricelist):
    save_studio_details(studio.store, STUDIO)
    return server, confirm_with_plan(studio, server.live.session_id, pricelist)


def test_the_tablet_records_a_deposit_then_the_rest_and_the_order_follows(shop, studio):
    server, invoice = shop
    tablet = server.paired_client()
    view = tablet.get(f"/api/payments/{invoice.number}").json()
    assert view["balance"] == invoice.total and view["paid"] == 0
    assert [s["state"] for s in view["schedule"]] == ["due", "due", "due", "due"]
    assert view["plan"] == "Deposit and 3 monthly payments"

    deposit = invoice.breakdown["instalments"]["deposit"]
    typed = deposit["display"].replace("$", "")  # "1,234.50": as a person types it
    answer = tablet.post(
        f"/api/payments/{invoice.number}", json={"amount": typed, "method": "card"}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["said"].startswith(f"Payment of {deposit['display']} recorded.")
    assert "eleanor@example.com" in body["said"]
    assert [s["state"] for s in body["schedule"]] == ["paid", "due", "due", "due"]
    assert get_invoice(studio.store, invoice.number).status == "deposit"
    (receipt,) = [e for e in outbox.entries(studio.store) if e.kind == "receipt"]
    assert receipt.invoice == invoice.number

    left = f"{body['balance'] / 100:.2f}"
    too_much = f"{body['balance'] / 100 + 0.01:.2f}"
    refused = tablet.post(
        f"/api/payments/{invoice.number}", json={"amount": too_much, "method": "cash"}
    )
    assert refused.status_code == 422
    assert "more than is left to pay" in refused.json()["error"]
    assert len(rows.payments(studio.store, invoice.number)) == 1

    answer = tablet.post(
        f"/api/payments/{invoice.number}",
        json={"amount": left, "method": "transfer", "note": "Paid off"},
    )
    assert (
        answer.json()["paidInFull"] and get_invoice(studio.store, invoice.number).status == "paid"
    )
    orders = tablet.get("/api/orders").json()["orders"]
    assert next(o for o in orders if o["number"] == invoice.number)["statusLabel"] == "Paid"

    no_reason = {"amount": "10", "method": "cash", "refund": True, "reason": ""}
    answer = tablet.post(f"/api/payments/{invoice.number}", json=no_reason)
    assert answer.status_code == 422 and "reason" in answer.json()["error"]
    refund = {**no_reason, "reason": "Scratched frame"}
    answer = tablet.post(f"/api/payments/{invoice.number}", json=refund)
    assert answer.status_code == 200
    assert answer.json()["ledger"][-1]["amountText"] == "−$10.00"
    assert get_invoice(studio.store, invoice.number).status == "deposit"


def test_payments_need_the_pairing_and_refuse_bad_input_without_a_500(shop, studio):
    server, invoice = shop
    stranger = server.client(Origin=server.url)
    assert stranger.get(f"/api/payments/{invoice.number}").status_code == 401
    assert stranger.post(f"/api/payments/{invoice.number}", json={"amount": "1"}).status_code == 401
    tablet = server.paired_client()
    no_csrf = {"X-CSRF-Token": "", "Origin": server.url}
    response = tablet.post(
        f"/api/payments/{invoice.number}", json={"amount": "1", "method": "cash"}, headers=no_csrf
    )
    assert response.status_code == 403
    for path in ("abc", "1.5", "%2e%2e", "9" * 20, "-1"):
        assert tablet.get(f"/api/payments/{path}").status_code in (404, 422), path
    assert tablet.get("/api/payments/99").status_code == 404
    url = f"/api/payments/{invoice.number}"
    for body in (
        {"amount": 12.5, "method": "cash"},  # a float loses cents
        {"amount": "-5", "method": "cash"},
        {"amount": "12.345", "method": "cash"},
        {"amount": "5", "method": "cheque"},
        {"amount": "5", "method": "cash", "note": "x" * 500},
        ["5"],
    ):
        response = tablet.post(url, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["error"]
    big = tablet.post(url, content=b'{"note": "' + b"x" * 3000 + b'"}')
    assert big.status_code == 413
    assert rows.payments(studio.store, invoice.number) == []


# the page in a browser -----------------------------------------------------------------------
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_the_orders_page_records_a_deposit_at_ipad_size(demo_server, studio, pricelist):
    sync_api = pytest.importorskip("playwright.sync_api")
    server = demo_server
    save_studio_details(studio.store, STUDIO)
    invoice = confirm_with_plan(studio, server.live.session_id, pricelist)
    deposit = invoice.breakdown["instalments"]["deposit"]
    expect = sync_api.expect
    with tablet_page(server) as page:
        page.goto(f"{server.url}/remote/orders")
        card = page.locator(f'article.order[data-number="{invoice.number}"]')
        section = card.locator(".payments")
        expect(section.locator(".pay-summary")).to_contain_text(
            f"{invoice.money(invoice.total)} left"
        )
        expect(section.locator(".pay-schedule li")).to_have_count(4)

        section.get_by_role("button", name="Record a payment").click()
        section.locator("input[name=amount]").fill("999999")
        section.get_by_role("button", name="Record payment").click()
        expect(page.locator("#toast")).to_contain_text("more than is left to pay")

        section.locator("input[name=amount]").fill(deposit["display"].replace("$", ""))
        section.get_by_role("button", name="Cash").click()
        section.locator("input[name=note]").fill("At the viewing")
        section.get_by_role("button", name="Record payment").click()
        expect(page.locator("#toast")).to_contain_text(f"Payment of {deposit['display']} recorded")
        expect(section.locator(".pay-schedule li.is-paid")).to_have_count(1)
        expect(section.locator(".pay-ledger li")).to_contain_text(["At the viewing"])
        # The card's status follows the money once the page refreshes itself.
        expect(card.locator('.steps button[aria-pressed="true"]')).to_have_text("Deposit")
        assert get_invoice(studio.store, invoice.number).status == "deposit"

        section.get_by_role("button", name="Record a payment").click()
        section.get_by_role("button", name="Refund").click()
        expect(section.get_by_role("button", name="Record refund")).to_be_visible()
        page.evaluate("document.getElementById('toast').hidden = true")
        png = card.screenshot()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = DOCS / "orders-payments.jpg"
    image.save(out, "JPEG", quality=82, optimize=True)
    assert out.stat().st_size <= 200_000
