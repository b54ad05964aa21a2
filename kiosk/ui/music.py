"""The slideshow's music: the studio's tracks play while the slideshow runs, fade in and out
with it and pause with it. What must stay true: the slideshow never waits on the music. Each
track is streamed by SDL_mixer's music player (`MusicSDL2`: opening one costs ~1 ms, nothing is
decoded up front; measured, SoundLoader's `Mix_LoadWAV` held the GIL 0.39 s to resample a 60 s
WAV and would decode a whole MP3 the same way), opened in a worker thread and started on the
UI thread; a missing or unplayable file is named in `problem` (the remote shows it) and skipped,
and with nothing playable the slideshow goes on silently.

    music = SlideshowMusic("/srv/music/viewing")     # settings.toml's slideshow_music
    music.follow(slideshow_screen)                    # plays while it shows, unpaused
    music.set_volume(0.6); music.set_muted(True)      # from the remote
    music.listeners.append(lambda: ...)               # the remote's state follows it

Sound goes through Kivy's providers (SDL2 in the wheel). A machine without a sound card loads
every file as a sound of length 0: that reads as "cannot be played", never as a crash.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.core.audio import Sound, SoundLoader
from kivy.logger import Logger

TRACK_SUFFIXES = (".mp3", ".ogg", ".wav")
FADE_SECONDS = 1.5
DEFAULT_VOLUME = 0.7

_pool = ThreadPoolExecutor(1, thread_name_prefix="reveal-music")


def open_track(path: str) -> Sound | None:
    """The track, streamed when the provider can (SDL2's music player), else loaded whole."""
    try:
        from kivy.core.audio.audio_sdl2 import MusicSDL2
    except ImportError:
        return SoundLoader.load(path)
    return MusicSDL2(source=path)


def _streams(sound: Sound) -> bool:
    # A streamed track does not know its length before it is played (SDL_mixer 2.0 gives 0).
    return type(sound).__name__ == "MusicSDL2"


def find_tracks(setting: str | Path) -> tuple[list[Path], str]:
    """The tracks a `slideshow_music` setting names, in name order, and what is wrong with it
    ("" when nothing is)."""
    if not str(setting).strip():
        return [], ""
    path = Path(setting).expanduser()
    if path.is_dir():
        tracks = sorted(
            (p for p in path.iterdir() if p.suffix.lower() in TRACK_SUFFIXES and p.is_file()),
            key=lambda p: p.name.lower(),
        )
        if not tracks:
            return [], f"The music folder {path} has no MP3, OGG or WAV file."
        return tracks, ""
    if not path.exists():
        return [], f"The slideshow music {path} is missing: check slideshow_music in settings."
    if path.suffix.lower() not in TRACK_SUFFIXES:
        return [], f"The slideshow music {path.name} is not an MP3, OGG or WAV file."
    return [path], ""


class SlideshowMusic:
    def __init__(self, setting: str | Path = "") -> None:
        self.tracks, self.problem = find_tracks(setting)
        self.volume = DEFAULT_VOLUME
        self.muted = False
        self.listeners: list[Callable[[], None]] = []  # told when problem/volume/mute change
        self.sound: Sound | None = None
        self.track = -1  # index of `sound` in tracks
        self.wanted = False  # the slideshow runs: music should be heard
        self._broken: set[int] = set()
        self._loading = False
        self._resume_at = 0.0  # seconds into the track where a pause left it
        self._started = 0.0  # time.monotonic() when it last started playing
        self._screen = None

    @property
    def playing(self) -> bool:
        return self.sound is not None and self.sound.state == "play"

    @property
    def level(self) -> float:
        return 0.0 if self.muted else self.volume

    # following the slideshow ---------------------------------------------------------------
    def follow(self, screen) -> None:
        """Play while `screen` (the slideshow) is the one shown and is not paused; the screens
        are rebuilt for each session shown, so the newest one is followed."""
        if self._screen is not None:
            self._screen.unbind(
                on_pre_enter=self._check, on_pre_leave=self._leaving, paused=self._check
            )
        self._screen = screen
        screen.bind(on_pre_enter=self._check, on_pre_leave=self._leaving, paused=self._check)
        self._check()

    def _check(self, *_args) -> None:
        screen = self._screen
        manager = screen.manager if screen is not None else None
        shown = manager is not None and manager.current == screen.name
        self.run(shown and not screen.paused)

    def _leaving(self, *_args) -> None:
        self.run(False)

    def run(self, on: bool) -> None:
        """Start (fading in) or pause (fading out) the music."""
        if on == self.wanted:
            return
        self.wanted = on
        if on:
            if self.sound is not None:
                self._start(self._resume_at)
            else:
                self._load_next()
        elif self.sound is not None:
            sound = self.sound
            self._resume_at += time.monotonic() - self._started
            fade = Animation(volume=0.0, duration=FADE_SECONDS)
            fade.bind(on_complete=lambda *_: self._stop_if_unwanted(sound))
            Animation.cancel_all(sound, "volume")
            fade.start(sound)

    def stop(self) -> None:
        """The kiosk quits (or the session goes): silence at once."""
        self.wanted = False
        if self.sound is not None:
            Animation.cancel_all(self.sound, "volume")
            self.sound.unbind(on_stop=self._ended)
            self.sound.stop()

    # volume from the remote -----------------------------------------------------------------
    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.0, float(volume)))
        self._apply_level()

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        self._apply_level()

    def _apply_level(self) -> None:
        if self.sound is not None and self.playing:
            Animation.cancel_all(self.sound, "volume")
            self.sound.volume = self.level
        self._tell()

    def state(self) -> dict:
        """The remote's view of it."""
        return {
            "tracks": len(self.tracks),
            "playing": self.playing,
            "volume": round(self.volume, 2),
            "muted": self.muted,
            "problem": self.problem,
        }

    # tracks ----------------------------------------------------------------------------------
    def _load_next(self) -> None:
        playable = [i for i in range(len(self.tracks)) if i not in self._broken]
        if self._loading or not playable:
            return
        following = [i for i in playable if i > self.track] or playable
        index = following[0]
        self._loading = True
        future = _pool.submit(open_track, str(self.tracks[index]))
        future.add_done_callback(
            lambda f: Clock.schedule_once(lambda _dt: self._loaded(index, f), -1)
        )

    def _loaded(self, index: int, future: Future) -> None:
        self._loading = False
        try:
            sound = future.result()
        except Exception as exc:  # noqa: BLE001 — any file that cannot be read is skipped
            Logger.warning(f"Reveal: cannot load music {self.tracks[index]}: {exc}")
            sound = None
        if sound is None or sound.length < 0 or (sound.length == 0 and not _streams(sound)):
            self._broken.add(index)
            name = self.tracks[index].name
            self.problem = (
                f"The slideshow music {name} cannot be played (not a readable MP3, OGG or "
                "WAV file, or no sound output on this kiosk); it is skipped."
            )
            self._tell()
            if self.wanted:
                self._load_next()
            return
        if self.sound is not None:
            self.sound.unbind(on_stop=self._ended)
            self.sound.unload()
        self.sound, self.track, self._resume_at = sound, index, 0.0
        sound.bind(on_stop=self._ended)
        if self.wanted:
            self._start(0.0)

    def _start(self, at: float) -> None:
        sound = self.sound
        Animation.cancel_all(sound, "volume")
        if sound.state != "play":
            sound.volume = 0.0
            sound.play()
            if at > 0:
                sound.seek(at)
            self._resume_at, self._started = at, time.monotonic()
        Animation(volume=self.level, duration=FADE_SECONDS).start(sound)
        self._tell()

    def _stop_if_unwanted(self, sound: Sound) -> None:
        if not self.wanted and sound is self.sound:
            sound.unbind(on_stop=self._ended)
            sound.stop()
            sound.bind(on_stop=self._ended)
            self._tell()

    def _ended(self, *_args) -> None:
        # The track played to its end: the next one (the same one again when it is alone).
        if self.wanted:
            if len(self.tracks) - len(self._broken) <= 1:
                self._start(0.0)
            else:
                self._load_next()

    def _tell(self) -> None:
        for listener in list(self.listeners):
            listener()
