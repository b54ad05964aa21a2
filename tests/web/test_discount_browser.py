"""The remote's Order tab in a real browser: a promo code and a studio discount, and a refusal
shown next to the form that sent it. Screenshots: build/screenshots/remote-discount.png and
remote-discount-applied.png.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.core.cart import AddLine
from tests.conftest import ROOT

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


def test_the_photographer_applies_a_code_and_a_studio_discount_from_the_order_tab(demo_server):
    server = demo_server

    def prepare() -> None:
        server.live.pricelist = server.studio.pricelist
        server.live.today = lambda: date(2026, 11, 25)
        first, second = server.live.images[0].id, server.live.images[1].id
        server.live.do(AddLine("canvas", "20x30", {"depth": "1.5"}, (first,)))
        server.live.do(AddLine("print", "8x10", {}, (second,), 2))

    server.call(prepare)
    # Canvas $695 + $70 gallery wrap, two 8×10 prints $130: $895, tax $73.84, less $250.
    assert server.call(lambda: server.live.breakdown()[0].total) == 71884

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        page.goto(server.pair_url())
        page.wait_for_url(f"{server.url}/remote")
        page.click("#tab-order")
        expect(page.locator("#order-total")).to_have_text("$718.84")

        page.fill("#promo-code", "nope")
        page.click("#promo-form button[type=submit]")
        expect(page.locator("#promo-error")).to_have_text(
            "The code NOPE is not one of the studio's promo codes; check it."
        )
        expect(page.locator("#toast")).to_be_hidden()  # shown inline, not as a toast

        page.fill("#promo-code", "viewing100")
        page.click("#promo-form button[type=submit]")
        # $795, tax $65.5875 -> $65.59, less $250.
        expect(page.locator("#order-total")).to_have_text("$610.59")
        expect(page.locator("#promo-error")).to_be_hidden()
        expect(page.locator("#promo-code")).to_have_value("")

        page.fill("#studio-value", "150")
        page.click("#studio-form button[type=submit]")
        expect(page.locator("#studio-error")).to_contain_text("from 1 to 100, not 150")

        page.fill("#studio-value", "10")
        page.fill("#studio-reason", "loyal client")
        page.click("#studio-form button[type=submit]")
        # 10 % of $795 = $79.50; $715.50, tax $59.02875 -> $59.03, less $250.
        expect(page.locator("#order-total")).to_have_text("$524.53")
        studio_line = page.locator(".order-lines .is-studio")
        expect(studio_line).to_contain_text("Studio discount — loyal client −10%")
        expect(studio_line).to_contain_text("-$79.50")
        expect(page.locator("#discount-applied li")).to_have_count(2)
        assert server.call(lambda: server.live.breakdown()[0].total) == 52453
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "remote-discount.png")
        page.locator("#discount-applied").scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "remote-discount-applied.png")

        page.get_by_role("button", name="Remove code VIEWING100").click()
        # $895 - $89.50 = $805.50, tax $66.45375 -> $66.45, less $250.
        expect(page.locator("#order-total")).to_have_text("$621.95")
        expect(page.locator("#discount-applied li")).to_have_count(1)

        page.click("#studio-unit-amount")
        page.fill("#studio-value", "25.50")
        page.fill("#studio-reason", "")
        page.click("#studio-form button[type=submit]")
        # $895 - $25.50 = $869.50, tax $71.73375 -> $71.73, less $250.
        expect(page.locator("#order-total")).to_have_text("$691.23")
        assert server.call(lambda: server.live.cart.cart.studio_discount.amount) == 2550
        browser.close()
