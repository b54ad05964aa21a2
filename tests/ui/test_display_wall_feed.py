"""The TV's wall-art screen tells the room displays what it shows, in a real window: each step
of a drag as it happens, and the design as saved when the finger lifts."""

from __future__ import annotations

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.display.wallfeed import FEED
from kiosk.store.designs import load_design
from tests.ui.conftest import pump
from tests.ui.test_wallart import demo_session, on_screen, open_wallart, show_room

pytestmark = pytest.mark.gui


def test_a_drag_reaches_the_displays_as_it_happens_and_ends_on_the_saved_design(
    run_app, studio, window
):
    app, screen = open_wallart(run_app, demo_session(studio))
    show_room(app, screen, "living-room")
    session_id = app.live.session_id
    heard: list[int] = []
    FEED.subscribe(heard.append)
    try:
        start = screen.design.pieces[0].placement
        touch = UnitTestTouch(*on_screen(screen, start.x, start.y))
        touch.touch_down()
        touch.touch_move(*on_screen(screen, start.x - 30, start.y + 10))
        version, design, final = FEED.latest(session_id)
        assert not final and heard == [session_id]  # the step, before anything is saved
        assert design.pieces[0].placement.x == pytest.approx(start.x - 30, abs=0.3)
        assert load_design(app.studio.store, session_id).pieces[0].placement.x == start.x
        touch.touch_up()
        pump(timeout=0.05)
        after, saved, final = FEED.latest(session_id)
        assert final and after > version and heard[-1] == session_id
        assert saved == screen.design  # what the TV shows, as it was saved
        stored = load_design(app.studio.store, session_id).pieces[0].placement
        assert saved.pieces[0].placement.x == pytest.approx(stored.x, abs=1e-3)
        assert saved.pieces[0].placement.y == pytest.approx(stored.y, abs=1e-3)
    finally:
        FEED.unsubscribe(heard.append)
