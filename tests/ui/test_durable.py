"""The TV with a slow or failing disk, and after a restart: what it shows is what is on disk."""

from __future__ import annotations

import time

import pytest

from kiosk.live import LiveSession
from tests.ui.conftest import pump, screenshot, show
from tests.ui.test_select import settle, tap_widget

pytestmark = pytest.mark.gui


@pytest.fixture
def choosing(run_app, session_factory):
    app = run_app(session_factory([(3000, 2000)] * 4))
    show(app, "select")
    screen = app.select
    assert pump(lambda: screen.ids.card.texture is not None and screen.ids.card.width > 1000)
    return app, screen


def test_the_card_flies_while_a_slow_disk_writes_and_the_stamp_waits_for_it(choosing):
    app, screen = choosing
    app.live.writer.commit_delay = 0.4  # an eMMC disk on a bad day
    first = app.images[0].id
    started = time.perf_counter()
    tap_widget(screen.ids.keep)
    tapped = time.perf_counter() - started
    assert tapped < 0.2, "the tap waited for the disk"
    assert screen._flying  # the fly-off started at once...
    assert app.live.decision(first) is None and screen.kept == 0  # ...the count did not
    assert LiveSession(app.studio.store, app.session.id).decision(first) is None
    settle(screen)
    assert app.live.decision(first) == "keep" and screen.kept == 1
    assert LiveSession(app.studio.store, app.session.id).decision(first) == "keep"
    assert screen.position_text == "2 / 4"


def test_a_write_the_disk_refuses_is_undone_on_screen_and_said_on_a_red_band(choosing, window):
    app, screen = choosing
    first = app.images[0].id
    app.live.writer.conn.execute("PRAGMA query_only = 1")  # the disk turned read-only
    try:
        tap_widget(screen.ids.keep)
        assert pump(lambda: app.saving_problem.parent is not None and not screen._flying)
        assert "could not be saved" in app.saving_problem.text
        # The photo comes back: nothing was decided.
        assert app.live.decision(first) is None and screen.position_text == "1 / 4"
        assert pump(lambda: screen.ids.card.texture is not None)
        pump(timeout=0.3)
        screenshot(window, "select-not-saved")
    finally:
        app.live.writer.conn.execute("PRAGMA query_only = 0")
    tap_widget(screen.ids.keep)
    settle(screen)
    assert app.live.decision(first) == "keep"
    assert app.saving_problem.parent is None  # saved again: the band is gone


@pytest.mark.parametrize("name", ["review", "compare", "wallart", "order", "checkout"])
def test_a_restart_reopens_on_the_screen_and_photo_the_client_was_on(
    run_app, session_factory, name
):
    session_id = session_factory([(1200, 800)] * 6)
    app = run_app(session_id)
    show(app, "select")
    for button in ("keep", "keep", "keep"):
        tap_widget(app.select.ids[button])
        settle(app.select)
    show(app, name)
    current = app.live.current
    app.dispatch("on_stop")  # as a power cut would leave it: the writer had finished
    again = run_app(session_id)
    assert pump(lambda: again.screens.current == name and not again.screens.transition.is_active)
    assert again.live.current == current == 3


def test_a_session_never_shown_opens_on_its_slideshow(run_app, session_factory):
    shown = session_factory([(1200, 800)] * 2)
    app = run_app(shown)
    show(app, "order")
    fresh = run_app(session_factory([(1200, 800)] * 2, client="New Family"))
    assert fresh.screens.current == "slideshow" == fresh.live.screen
