"""The studio's welcome between clients: the TV starts there, and shows nothing of any client."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.checkout.settings import save_studio_details, studio_details
from kiosk.kiosk import start_on
from kiosk.web.state import mirror_state
from tests.conftest import write_photo
from tests.ui.conftest import pump, screenshot
from tests.ui.test_switch_session import texts

pytestmark = pytest.mark.gui


def test_the_kiosk_starts_on_the_welcome_with_the_studios_portfolio_and_no_client(
    run_app, session_factory, studio, tmp_path, window
):
    folder = tmp_path / "portfolio"
    folder.mkdir()
    for i, colour in enumerate([(190, 120, 80), (60, 110, 150)]):
        write_photo(folder / f"portfolio-{i}.jpg", (1800, 1200), colour)
    (folder / "notes.txt").write_text("not a photo")
    studio.settings = replace(studio.settings, portfolio_folder=str(folder))
    save_studio_details(
        studio.store,
        replace(
            studio_details(studio.store),
            name="Northlight Portraits",
            address="12 Harbour Street\nPortland, OR 97205",
            email="studio@northlight.example",
        ),
    )
    session_id = session_factory([(1600, 1200)] * 3, client="The Parkers")
    app = run_app_welcome(run_app, session_id)
    assert app.screens.current == "welcome"
    assert pump(lambda: app.welcome.ids.front.opacity > 0.5, timeout=15)
    screenshot(window, "welcome")
    # What the TV shows (the session's own screens wait, unseen, behind the welcome).
    on_tv = " ".join(texts(app.screens.current_screen))
    on_tv += " ".join(t for w in window.children if w is not app.root for t in texts(w))
    assert "Northlight Portraits" in on_tv and "Parker" not in on_tv
    assert len(app.welcome.photos) == 2  # the text file is not a photo
    mirrored = mirror_state(app.live, 1, app.session.client)
    assert mirrored["client"] == "" and mirrored["current"] is None
    # The photographer shows the session: it opens on its slideshow, where a new one starts.
    app.show_session(session_id)
    assert pump(lambda: app.screens.current == "slideshow")
    assert app.store_view() == "slideshow"


def run_app_welcome(run_app, session_id):
    """`run_app`, started as main.py starts it when the TV should wait on the welcome."""
    from kiosk.ui import app as app_module

    original = app_module.RevealApp.__init__

    def welcoming(self, studio, session_id, **kwargs):
        original(self, studio, session_id, welcome=True, **kwargs)

    app_module.RevealApp.__init__ = welcoming
    try:
        app = run_app(session_id)
    finally:
        app_module.RevealApp.__init__ = original
    app.store_view = lambda: app.studio.store.view(app.session.id)
    return app


def test_where_the_kiosk_starts(studio, session_factory):
    first = session_factory([(800, 600)], client="The Parkers")
    assert start_on(studio, None) == (first, False)  # a studio's only session: shown
    second = session_factory([(800, 600)], client="Ana Nguyen")
    assert start_on(studio, None) == (second, True)  # never shown: the welcome waits
    assert start_on(studio, first) == (first, False)  # --session: as asked
    with studio.store.transaction():
        studio.store.db.conn.execute(
            "insert into session_views (session_id, screen, updated) values (?, ?, ?)",
            [first, "order", datetime.now(UTC).isoformat(timespec="seconds")],
        )
    # The TV showed the Parkers today (a restart mid-viewing): back to them, not the newest.
    assert start_on(studio, None) == (first, False)
    tomorrow = date.today() + timedelta(days=1)
    assert start_on(studio, None, today=tomorrow) == (first, True)
    studio.settings = replace(studio.settings, start_screen="last_session")
    assert start_on(studio, None, today=tomorrow) == (first, False)


def test_the_logo_saved_on_the_tablet_is_on_the_welcome_the_next_time_it_shows(
    run_app, session_factory, studio, tmp_path, window
):
    from PIL import Image

    from kiosk.checkout.settings import save_studio_logo
    from kiosk.setup.logo import keep_logo

    session_id = session_factory([(1600, 1200)] * 2, client="The Parkers")
    app = run_app_welcome(run_app, session_id)
    assert app.screens.current == "welcome" and app.welcome.logo == ""
    assert app.welcome.ids.logo.height == 0
    picture = tmp_path / "logo.png"
    Image.new("RGB", (800, 300), (200, 150, 60)).save(picture)
    logo = keep_logo(picture.read_bytes(), studio.paths.root)  # as the Settings page keeps it
    save_studio_logo(studio.store, str(logo))
    app.show_session(session_id)
    assert pump(lambda: app.screens.current == "slideshow")
    app.live.set_screen("welcome")  # the next client
    assert pump(lambda: app.screens.current == "welcome")
    assert app.welcome.logo == str(logo)
    assert pump(lambda: app.welcome.ids.logo.texture is not None)
    assert app.welcome.ids.logo.texture.size == (800, 300) and app.welcome.ids.logo.height > 0
    screenshot(window, "welcome-logo")
