"""The remote's orders page for real: uvicorn on 127.0.0.1, httpx as the tablet, a real SMTP
server (aiosmtpd) for the e-mail states, and chromium for the screenshot at iPad size
(build/screenshots/orders.png)."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from kiosk.checkout import outbox
from kiosk.checkout.invoice import Client, confirm_order, get_invoice
from kiosk.checkout.mailer import queue_invoice_email
from kiosk.checkout.settings import save_smtp_settings, save_studio_details
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine, format_money
from kiosk.store import checkout as tables
from kiosk.store.walls import issue_wall_token
from tests.checkout.conftest import CLIENT, STUDIO, Inbox, Server, free_port
from tests.conftest import ROOT
from tests.web.tablet import tablet_page

TODAY = date(2026, 5, 1)
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def pricelist():
    return load(ROOT / "assets" / "pricelist.toml")


def confirm(studio, session_id, pricelist, client=CLIENT, quantity=2):
    ids = [image.id for image in studio.store.images(session_id)]
    cart = Cart(
        lines=(
            CartLine("print", "8x10", {"paper": "metallic"}, images=(ids[0],), quantity=quantity),
            CartLine("canvas", "30x40", {"depth": "1.5"}, images=(ids[1],)),
        )
    )
    return confirm_order(studio.store, session_id, pricelist, cart, client, today=TODAY)


@pytest.fixture
def shop(server, studio, pricelist):
    """The server, and one invoice confirmed on its session as the TV confirms it."""
    save_studio_details(studio.store, STUDIO)
    invoice = confirm(studio, server.live.session_id, pricelist)
    return server, invoice


@pytest.fixture
def smtp():
    server = Server(free_port(), Inbox())
    yield server
    server.stop()


def order_of(client, number: int) -> dict:
    response = client.get("/api/orders")
    assert response.status_code == 200, response.text
    return next(o for o in response.json()["orders"] if o["number"] == number)


def finished_export(tablet, number: int, seconds: float = 120) -> dict:
    """The order's export once it is over, polled as the page polls it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = tablet.get(f"/api/orders/{number}/export").json()["export"]
        if job["state"] != "running":
            return job
        assert job["done"] <= job["total"] or job["total"] == 0
        time.sleep(0.2)
    raise AssertionError(f"the export of order {number} did not finish in {seconds} s")


def queue_mail(studio, invoice):
    return queue_invoice_email(studio.store, invoice, STUDIO, b"%PDF-1.4 stand-in")


# -----------------------------------------------------------------------------------------------
def test_the_list_shows_an_invoice_confirmed_on_the_kiosk_with_its_money_and_mail(shop, studio):
    server, invoice = shop
    tablet = server.paired_client()
    page = tablet.get("/remote/orders")
    assert page.status_code == 200
    assert 'name="csrf-token"' in page.text and "orders.js" in page.text
    assert 'action="/remote/orders"' in tablet.get("/remote").text  # the remote links here

    listed = tablet.get("/api/orders").json()
    assert [s["id"] for s in listed["statuses"]] == [
        "confirmed",
        "emailed",
        "deposit",
        "paid",
        "shipped",
        "delivered",
    ]
    assert listed["exports"] == str(server.studio.paths.root / "exports")
    order = listed["orders"][0]
    assert {
        "number": 1,
        "reference": "0001",
        "client": "Eleanor Whitfield",
        "email": "eleanor@example.com",
        "date": "1 May 2026",
        "total": invoice.total,
        "totalText": format_money(invoice.total, invoice.currency),
        "status": "confirmed",
        "mail": [],
        "exported": None,
    }.items() <= order.items()
    assert order["totalText"].startswith("$") and invoice.total > 0

    # The mail server is down: the message waits, and the list says so and why.
    queue_mail(studio, invoice)
    down = Server(free_port(), Inbox()).settings  # nothing listens on that port
    save_smtp_settings(studio.store, down)
    outbox.send_due(studio.store, down, time.time())
    mail = order_of(tablet, 1)["mail"]
    assert [(m["label"], m["status"]) for m in mail] == [
        ("To the client", "queued"),
        ("Studio's copy", "queued"),
    ]
    assert mail[0]["text"].startswith("Queued: 1 attempt; next in 30 s. Last error:")
    assert "refused the connection" in mail[0]["text"]
    assert not mail[0]["canSendAgain"]


def test_paid_is_what_the_payments_say_not_a_tap(shop, studio):
    """An order is not marked Paid with nothing in its ledger, nor moved back to before the
    money once it is in: the page says to record the payment (or a refund) instead."""
    server, invoice = shop
    tablet = server.paired_client()
    total = invoice.money(invoice.total)
    refused = tablet.post("/api/orders/1/status", json={"status": "paid"})
    assert refused.status_code == 422
    said = refused.json()["error"]
    assert f"is paid when its payments reach {total}: {total} is still to pay" in said
    assert "Record it under Payments" in said
    deposit = tablet.post("/api/orders/1/status", json={"status": "deposit"})
    assert deposit.status_code == 422 and "no payment plan" in deposit.json()["error"]
    assert get_invoice(studio.store, 1).status == "confirmed"

    paid = tablet.post(
        "/api/payments/1", json={"amount": f"{invoice.total / 100:.2f}", "method": "cash"}
    )
    assert paid.status_code == 200, paid.text
    assert get_invoice(studio.store, 1).status == "paid"  # the money moved it
    back = tablet.post("/api/orders/1/status", json={"status": "emailed"})
    assert back.status_code == 422
    assert f"has {total} paid, so it stays Paid" in back.json()["error"]
    assert "record a refund" in back.json()["error"]
    on = tablet.post("/api/orders/1/status", json={"status": "delivered"})
    assert on.status_code == 200 and get_invoice(studio.store, 1).status == "delivered"


def test_status_moves_forward_and_back_and_each_change_is_kept(shop, studio):
    server, invoice = shop
    tablet = server.paired_client()
    answer = tablet.post("/api/orders/1/status", json={"status": "shipped"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["order"]["status"] == "shipped"
    assert tablet.post("/api/orders/0001/status", json={"status": "emailed"}).status_code == 200

    assert get_invoice(studio.store, 1).status == "emailed"  # in the database, not the page
    history = tables.status_history(studio.store, 1)
    assert [status for status, _ in history] == ["confirmed", "shipped", "emailed"]
    wanted = ["confirmed", "shipped", "emailed"]
    assert [h["status"] for h in order_of(tablet, 1)["history"]] == wanted

    bad = tablet.post("/api/orders/1/status", json={"status": "lost"})
    assert bad.status_code == 422
    assert '"lost" is not an order status' in bad.json()["error"]
    assert tablet.post("/api/orders/1/status", content=b"{not json").status_code == 422
    assert tablet.post("/api/orders/1/status", json=["paid"]).status_code == 422
    assert get_invoice(studio.store, 1).status == "emailed"


def test_unknown_order_numbers_answer_404(shop):
    server, _ = shop
    tablet = server.paired_client()
    for path in ("/api/orders/7/status", "/api/orders/7/export"):
        response = tablet.post(path, json={"status": "paid"})
        assert response.status_code == 404, path
        assert "There is no invoice number" in response.json()["error"]
    assert tablet.post("/api/orders/99/send-again", json={}).status_code == 404


@pytest.mark.parametrize("number", ["abc", "%C2%B2", "%D9%A3", "1%2E5", "-1", "9" * 13, "%00"])
def test_an_order_number_that_is_not_digits_answers_422_never_500(shop, number):
    # "²" and "٣" pass str.isdigit() and then fail int(): once a 500.
    server, _ = shop
    tablet = server.paired_client()
    for action in ("status", "export", "send-again"):
        response = tablet.post(f"/api/orders/{number}/{action}", json={"status": "paid"})
        assert response.status_code == 422, (number, action, response.text)
        assert "is not an order number" in response.json()["error"]


def test_export_writes_the_order_folder_with_the_sessions_mockups(shop, studio):
    server, invoice = shop
    mockups = studio.paths.mockups(invoice.session_id)
    mockups.mkdir(parents=True)
    for name, colour in (("living-room.jpg", (180, 150, 110)), ("hallway.jpg", (90, 120, 150))):
        Image.new("RGB", (640, 400), colour).save(mockups / name, quality=90)
    (mockups / "readme.txt").write_text("not a mock-up")

    printed = Path(invoice.image(invoice.lines[0].images[0]).source_path)
    printed.rename(printed.with_suffix(".away"))  # the print's original: its drive unplugged

    tablet = server.paired_client()
    answer = tablet.post("/api/orders/1/export", json={})
    assert answer.status_code == 200, answer.text
    assert answer.json()["export"]["state"] == "running"  # the answer does not wait for it
    assert [job["number"] for job in tablet.get("/api/orders").json()["exporting"]] in ([1], [])
    job = finished_export(tablet, 1)
    assert job["state"] == "done", job
    folder = Path(job["folder"])
    assert folder == server.studio.paths.root / "exports" / "order-0001-eleanor-whitfield"
    assert job["files"] == sorted(p.name for p in folder.iterdir())
    assert {"order.json", "lines.csv", "files.csv", "invoice-0001.pdf", "mockups"} <= set(
        job["files"]
    )
    # The canvas is made at the lab's size; the print whose original is away is said, not made.
    assert (job["done"], job["total"]) == (2, 2)
    [problem] = job["problems"]
    assert "-print-8x10-" in problem and "the original is not at" in problem
    made = sorted(p.name for p in (folder / "production").iterdir())
    assert made == [
        "0001-02-canvas-30x40-"
        + Path(invoice.image(invoice.lines[1].images[0]).file_name).stem
        + ".jpg",
        "production.csv",
    ]
    order = json.loads((folder / "order.json").read_text(encoding="utf-8"))
    assert (order["reference"], order["total"]["amount"]) == ("0001", invoice.total)
    assert "Gallery canvas" in (folder / "lines.csv").read_text(encoding="utf-8")
    assert sorted(p.name for p in (folder / "mockups").iterdir()) == [
        "hallway.jpg",
        "living-room.jpg",
    ]
    assert (folder / "mockups" / "hallway.jpg").read_bytes() == (
        mockups / "hallway.jpg"
    ).read_bytes()
    assert order_of(tablet, 1)["exported"] == str(folder)  # the list remembers it


def test_a_failed_email_can_be_sent_again_and_then_arrives_once(shop, studio, smtp):
    server, invoice = shop
    smtp.inbox.refuse = {"eleanor@example.com": "550 5.1.1 Mailbox unavailable"}
    smtp.start()
    queue_mail(studio, invoice)
    outbox.send_due(studio.store, smtp.settings)
    tablet = server.paired_client()
    to_client, copy = order_of(tablet, 1)["mail"]
    assert (to_client["status"], to_client["canSendAgain"]) == ("failed", True)
    assert "Mailbox unavailable" in to_client["text"]
    assert (copy["status"], copy["text"]) == ("sent", "Sent")

    smtp.inbox.refuse = {}  # the client fixed their mailbox
    answer = tablet.post("/api/orders/1/send-again", json={})
    assert answer.status_code == 200, answer.text
    assert answer.json()["requeued"] == 1
    assert answer.json()["order"]["mail"][0]["status"] == "queued"
    assert outbox.send_due(studio.store, smtp.settings).sent == 1
    assert order_of(tablet, 1)["mail"][0]["text"] == "Sent"
    assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [
        ["hello@goldenhour.example"],
        ["eleanor@example.com"],
    ]
    again = tablet.post("/api/orders/1/send-again", json={})  # nothing has failed now
    assert again.status_code == 422 and "nothing to send again" in again.json()["error"]


def test_an_unpaired_browser_sees_no_orders_and_changes_nothing(shop, studio):
    server, _ = shop
    stranger = server.client(Origin=server.url)
    assert stranger.get("/api/orders").status_code == 401
    page = stranger.get("/remote/orders")
    assert page.status_code == 401 and "Eleanor" not in page.text  # the pairing form
    assert stranger.post("/api/orders/1/status", json={"status": "paid"}).status_code == 401
    assert stranger.post("/api/orders/1/export", json={}).status_code == 401
    assert get_invoice(studio.store, 1).status == "confirmed"
    assert not (server.studio.paths.root / "exports").exists()


def test_a_cross_site_post_is_refused_even_with_the_pairing_cookie(shop, studio):
    server, _ = shop
    tablet = server.paired_client()
    evil = {"Origin": "http://evil.example"}
    response = tablet.post("/api/orders/1/status", json={"status": "paid"}, headers=evil)
    assert response.status_code == 403
    assert tablet.post("/api/orders/1/export", json={}, headers=evil).status_code == 403
    no_csrf = {"X-CSRF-Token": ""}
    assert (
        tablet.post("/api/orders/1/status", json={"status": "paid"}, headers=no_csrf).status_code
        == 403
    )
    assert get_invoice(studio.store, 1).status == "confirmed"
    assert not (server.studio.paths.root / "exports").exists()


def test_withdrawing_links_closes_the_invoice_page_and_the_wall_upload_at_once(shop, studio):
    server, invoice = shop
    wall_token = server.call(issue_wall_token, studio.store, invoice.session_id)
    tablet, phone = server.paired_client(), server.client()
    assert phone.get(f"/i/{invoice.phone_token}").status_code == 200
    order = order_of(tablet, invoice.number)
    for link, days in ((order["phoneLink"], 30), (order["wallLinks"], 1)):
        assert link["open"] and link["text"].startswith("open until ")
        until = datetime.fromisoformat(link["expires"])
        assert abs(until - datetime.now() - timedelta(days=days)) < timedelta(minutes=5)

    path = f"/api/orders/{invoice.number}/withdraw-phone-link"
    assert server.client().post(path, json={}).status_code == 401  # not paired
    assert phone.get(f"/i/{invoice.phone_token}").status_code == 200
    answer = tablet.post(path, json={})
    assert answer.status_code == 200 and answer.json()["withdrawn"] == 1
    assert answer.json()["order"]["phoneLink"] == {
        "open": False,
        "expires": None,
        "text": "none open",
    }
    assert phone.get(f"/i/{invoice.phone_token}").status_code == 404
    assert phone.get(f"/i/{invoice.phone_token}/invoice.pdf").status_code == 404
    assert phone.get(f"/wall/{wall_token}").status_code == 200  # the other link stays open

    answer = tablet.post(f"/api/orders/{invoice.number}/withdraw-wall-links", json={})
    assert answer.status_code == 200 and answer.json()["withdrawn"] == 1
    assert not answer.json()["order"]["wallLinks"]["open"]
    assert phone.get(f"/wall/{wall_token}").status_code == 404
    assert tablet.post("/api/orders/99/withdraw-wall-links", json={}).status_code == 404


# the page in a browser -----------------------------------------------------------------------
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_the_orders_page_at_ipad_size_moves_an_order_on_and_exports_it(
    demo_server, studio, pricelist, smtp
):
    sync_api = pytest.importorskip("playwright.sync_api")
    server = demo_server
    session_id = server.live.session_id
    save_studio_details(studio.store, STUDIO)
    people = [
        Client("Eleanor Whitfield", "eleanor@example.com", "+1 503 555 0142", "1420 Alder St"),
        Client("The Morgan Family", "morgans@example.com", "", "77 Birch Lane, Portland"),
        Client("Sam Okafor", "sam@example.com", "", "9 Elm Court, Portland"),
    ]
    invoices = [
        confirm(studio, session_id, pricelist, c, quantity=n + 1) for n, c in enumerate(people)
    ]
    for invoice in invoices:
        queue_mail(studio, invoice)
    # First: the copy is sent and the client's refused for good; second: all sent; third: the
    # server goes down before its turn, so it waits.
    smtp.inbox.refuse = {"eleanor@example.com": "550 5.1.1 Mailbox unavailable"}
    smtp.start()
    first = outbox.entries(studio.store)
    now = time.time()
    for entry in first[:4]:
        tables.outbox_record(studio.store, entry.id, status="queued", next_attempt=now)
    pending = first[4:]
    for entry in pending:  # not yet due: the first round leaves them
        tables.outbox_record(studio.store, entry.id, status="queued", next_attempt=now + 5)
    outbox.send_due(studio.store, smtp.settings, now)
    smtp.stop()
    outbox.send_due(studio.store, smtp.settings, now + 6)
    tables.set_status(studio.store, 2, "paid")

    with tablet_page(server) as page:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "remote-orders-link.png")
        page.click("#orders")  # the remote's header link
        page.wait_for_url(f"{server.url}/remote/orders*")
        expect = sync_api.expect
        cards = page.locator("article.order")
        expect(cards).to_have_count(3)
        expect(cards.nth(0).locator(".ref")).to_have_text("#0003")  # the newest first
        eleanor = page.locator('article.order[data-number="1"]')
        expect(eleanor.locator(".order-total")).to_have_text(
            format_money(invoices[0].total, invoices[0].currency)
        )
        expect(eleanor.locator(".mail li.is-failed .btn")).to_have_text("Send again")
        expect(page.locator('article.order[data-number="3"] .mail li.is-queued')).to_have_count(2)

        # "Paid" is what the payments say: the tap opens the payment form with the balance.
        eleanor.get_by_role("button", name="Paid").click()
        form = eleanor.locator(".pay-form")
        expect(form).to_be_visible()
        total_text = format_money(invoices[0].total, invoices[0].currency)
        expect(form.locator("input[name=amount]")).to_have_value(total_text)
        assert get_invoice(studio.store, 1).status == "confirmed"  # not before the money
        form.get_by_role("button", name="Cash").click()
        form.get_by_role("button", name="Record payment").click()
        expect(eleanor.get_by_role("button", name="Paid")).to_have_attribute("aria-pressed", "true")
        assert get_invoice(studio.store, 1).status == "paid"
        eleanor.get_by_role("button", name="Export").click()
        # The production files take a while (a 30×40 canvas at 300 ppi): the card counts them.
        expect(eleanor.locator(".export-text")).to_contain_text("Production files: ")
        expect(eleanor.get_by_role("button", name="Exporting…")).to_be_disabled()
        eleanor.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "orders-exporting.png")
        expect(eleanor.locator(".exported")).to_contain_text(
            "order-0001-eleanor-whitfield", timeout=120_000
        )
        expect(eleanor.locator(".export-progress")).to_be_hidden()
        assert (server.studio.paths.root / "exports" / "order-0001-eleanor-whitfield").is_dir()

        # Her invoice link, forwarded too far: withdrawn from the page with two taps.
        link = eleanor.locator(".link-phone")
        expect(link.locator(".link-text")).to_contain_text("open until")
        link.get_by_role("button", name="Withdraw").click()
        link.get_by_role("button", name="Tap again to withdraw").click()
        expect(link.locator(".link-text")).to_have_text("none open")
        expect(link.get_by_role("button")).to_be_hidden()
        assert server.client().get(f"/i/{invoices[0].phone_token}").status_code == 404

        # Ticks mark the steps an order went through: Eleanor's e-mail never went out.
        expect(eleanor.locator(".steps button.done")).to_have_text(["Confirmed"])
        expect(eleanor.get_by_role("button", name="Export")).to_be_enabled()
        page.wait_for_timeout(300)  # the buttons' fade back in
        page.screenshot(path=SHOTS / "orders.png")
        eleanor.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "orders-exported.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=SHOTS / "orders-phone.png", full_page=True)
