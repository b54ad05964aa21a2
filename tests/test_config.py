"""settings.toml changed from the kiosk (the Actual size ruler) keeps the studio's own edits."""

from __future__ import annotations

from kiosk.config import StudioPaths, load_settings, save_setting


def test_saving_one_setting_keeps_the_hand_edited_rest_and_reads_back(tmp_path):
    paths = StudioPaths(tmp_path)
    load_settings(paths)  # writes the commented defaults
    text = paths.settings.read_text(encoding="utf-8")
    paths.settings.write_text(text + "# the studio's own note\n", encoding="utf-8")
    save_setting(paths, "screen_ppi", 33.9)
    save_setting(paths, "studio_name", 'Jo "Lens" Studio \\ Portraits')
    settings = load_settings(paths)
    assert settings.screen_ppi == 33.9
    assert settings.studio_name == 'Jo "Lens" Studio \\ Portraits'
    after = paths.settings.read_text(encoding="utf-8")
    assert "# the studio's own note" in after
    assert after.count("screen_ppi =") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["settings.toml"]
