"""The demo studio: on first start with an empty studio, a bundled session to show."""

from __future__ import annotations

from kiosk.config import ASSETS
from kiosk.studio import Studio

DEMO_FOLDER = ASSETS / "demo" / "session"
DEMO_CLIENT = "The Morgan Family"
DEMO_EMAIL = "morgans@example.com"


def ensure_demo(studio: Studio, progress: bool = True) -> None:
    """Import the demo session into a studio that has no session yet."""
    if studio.store.sessions():
        return
    from kiosk.imaging.importer import import_folder

    import_folder(studio, DEMO_FOLDER, DEMO_CLIENT, DEMO_EMAIL, progress=progress)
