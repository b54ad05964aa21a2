"""What every route works with, gathered in one object on `app.state.reveal`."""

from __future__ import annotations

from dataclasses import dataclass

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


def reveal(conn: HTTPConnection) -> Reveal:
    return conn.app.state.reveal
