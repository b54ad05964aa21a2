"""The tablet enters the studio's details; the Orders page says what stands in the way of
invoicing: an e-mail with no mail server to send it, a price list broken by an edit. Through
the real server, and a real browser where a person must see it."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.checkout.invoice import Client, confirm_order
from kiosk.checkout.mailer import queue_invoice_email
from kiosk.checkout.settings import save_studio_details, studio_details
from kiosk.config import save_setting
from kiosk.core.invoices import StudioDetails
from kiosk.core.pricing import Cart, CartLine
from kiosk.studio import PriceListWatcher
from tests.conftest import ROOT
from tests.qr import read_qr

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
PARKER = StudioDetails(
    name="Parker Light Studio",
    email="hello@parkerlight.example",
    address="12 Alder Lane\nBend, OR 97701",
)
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def paired_page(browser, server, width: int = 1024, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server.pair_url())
    page.wait_for_url(f"{server.url}/remote")
    return page


def test_the_tablet_enters_the_studio_details_and_each_refusal_says_what_is_missing(server, studio):
    tablet = server.paired_client()
    shown = tablet.get("/api/studio").json()
    assert shown["missing"] == ["name", "email", "address"] and shown["mailServer"] is False

    half = tablet.post("/api/studio", json={"name": "Parker Light Studio"})
    assert half.status_code == 422
    assert half.json()["error"] == (
        "Invoices need the studio's e-mail address and address: fill in every field marked *."
    )
    bad = tablet.post(
        "/api/studio", json={"name": "P", "email": "hello@@parker", "address": "12 Alder Lane"}
    )
    assert bad.status_code == 422 and "The studio's e-mail address" in bad.json()["error"]
    assert tablet.post("/api/studio", json={"colour": "red"}).status_code == 422
    assert studio_details(studio.store).name == ""  # nothing half-saved

    saved = tablet.post(
        "/api/studio",
        json={"name": PARKER.name, "email": PARKER.email, "address": PARKER.address},
    )
    assert saved.status_code == 200 and saved.json()["missing"] == []
    assert studio_details(studio.store) == PARKER
    # Not paired, or from another site: refused, and nothing changes.
    assert server.client().post("/api/studio", json={"name": "X"}).status_code == 401
    assert studio_details(studio.store).name == PARKER.name


@needs_chromium
def test_the_orders_page_opens_the_studio_form_when_details_are_missing(server, studio, browser):
    page = paired_page(browser, server)
    page.goto(f"{server.url}/remote/orders")
    expect(page.locator("#studio-state")).to_contain_text("Needed before invoicing")
    assert page.locator("#studio").get_attribute("open") is not None
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "orders-studio-details.png", full_page=True)
    page.fill("#studio-form [name=name]", PARKER.name)
    page.fill("#studio-form [name=email]", PARKER.email)
    page.fill("#studio-form [name=address]", PARKER.address)
    page.click("#studio-form .save")
    expect(page.locator("#toast")).to_have_text("The studio's details are saved.")
    expect(page.locator("#studio-state")).to_have_text(PARKER.name)
    assert studio_details(studio.store) == PARKER
    page.close()


@needs_chromium
def test_the_orders_page_says_not_sent_without_a_mail_server_and_shows_a_broken_price_list(
    server, studio, browser
):
    save_studio_details(studio.store, PARKER)
    ids = [image.id for image in studio.store.images(server.live.session_id)]
    pricelist = studio.pricelist.current
    cart = Cart(lines=(CartLine("canvas", "16x20", {"depth": "1.5"}, images=(ids[0],)),))
    client = Client("Eleanor Whitfield", "eleanor@example.com", "", "1420 Alder St")
    invoice = confirm_order(
        studio.store, server.live.session_id, pricelist, cart, client, today=date(2026, 5, 1)
    )
    queue_invoice_email(studio.store, invoice, PARKER, b"%PDF-1.4 stand-in")

    # The server's session prices with the studio's watched price list, as in the kiosk.
    kiosk = server.studio
    server.call(setattr, server.live, "pricelist", kiosk.pricelist)
    watcher = PriceListWatcher(
        kiosk,
        deliver=lambda apply: server.loop.call_soon_threadsafe(apply),
        on_change=server.live.pricelist_changed,
    )
    file = kiosk.pricelist_file
    good = file.read_text(encoding="utf-8")
    line = good.splitlines().index("[studio]") + 1
    file.write_text(good.replace("[studio]", "[studio", 1), encoding="utf-8")
    assert watcher.check()
    assert server.call(lambda: kiosk.pricelist.error is not None)

    # The remote's Order tab says where the file is wrong...
    tablet = server.paired_client()
    problem = tablet.get("/api/state").json()["cart"]["problem"]
    assert problem.startswith("The price list in force is the last good one.")
    assert f"line {line}" in problem

    # ...and so does the Orders page, with the e-mail that no server will send.
    page = paired_page(browser, server)
    page.goto(f"{server.url}/remote/orders")
    error = page.locator("#pricelist-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(f"line {line}")
    expect(page.locator("#no-mail-server")).to_be_visible()
    mail = page.locator(".mail li").first
    expect(mail).to_contain_text("Not sent: no mail server set up.")
    expect(mail).to_have_class("is-queued is-unsent")
    page.screenshot(path=SHOTS / "orders-no-mail-server.png", full_page=True)

    # Fixed: the message goes at the next look.
    file.write_text(good, encoding="utf-8")
    assert watcher.check()
    page.reload()
    expect(page.locator(".order")).to_have_count(1)
    expect(error).to_be_hidden()
    page.close()


def test_with_public_url_the_phone_pages_pdf_leads_there_and_on_letter_paper(
    studio, server_factory, session_factory
):
    public = "https://viewing.parkerlight.example"
    save_setting(studio.paths, "public_url", public)
    save_studio_details(studio.store, PARKER)
    session_id = session_factory([(1500, 1000), (1000, 1500)])
    server = server_factory(session_id)
    ids = [image.id for image in studio.store.images(session_id)]
    cart = Cart(lines=(CartLine("canvas", "16x20", {"depth": "1.5"}, images=(ids[0],)),))
    client = Client("Eleanor Whitfield", "eleanor@example.com", "", "1420 Alder St")
    invoice = confirm_order(
        studio.store, session_id, studio.pricelist.current, cart, client, today=date(2026, 5, 1)
    )
    phone = server.client()
    page = phone.get(f"/i/{invoice.phone_token}")
    assert page.status_code == 200 and "Parker Light Studio" in page.text
    pdf = phone.get(f"/i/{invoice.phone_token}/invoice.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # inches: Letter
    found = []
    for image in (i for p in reader.pages for i in p.images):
        found.append(read_qr(image.data))
    assert f"{public}/i/{invoice.phone_token}" in found, found


def test_with_a_pin_the_studio_details_change_only_from_a_device_that_typed_it(server, studio):
    setter = server.paired_client()
    assert setter.post("/api/settings", json={"pin": "2468"}).status_code == 200
    tablet = server.paired_client()
    details = {"name": PARKER.name, "email": PARKER.email, "address": PARKER.address}

    assert tablet.get("/api/studio").status_code == 200  # printed on every invoice: readable
    refused = tablet.post("/api/studio", json=details)
    assert refused.status_code == 403 and "PIN" in refused.json()["error"]
    assert studio_details(studio.store).name == ""

    assert tablet.post("/api/settings/unlock", json={"pin": "2468"}).status_code == 200
    assert tablet.post("/api/studio", json=details).status_code == 200
    assert studio_details(studio.store) == PARKER
