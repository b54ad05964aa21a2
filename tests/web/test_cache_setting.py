"""The previews' cache budget is set on the tablet's Settings page, saved to settings.toml and
in force for the next upkeep round."""

from __future__ import annotations

from kiosk.upkeep.cache import cache_budget


def test_the_cache_budget_is_shown_and_saved_from_the_settings_page(server, studio):
    tablet = server.paired_client()
    shown = tablet.get("/api/settings").json()
    assert shown["settings"]["cache_max_gb"] == 0.0  # a fifth of the free space

    saved = tablet.post("/api/settings", json={"cache_max_gb": 25})

    assert saved.status_code == 200, saved.text
    assert saved.json()["settings"]["cache_max_gb"] == 25
    assert "cache_max_gb = 25" in studio.paths.settings.read_text(encoding="utf-8")
    assert cache_budget(server.studio) == 25_000_000_000
    refused = tablet.post("/api/settings", json={"cache_max_gb": -1})
    assert refused.status_code == 422
