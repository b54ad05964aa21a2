"""A session whose previews the cache's budget removed, shown on the TV from the tablet: the
previews come back from its originals through the import runner, or the tablet is told which
originals are missing; through the real server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi import FastAPI

import tests.web.conftest as web_conftest
from kiosk.imaging.importer import import_folder
from kiosk.live import LiveSession
from kiosk.upkeep.rebuild import without_previews
from kiosk.web.app import create_app
from tests.conftest import write_photo


@pytest.fixture
def apps(monkeypatch) -> list[FastAPI]:
    made: list[FastAPI] = []

    def recording(*args, **kwargs) -> FastAPI:
        made.append(create_app(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(web_conftest, "create_app", recording)
    return made


def evicted_session(studio, tmp_path: Path) -> tuple[int, Path]:
    card = tmp_path / "card"
    card.mkdir()
    for i in range(3):
        write_photo(card / f"IMG_{i}.jpg", (90, 60), (40 * i, 120, 200))
    session = import_folder(studio, card, "Noor Haddad", progress=False, workers=1).session
    for image in studio.store.images(session.id):
        Path(image.preview_path).unlink()  # what the budget did
    return session.id, card


def wire_the_tv(server, api) -> None:
    def show_session(session_id: int) -> None:
        reveal = api.state.reveal
        store = reveal.studio.store
        reveal.switch(LiveSession(store, session_id), store.session(session_id).client)

    api.state.show_session = show_session


def test_an_evicted_session_shown_again_gets_its_previews_back(apps, server, studio, tmp_path):
    sid, _card = evicted_session(studio, tmp_path)
    ids = [i.id for i in studio.store.images(sid)]
    wire_the_tv(server, apps[-1])
    tablet = server.paired_client()

    answer = tablet.post(f"/api/sessions/{sid}/show", json={})

    assert answer.status_code == 200, answer.text
    assert answer.json()["rebuilding"] == 3 and answer.json()["cache_message"] == ""
    deadline = time.monotonic() + 60
    while without_previews(studio.store.images(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert without_previews(studio.store.images(sid)) == []
    assert [i.id for i in studio.store.images(sid)] == ids  # its decisions still point at them


def test_missing_originals_are_said_when_the_session_is_shown(apps, server, studio, tmp_path):
    sid, card = evicted_session(studio, tmp_path)
    for original in card.iterdir():
        original.unlink()  # the USB stick was removed
    wire_the_tv(server, apps[-1])
    tablet = server.paired_client()

    answer = tablet.post(f"/api/sessions/{sid}/show", json={})

    assert answer.status_code == 200, answer.text
    assert answer.json()["rebuilding"] == 0
    assert "Noor Haddad's full-size previews were removed" in answer.json()["cache_message"]
    assert all(Path(i.thumb_path).is_file() for i in studio.store.images(sid))
