"""The lab's pixels per inch (the minimum below which the TV calls a crop soft, and the ideal)
are set on the tablet's Settings page and saved to settings.toml, the minimum never above the
ideal."""

from __future__ import annotations

import pytest

from kiosk.config import check_settings
from kiosk.core.errors import StudioError


def test_the_lab_minimum_and_ideal_are_shown_and_saved_from_the_settings_page(server, studio):
    tablet = server.paired_client()
    shown = tablet.get("/api/settings").json()["settings"]
    assert (shown["lab_min_ppi"], shown["lab_ppi"]) == (150, 300)

    saved = tablet.post("/api/settings", json={"lab_min_ppi": 180.0, "lab_ppi": 360})

    assert saved.status_code == 200, saved.text
    assert saved.json()["settings"]["lab_min_ppi"] == 180
    text = studio.paths.settings.read_text(encoding="utf-8")
    assert "lab_min_ppi = 180" in text and "lab_ppi = 360" in text
    refused = tablet.post("/api/settings", json={"lab_min_ppi": 400})
    assert refused.status_code == 422
    assert "lab_min_ppi" in refused.text and "lab_ppi" in refused.text


def test_a_minimum_above_the_ideal_is_refused_in_the_file_too() -> None:
    assert check_settings({"lab_min_ppi": 300, "lab_ppi": 300}, "s.toml").lab_min_ppi == 300
    with pytest.raises(StudioError, match="'lab_min_ppi' \\(301\\) should not be above"):
        check_settings({"lab_min_ppi": 301}, "s.toml")
    with pytest.raises(StudioError, match="positive int"):
        check_settings({"lab_ppi": 0}, "s.toml")
