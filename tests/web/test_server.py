"""The web server for real: uvicorn on 127.0.0.1, httpx and websockets as the tablet."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from kiosk.live import SCREENS

COOKIE = "reveal_session"


# helpers -----------------------------------------------------------------------------------
def open_ws(server, path: str = "/ws", token: str | None = None, origin: str | None = None):
    headers = {"Cookie": f"{COOKIE}={token}"} if token else {}
    return connect(
        server.ws_url + path,
        origin=origin or server.url,
        additional_headers=headers,
        proxy=None,
        open_timeout=5,
    )


def receive(ws) -> dict:
    return json.loads(ws.recv(timeout=5))


def close_code(ws) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        while True:  # a state message may come first; the close must follow
            ws.recv(timeout=5)
    return closed.value.rcvd.code


def raw_get(server, path: str, token: str | None = None) -> tuple[int, bytes]:
    """GET `path` exactly as written: no client-side normalising of `..` or escapes."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    if token:
        conn.putheader("Cookie", f"{COOKIE}={token}")
    conn.endheaders()
    response = conn.getresponse()
    try:
        return response.status, response.read()
    finally:
        conn.close()


def state(server) -> tuple:
    """Everything a refused request must leave alone."""
    return (
        server.events(),
        server.call(lambda: (server.live.screen, server.live.playing, server.live.current)),
    )


# pairing -----------------------------------------------------------------------------------
def test_pairing_with_the_tv_code_sets_a_strict_httponly_cookie_and_opens_the_remote(server):
    tablet = server.client(Origin=server.url)
    assert tablet.get("/remote").status_code == 401  # the pairing form, with a 401
    response = tablet.post("/pair", data={"code": server.code()})
    assert response.status_code == 303 and response.headers["location"] == "/remote"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=strict" in lowered and "max-age=43200" in lowered
    assert len(tablet.cookies[COOKIE]) >= 43
    page = tablet.get("/remote")
    assert page.status_code == 200 and 'name="csrf-token"' in page.text
    assert tablet.get("/pair").status_code == 303  # already paired: straight to the remote


def test_the_qr_link_fills_in_the_code_and_a_bad_one_is_ignored(server):
    code = server.code()
    tablet = server.client()
    assert f'value="{code}"' in tablet.get(f"/pair?code={code}").text
    page = tablet.get('/pair?code="><script>alert(1)</script>').text
    assert "<script>alert" not in page and 'value=""' in page


def test_wrong_codes_lock_the_address_out_with_a_clear_message_then_it_may_pair(server):
    tablet = server.client(Origin=server.url)
    code = server.code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        response = tablet.post("/pair", data={"code": wrong})
        assert response.status_code == 400 and "not the code the TV shows" in response.text
    response = tablet.post("/pair", data={"code": wrong})
    assert response.status_code == 429
    assert "Too many wrong codes; wait 60 seconds" in response.text
    assert response.headers["retry-after"] == "60"
    server.clock.advance(30)
    response = tablet.post("/pair", data={"code": server.code()})  # even the right code
    assert response.status_code == 429 and "wait 30 seconds" in response.text
    assert COOKIE not in tablet.cookies
    server.clock.advance(30)
    assert tablet.post("/pair", data={"code": server.code()}).status_code == 303


def test_every_control_route_refuses_a_device_that_is_not_paired(server):
    mirror = server.call(server.pairing.mirror_token)
    for token in (None, "not-a-token", mirror):  # a mirror link is no key to the controls
        client = server.client(Origin=server.url)
        if token:
            client.cookies.set(COOKIE, token)
        assert client.get("/remote").status_code == 401
        for method, path in [
            ("GET", "/api/state"),
            ("POST", "/api/command"),
            ("GET", "/img/thumb/1"),
            ("GET", "/img/preview/1"),
            ("POST", "/unpair"),
        ]:
            response = client.request(method, path, json={"kind": "undo"})
            assert response.status_code == 401, (token, path)
            assert "not paired" in response.json()["error"]
        with open_ws(server, token=token) as ws:
            assert close_code(ws) == 4401


def test_an_expired_token_is_refused_and_its_websocket_closed(server):
    tablet = server.paired_client()
    token = tablet.cookies[COOKIE]
    with open_ws(server, token=token) as ws:
        assert receive(ws)["type"] == "state"
        server.clock.advance(12 * 3600)
        assert tablet.get("/api/state").status_code == 401
        server.call(server.live.set_screen, "select")  # any change makes open pages re-check
        assert close_code(ws) == 4401


def test_revoking_every_device_closes_open_remotes_at_once(server):
    tablet = server.paired_client()
    with open_ws(server, token=tablet.cookies[COOKIE]) as ws:
        receive(ws)
        assert server.call(server.pairing.revoke_all) == 1
        assert close_code(ws) == 4401
    assert tablet.get("/api/state").status_code == 401
    assert tablet.post("/api/command", json={"kind": "undo"}).status_code == 401


def test_unpair_forgets_this_tablet_only(server):
    one, two = server.paired_client(), server.paired_client()
    response = one.post("/unpair")
    assert response.status_code == 200
    assert one.get("/api/state").status_code == 401
    assert two.get("/api/state").status_code == 200


# cross-site requests -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": None, "Referer": "http://evil.example/page"},
        {"X-CSRF-Token": None},
        {"X-CSRF-Token": "0" * 64},
    ],
    ids=["foreign-origin", "null-origin", "foreign-referer", "no-csrf", "wrong-csrf"],
)
def test_a_cross_site_post_with_a_valid_cookie_is_refused(server, headers):
    tablet = server.paired_client()
    for name, value in headers.items():
        if value is None:
            del tablet.headers[name]
        else:
            tablet.headers[name] = value
    before = state(server)
    image = server.call(lambda: server.live.current_image.id)
    for command in (
        {"kind": "decide", "image": image, "decision": "keep"},
        {"kind": "screen", "name": "select"},
        {"kind": "private_note", "image": image, "text": "x"},
    ):
        response = tablet.post("/api/command", json=command)
        assert response.status_code == 403
        assert "did not come from the Reveal remote page" in response.json()["error"]
    assert tablet.post("/unpair").status_code == 403
    assert state(server) == before
    assert tablet.get("/api/state").status_code == 200  # still paired


def test_another_sites_page_can_neither_pair_nor_listen(server):
    stranger = server.client(Origin="http://evil.example")
    response = stranger.post("/pair", data={"code": server.code()})
    assert response.status_code == 403 and COOKIE not in stranger.cookies
    token = server.paired_client().cookies[COOKIE]
    with open_ws(server, token=token, origin="http://evil.example") as ws:
        assert close_code(ws) == 4403


# paths and malformed input -----------------------------------------------------------------
TRAVERSALS = [
    "/img/thumb/..%2f..%2fetc%2fpasswd",
    "/img/thumb/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/img/thumb/../../../../etc/passwd",
    "/img/preview/..%2F..%2Fkiosk%2Fweb%2Fapp.py",
    "/img/thumb/-1",
    "/img/thumb/0",
    "/img/thumb/1;drop",
    "/img/thumb/1%00",
    "/img/thumb/1.0",
    "/img/thumb/%201",
    "/img/thumb/999999",
    "/img/thumb/99999999999999999999999",
    "/img/preview/1%2f..%2f..%2fstudio.db",
    "/static/..%2f..%2fstore%2fdb.py",
    "/static/../app.py",
    "/fonts/..%2f..%2fpyproject.toml",
    "/fonts/../../pyproject.toml",
]


def test_path_parameters_cannot_reach_any_other_file(server, studio, session_factory):
    other_session = studio.store.images(session_factory([(300, 200)], client="Someone Else"))
    tablet = server.paired_client()
    token = tablet.cookies[COOKIE]
    mirror = server.call(server.pairing.mirror_token)
    before = state(server)
    paths = [
        *TRAVERSALS,
        f"/mirror/{mirror}/img/..%2f..%2fetc%2fpasswd",
        f"/mirror/{mirror}/img/-1",
        f"/mirror/{mirror}/img/1;drop",
        "/mirror/..%2f..%2fetc%2fpasswd",
        "/mirror/../../etc/passwd",
        f"/img/thumb/{other_session[0].id}",  # another session's image, by its real id
    ]
    for path in paths:
        status, body = raw_get(server, path, token)
        assert status in (400, 401, 404), (path, status)
        assert b"root:" not in body and b"import" not in body and b"SQLite" not in body, path
    assert raw_get(server, "/img/thumb/1", token)[0] == 200  # the same client may see images
    assert state(server) == before


BAD_BODIES = [
    (b"not json", "not valid JSON"),
    (b"{", "not valid JSON"),
    (b"", "not valid JSON"),
    (b"\xff\xfe\x00", "not valid JSON"),
    (b"[]", "must be a JSON object"),
    (b'"keep"', "must be a JSON object"),
    (b"{}", "Unknown command"),
    (b'{"kind": "explode"}', "Unknown command"),
    (b'{"kind": "decide", "image": 1}', "needs the field 'decision'"),
    (b'{"kind": "decide", "image": 1, "decision": "love"}', "keep, drop or maybe"),
    (b'{"kind": "decide", "image": 1, "decision": "keep", "x": 1}', "unexpected field"),
    (b'{"kind": "decide", "image": true, "decision": "keep"}', "'image' must be"),
    (b'{"kind": "decide", "image": "1;drop", "decision": "keep"}', "not in this session"),
    (b'{"kind": "decide", "image": 999, "decision": "keep"}', "not in this session"),
    (b'{"kind": "show", "image": -1}', "not in this session"),
    (b'{"kind": "undo"}', "nothing to undo"),
    (b'{"kind": "note", "image": 1, "tags": ["botox"]}', "Unknown retouch tag"),
    (b'{"kind": "screen", "name": "../../etc"}', "no screen called"),
    (b'{"kind": "screen"}', "needs the field 'name'"),
    (b'{"kind": "play", "on": "yes"}', "'on' must be bool"),
    (b'{"kind": "private_note", "image": 999, "text": "x"}', "not in this session"),
    (b'{"kind": "private_note", "image": 1, "text": "' + b"x" * 1001 + b'"}', "keep it to 1000"),
    # Longer than a command may be: 413 before it is read (tests/web/test_hardening.py).
]


def test_malformed_and_invalid_commands_are_422_with_a_reason_and_change_nothing(server):
    tablet = server.paired_client()
    before = state(server)
    for body, reason in BAD_BODIES:
        response = tablet.post(
            "/api/command", content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422, body[:60]
        assert reason in response.json()["error"], (body[:60], response.json())
    assert state(server) == before
    assert server.call(server.private_notes_for) == {}


# commands and live state -------------------------------------------------------------------
def test_a_decision_from_the_remote_reaches_a_second_tablet(server):
    one, two = server.paired_client(), server.paired_client()
    with (
        open_ws(server, token=one.cookies[COOKIE]) as ws_one,
        open_ws(server, token=two.cookies[COOKIE]) as ws_two,
    ):
        first = receive(ws_two)
        receive(ws_one)
        assert first["counts"]["kept"] == 0 and len(first["images"]) == 5
        keep = {"kind": "decide", "image": first["current"], "decision": "keep"}
        response = one.post("/api/command", json=keep)
        assert response.status_code == 200
        assert response.json()["state"]["counts"]["kept"] == 1
        for ws in (ws_one, ws_two):
            pushed = receive(ws)
            assert pushed["counts"]["kept"] == 1
            assert pushed["images"][0]["decision"] == "keep"
            assert pushed["current"] == first["images"][1]["id"]  # moved on, as a swipe does
    actors = server.call(
        lambda: [r[0] for r in server.studio.store.db.execute("select actor from events")]
    )
    assert actors == ["remote", "remote"]  # the decision and the move to the next image


def test_a_touch_on_the_tv_reaches_the_remote(server):
    tablet = server.paired_client()
    with open_ws(server, token=tablet.cookies[COOKIE]) as ws:
        initial = receive(ws)
        image = initial["current"]
        server.call(server.live.decide, image, "drop")  # what the TV does on a swipe left
        pushed = receive(ws)
        assert pushed["counts"]["dropped"] == 1 and pushed["rev"] > initial["rev"]
        server.call(server.live.set_screen, "select")
        assert receive(ws)["screen"] == "select"


def test_a_tablet_that_reconnects_gets_the_whole_state_at_once(server):
    tablet = server.paired_client()
    ids = [image["id"] for image in tablet.get("/api/state").json()["images"]]
    for command in (
        {"kind": "decide", "image": ids[0], "decision": "keep"},
        {"kind": "decide", "image": ids[1], "decision": "maybe"},
        {"kind": "note", "image": ids[0], "text": "Soften the shadow", "tags": ["open_eyes"]},
        {"kind": "screen", "name": "select"},
        {"kind": "play", "on": False},
    ):
        assert tablet.post("/api/command", json=command).status_code == 200
    with open_ws(server, token=tablet.cookies[COOKIE]) as ws:
        full = receive(ws)
    assert full["counts"] == {
        "kept": 1,
        "maybe": 1,
        "dropped": 0,
        "dropped_in_comparison": 0,
        "undecided": 3,
        "total": 5,
    }
    assert full["screen"] == "select" and full["playing"] is False and full["can_undo"]
    assert full["images"][0]["note"] == {"text": "Soften the shadow", "tags": ["open_eyes"]}
    assert full["screens"] == list(SCREENS)  # the remote's screen buttons, in the TV's order


def test_undo_and_jumping_go_through_the_live_session(server):
    tablet = server.paired_client()
    ids = [image["id"] for image in tablet.get("/api/state").json()["images"]]
    tablet.post("/api/command", json={"kind": "show", "image": ids[3]})
    # Deciding on an image from the grid does not pull the TV away from the one it shows.
    tablet.post("/api/command", json={"kind": "decide", "image": ids[1], "decision": "drop"})
    assert server.call(lambda: server.live.current_image.id) == ids[3]
    response = tablet.post("/api/command", json={"kind": "undo"})
    assert response.json()["state"]["counts"]["dropped"] == 0
    assert server.call(server.live.decision, ids[1]) is None


def test_private_notes_reach_the_remote_but_never_the_tv_the_log_or_the_mirror(server):
    tablet = server.paired_client()
    mirror = server.call(server.pairing.mirror_token)
    image = tablet.get("/api/state").json()["current"]
    secret = "Mum prefers the other one"
    with (
        open_ws(server, f"/mirror/{mirror}/ws") as mirror_ws,
        open_ws(server, token=tablet.cookies[COOKIE]) as remote_ws,
    ):
        receive(mirror_ws), receive(remote_ws)
        command = {"kind": "private_note", "image": image, "text": secret}
        assert tablet.post("/api/command", json=command).status_code == 200
        pushed = receive(remote_ws)
        assert pushed["images"][0]["private_note"] == secret
        server.call(server.live.set_screen, "select")
        assert secret not in mirror_ws.recv(timeout=5)
    assert secret not in json.dumps(server.events())
    assert server.call(lambda: dict(server.live.state.notes)) == {}
    assert server.call(server.private_notes_for) == {image: secret}
    # Empty text removes it.
    tablet.post("/api/command", json={"kind": "private_note", "image": image, "text": " "})
    assert server.call(server.private_notes_for) == {}


# the mirror --------------------------------------------------------------------------------
def test_the_mirror_shows_the_tv_live_and_can_control_nothing(server):
    mirror = server.call(server.pairing.mirror_token)
    viewer = server.client(Origin=server.url)
    page = viewer.get(f"/mirror/{mirror}")
    assert page.status_code == 200 and "csrf" not in page.text
    assert viewer.get(f"/mirror/{'x' * 43}").status_code == 401
    with open_ws(server, f"/mirror/{mirror}/ws") as ws:
        first = receive(ws)
        assert first["type"] == "mirror" and first["position"] == 1 and first["total"] == 5
        assert set(first) == {
            "type", "rev", "client", "screen", "playing", "current", "position", "total",
            "decision",
        }  # fmt: skip
        ids = [image.id for image in server.live.images]
        server.call(server.live.show, ids[2])
        assert receive(ws)["position"] == 3
        ws.send(json.dumps({"kind": "decide", "image": ids[2], "decision": "keep"}))
        server.call(server.live.set_playing, False)
        assert receive(ws)["playing"] is False
    image = viewer.get(f"/mirror/{mirror}/img/{ids[2]}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    viewer.cookies.set(COOKIE, mirror)
    assert viewer.post("/api/command", json={"kind": "undo"}).status_code == 401
    assert server.events() == [{"image": ids[2], "kind": "show"}]  # the mirror's send ignored


# caching and headers -----------------------------------------------------------------------
def test_assets_are_cached_for_long_and_pages_and_state_are_not(server):
    tablet = server.paired_client()
    page = tablet.get("/remote")
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assets = [part.split('"')[0] for part in page.text.split('="/static/')[1:]]
    assert {"reveal.css", "remote.js"} <= {a.split("?")[0] for a in assets}
    for asset in assets:
        response = tablet.get(f"/static/{asset}")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    font = tablet.get("/fonts/Inter-Regular.otf")
    assert font.status_code == 200 and "max-age=31536000" in font.headers["cache-control"]
    assert tablet.get("/api/state").headers["cache-control"] == "no-store"
    thumb = tablet.get("/img/thumb/1")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert thumb.headers["cache-control"] == "private, max-age=86400"


def test_the_kiosk_answers_without_waiting_for_nagles_algorithm():
    """Every connection the kiosk accepts has Nagle's algorithm off (TCP_NODELAY). With it on,
    an answer's body waited behind its headers for the client's delayed acknowledgement,
    40 ms a request: a remote's command, or each 4 MB chunk of an upload. asyncio turns it off
    only for sockets that say they are TCP, which `bind` now does."""
    import asyncio
    import socket

    from kiosk.web.server import bind

    seen: list[int] = []

    class Note(asyncio.Protocol):
        def connection_made(self, transport):
            sock = transport.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def accept_one() -> None:
        listening = bind("127.0.0.1", 0)
        server = await asyncio.get_running_loop().create_server(Note, sock=listening)
        port = listening.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()

    asyncio.run(accept_one())
    assert seen and seen[0] != 0
