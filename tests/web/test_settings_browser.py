"""The Settings page in a real browser (Playwright with Debian's chromium): the studio's name
and logo changed from the tablet reach the next invoice PDF, settings.toml keeps the studio's
own comments, and once a PIN is set another tablet is asked for it and a wrong one refused.

The screenshot of the page at iPad size is docs/settings.jpg.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from kiosk.checkout.pdf import render_invoice_pdf
from kiosk.checkout.settings import details_for_session
from kiosk.config import load_settings
from kiosk.core.pricelist import load
from tests.conftest import ROOT
from tests.web.test_browser import ARGS, CHROMIUM, sync_api
from tests.web.test_orders import confirm

expect = sync_api.expect
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
DOCS = ROOT / "docs"
IPAD = {"width": 1024, "height": 768}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def paired_page(browser, server):
    page = browser.new_context(viewport=IPAD).new_page()
    page.goto(f"{server.url}/remote")
    page.fill("#code", server.code())
    page.click("#pair")
    page.wait_for_url(f"{server.url}/remote")
    return page


def test_name_and_logo_set_on_the_tablet_reach_the_next_invoice_and_a_pin_guards_the_page(
    browser, server, studio, tmp_path
):
    load_settings(studio.paths)
    kept_comment = "# Set up by Jo in May: ask before changing the port\n"
    studio.paths.settings.write_text(kept_comment + studio.paths.settings.read_text())
    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (600, 200), (180, 120, 40)).save(logo)

    page = paired_page(browser, server)
    page.click("#settings")  # from the remote's header
    page.wait_for_url(re.compile(r"/remote/settings\b"))
    expect(page.locator("#settings")).to_be_visible()
    form = page.locator("#studio-form")
    form.locator("[name=name]").fill("Lakeside Light Studio")
    form.locator("[name=email]").fill("hello@lakeside.example")
    form.locator("[name=address]").fill("4 Quay Lane\nPortree IV51 9DE")
    form.locator("button[type=submit]").click()
    expect(page.locator("#toast")).to_have_text("The studio's details are saved.")
    page.set_input_files("#logo-file", str(logo))
    expect(page.locator("#logo-img")).to_be_visible()
    kiosk = page.locator("#kiosk-form")
    kiosk.locator("[name=slideshow_seconds]").fill("8")
    kiosk.locator("[name=screen_diagonal_in]").fill("65")
    kiosk.locator("[name=backup_folder]").fill("/mnt/nas/reveal")  # a share not mounted here
    kiosk.locator("[name=pin]").fill("12")
    kiosk.locator("button[type=submit]").click()
    expect(page.locator("#kiosk-error")).to_contain_text("'pin' should be 4 to 8 digits")
    kiosk.locator("[name=pin]").fill("2468")
    kiosk.locator("button[type=submit]").click()
    expect(page.locator("#toast")).to_have_text("The kiosk's settings are saved.")
    page.locator("#mail-form [name=host]").fill("smtp.lakeside.example")
    page.evaluate("window.scrollTo(0, 0); document.getElementById('toast').hidden = true")
    DOCS.mkdir(exist_ok=True)
    shot = DOCS / "settings.jpg"
    picture = PILImage.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    picture.save(shot, quality=70, optimize=True)
    assert shot.stat().st_size <= 200_000

    text = studio.paths.settings.read_text()
    assert text.startswith(kept_comment)
    assert "slideshow_seconds = 8\n" in text and 'pin = "2468"' in text
    assert "screen_diagonal_in = 65\n" in text
    assert 'backup_folder = "/mnt/nas/reveal"' in text
    expect(page.locator("#backup")).to_have_class(re.compile("is-stale"))  # none there: red

    # The next invoice carries the new name and the logo (an image of the logo's size).
    invoice = confirm(studio, server.live.session_id, load(ROOT / "assets" / "pricelist.toml"))
    details = details_for_session(studio.store, server.live.session_id)
    pdf = PdfReader(io.BytesIO(render_invoice_pdf(invoice, details)))
    assert "Lakeside Light Studio" in pdf.pages[0].extract_text()
    sizes = [image.image.size for image in pdf.pages[0].images]
    assert (600, 200) in sizes

    # Another tablet is asked for the PIN; a wrong one is refused, the right one opens.
    other = paired_page(browser, server)
    other.goto(f"{server.url}/remote/settings")
    expect(other.locator("#unlock")).to_be_visible()
    expect(other.locator("#settings")).to_be_hidden()
    other.fill("#pin", "1357")
    other.click("#unlock button[type=submit]")
    expect(other.locator("#unlock-error")).to_contain_text("not the kiosk's PIN")
    expect(other.locator("#settings")).to_be_hidden()
    other.fill("#pin", "2468")
    other.click("#unlock button[type=submit]")
    expect(other.locator("#studio-form [name=name]")).to_have_value("Lakeside Light Studio")
    page.close()
    other.close()
