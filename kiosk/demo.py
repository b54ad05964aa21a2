"""The demo studio: on first start with an empty studio, a bundled session to show.

The demo's invoice details belong to the demo session: they are never saved as the studio's, so
a real client's invoice can never go out as "Golden Hour Portraits"."""

from __future__ import annotations

from kiosk.checkout.settings import mark_demo_session
from kiosk.config import ASSETS
from kiosk.core.invoices import StudioDetails
from kiosk.studio import Studio

DEMO_FOLDER = ASSETS / "demo" / "session"
DEMO_CLIENT = "The Morgan Family"
DEMO_EMAIL = "morgans@example.com"
DEMO_STUDIO = StudioDetails(
    name="Golden Hour Portraits",
    email="hello@goldenhour.example",
    phone="+1 503 555 0100",
    address="88 Pearl Street, Studio 3\nPortland, OR 97209",
    website="goldenhour.example",
    payment_instructions="Pay the amount due today by card at the studio, or by bank transfer "
    "quoting the invoice number.",
    terms="Prints are made after the retouching is approved. Instalments are due monthly.",
)


def ensure_demo(studio: Studio, progress: bool = True) -> None:
    """Import the demo session into a studio that has no session yet."""
    if studio.store.sessions():
        return
    from kiosk.imaging.importer import import_folder

    summary = import_folder(studio, DEMO_FOLDER, DEMO_CLIENT, DEMO_EMAIL, progress=progress)
    mark_demo_session(studio.store, summary.session.id, DEMO_STUDIO)
