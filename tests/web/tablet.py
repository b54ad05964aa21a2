"""The photographer's tablet in a real browser: Debian's chromium, paired with a running
kiosk by typing its code, as a photographer does.

    with tablet_page(server) as page:
        page.goto(f"{server.url}/remote/orders")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.web.test_browser import CHROMIUM, sync_api

IPAD_MINI = {"width": 1024, "height": 768}


@contextmanager
def tablet_page(server, viewport: dict | None = None) -> Iterator:
    """A page paired with `server`, on its remote; the browser is closed afterwards."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport=viewport or IPAD_MINI)
            page.goto(f"{server.url}/pair")
            page.fill("#code", server.code())
            page.click("#pair")
            page.wait_for_url(f"{server.url}/remote")
            yield page
        finally:
            browser.close()
