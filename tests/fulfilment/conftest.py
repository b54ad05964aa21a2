"""Fulfilment's fixtures: checkout's priced order (a canvas, an album, digital files, two
prints and a framed print) in a real studio with the studio's details saved, and checkout's
real SMTP server."""

import pytest

from kiosk.checkout.settings import save_studio_details
from tests.checkout.conftest import STUDIO, invoice, pricelist, session_images, smtp_server  # noqa: F401


@pytest.fixture(autouse=True)
def studio_details(studio):
    return save_studio_details(studio.store, STUDIO)
