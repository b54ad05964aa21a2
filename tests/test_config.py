"""settings.toml changed from the kiosk (the Actual size ruler) keeps the studio's own edits."""

from __future__ import annotations

import pytest

from kiosk.config import StudioPaths, load_settings, save_setting
from kiosk.core.errors import StudioError


def test_saving_one_setting_keeps_the_hand_edited_rest_and_reads_back(tmp_path):
    paths = StudioPaths(tmp_path)
    load_settings(paths)  # writes the commented defaults
    text = paths.settings.read_text(encoding="utf-8")
    paths.settings.write_text(text + "# the studio's own note\n", encoding="utf-8")
    save_setting(paths, "screen_ppi", 33.9)
    save_setting(paths, "public_url", 'https://jo.example/"lens"\\')
    settings = load_settings(paths)
    assert settings.screen_ppi == 33.9
    assert settings.public_url == 'https://jo.example/"lens"\\'
    after = paths.settings.read_text(encoding="utf-8")
    assert "# the studio's own note" in after
    assert after.count("screen_ppi =") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["settings.toml"]


def test_an_older_settings_file_with_studio_name_still_opens(tmp_path):
    """The studio's name moved to the studio's details; a file written by an older version
    that still has the line must not stop the kiosk."""
    paths = StudioPaths(tmp_path)
    paths.settings.write_text('studio_name = "Parker Photo"\nweb_port = 8471\n', encoding="utf-8")
    assert load_settings(paths).web_port == 8471


def test_paper_and_pin_are_checked_with_the_rule_in_the_message(tmp_path):
    paths = StudioPaths(tmp_path)
    paths.settings.write_text('paper = "A5"\n', encoding="utf-8")
    with pytest.raises(StudioError, match='\'paper\' should be "letter" or "a4"'):
        load_settings(paths)
    paths.settings.write_text('pin = "12"\n', encoding="utf-8")
    with pytest.raises(StudioError, match="4 to 8 digits"):
        load_settings(paths)
    paths.settings.write_text('paper = "letter"\npin = "2468"\n', encoding="utf-8")
    settings = load_settings(paths)
    assert (settings.paper, settings.pin) == ("letter", "2468")


def test_a_path_a_setting_names_is_inside_the_studio_folder_unless_it_says_otherwise(
    tmp_path, monkeypatch
):
    paths = StudioPaths(tmp_path / "studio")
    monkeypatch.chdir(tmp_path)  # wherever the kiosk was started from
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.named("music/viewing") == str(tmp_path / "studio" / "music" / "viewing")
    assert paths.named("~/Music") == str(tmp_path / "home" / "Music")
    assert paths.named("/srv/portfolio") == "/srv/portfolio"
    assert paths.named("") == ""
