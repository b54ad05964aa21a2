"""The Sessions pages in a real browser (Playwright driving Debian's chromium) on the real
server: pair, make a session from the client's details, find it by search and show it on the
TV, answering the question the kiosk asks about the order left half made.

Without a Kivy window the TV's part is the web context's own switch: `show_session` makes a
real LiveSession of the chosen session and hands it to `reveal.switch`, as the kiosk's
RevealApp.show_session does after it has rebuilt its screens (tests/ui/test_switch_session.py
covers the TV itself). Screenshots at iPad size go to build/screenshots/ (sessions.jpg,
sessions-1366.jpg, session-new.jpg, session.jpg) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from kiosk.checkout.settings import save_studio_details
from kiosk.core.cart import AddLine
from kiosk.core.clients import ClientDetails
from kiosk.core.pricelist import load
from kiosk.live import LiveSession
from kiosk.store.sessions import create_session, set_archived
from kiosk.web.app import create_app
from tests.checkout.conftest import STUDIO
from tests.conftest import ROOT
from tests.web import conftest as web_conftest
from tests.web.test_orders import confirm

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
IPAD = {"width": 1024, "height": 768}
IPAD_PRO = {"width": 1366, "height": 1024}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


@pytest.fixture
def apps(monkeypatch) -> list[FastAPI]:
    """Every app the server fixtures make, so the test can set what the TV would set."""
    made: list[FastAPI] = []

    def recording(*args, **kwargs) -> FastAPI:
        made.append(create_app(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(web_conftest, "create_app", recording)
    return made


@pytest.fixture
def studio_day(apps, demo_server, studio, session_factory):
    """The demo family on the TV, with two lines in their cart and no invoice yet; earlier
    clients around them (one paid, one archived); the TV's switch wired as the kiosk wires it."""
    server = demo_server
    api = apps[-1]

    def earlier() -> None:
        save_studio_details(studio.store, STUDIO)
        pricelist = load(ROOT / "assets" / "pricelist.toml")
        paid = session_factory([(600, 400)] * 3, client="Lena & Tom Okafor")
        confirm(studio, paid, pricelist)
        old = create_session(
            studio.store, ClientDetails("Harper Lee Family", shoot_date="2025-10-04")
        )
        set_archived(studio.store, old.id, True)
        create_session(
            studio.store,
            ClientDetails(
                "Priya Raman",
                email="priya@example.com",
                partner="Dev Raman",
                shoot_date="2026-05-02",
                viewing_at="2026-05-09T11:00",
            ),
        )
        ids = [image.id for image in server.live.images]
        server.live.pricelist = studio.pricelist
        server.live.decide(ids[0], "keep")
        server.live.decide(ids[1], "maybe")
        server.live.do(AddLine("print", "8x10", {}, (ids[0],)))
        server.live.do(AddLine("canvas", "30x40", {"depth": "1.5"}, (ids[1],)))

    server.call(earlier)

    def show_session(session_id: int) -> None:
        reveal = api.state.reveal
        store = reveal.studio.store
        live = LiveSession(store, session_id, reveal.studio.pricelist)
        reveal.switch(live, store.session(session_id).client)

    api.state.show_session = show_session
    return server, api


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / name, type="jpeg", quality=82)


def test_pair_make_a_session_find_it_and_show_it_on_the_tv(studio_day, browser):
    server, api = studio_day
    page = browser.new_page(viewport=IPAD)
    page.goto(f"{server.url}/remote/sessions")
    page.fill("#code", server.code())
    page.click("#pair")
    page.wait_for_url(f"{server.url}/remote")
    page.click("#sessions")  # the remote's header, beside Orders
    page.wait_for_url(re.compile(r"/remote/sessions\??$"))

    rows = page.locator(".session")
    expect(rows).to_have_count(3)  # the archived one is hidden
    expect(rows.first.locator(".name")).to_have_text("Priya Raman")
    morgans = page.locator(".session.is-on-tv")
    expect(morgans.locator(".name")).to_have_text("The Morgan Family")
    expect(morgans.locator(".on-tv")).to_be_visible()
    expect(morgans.locator(".decided")).to_have_text("2 of 12")
    expect(page.locator(".session", has_text="Okafor").locator(".total")).to_have_text(
        re.compile(r"^\$[0-9,]+\.[0-9]{2}$")
    )
    page.click("#archived")
    expect(rows).to_have_count(4)
    expect(page.locator(".session.is-archived .name")).to_have_text("Harper Lee Family")
    page.click("#archived")
    expect(rows).to_have_count(3)
    shot(page, "sessions.jpg")

    # A new session: a mistake is said beside its field, nothing is made until it is right.
    page.click("#new-session")
    page.wait_for_url(f"{server.url}/remote/sessions/new")
    page.fill("input[name=client]", "Noor Haddad")
    page.fill("input[name=partner]", "Sami Haddad")
    page.fill("input[name=email]", "noor@example")
    page.fill("input[name=phone]", "+1 503 555 0142")
    page.fill("input[name=shoot_date]", "2026-05-12")
    page.fill("input[name=viewing_date]", "2026-05-10")
    page.fill("input[name=viewing_time]", "15:30")
    page.fill("textarea[name=notes]", "Newborn and big sister. Loves the park light.")
    page.click("#save")
    email_problem = page.locator("[data-field=email] .field-error")
    expect(email_problem).to_contain_text("is not an e-mail address")
    expect(page.locator("[data-field=viewing_at] .field-error")).to_contain_text(
        "is before the shoot"
    )
    shot(page, "session-new.jpg")
    assert [s.client for s in server.call(server.studio.store.sessions)].count("Noor Haddad") == 0
    page.fill("input[name=email]", "noor@exmaple.com")  # a typo the page cannot know
    page.fill("input[name=viewing_date]", "2026-05-19")
    page.click("#save")
    page.wait_for_url(re.compile(r"/remote/sessions/[0-9]+$"))
    noor = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#title")).to_have_text("Noor Haddad")
    expect(page.locator("#photo-count")).to_have_text("No photos in this session yet.")
    expect(email_problem).to_be_empty()

    # The typo found before checkout: corrected, and the change listed.
    page.fill("input[name=email]", "noor@example.com")
    page.click("#save")
    expect(page.locator("#changes li")).to_have_count(1)
    expect(page.locator("#changes li .change-what")).to_have_text(
        "E-mail: noor@exmaple.com → noor@example.com"
    )
    assert server.call(server.studio.store.session, noor).email == "noor@example.com"
    shot(page, "session.jpg")

    # Found by search, and shown on the TV: the Morgans' order is half made, so it asks.
    page.click(".back")
    page.wait_for_url(f"{server.url}/remote/sessions")
    page.fill("#search", "hadd")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".name")).to_have_text("Noor Haddad")
    expect(page.locator("#summary")).to_have_text("1 session matching “hadd”")
    rows.first.locator(".show").click()
    dialog = page.locator("#ask")
    expect(dialog).to_be_visible()
    expect(page.locator("#ask-title")).to_contain_text("The Morgan Family's order has 2 lines")
    page.click("#ask button[value=no]")
    expect(dialog).to_be_hidden()
    assert server.call(lambda: api.state.reveal.live.session_id) == server.live.session_id
    rows.first.locator(".show").click()
    page.click("#ask-yes")
    expect(rows.first.locator(".on-tv")).to_be_visible()
    expect(rows.first).to_have_class(re.compile("is-on-tv"))

    assert server.call(lambda: api.state.reveal.live.session_id) == noor
    tablet = server.paired_client()
    state = tablet.get("/api/state").json()
    assert state["client"] == "Noor Haddad" and state["images"] == []
    assert "Morgan" not in str(state)
    # The Morgans' session is left exactly as it was, to finish later.
    morgan = server.call(lambda: LiveSession(server.studio.store, server.live.session_id))
    assert len(morgan.cart.cart.lines) == 2 and morgan.counts().kept == 1
    page.close()


def test_the_sessions_page_at_the_big_ipads_size(studio_day, browser):
    server, _api = studio_day
    context = browser.new_context(viewport=IPAD_PRO)
    page = context.new_page()
    page.goto(server.pair_url())
    page.wait_for_url(f"{server.url}/remote")
    page.goto(f"{server.url}/remote/sessions")
    expect(page.locator(".session")).to_have_count(3)
    # Every button a finger taps is at least 48 px high.
    heights = page.eval_on_selector_all(
        ".session .show, #archived, #new-session, #search",
        "els => els.filter(e => !e.hidden).map(e => e.getBoundingClientRect().height)",
    )
    assert heights and min(heights) >= 48
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    shot(page, "sessions-1366.jpg")
    context.close()
