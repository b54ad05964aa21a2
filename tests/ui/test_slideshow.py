"""The slideshow in a real 1920x1080 window, driven by simulated touches and keys."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from kivy.tests.common import UnitTestTouch
from PIL import Image as PILImage

from kiosk.ui.textures import screen_box
from tests.conftest import COLOURS
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui


def close(pixel, colour, tolerance=24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def start_slideshow(run_app, studio, session_factory, seconds=30.0):
    studio.settings = replace(studio.settings, slideshow_seconds=seconds, crossfade_seconds=0.3)
    session_id = session_factory([(3000, 2000), (1600, 2400), (2400, 2400)])
    app = run_app(session_id)
    show = app.slideshow
    assert pump(lambda: show.shown >= 1), "the first image never finished fading in"
    return app, show


def swipe(x0, x1, y=540):
    touch = UnitTestTouch(x0, y)
    touch.touch_down()
    for step in range(1, 6):
        touch.touch_move(x0 + (x1 - x0) * step / 5, y)
    touch.touch_up()


def test_first_image_fills_the_height_centred_with_dark_bars(
    run_app, studio, session_factory, window, tmp_path
):
    app, show = start_slideshow(run_app, studio, session_factory)
    assert show.index == 0 and show.position_text == "1 / 3"
    shot = screenshot(window, "slideshow-first")
    assert shot.size == (1920, 1080)
    # 3:2 at full height is 1620 px wide: 150 px bars either side.
    assert close(shot.getpixel((960, 540)), COLOURS[0])
    assert close(shot.getpixel((60, 540)), (14, 13, 13), 8), "left bar is not the dark background"
    assert close(shot.getpixel((1860, 540)), (14, 13, 13), 8), "right bar"
    assert close(shot.getpixel((140, 540)), (14, 13, 13), 8)
    assert not close(shot.getpixel((160, 300)), (14, 13, 13), 8), "image must start at x=150"
    # Upright and not mirrored: the white mark is the image's top-left corner.
    assert close(shot.getpixel((170, 20)), (255, 255, 255))
    assert close(shot.getpixel((1750, 20)), COLOURS[0])


def test_swipe_left_shows_the_next_image_and_right_goes_back(
    run_app, studio, session_factory, window, tmp_path
):
    app, show = start_slideshow(run_app, studio, session_factory)
    swipe(1400, 500)
    assert show.index == 1
    assert pump(lambda: show.shown >= 2)
    shot = screenshot(window, "slideshow-second")
    # A 2:3 portrait at full height is 720 px wide, centred.
    assert close(shot.getpixel((960, 540)), COLOURS[1])
    assert close(shot.getpixel((560, 540)), (14, 13, 13), 8)
    swipe(500, 1400)
    assert show.index == 0 and show.position_text == "1 / 3"


def test_short_drag_is_neither_swipe_nor_step(run_app, studio, session_factory):
    app, show = start_slideshow(run_app, studio, session_factory)
    swipe(1000, 960)  # 40 px: too short for a swipe, too long for a tap
    assert show.index == 0 and not show.paused


def test_tap_pauses_and_a_second_tap_resumes(run_app, studio, session_factory):
    app, show = start_slideshow(run_app, studio, session_factory, seconds=0.4)
    tap = UnitTestTouch(960, 540)
    tap.touch_down()
    tap.touch_up()
    assert show.paused
    pump(timeout=1.2)
    assert show.index == 0, "a paused slideshow must not advance"
    tap = UnitTestTouch(960, 540)
    tap.touch_down()
    tap.touch_up()
    assert not show.paused
    assert pump(lambda: show.index == 1, timeout=3), "resumed slideshow advances on its own"


def test_arrow_keys_step_and_wrap_around(run_app, studio, session_factory, window):
    app, show = start_slideshow(run_app, studio, session_factory)
    window.dispatch("on_key_down", 276, 0, None, [])  # left from the first wraps to the last
    assert show.index == 2 and show.position_text == "3 / 3"
    window.dispatch("on_key_down", 275, 0, None, [])
    assert show.index == 0


def test_next_images_are_decoded_before_they_are_asked_for(
    run_app, studio, session_factory, window
):
    app, show = start_slideshow(run_app, studio, session_factory)
    box = (int(window.width), int(window.height))
    upcoming = [app.images[1], app.images[2]]
    assert pump(lambda: all(app.textures.get(i.preview_path, box) for i in upcoming))
    swipe(1400, 500)
    # The texture was ready: the cross-fade starts on the same frame as the swipe.
    assert show.ids.back.texture is app.textures.get(upcoming[0].preview_path, box)


def test_escape_asks_before_quitting_and_stay_keeps_the_show(
    run_app, studio, session_factory, window, tmp_path
):
    app, show = start_slideshow(run_app, studio, session_factory)
    window.dispatch("on_key_down", 27, 0, None, [])
    assert app.confirm is not None and app.confirm.parent is not None
    pump(timeout=0.2)
    screenshot(window, "slideshow-quit")
    stay = app.confirm.ids.cancel
    tap = UnitTestTouch(*stay.to_window(*stay.center))
    tap.touch_down()
    tap.touch_up()
    pump(timeout=0.2)
    assert app.confirm.parent is None
    assert show.index == 0 and not show.paused


def test_the_slideshow_stops_stepping_once_the_client_moves_on(run_app, studio, session_factory):
    app, show = start_slideshow(run_app, studio, session_factory, seconds=0.4)
    show.step(1)  # leave in the middle of a cross-fade, when the next advance is scheduled
    app.show_screen("select")
    at = show.index
    pump(timeout=2.0)
    assert show.index == at, "a slideshow nobody sees must not keep decoding and stepping"


def test_a_photo_whose_preview_was_removed_shows_its_thumbnail_until_it_is_rebuilt(
    run_app, studio, session_factory, window, tmp_path
):
    """The cache's budget removed an old session's previews; opening it again rebuilds them.
    Meanwhile the TV shows each photo from its thumbnail, never "cannot be read"."""
    session_id = session_factory([(3000, 2000), (1600, 2400)])
    images = studio.store.images(session_id)
    thumb = tmp_path / "thumb.jpg"
    PILImage.open(images[1].preview_path).resize((300, 450)).save(thumb)
    studio.store.db["images"].update(images[1].id, {"thumb_path": str(thumb)})
    kept = tmp_path / "kept-preview.jpg"
    Path(images[1].preview_path).rename(kept)

    app, show = start_slideshow(run_app, studio, session_factory=lambda _sizes: session_id)
    show.go_to(1)
    assert pump(lambda: show.shown >= 2), "the stand-in never faded in"
    assert show.message == "" and show.ids.front.opacity == 1
    standing = app.textures.get(images[1].preview_path, screen_box())
    assert standing is None  # not kept: once rebuilt, the preview itself is read

    kept.rename(images[1].preview_path)  # the rebuild wrote it again
    show.go_to(0)
    assert pump(lambda: show.shown >= 3)
    show.go_to(1)
    assert pump(lambda: app.textures.get(images[1].preview_path, screen_box()) is not None)
    assert app.textures.get(images[1].preview_path, screen_box()).height == 1080
