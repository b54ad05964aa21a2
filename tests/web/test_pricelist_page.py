"""The price-list editor over HTTP against the real server: behind the pairing and the PIN like
the Settings page, a wrong value refused with the checker's message and nothing written, a
saved edit in force at once and the list it replaced kept, a restore, and an invoice made
before an edit keeping its total."""

from __future__ import annotations

import io

from pypdf import PdfReader

from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.pdf import render_invoice_pdf
from kiosk.checkout.settings import details_for_session, save_studio_details
from kiosk.core.pricing import format_money
from kiosk.setup.pricelist_versions import versions, versions_folder
from tests.checkout.conftest import STUDIO
from tests.web.conftest import refuses_strangers_and_other_sites
from tests.web.test_orders import confirm

ROUTES = [
    ("get", "/api/pricelist"),
    ("post", "/api/pricelist"),
    ("post", "/api/pricelist/check"),
    ("post", "/api/pricelist/restore"),
]


def opened(server):
    """A paired tablet, and the editor's first answer (the draft and the file's hash)."""
    tablet = server.paired_client()
    answer = tablet.get("/api/pricelist")
    assert answer.status_code == 200, answer.text
    return tablet, answer.json()


def test_every_route_refuses_a_stranger_and_a_cross_site_write(server):
    tablet = refuses_strangers_and_other_sites(server, "/remote/pricelist", ROUTES)
    page = tablet.get("/remote/pricelist")
    assert page.status_code == 200 and "pricelist.js" in page.text
    assert 'href="/remote/pricelist"' in tablet.get("/remote/settings").text
    assert 'action="/remote/pricelist"' in tablet.get("/remote").text


def test_behind_the_pin_nothing_is_read_or_written_until_it_is_typed(server, studio):
    setter = server.paired_client()
    assert setter.post("/api/settings", json={"pin": "2468"}).status_code == 200
    tablet = server.paired_client()
    before = studio.pricelist_file.read_bytes()
    assert tablet.get("/api/pricelist").status_code == 403
    assert tablet.post("/api/pricelist/check", json={"draft": {}}).status_code == 403
    assert tablet.post("/api/pricelist", json={"draft": {}, "base": ""}).status_code == 403
    assert tablet.post("/api/settings/unlock", json={"pin": "2468"}).status_code == 200
    answer = tablet.get("/api/pricelist").json()
    assert answer["draft"]["studio"]["name"] == "Golden Hour Portraits"
    server.clock.advance(11 * 60)  # the unlock lapses, as the Settings page's does
    assert tablet.get("/api/pricelist").status_code == 403
    assert studio.pricelist_file.read_bytes() == before


def test_a_wrong_value_is_refused_with_the_checkers_message_and_nothing_is_written(server, studio):
    tablet, answer = opened(server)
    before = studio.pricelist_file.read_bytes()
    draft = answer["draft"]
    draft["product"][0]["variants"][3]["price"] = "245,00"
    checked = tablet.post("/api/pricelist/check", json={"draft": draft, "cart": {"lines": []}})
    assert checked.status_code == 200
    problem = checked.json()["problem"]
    assert problem["path"] == ["product", 0, "variants", 3, "price"]
    assert problem["message"].startswith('is "245,00"; expected a plain decimal')
    assert problem["where"] == 'line 43, product "print" → variants "16x20" → price'
    saved = tablet.post("/api/pricelist", json={"draft": draft, "base": answer["base"]})
    assert saved.status_code == 422
    assert saved.json()["problem"] == problem
    assert saved.json()["error"] == f"Not saved: {problem['message']}"
    assert studio.pricelist_file.read_bytes() == before
    assert versions(studio.pricelist_file) == []


def test_a_saved_price_is_in_force_at_once_and_an_earlier_invoice_keeps_its_total(server, studio):
    save_studio_details(studio.store, STUDIO)
    session = server.live.session_id
    invoice = server.call(confirm, studio, session, server.call(lambda: studio.pricelist.current))
    details = details_for_session(studio.store, session)
    printed = PdfReader(io.BytesIO(render_invoice_pdf(invoice, details))).pages[0].extract_text()
    total = format_money(invoice.total, invoice.currency)
    assert total in printed

    tablet, answer = opened(server)
    before = studio.pricelist_file.read_text()
    unchanged = tablet.post(
        "/api/pricelist", json={"draft": answer["draft"], "base": answer["base"]}
    )
    assert unchanged.status_code == 200 and unchanged.json()["changed"] is False
    assert studio.pricelist_file.read_text() == before and versions(studio.pricelist_file) == []

    draft = answer["draft"]
    draft["product"][0]["variants"][1]["price"] = "79"  # 8x10 prints, on the invoice above
    cart = {"lines": [{"product": "print", "variant": "8x10", "quantity": 2}]}
    trial = tablet.post("/api/pricelist/check", json={"draft": draft, "cart": cart}).json()
    assert trial["priced"]["breakdown"]["subtotal"]["amount"] == 2 * 7900
    saved = tablet.post("/api/pricelist", json={"draft": draft, "base": answer["base"]})
    assert saved.status_code == 200, saved.text
    assert saved.json()["changed"] is True
    after = studio.pricelist_file.read_text()
    assert after == before.replace(
        '{ size = "8x10",  price = "65.00" }', '{ size = "8x10",  price = "79.00" }'
    )
    assert (
        server.call(lambda: server.studio.pricelist.current.product("print").variant("8x10").price)
        == 7900
    )
    assert (
        server.call(lambda: server.live.pricelist.current.product("print").variant("8x10").price)
        == 7900
    )
    kept = versions(studio.pricelist_file)
    assert (
        len(kept) == 1
        and (versions_folder(studio.pricelist_file) / kept[0].name).read_text() == before
    )
    assert saved.json()["versions"][0]["name"] == kept[0].name

    again = get_invoice(studio.store, invoice.number)
    assert again.total == invoice.total and again.breakdown == invoice.breakdown
    reprinted = PdfReader(io.BytesIO(render_invoice_pdf(again, details))).pages[0].extract_text()
    assert total in reprinted

    # A draft read before that save is refused rather than merged over it.
    stale = tablet.post("/api/pricelist", json={"draft": answer["draft"], "base": answer["base"]})
    assert stale.status_code == 409 and studio.pricelist_file.read_text() == after


def test_restoring_a_version_puts_it_in_force_and_keeps_the_one_it_replaces(server, studio):
    tablet, answer = opened(server)
    before = studio.pricelist_file.read_text()
    draft = answer["draft"]
    draft["order"]["minimum"] = "650.00"
    saved = tablet.post("/api/pricelist", json={"draft": draft, "base": answer["base"]}).json()
    edited = studio.pricelist_file.read_text()
    restored = tablet.post("/api/pricelist/restore", json={"version": saved["versions"][0]["name"]})
    assert restored.status_code == 200, restored.text
    assert studio.pricelist_file.read_text() == before
    assert server.call(lambda: server.studio.pricelist.current.minimum_order) == 50000
    assert restored.json()["draft"]["order"]["minimum"] == "500.00"
    names = [v["name"] for v in restored.json()["versions"]]
    assert len(names) == 2
    assert (versions_folder(studio.pricelist_file) / names[0]).read_text() == edited
    missing = tablet.post("/api/pricelist/restore", json={"version": "../settings.toml"})
    assert missing.status_code == 422 and studio.pricelist_file.read_text() == before


def test_a_file_broken_in_a_text_editor_offers_its_kept_versions_to_restore(server, studio):
    tablet, answer = opened(server)
    draft = answer["draft"]
    draft["order"]["minimum"] = "700.00"
    saved = tablet.post("/api/pricelist", json={"draft": draft, "base": answer["base"]}).json()
    studio.pricelist_file.write_text('[studio\nname = "half an edit"\n')
    broken = tablet.get("/api/pricelist")
    assert broken.status_code == 200
    assert broken.json()["broken"].startswith("The price list file is not TOML the editor can read")
    assert [v["name"] for v in broken.json()["versions"]] == [saved["versions"][0]["name"]]
    refused = tablet.post("/api/pricelist", json={"draft": draft, "base": saved["base"]})
    assert refused.status_code == 409  # the file is not the one the draft was made from
    restored = tablet.post("/api/pricelist/restore", json={"version": saved["versions"][0]["name"]})
    assert restored.status_code == 200
    assert 'minimum = "500.00"' in studio.pricelist_file.read_text()
    assert server.call(lambda: server.studio.pricelist.current.minimum_order) == 50000
    assert len(restored.json()["versions"]) == 2  # the broken file is kept too
