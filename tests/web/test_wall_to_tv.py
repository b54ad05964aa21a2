"""The kiosk's web app is wired to its TV: a wall photo a phone sends reaches the app's
`wall_photo_arrived` (the overlay's tests in tests/ui/test_own_wall.py follow it onto the
screen). A real server on 127.0.0.1, built by `kiosk.kiosk.web_app` as the kiosk builds it."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from PIL import Image

import tests.web.conftest as web_conftest
from kiosk.kiosk import web_app
from kiosk.store.walls import issue_wall_token, list_wall_photos


@pytest.fixture
def told(monkeypatch) -> list[tuple[int, str]]:
    """What the TV was told; the server fixture builds its app the kiosk's way."""
    calls: list[tuple[int, str]] = []

    def kiosk_app(live, studio, pairing):
        tv = SimpleNamespace(
            live=live,
            studio=studio,
            pairing=pairing,
            wall_photo_arrived=lambda session_id, path: calls.append((session_id, path)),
            # The rest of what kiosk.web_app wires, which these tests do not follow.
            wake_outbox=lambda: None,
            show_session=lambda *_args, **_kwargs: None,
            client_details_changed=lambda *_args, **_kwargs: None,
            images_added=lambda *_args, **_kwargs: None,
            session_listeners=[],
            music=None,
        )
        return web_app(tv)

    monkeypatch.setattr(web_conftest, "create_app", kiosk_app)
    return calls


def test_a_wall_photo_from_the_phone_is_handed_to_the_tv(told, server, studio):
    session_id = server.live.session_id
    token = issue_wall_token(studio.store, session_id)
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (206, 196, 178)).save(out, "JPEG", quality=90)
    phone = server.client(Origin=server.url)

    response = phone.post(f"/wall/{token}", files={"photo": ("wall.jpg", out.getvalue())})

    assert response.status_code == 200, response.text
    [photo] = server.call(list_wall_photos, server.studio.store, session_id)
    assert told == [(session_id, photo.path)]


def test_a_refused_photo_tells_the_tv_nothing(told, server, studio):
    token = issue_wall_token(studio.store, server.live.session_id)
    phone = server.client(Origin=server.url)
    response = phone.post(f"/wall/{token}", files={"photo": ("wall.jpg", b"not a photo" * 100)})
    assert response.status_code == 422
    assert told == []
