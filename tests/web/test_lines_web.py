"""An order's products on the Orders page for real: uvicorn on 127.0.0.1, httpx as the tablet,
and chromium at iPad size marking a canvas shipped with its tracking note
(docs/orders-lines.png)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.checkout import outbox
from kiosk.checkout.invoice import confirm_order, get_invoice, set_status
from kiosk.checkout.settings import save_studio_details
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine
from kiosk.store.fulfilment import line_events
from tests.checkout.conftest import CLIENT, STUDIO
from tests.conftest import ROOT
from tests.web.tablet import tablet_page

CHROMIUM = Path("/usr/bin/chromium")
DOCS = ROOT / "docs"
TRACKING = "UPS 1Z999AA10123456784 https://www.ups.com/track?tracknum=1Z999AA10123456784"


@pytest.fixture(scope="module")
def pricelist():
    return load(ROOT / "assets" / "pricelist.toml")


def confirm_products(studio, session_id, pricelist):
    """A wall canvas, an album, two prints and the digital files, issued today."""
    ids = [image.id for image in studio.store.images(session_id)]
    cart = Cart(
        lines=(
            CartLine("canvas", "30x40", {"depth": "1.5"}, images=(ids[1],), id="wall"),
            CartLine("album", "10x10", {"cover": "leather"}, spreads=12, images=tuple(ids[:5])),
            CartLine("print", "8x10", {"paper": "metallic"}, images=(ids[2],), quantity=2),
            CartLine("digital", "single", images=tuple(ids[:3])),
        ),
    )
    return confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=date.today())


@pytest.fixture
def shop(server, studio, pricelist):
    save_studio_details(studio.store, STUDIO)
    return server, confirm_products(studio, server.live.session_id, pricelist)


def products_of(tablet, number: int) -> dict:
    orders = tablet.get("/api/orders").json()["orders"]
    return next(o for o in orders if o["number"] == number)["products"]


def test_the_tablet_moves_products_and_the_order_lists_what_is_left(shop, studio):
    server, invoice = shop
    tablet = server.paired_client()
    products = products_of(tablet, invoice.number)
    assert [line["ref"] for line in products["lines"]] == ["wall", "2", "3"]  # no digital files
    assert products["summary"] == "0 of 3 products delivered · 3 to send"
    assert products["lines"][0]["moves"] == ["lab", "shipped", "delivered"]
    set_status(studio.store, invoice.number, "paid")

    url = f"/api/orders/{invoice.number}/lines"
    answer = tablet.post(url, json={"lines": ["wall", "2"], "state": "lab"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["said"] == "2 products are at the lab."
    answer = tablet.post(url, json={"lines": ["wall", "3"], "state": "shipped", "note": TRACKING})
    body = answer.json()
    assert body["said"].startswith("2 products are shipped. Eleanor Whitfield is e-mailed at")
    products = body["order"]["products"]
    assert products["summary"] == "0 of 3 products delivered · 2 shipped · 1 at the lab"
    assert products["notShipped"] == 1
    canvas = products["lines"][0]
    assert (canvas["state"], canvas["stateLabel"], canvas["note"]) == (
        "shipped",
        "Shipped",
        TRACKING,
    )
    assert canvas["time"] and canvas["timeText"]
    assert canvas["back"] == "lab" and canvas["moves"] == ["lab", "delivered"]
    (mail,) = [e for e in outbox.entries(studio.store) if e.kind == "shipped"]
    assert "eleanor@example.com" in mail.recipients and mail.invoice == invoice.number
    assert body["order"]["status"] == "paid"  # the album is still at the lab

    shipped = tablet.post(url, json={"lines": ["2"], "state": "shipped"}).json()
    assert shipped["order"]["status"] == "shipped"
    done = tablet.post(url, json={"lines": ["wall", "2", "3"], "state": "delivered"}).json()
    assert done["order"]["status"] == "delivered"  # the order follows its products
    assert done["order"]["products"]["summary"] == "All 3 products delivered"
    assert get_invoice(studio.store, invoice.number).status == "delivered"


def test_moving_lines_needs_the_pairing_and_refuses_bad_input_without_a_500(shop, studio):
    server, invoice = shop
    url = f"/api/orders/{invoice.number}/lines"
    move = {"lines": ["wall"], "state": "lab"}
    assert server.client(Origin=server.url).post(url, json=move).status_code == 401
    tablet = server.paired_client()
    cross_site = tablet.post(url, json=move, headers={"Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    no_csrf = tablet.post(url, json=move, headers={"X-CSRF-Token": "", "Origin": server.url})
    assert no_csrf.status_code == 403
    for number in ("abc", "1.5", "²", "9" * 13, "-1"):
        answer = tablet.post(f"/api/orders/{number}/lines", json=move)
        assert answer.status_code == 422, number
        assert "is not an order number" in answer.json()["error"]
    assert tablet.post("/api/orders/99/lines", json=move).status_code == 404
    for body, words in (
        ({"lines": ["4"], "state": "lab"}, "not a product of this order"),  # the files
        ({"lines": ["nine"], "state": "lab"}, "not a product of this order"),
        ({"lines": ["wall"], "state": "lost"}, "not a state"),
        ({"lines": [], "state": "lab"}, "Say which lines"),
        ({"lines": [3], "state": "lab"}, "Say which lines"),
        ({"lines": ["wall"], "state": "lab", "note": "x" * 300}, "at most 280"),
        ({"lines": ["wall"]}, "Say the state"),
        (["wall"], "Send an object"),
    ):
        answer = tablet.post(url, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert words in answer.json()["error"], (body, answer.text)
    assert tablet.post(url, json={"lines": ["wall"], "state": "delivered"}).status_code == 200
    answer = tablet.post(url, json={"lines": ["wall"], "state": "lab"})
    assert answer.status_code == 422 and "one step at a time" in answer.json()["error"]
    big = tablet.post(url, content=b'{"note": "' + b"x" * 5000 + b'"}')
    assert big.status_code == 413
    assert [(e.line, e.state) for e in line_events(studio.store, invoice.number)] == [
        ("wall", "delivered")
    ]


# the page in a browser -----------------------------------------------------------------------
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_the_orders_page_ships_a_canvas_with_its_tracking_note_at_ipad_size(
    demo_server, studio, pricelist
):
    sync_api = pytest.importorskip("playwright.sync_api")
    server = demo_server
    save_studio_details(studio.store, STUDIO)
    invoice = confirm_products(studio, server.live.session_id, pricelist)
    set_status(studio.store, invoice.number, "paid")
    expect = sync_api.expect
    with tablet_page(server, {"width": 1366, "height": 1024}) as page:
        page.goto(f"{server.url}/remote/orders")
        card = page.locator(f'article.order[data-number="{invoice.number}"]')
        section = card.locator(".products")
        summary = section.locator(".products-summary")
        expect(summary).to_have_text("0 of 3 products delivered · 3 to send")
        expect(section.locator(".product-line")).to_have_count(3)  # not the digital files
        expect(page.get_by_role("button", name="Products to send (1)")).to_be_visible()

        album = section.locator('.product-line[data-ref="2"]')
        album.get_by_role("button", name="Sent to lab").click()
        expect(summary).to_have_text("0 of 3 products delivered · 1 at the lab · 2 to send")
        expect(album.locator(".product-state-label")).to_have_text("At the lab")

        canvas = section.locator('.product-line[data-ref="wall"]')
        canvas.get_by_role("button", name="Shipped…").click()
        canvas.locator("input[name=note]").fill(TRACKING)
        prints = canvas.get_by_role("checkbox", name="2 × Archival print 8×10")
        expect(prints).to_be_checked()  # waiting to be sent, as the canvas was: same parcel
        canvas.get_by_role("button", name="Mark shipped").click()
        expect(page.locator("#toast")).to_contain_text("2 products are shipped.")
        expect(summary).to_have_text("0 of 3 products delivered · 2 shipped · 1 at the lab")
        link = canvas.locator(".product-note a")
        expect(link).to_have_attribute("href", TRACKING.split()[-1])
        expect(canvas.get_by_role("button", name="Delivered")).to_be_enabled()
        expect(canvas.get_by_role("button", name="Sent to lab")).to_be_disabled()

        page.get_by_role("button", name="Products to send (1)").click()
        expect(card).to_be_visible()  # the album has not left yet
        page.get_by_role("button", name="All orders").click()
        page.evaluate("document.getElementById('toast').hidden = true")
        page.evaluate("document.querySelector('.bar').style.position = 'static'")  # not over it
        png = card.screenshot()

        # A mistake put right: the canvas goes back to the lab, with why.
        canvas.get_by_role("button", name="Undo").click()
        canvas.locator("input[name=note]").fill("Parcel came back damaged")
        canvas.get_by_role("button", name="Back to “At the lab”").click()
        expect(summary).to_have_text("0 of 3 products delivered · 1 shipped · 2 at the lab")
        expect(canvas.locator(".product-note")).to_have_text("Parcel came back damaged")
    (mail,) = [e for e in outbox.entries(studio.store) if e.kind == "shipped"]  # no second
    assert mail.invoice == invoice.number
    assert [(e.line, e.state) for e in line_events(studio.store, invoice.number)] == [
        ("2", "lab"),
        ("wall", "shipped"),
        ("3", "shipped"),
        ("wall", "lab"),
    ]
    out = DOCS / "orders-lines.png"
    out.write_bytes(png)
    assert out.stat().st_size <= 400_000
