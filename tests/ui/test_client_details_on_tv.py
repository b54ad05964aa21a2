"""A client's details corrected on the tablet reach the TV at once: the kiosk's own web server
in this thread's loop beside Kivy, a paired tablet posting to it (tests/ui/test_switch_session)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import pump, show
from tests.ui.test_switch_session import Tablet

pytestmark = pytest.mark.gui


def test_an_email_corrected_on_the_tablet_is_in_the_tvs_checkout_form(
    run_app, session_factory, window
):
    parkers = session_factory([(1600, 1200)] * 3, client="The Parkers")
    other = session_factory([(1600, 1200)], client="Someone Else")
    app = run_app(parkers)
    show(app, "checkout")
    assert app.checkout.ids.email.text == "test@example.com"
    tablet = Tablet(app)
    try:
        fixed = {"client": "Ada & Sam Parker", "email": "ada@example.com", "phone": "0161 496 0000"}
        answer = tablet.call("post", f"/api/sessions/{parkers}/details", json=fixed)
        assert answer.status_code == 200, answer.text
        pump(timeout=0)
        fields = app.checkout.ids
        assert (fields.name.text, fields.email.text, fields.phone.text) == (
            "Ada & Sam Parker",
            "ada@example.com",
            "0161 496 0000",
        )
        assert app.slideshow.client == "Ada & Sam Parker"
        assert tablet.call("get", "/api/state").json()["client"] == "Ada & Sam Parker"

        # Another session's details leave the TV alone.
        answer = tablet.call("post", f"/api/sessions/{other}/details", json={"client": "X Y"})
        assert answer.status_code == 200, answer.text
        assert fields.name.text == "Ada & Sam Parker" and app.session.id == parkers
    finally:
        tablet.close()
