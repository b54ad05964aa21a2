"""Showing another session on the TV from the tablet, without a restart, and coming back.

The kiosk's web server runs in this thread's asyncio loop beside Kivy, as main.py runs it; the
tablet is a real HTTP client with the pairing cookie and CSRF header the remote page sends.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

import httpx
import pytest

from kiosk.core.cart import AddLine
from kiosk.kiosk import web_app
from kiosk.web.auth import COOKIE, CSRF_HEADER
from kiosk.web.server import bind, make_server
from tests.ui.conftest import pump, screenshot, show
from tests.ui.test_select import settle, tap_widget

pytestmark = pytest.mark.gui


def texts(widget) -> list[str]:
    """Every text on screen: labels and buttons, in every screen of the tree."""
    from kivy.uix.label import Label  # after the window fixture: it sets the window's size

    found = [widget.text] if isinstance(widget, Label) and widget.text else []
    for child in widget.children:
        found += texts(child)
    screens = getattr(widget, "screens", None)
    for screen in screens or ():
        if screen not in widget.children:
            found += texts(screen)
    return found


class Tablet:
    """The kiosk's server in this thread's loop and a paired tablet posting to it."""

    def __init__(self, app) -> None:
        self.loop = asyncio.new_event_loop()
        self.api = web_app(app)
        self.server = make_server(self.api)
        sock = bind("127.0.0.1", 0)
        self.serving = self.loop.create_task(self.server.serve(sockets=[sock]))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        token = app.pairing.pair(app.pairing.current_code(), "127.0.0.1", name="test tablet")
        self.client = httpx.Client(
            base_url=self.url,
            timeout=10,
            trust_env=False,
            cookies={COOKIE: token},
            headers={"Origin": self.url, CSRF_HEADER: app.pairing.csrf_token(token)},
        )
        self.pool = concurrent.futures.ThreadPoolExecutor(1)
        assert pump(self.both(lambda: self.server.started))

    def both(self, until):
        def step() -> bool:
            self.loop.run_until_complete(asyncio.sleep(0.005))
            return until()

        return step

    def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        sent = self.pool.submit(getattr(self.client, method), path, **kwargs)
        assert pump(self.both(sent.done), timeout=20)
        return sent.result()

    def close(self) -> None:
        self.server.should_exit = True
        self.loop.run_until_complete(self.serving)
        self.loop.close()
        self.client.close()
        self.pool.shutdown()


def test_show_on_the_tv_switches_session_at_once_and_the_first_comes_back_as_left(
    run_app, session_factory, window
):
    parkers = session_factory([(1600, 1200)] * 5, client="The Parkers")
    nguyens = session_factory([(1200, 1600)] * 3, client="Ana Nguyen")
    app = run_app(parkers)
    show(app, "select")
    for button in ("keep", "maybe"):
        tap_widget(app.select.ids[button])
        settle(app.select)
    first = app.live.images[0].id
    app.live.do(AddLine("print", "8x10", {}, (first,)))
    pump(timeout=0)
    show(app, "order")
    left = (app.live.current, app.live.state.decisions, app.live.cart.cart)
    tablet = Tablet(app)
    try:
        listed = tablet.call("get", "/api/sessions").json()
        assert listed["showing"] == parkers
        assert [row["client"] for row in listed["sessions"]] == ["Ana Nguyen", "The Parkers"]
        assert (
            tablet.call("get", "/api/sessions", params={"q": "nguy"}).json()["sessions"][0]["id"]
            == nguyens
        )

        # The Parkers' order is half made: the tablet is asked first, and nothing changes.
        asked = tablet.call("post", f"/api/sessions/{nguyens}/show", json={"confirm": False})
        assert asked.status_code == 409 and "1 line" in asked.json()["error"]
        assert "Ana Nguyen" in asked.json()["confirm"] and app.session.id == parkers
        answer = tablet.call("post", f"/api/sessions/{nguyens}/show", json={"confirm": True})
        assert answer.status_code == 200, answer.text
        assert pump(lambda: app.screens.current == "slideshow")  # a new session: its slideshow
        assert app.session.id == nguyens and len(app.images) == 3
        assert pump(lambda: app.slideshow.shown >= 1)
        screenshot(window, "switched-session")
        on_tv = " ".join(texts(window))
        assert "Ana Nguyen" in on_tv and "Parker" not in on_tv
        assert not app.live.cart.cart.lines and not app.live.state.decisions
        remote = tablet.call("get", "/api/state").json()
        assert remote["client"] == "Ana Nguyen" and "Parker" not in str(remote)
        assert {image["id"] for image in remote["images"]} == {i.id for i in app.images}
        assert tablet.call("get", "/health").json()["session"] == nguyens

        # A command from the tablet now changes the new session, not the old one.
        decided = tablet.call(
            "post",
            "/api/command",
            json={"kind": "decide", "image": app.images[0].id, "decision": "keep"},
        )
        assert decided.status_code == 200, decided.text
        assert app.live.decision(app.images[0].id) == "keep"
        missing = tablet.call("post", "/api/sessions/999/show", json={})
        assert missing.status_code == 404 and "999" in missing.json()["error"]
        assert tablet.call("post", "/api/sessions/abc/show", json={}).status_code == 422

        back = tablet.call("post", f"/api/sessions/{parkers}/show", json={})
        assert back.status_code == 200  # the Nguyens have no cart: no question
        assert pump(lambda: app.screens.current == "order")
        assert (app.live.current, app.live.state.decisions, app.live.cart.cart) == left
    finally:
        tablet.close()


def test_show_session_needs_pairing(run_app, session_factory):
    app = run_app(session_factory([(800, 600)]))
    other = session_factory([(800, 600)], client="Other Family")
    tablet = Tablet(app)
    try:
        stranger = httpx.Client(base_url=tablet.url, trust_env=False, timeout=10)
        sent = tablet.pool.submit(
            stranger.post, f"/api/sessions/{other}/show", headers={"Origin": tablet.url}
        )
        assert pump(tablet.both(sent.done), timeout=20)
        assert sent.result().status_code == 401
        listed = tablet.pool.submit(stranger.get, "/api/sessions")
        assert pump(tablet.both(listed.done), timeout=20)
        assert listed.result().status_code == 401
        assert app.session.id != other
    finally:
        tablet.close()
