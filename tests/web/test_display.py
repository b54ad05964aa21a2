"""The room display's links against the real server: a display token watches and changes
nothing; it expires; it ends with "Forget all tablets" and when the TV shows another session;
a video call's link lasts the day and gets lighter previews."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from PIL import Image

import tests.web.conftest as web_conftest
from kiosk.display.links import CALL_EDGE, DISPLAY_SECONDS, DisplayLinks
from kiosk.kiosk import web_app
from kiosk.web.auth import CSRF_HEADER, WS_NOT_PAIRED
from tests.web.test_server import COOKIE, close_code, open_ws, receive


def links_of(server) -> DisplayLinks:
    return DisplayLinks.of(server.pairing)


def display_token(server) -> str:
    return server.call(links_of(server).display_token)


def write_routes(app) -> list[tuple[str, str]]:
    """Every route of the app that takes a change (POST, PUT, PATCH, DELETE), with made-up
    path parameters; the wall photo's and pairing's own routes are keyed by what they carry,
    not by a cookie, and have their own tests."""
    found = []
    for route in _flat(app.routes):
        for method in sorted(getattr(route, "methods", None) or ()):
            if method in ("POST", "PUT", "PATCH", "DELETE"):
                path = re.sub(r"\{[^}]+\}", "1", route.path)
                if not path.startswith(("/wall/", "/pair")):
                    found.append((method, path))
    return found


def _flat(routes):
    for route in routes:
        inner = getattr(route, "original_router", None)  # an included router
        if inner is not None:
            yield from _flat(inner.routes)
        else:
            yield route


@pytest.fixture
def built(monkeypatch) -> dict:
    """The FastAPI app the server fixture builds, kept for the test to read its routes."""
    made = {}
    create = web_conftest.create_app

    def keep(*args, **kwargs):
        made["app"] = create(*args, **kwargs)
        return made["app"]

    monkeypatch.setattr(web_conftest, "create_app", keep)
    return made


def test_every_write_route_refuses_the_display_token(built, server):
    token = display_token(server)
    before = len(server.events())
    routes = write_routes(built["app"])
    assert ("POST", "/api/command") in routes and ("POST", "/api/display/call") in routes
    # The token as a cookie, the page's Origin, and the CSRF header computed from it: all a
    # display's holder could send.
    client = server.client(Origin=server.url)
    client.cookies.set(COOKIE, token)
    client.headers[CSRF_HEADER] = server.call(server.pairing.csrf_token, token)
    for method, path in routes:
        response = client.request(method, path, json={"type": "decide", "decision": "keep"})
        assert response.status_code in (401, 403, 404, 405, 422), (method, path, response.text)
        assert response.status_code != 200, (method, path)
    assert len(server.events()) == before
    # Nor is it a tablet's key with the token in the address.
    assert client.get(f"/remote?token={token}").status_code == 401


def test_the_display_watches_what_the_tv_shows_and_sends_nothing_private(server):
    token = display_token(server)
    first = server.live.images[0].id
    page = server.client().get(f"/display/{token}")
    assert page.status_code == 200 and "display.js" in page.text
    with open_ws(server, f"/display/{token}/ws") as ws:
        state = receive(ws)
        assert state["type"] == "display" and state["current"] == first
        server.call(server.live.decide, first, "keep")
        state = receive(ws)
        assert state["current"] == server.live.images[1].id
        server.call(server.live.set_screen, "review")
        state = receive(ws)
        assert state["screen"] == "review"
        assert {"id": first, "decision": "keep"} in state["images"]
        assert "note" not in str(state) and "private" not in str(state)
    image = server.client().get(f"/display/{token}/img/{first}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"


def test_a_display_link_expires_and_ends_with_forget_all_tablets(server):
    token = display_token(server)
    assert server.client().get(f"/display/{token}").status_code == 200
    server.clock.advance(DISPLAY_SECONDS + 1)
    assert server.client().get(f"/display/{token}").status_code == 401
    fresh = display_token(server)
    assert fresh != token
    with open_ws(server, f"/display/{fresh}/ws") as ws:
        receive(ws)
        server.call(server.pairing.revoke_all)
        assert close_code(ws) == WS_NOT_PAIRED
    assert server.client().get(f"/display/{fresh}").status_code == 401
    assert server.client().get(f"/display/{fresh}/img/1").status_code == 401
    assert server.client().get(f"/display/{fresh}/wall.jpg").status_code == 401


@pytest.fixture
def kiosk_wired(monkeypatch):
    """The server's app built as the kiosk builds it (kiosk.web_app), with its listeners."""
    tv = {}

    def kiosk_app(live, studio, pairing):
        app = SimpleNamespace(
            live=live,
            studio=studio,
            pairing=pairing,
            wall_photo_arrived=lambda *_args: None,
            wake_outbox=lambda: None,
            show_session=lambda *_args, **_kwargs: None,
            client_details_changed=lambda *_args, **_kwargs: None,
            images_added=lambda *_args, **_kwargs: None,
            music=SimpleNamespace(listeners=[]),  # the TV's music, not followed here
            session_listeners=[],
        )
        tv["app"] = app
        return web_app(app)

    monkeypatch.setattr(web_conftest, "create_app", kiosk_app)
    return tv


def test_showing_another_session_ends_every_display_at_once(kiosk_wired, server):
    token = display_token(server)
    call = server.call(links_of(server).call_url, server.url).rsplit("/", 1)[1]
    app = kiosk_wired["app"]
    with (
        open_ws(server, f"/display/{token}/ws") as one,
        open_ws(server, f"/display/{call}/ws") as two,
    ):
        receive(one), receive(two)
        # What RevealApp.show_session does once the next session is open.
        for listener in list(app.session_listeners):
            server.call(listener, server.live, "Next Client")
        assert close_code(one) == WS_NOT_PAIRED and close_code(two) == WS_NOT_PAIRED
    assert server.client().get(f"/display/{token}").status_code == 401
    assert server.client().get(f"/display/{call}").status_code == 401
    assert display_token(server) != token  # the TV's panel shows a new link


def test_the_video_call_link_comes_from_the_tablet_lasts_the_day_and_is_lighter(server):
    tablet = server.paired_client()
    made = tablet.post("/api/display/call")
    assert made.status_code == 200, made.text
    url = made.json()["url"]
    token = url.rsplit("/", 1)[1]
    assert url.startswith("http") and f"/display/{token}" in url
    assert server.client().post("/api/display/call").status_code == 401  # not paired
    first = server.live.images[0]
    light = server.client().get(f"/display/{token}/img/{first.id}")
    assert light.status_code == 200
    with Image.open(io.BytesIO(light.content)) as im:
        assert max(im.size) <= CALL_EDGE
    # Valid until midnight of the day it was sent, not a second more.
    now = datetime.fromtimestamp(server.clock.now)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    server.clock.advance(midnight.timestamp() - server.clock.now - 1)
    assert server.client().get(f"/display/{token}").status_code == 200
    server.clock.advance(2)
    assert server.client().get(f"/display/{token}").status_code == 401
