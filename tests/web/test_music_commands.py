"""The remote's music commands over real HTTP: checked field by field, refused plainly when no
TV plays music (the TV's own player is tested in tests/ui/test_music.py)."""

from __future__ import annotations

import gc

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
from tests.web.test_browser import SHOTS, browser  # noqa: E402, F401  (the fixture)


def test_music_commands_are_checked_and_need_a_tv_playing_music(server):
    tablet = server.paired_client()
    assert tablet.get("/api/state").json()["music"] is None  # the page hides its controls
    for command, words in (
        ({"kind": "music", "volume": 1.5}, "from 0 to 1"),
        ({"kind": "music", "volume": True}, "from 0 to 1"),
        ({"kind": "music", "muted": "yes"}, "true or false"),
        ({"kind": "music"}, "takes 'volume'"),
        ({"kind": "music", "loud": 1}, "not ['loud']"),
        ({"kind": "music", "volume": 0.5}, "no TV playing music"),
    ):
        response = tablet.post("/api/command", json=command)
        assert response.status_code == 422, command
        assert words in response.json()["error"], response.json()


def test_the_remote_shows_the_music_its_problem_and_turns_it_down(demo_server, browser):  # noqa: F811
    from kiosk.ui.music import SlideshowMusic
    from kiosk.web.context import Reveal

    server = demo_server
    music = SlideshowMusic(server.studio.paths.root / "viewing.mp3")  # not there
    reveal = next(o for o in gc.get_objects() if _is_reveal_of(o, Reveal, server.live))
    server.call(reveal.attach_music, music)
    tablet = server.paired_client()
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.context.add_cookies(
        [{"name": k, "value": v, "url": server.url} for k, v in tablet.cookies.items()]
    )
    page.goto(f"{server.url}/remote")
    expect(page.locator("#music-problem")).to_contain_text("viewing.mp3 is missing")
    expect(page.locator("#music")).to_be_hidden()  # no track to turn up or down
    music.tracks = [server.studio.paths.root / "a.wav"]  # as if one were found
    server.call(reveal.broadcaster.changed)
    expect(page.locator("#music")).to_be_visible()
    page.click("#music-mute")
    expect(page.locator("#music-mute")).to_have_text("Unmute music")
    assert server.call(lambda: music.muted)
    page.screenshot(path=SHOTS / "remote-music.png")


def _is_reveal_of(candidate, reveal_type, live) -> bool:
    """The server's Reveal, found among all objects; a dead weak proxy (Kivy leaves some)
    raises on any look, and is not it."""
    try:
        return isinstance(candidate, reveal_type) and candidate.live is live
    except ReferenceError:
        return False
