"""The remote's Switch: the advisor's suggestion in the Order tab, taken with one command.

The server prices with the demo studio's list (assets/pricelist.toml): digital files $125
each and untaxed, "All digital files" $1,995, a $250 session-fee credit. Sixteen files come
to $2,000 − $250 = $1,750; the bundle to $1,995 − $250 = $1,745.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.core.cart import AddLine
from tests.conftest import ROOT

DAY = date(2026, 11, 25)
ADVICE = "All digital files: $5.00 less than 16 single files."


@pytest.fixture
def files(server_factory, session_factory):
    """A session of 20 photos; the client chose 16 files one by one on the TV."""
    server = server_factory(session_factory([(600, 400)] * 20))

    def prepare() -> None:
        server.live.pricelist = server.studio.pricelist
        server.live.today = lambda: DAY
        for image in server.live.images[:16]:
            server.live.do(AddLine("digital", "single", {}, (image.id,)))

    server.call(prepare)
    return server


def cart_of(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()["state"]["cart"]


def test_the_remote_takes_the_advice_with_one_command_and_one_undo_takes_it_back(files):
    tablet = files.paired_client()
    cart = tablet.get("/api/state").json()["cart"]
    assert cart["total"]["amount"] == 175000
    advice = cart["advice"]
    assert advice["text"] == ADVICE
    switch = advice["switch"]
    assert switch["kind"] == "switch"
    assert [c["kind"] for c in switch["commands"]] == ["remove_line"] * 16 + ["add_line"]
    events = len(files.events())

    cart = cart_of(tablet.post("/api/command", json=switch))
    items = [line for line in cart["lines"] if line["kind"] == "item"]
    assert [line["label"] for line in items] == [
        "All digital files of the session, high resolution"
    ]
    assert cart["total"] == {"amount": 174500, "display": "$1,745.00"}
    assert cart["advice"] is None
    # One event in the log, from the photographer's tablet.
    logged = files.events()
    assert len(logged) == events + 1 and logged[-1]["kind"] == "switch"
    actor = files.call(
        lambda: files.studio.store.db.execute(
            "select actor from events order by rowid desc limit 1"
        ).fetchone()[0]
    )
    assert actor == "remote"

    cart = cart_of(tablet.post("/api/command", json={"kind": "undo"}))
    assert cart["total"]["amount"] == 175000
    assert sum(line["kind"] == "item" for line in cart["lines"]) == 16
    assert cart["advice"]["text"] == ADVICE


def test_a_switch_the_cart_no_longer_fits_is_refused_and_changes_nothing(files):
    tablet = files.paired_client()
    switch = tablet.get("/api/state").json()["cart"]["advice"]["switch"]
    assert cart_of(tablet.post("/api/command", json={"kind": "remove_line", "line": "L3"}))
    events = len(files.events())
    response = tablet.post("/api/command", json=switch)  # it still removes L3
    assert response.status_code == 422
    assert "no longer in the order" in response.text
    smuggled = {"kind": "switch", "commands": [{"kind": "apply_promo", "code": "VIEWING100"}]}
    response = tablet.post("/api/command", json=smuggled)
    assert response.status_code == 422 and "A switch holds only" in response.text
    assert len(files.events()) == events
    assert files.call(lambda: len(files.live.cart.cart.lines)) == 15


sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_the_switch_button_in_the_order_tab_takes_the_bundle(files):
    expect = sync_api.expect
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        page.goto(files.pair_url())
        page.wait_for_url(f"{files.url}/remote")
        page.click("#tab-order")
        expect(page.locator("#order-total")).to_have_text("$1,750.00")
        expect(page.locator("#order-advice-text")).to_have_text(ADVICE)
        page.locator("#order-switch").scroll_into_view_if_needed()
        shots = ROOT / "build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shots / "remote-switch.png")
        page.click("#order-switch")
        expect(page.locator("#order-total")).to_have_text("$1,745.00")
        expect(page.locator("#order-advice")).to_be_hidden()
        expect(page.locator(".order-lines .is-item")).to_have_count(1)
        browser.close()
    assert files.call(lambda: [x.product for x in files.live.cart.cart.lines]) == ["digital-all"]
    assert files.events()[-1]["kind"] == "switch"
