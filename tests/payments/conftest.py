"""Payments' fixtures: checkout's priced order (a deposit and three monthly payments) in a real
studio, and its real SMTP server."""

import pytest

from kiosk.checkout.settings import save_studio_details
from tests.checkout.conftest import STUDIO, invoice, pricelist, session_images, smtp_server  # noqa: F401


@pytest.fixture(autouse=True)
def studio_details(studio):
    """The studio's details saved as the Orders page saves them: receipts and reminders are
    sent from its address."""
    return save_studio_details(studio.store, STUDIO)
