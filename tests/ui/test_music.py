"""The slideshow's music in a real window: a generated WAV plays while the slideshow runs,
pauses with it, and a broken file is named on the remote and skipped."""

from __future__ import annotations

import math
import os
import struct
import time
import wave
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.web.commands import RemoteCommands
from kiosk.web.state import remote_state
from tests.ui.conftest import pump, show

# This machine has no sound card: SDL's dummy driver opens the mixer (it must be set before the
# first sound is loaded, which this module's collection comes before).
os.environ["SDL_AUDIODRIVER"] = "dummy"

pytestmark = pytest.mark.gui


def write_wav(path: Path, seconds: float = 3.0, rate: int = 22050) -> Path:
    """A quiet 440 Hz tone, 16-bit stereo."""
    frames = b"".join(
        struct.pack("<hh", v, v)
        for v in (
            int(6000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(rate * seconds))
        )
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return path


def test_music_plays_with_the_slideshow_pauses_with_it_and_skips_a_broken_file(
    run_app, session_factory, studio, tmp_path
):
    folder = tmp_path / "music"
    folder.mkdir()
    (folder / "a-broken.mp3").write_bytes(b"not an mp3 at all" * 200)
    write_wav(folder / "b-tone.wav")
    studio.settings = replace(studio.settings, slideshow_music=str(folder))
    app = run_app(session_factory([(3000, 2000)] * 2))
    show(app, "slideshow")
    music = app.music
    assert pump(lambda: music.playing, timeout=10), music.state()
    assert music.sound.source.endswith("b-tone.wav")
    assert "a-broken.mp3" in music.problem and "skipped" in music.problem
    assert pump(lambda: music.sound.volume > 0.6, timeout=5)  # faded in to the set volume

    # The remote sees it, turns it down and mutes it.
    commands = RemoteCommands(app.live, {}, lambda: None, music=music)
    state = remote_state(app.live, {}, 1, "Test Family", music=music)["music"]
    assert state["tracks"] == 2 and "a-broken.mp3" in state["problem"]
    commands.run({"kind": "music", "volume": 0.3})
    assert abs(music.sound.volume - 0.3) < 1e-6
    commands.run({"kind": "music", "muted": True})
    assert music.sound.volume == 0 and music.state()["muted"]
    commands.run({"kind": "music", "muted": False})

    # Paused with the slideshow (after its fade), on again with it.
    app.live.set_playing(False)
    assert pump(lambda: not music.playing, timeout=5)
    app.live.set_playing(True)
    assert pump(lambda: music.playing, timeout=5)
    # Leaving the slideshow fades it out.
    show(app, "select")
    assert pump(lambda: not music.playing, timeout=5)


def test_a_long_track_costs_the_ui_thread_a_few_milliseconds(
    run_app, session_factory, studio, tmp_path
):
    track = write_wav(tmp_path / "long.wav", seconds=120)
    studio.settings = replace(studio.settings, slideshow_music=str(track))
    app = run_app(session_factory([(3000, 2000)] * 2))
    music, spent = app.music, []
    arrived = music._loaded

    def timed(*args) -> None:  # what the UI thread does once the track is opened
        started = time.perf_counter()
        arrived(*args)
        spent.append(time.perf_counter() - started)

    music._loaded = timed
    show(app, "slideshow")
    assert pump(lambda: music.playing, timeout=10)
    print(f"music: a 120 s WAV started with {spent[0] * 1000:.1f} ms on the UI thread")
    assert spent[0] < 0.05  # streamed: nothing decoded up front, and not here


def test_a_missing_music_file_is_named_and_the_slideshow_goes_on(run_app, session_factory, studio):
    studio.settings = replace(studio.settings, slideshow_music="/nowhere/viewing.mp3")
    app = run_app(session_factory([(3000, 2000)] * 3))
    show(app, "slideshow")
    shown = app.slideshow.shown
    assert pump(lambda: app.slideshow.shown > shown, timeout=15)
    assert not app.music.playing
    assert "viewing.mp3 is missing" in app.music.state()["problem"]
