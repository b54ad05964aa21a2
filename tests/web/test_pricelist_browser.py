"""The price-list editor in a real browser (Playwright with Debian's chromium): from the Settings
page to the editor, a test cart priced by the draft as a price is typed, a wrong value shown
beside its field with the checker's message, then saved and in force on the kiosk; behind the
PIN once one is set.

The screenshot of the editor at iPad size (landscape) is docs/pricelist-editor.png.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from PIL import Image as PILImage

from kiosk.core.pricing import Cart, CartLine, format_money, price
from tests.conftest import ROOT
from tests.web.test_browser import ARGS, CHROMIUM, sync_api
from tests.web.test_settings_browser import paired_page

expect = sync_api.expect
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
IPAD_LANDSCAPE = {"width": 1366, "height": 1024}
PRICE_16X20 = '[data-path=\'["product",0,"variants",3,"price"]\']'


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def test_a_price_typed_reprices_the_test_cart_and_once_saved_the_kiosk_charges_it(
    browser, server, studio
):
    page = paired_page(browser, server)
    page.set_viewport_size(IPAD_LANDSCAPE)
    page.click("#settings")
    page.wait_for_url(re.compile(r"/remote/settings\b"))
    page.click("#edit-prices")
    page.wait_for_url(re.compile(r"/remote/pricelist\b"))
    expect(page.locator("#editor")).to_be_visible()

    # A test cart: two 16×20 prints on cotton rag and five digital files, the Classic collection.
    page.select_option("#trial-product", "print")
    page.click("#trial-add")
    line = page.locator(".trial-line").nth(0)
    line.locator("select[aria-label=Size]").select_option("16x20")
    line.locator("select[aria-label=Paper]").select_option("cotton")
    line.locator("input.qty").fill("2")
    page.select_option("#trial-product", "digital")
    page.click("#trial-add")
    page.locator(".trial-line").nth(1).locator("input.qty").fill("5")
    page.select_option("#trial-collection", "classic")
    pricelist = server.call(lambda: studio.pricelist.current)
    cart = Cart(
        lines=(
            CartLine("print", "16x20", {"paper": "cotton"}, images=(1,), quantity=2),
            CartLine("digital", "single", images=(1, 2, 3, 4, 5)),
        ),
        collection="classic",
    )
    before = price(pricelist, cart, today=date.today())
    expect(page.locator("#trial-total")).to_have_text(format_money(before.total, before.currency))

    # The 16×20 print's price, typed in the first product's card: the cart follows, unsaved.
    page.locator("#sec-products details").first.locator("summary").click()
    field = page.locator(PRICE_16X20)
    field.fill("26,5")
    expect(field.locator("xpath=..").locator("xpath=..").locator(".field-error")).to_contain_text(
        'is "26,5"; expected a plain decimal'
    )
    expect(page.locator("#problem")).to_contain_text('product "print" → variants "16x20" → price')
    expect(page.locator("#save")).to_be_disabled()
    field.fill("265")
    prints = pricelist.product("print")  # the same list, one price changed by hand
    assert prints.variant("16x20").price == 24500
    variants = tuple(replace(v, price=26500) if v.id == "16x20" else v for v in prints.variants)
    products = tuple(
        replace(p, variants=variants) if p.id == "print" else p for p in pricelist.products
    )
    edited = replace(pricelist, products=products)
    after = price(edited, cart, today=date.today())
    assert after.total != before.total
    expect(page.locator("#trial-total")).to_have_text(format_money(after.total, after.currency))
    expect(page.locator("#problem")).to_be_hidden()
    expect(page.locator("#advice")).not_to_be_empty()
    expect(page.locator("#save")).to_be_enabled()
    assert studio.pricelist_file.read_text().count('price = "265.00"') == 0  # not saved yet

    page.evaluate(
        "document.getElementById('toast').hidden = true;"
        "document.getElementById('sec-products').scrollIntoView({block: 'start'});"
        "window.scrollBy(0, -84)"
    )
    shot = ROOT / "docs" / "pricelist-editor.png"
    picture = PILImage.open(io.BytesIO(page.screenshot())).convert("RGB")
    picture.quantize(colors=192, method=PILImage.Quantize.MEDIANCUT).save(shot, optimize=True)
    assert shot.stat().st_size <= 400_000

    page.click("#save")
    expect(page.locator("#toast")).to_have_text("Saved. The kiosk prices with this list now.")
    expect(page.locator("#versions li")).to_have_count(1)
    assert '{ size = "16x20", price = "265.00" }' in studio.pricelist_file.read_text()
    in_force = server.call(
        lambda: server.studio.pricelist.current.product("print").variant("16x20")
    )
    assert in_force.price == 26500
    # The kiosk's own pages price from it now: the pricing guide shows the new price.
    page.goto(f"{server.url}/guide")
    expect(page.locator("body")).to_contain_text(
        format_money(26500, after.currency).removesuffix(".00")
    )
    page.close()

    # Once a PIN is set, another tablet is asked for it before the editor opens.
    assert server.paired_client().post("/api/settings", json={"pin": "2468"}).status_code == 200
    other = paired_page(browser, server)
    other.goto(f"{server.url}/remote/pricelist")
    expect(other.locator("#unlock")).to_be_visible()
    expect(other.locator("#editor")).to_be_hidden()
    other.fill("#pin", "2468")
    other.click("#unlock button[type=submit]")
    other.locator("#sec-products details").first.locator("summary").click()
    expect(other.locator(PRICE_16X20)).to_have_value("265.00")
    other.close()


def test_an_albums_most_spreads_and_a_plans_interval_are_edited_and_saved(browser, server, studio):
    products = server.call(lambda: [p.id for p in studio.pricelist.current.products])
    album = products.index("album")
    page = paired_page(browser, server)
    page.set_viewport_size(IPAD_LANDSCAPE)
    page.goto(f"{server.url}/remote/pricelist")
    page.locator("#sec-products details").nth(album).locator("summary").click()
    most = page.locator(f'[data-path=\'["product",{album},"variants",0,"max_spreads"]\']')
    expect(most).to_have_value("30")
    most.fill("25")
    page.select_option('[data-path=\'["payment_plan",0,"interval"]\']', "week")
    expect(page.locator("#save")).to_be_enabled()
    page.click("#save")
    expect(page.locator("#toast")).to_have_text("Saved. The kiosk prices with this list now.")
    saved = server.call(lambda: server.studio.pricelist.current)  # the kiosk's, in force
    assert saved.product("album").variant("8x8").max_spreads == 25
    assert saved.payment_plans[0].interval == "week"
    text = studio.pricelist_file.read_text()
    assert "max_spreads = 25" in text and 'interval = "week"' in text
    page.close()


def test_a_credits_largest_size_and_plural_and_a_bundle_are_edited_and_saved(
    browser, server, studio
):
    """Every field the list's credits and bundles have can be set here, not in a text editor:
    a credit narrowed to sizes up to 20×30 with its names, a bundle that no longer is one."""
    current = server.call(lambda: studio.pricelist.current)
    bundle = [p.id for p in current.products].index("digital-all")
    page = paired_page(browser, server)
    page.set_viewport_size(IPAD_LANDSCAPE)
    page.goto(f"{server.url}/remote/pricelist")
    page.locator("#sec-collections details").nth(0).locator("summary").click()  # Classic

    def credit(name: str) -> str:
        return f'[data-path=\'["collection",0,"credits",0,"{name}"]\']'

    expect(page.locator(credit("size"))).to_have_value("16x20")
    page.locator(credit("size")).fill("")
    page.locator(credit("max_size")).fill("20x30")
    page.locator(credit("label")).fill("canvas up to 20×30")
    page.locator(credit("plural")).fill("canvases up to 20×30")
    page.locator(credit("kind")).fill("canvas, metal")  # one kind becomes two

    page.locator("#sec-products details").nth(bundle).locator("summary").click()
    includes = page.locator(f'[data-path=\'["product",{bundle},"covers","kind"]\']')
    expect(includes).to_have_value("digital")
    includes.fill("")  # no longer a bundle: sold as one file for the session
    expect(page.locator("#save")).to_be_enabled()
    page.click("#save")
    expect(page.locator("#toast")).to_have_text("Saved. The kiosk prices with this list now.")

    saved = server.call(lambda: server.studio.pricelist.current)  # the kiosk's, in force
    first = saved.collection("classic").credits[0]
    assert first.kinds == frozenset({"canvas", "metal"}) and not first.sizes
    assert first.max_size.inches() == (20.0, 30.0) and first.plural == "canvases up to 20×30"
    assert first.label == "canvas up to 20×30"
    assert saved.product("digital-all").covers is None
    text = studio.pricelist_file.read_text()
    assert (
        'max_size = "20x30"' in text and "covers" not in text.split('id = "digital-all"')[1][:200]
    )
    page.close()
