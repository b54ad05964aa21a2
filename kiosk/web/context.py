"""What every route works with, gathered in one object on `app.state.reveal`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import HTTPConnection

from kiosk.live import LiveSession
from kiosk.store.private_notes import PrivateNotes
from kiosk.studio import Studio
from kiosk.web.broadcast import Broadcaster
from kiosk.web.commands import RemoteCommands
from kiosk.web.pairing import Pairing


@dataclass
class Reveal:
    live: LiveSession
    studio: Studio
    pairing: Pairing
    broadcaster: Broadcaster
    private_notes: PrivateNotes
    commands: RemoteCommands
    templates: Jinja2Templates
    client: str  # the session's client, for page titles
    music: Any = None  # the TV's slideshow music (kiosk.ui.music), once attached

    def attach_music(self, music: Any) -> None:
        """The TV's music: the remote sets its volume and shows its state and problems."""
        if music is None:  # a kiosk started without its player (a stand-in in tests)
            return
        self.music = self.commands.music = music
        music.listeners.append(self.broadcaster.changed)

    def switch(self, live: LiveSession, client: str) -> None:
        """The TV shows another session: every page follows it, and nothing of the previous
        client stays in what they are sent (the state is rendered from `live` alone)."""
        self.live.unsubscribe(self.broadcaster.changed)
        self.live, self.client = live, client
        self.commands = RemoteCommands(
            live, self.private_notes, self.broadcaster.changed, music=self.music
        )
        live.subscribe(self.broadcaster.changed)
        self.broadcaster.changed()


def reveal(conn: HTTPConnection) -> Reveal:
    return conn.app.state.reveal
