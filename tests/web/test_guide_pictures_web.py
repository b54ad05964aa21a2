"""The pricing guide's phone page shows each product's picture, served by product id only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

CHROMIUM = Path("/usr/bin/chromium")


def test_the_phone_page_shows_each_products_picture_and_nothing_else(server):
    phone = server.client()
    page = phone.get("/guide").text
    assert '<img class="guide-picture" src="/guide/p/canvas.jpg"' in page
    answer = phone.get("/guide/p/canvas.jpg")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(answer.content)).size[0] >= 300
    for name in ("nothing", "..%2Fstudio", "%2Fetc%2Fpasswd"):
        assert phone.get(f"/guide/p/{name}.jpg").status_code == 404


def test_the_guide_pictures_load_and_fit_a_phone(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        page.goto(f"{server.url}/guide")
        pictures = page.locator("img.guide-picture")
        assert pictures.count() >= 8
        for n in range(pictures.count()):
            pictures.nth(n).scroll_into_view_if_needed()
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        widest = page.evaluate("document.documentElement.scrollWidth")
        assert widest <= 390  # nothing overflows the phone's width
        pictures.nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "guide-phone.png"))
        browser.close()
    assert (tmp_path / "guide-phone.png").stat().st_size > 10_000
