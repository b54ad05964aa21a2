"""The remote and the mirror in a real browser: Playwright driving Debian's chromium.

Screenshots go to build/screenshots/ (pair.png, remote.png, remote-notes.png,
remote-phone.png, mirror.png) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def images_loaded(page, selector: str) -> None:
    page.wait_for_function(
        """selector => [...document.querySelectorAll(selector)]
            .every(img => img.complete && img.naturalWidth > 0)""",
        arg=selector,
    )


def test_pair_by_typing_the_code_then_keep_on_the_remote_updates_the_counts(demo_server, browser):
    server = demo_server
    ids = [image.id for image in server.live.images]
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    response = page.goto(f"{server.url}/remote")
    assert response.status == 401  # not paired: the pairing form
    page.fill("#code", server.code())
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "pair.png")
    page.click("#pair")
    page.wait_for_url(f"{server.url}/remote")
    expect(page.locator("#link")).to_have_text("Live")
    expect(page.locator("#count-kept")).to_have_text("0")

    page.click("#keep")
    expect(page.locator("#count-kept")).to_have_text("1")
    expect(page.locator(f'.tile[data-id="{ids[0]}"]')).to_have_class(re.compile("is-keep"))
    assert server.call(server.live.decision, ids[0]) == "keep"
    expect(page.locator("#position")).to_have_text(f"2 / {len(ids)}")

    # A touch on the TV reaches the tablet.
    server.call(server.live.decide, ids[1], "maybe")
    expect(page.locator("#count-maybe")).to_have_text("1")
    server.call(server.live.decide, ids[2], "drop")
    expect(page.locator("#count-dropped")).to_have_text("1")
    page.get_by_role("button", name="Choose").click()
    expect(page.get_by_role("button", name="Choose")).to_have_attribute("aria-pressed", "true")
    assert server.call(lambda: server.live.screen) == "select"

    images_loaded(page, "#grid img, #current-image")
    page.screenshot(path=SHOTS / "remote.png")

    # Notes: tags, a retouch note for the sheet and a private one for the photographer.
    page.click("#tab-notes")
    page.get_by_role("button", name="Open eyes").click()
    page.fill("#note-text", "Soften the shadow under the chin")
    page.fill("#private-text", "Grandma loves this one - suggest the 16x20")
    page.click("#save-notes")
    expect(page.locator("#save-notes")).to_have_text("Saved")
    note = server.call(lambda: server.live.state.notes[ids[3]])
    assert note.text == "Soften the shadow under the chin" and note.tags == ("open_eyes",)
    assert server.call(server.private_notes_for) == {
        ids[3]: "Grandma loves this one - suggest the 16x20"
    }
    page.screenshot(path=SHOTS / "remote-notes.png")
    page.close()


def test_the_qr_link_pairs_a_phone_in_one_step(demo_server, browser):
    server = demo_server
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.goto(server.pair_url())
    page.wait_for_url(f"{server.url}/remote")
    expect(page.locator("#link")).to_have_text("Live")
    images_loaded(page, "#current-image")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "remote-phone.png")
    page.close()


def test_the_mirror_follows_the_tv(demo_server, browser):
    server = demo_server
    ids = [image.id for image in server.live.images]
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(server.call(server.pairing.mirror_url, server.url))
    shown = page.locator(".layer.on")
    expect(shown).to_have_attribute("src", re.compile(f"/img/{ids[0]}$"))
    expect(page.locator("#mirror-position")).to_have_text(f"1 of {len(ids)}")

    server.call(server.live.show, ids[4])
    server.call(server.live.set_playing, False)
    expect(shown).to_have_attribute("src", re.compile(f"/img/{ids[4]}$"))
    expect(page.locator("#mirror-position")).to_have_text(f"5 of {len(ids)}")
    expect(page.locator("#paused")).to_be_visible()
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.layer.on')).opacity === '1'"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "mirror.png")
    page.close()


@pytest.mark.parametrize("width,height", [(1366, 1024), (1180, 820), (1024, 768), (820, 1180)])
def test_the_remote_fits_a_tablet_held_either_way(demo_server, browser, width, height):
    """Every button of the remote's header is on the screen, none overlaps another, and each
    keeps a finger-sized target, on an iPad Pro, Air and mini held sideways and upright."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(demo_server.pair_url())
    page.wait_for_url(f"{demo_server.url}/remote")
    boxes = page.eval_on_selector_all(
        ".bar button:not([hidden]), .bar input:not([hidden])",
        """els => els.filter(e => e.offsetParent !== null).map(e => {
            const r = e.getBoundingClientRect();
            return {id: e.id || e.textContent.trim(), l: r.left, r: r.right, t: r.top,
                    b: r.bottom, h: r.height};
        })""",
    )
    assert len(boxes) >= 10
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for box in boxes:
        assert box["l"] >= 0 and box["r"] <= width, box
        assert box["h"] >= 44, box
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a["r"] <= b["l"] + 1 or b["r"] <= a["l"] + 1
            apart = apart or a["b"] <= b["t"] + 1 or b["b"] <= a["t"] + 1
            assert apart, (a, b)
    page.screenshot(path=SHOTS / f"remote-{width}x{height}.png")
    page.close()
