"""The studio's welcome: what the TV shows between clients, with nothing of any client on it.

The studio's logo and name, large, over a quiet slideshow of the studio's own portfolio (the
`portfolio_folder` setting) or a plain background without one. The kiosk starts here unless a
session was shown earlier the same day; the photographer shows a session from the tablet.
The name and logo are asked for again (`identity`) each time the welcome is shown, so a change
made on the tablet's Settings page is on the TV from the next client on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.imaging.importer import IMAGE_SUFFIXES
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import TextureCache, screen_box

PORTFOLIO_LIMIT = 200  # photos taken from the folder: a portfolio, not an archive
PORTFOLIO_SECONDS = 9.0  # each portfolio photo stays this long: quieter than a session's
PORTFOLIO_FADE = 2.5


def portfolio(folder: str) -> list[Path]:
    """The folder's photos by name (not its sub-folders); none when it is unset or missing."""
    if not folder:
        return []
    root = Path(folder).expanduser()
    try:
        files = sorted(p for p in root.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    except OSError:
        return []
    return [p for p in files if p.is_file()][:PORTFOLIO_LIMIT]


class WelcomeScreen(Screen):
    studio_name = StringProperty("")
    logo = StringProperty("")  # the logo's file; empty: the name alone
    greeting = StringProperty("Welcome")

    def __init__(
        self,
        textures: TextureCache,
        studio_name: str,
        photos: list[Path],
        identity: Callable[[], tuple[str, str]] | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.textures = textures
        self.studio_name = studio_name
        self.identity = identity  # () -> (name, logo file), read when the welcome is shown
        self._refresh_identity()
        self.photos = [str(p) for p in photos]
        self.index = -1
        self._advance = None

    def on_pre_enter(self, *_args) -> None:
        self._refresh_identity()

    def on_enter(self, *_args) -> None:
        self._step()

    def _refresh_identity(self) -> None:
        if self.identity is None:
            return
        name, logo = self.identity()
        self.studio_name = name
        self.logo = logo if logo and Path(logo).is_file() else ""

    def on_leave(self, *_args) -> None:
        if self._advance is not None:
            self._advance.cancel()
            self._advance = None

    def _step(self) -> None:
        if not self.photos:
            return
        self.index = (self.index + 1) % len(self.photos)
        index = self.index
        self.textures.request(
            self.photos[index], screen_box(), lambda texture: self._arrived(index, texture)
        )

    def _arrived(self, index: int, texture: Texture | None) -> None:
        if index != self.index or self.manager is None or self.manager.current != self.name:
            return
        if texture is not None:
            front, back = self.ids.front, self.ids.back
            back.texture, back.opacity = texture, 0
            Animation(opacity=0, duration=PORTFOLIO_FADE).start(front)
            fade_in = Animation(opacity=0.55, duration=PORTFOLIO_FADE)
            fade_in.bind(on_complete=lambda *_: self._swap())
            fade_in.start(back)
        if len(self.photos) > 1 or texture is None:
            self._advance = Clock.schedule_once(lambda _dt: self._step(), PORTFOLIO_SECONDS)

    def _swap(self) -> None:
        front, back = self.ids.front, self.ids.back
        front.texture, front.opacity = back.texture, back.opacity
        back.opacity = 0


load_kv(__file__)
