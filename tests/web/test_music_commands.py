"""The remote's music commands over real HTTP: checked field by field, refused plainly when no
TV plays music (the TV's own player is tested in tests/ui/test_music.py)."""

from __future__ import annotations


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
