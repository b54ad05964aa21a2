"""The TV's pairing panel shows the room display's link and its QR, in a real window; the link
it shows is one that watches, and "Forget all tablets" ends it."""

from __future__ import annotations

import pytest

from kiosk.display.links import DISPLAY, DisplayLinks
from tests.ui.conftest import pump, screenshot
from tests.ui.test_connect_panel import open_panel, tap

pytestmark = pytest.mark.gui


def test_the_panel_shows_the_room_display_link_and_forget_all_ends_it(
    run_app, session_factory, window
):
    app = run_app(session_factory([(3000, 2000)] * 3))
    panel = open_panel(app, window)
    tablet_qr = panel.qr_texture
    tap(panel.ids.display)
    pump(timeout=0.3)
    link = panel.display_address
    assert f"{app.base_url()}/display/" in link
    token = link.rsplit("/", 1)[1]
    assert DisplayLinks.of(app.pairing).kind(token) == DISPLAY
    assert panel.qr_texture is not None and panel.qr_texture is not tablet_qr
    assert link in panel.ids.display_address.text
    assert panel.ids.display.text == "Tablet code"
    screenshot(window, "connect-room-display")

    tap(panel.ids.forget)
    pump(timeout=1.2)  # the panel looks again every second
    assert DisplayLinks.of(app.pairing).kind(token) is None
    assert panel.display_address != link  # a new link, for the displays to open again

    tap(panel.ids.display)
    pump(timeout=0.3)
    assert panel.display_address == "" and panel.ids.display.text == "Room display"
    tap(panel.ids.done)


def test_the_room_displays_size_typed_on_the_panel_goes_into_its_link_and_qr(
    run_app, session_factory, window
):
    app = run_app(session_factory([(3000, 2000)] * 3))
    panel = open_panel(app, window)
    tap(panel.ids.display)
    pump(timeout=0.3)
    plain, plain_qr = panel.display_address, panel.qr_texture
    field = panel.ids.diagonal
    assert field.height > 0 and not field.disabled
    field.text = "165cm"
    pump(timeout=0.1)
    assert panel.display_address == f"{plain}?diagonal=165cm"
    assert panel.qr_texture is not plain_qr
    assert panel.display_address in panel.ids.display_address.text
    screenshot(window, "connect-room-display-size")
    field.text = "2"  # no screen is 2 inches across: said once it is entered, link unchanged
    field.dispatch("on_text_validate")
    pump(timeout=0.1)
    assert "cannot be right" in panel.ids.diagonal_error.text
    assert panel.display_address == f"{plain}?diagonal=165cm"
    field.text = ""
    pump(timeout=0.1)
    assert panel.display_address == plain and panel.diagonal_error == ""
    tap(panel.ids.done)
