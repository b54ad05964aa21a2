"""Choosing on the touch screen: swipes and buttons decide, undo steps back, all on disk."""

from __future__ import annotations

import time

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.core import selection
from kiosk.live import LiveSession
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui


def drag(start, end, steps=6, *, release=True, seconds=0.0):
    touch = UnitTestTouch(*start)
    touch.touch_down()
    for i in range(1, steps + 1):
        time.sleep(seconds / steps)
        touch.touch_move(
            start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps
        )
    if release:
        touch.touch_up()
    return touch


def tap_widget(widget, *, double=False):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.is_double_tap = double  # what Kivy's double-tap input stage marks on a real device
    touch.touch_down()
    touch.touch_up()


@pytest.fixture
def choosing(run_app, session_factory):
    sizes = [(3000, 2000), (1600, 2400), (2400, 2400), (3000, 2000), (2000, 3000)]
    app = run_app(session_factory(sizes))
    app.show_screen("select")
    screen = app.select
    assert pump(lambda: screen.ids.card.texture is not None and screen.ids.card.width > 1000)
    return app, screen


def settle(screen):
    """Until the card has flown and the decision is durable (and so shown)."""
    assert pump(lambda: not screen._flying and not screen.live.saving and screen.ids.card.texture)


def stored_state(app):
    """The state a restarted kiosk would rebuild from the event log on disk."""
    return LiveSession(app.studio.store, app.session.id).state


def test_swipes_right_left_up_keep_drop_maybe_and_move_on(choosing, window, tmp_path):
    app, screen = choosing
    ids = [i.id for i in app.images]
    card = screen.ids.card
    cx, cy = card.center
    drag((cx, cy), (cx + 700, cy))
    settle(screen)
    drag((cx, cy), (cx - 700, cy))
    settle(screen)
    drag((cx, cy - 100), (cx, cy + 400))
    settle(screen)
    state = stored_state(app)
    assert [selection.decision_of(state, i) for i in ids[:3]] == ["keep", "drop", "maybe"]
    assert state.current == 3 and screen.position_text == "4 / 5"
    assert (screen.kept, screen.dropped, screen.maybe, screen.undecided) == (1, 1, 1, 2)
    screenshot(window, "select-select")


def test_short_drag_springs_back_and_decides_nothing(choosing):
    app, screen = choosing
    card = screen.ids.card
    cx, cy = card.center
    drag((cx, cy), (cx + 120, cy + 10), seconds=0.3)  # a slow, short drag: the client hesitated
    pump(timeout=0.5)
    assert card.offset_x == pytest.approx(0, abs=1) and card.tilt == pytest.approx(0, abs=0.1)
    assert app.studio.store.events(app.session.id) == []
    assert screen.position_text == "1 / 5"


def test_a_quick_flick_decides_even_when_short(choosing):
    app, screen = choosing
    cx, cy = screen.ids.card.center
    drag((cx, cy), (cx - 200, cy), seconds=0.05)  # 4000 px/s
    settle(screen)
    assert selection.decision_of(stored_state(app), app.images[0].id) == "drop"


def test_stamp_shows_the_decision_while_dragging(choosing, window, tmp_path):
    app, screen = choosing
    card = screen.ids.card
    cx, cy = card.center
    touch = drag((cx, cy), (cx + 500, cy), release=False)
    pump(timeout=0.1)
    assert card.stamp_text == "KEEP" and card.stamp_opacity > 0.5
    screenshot(window, "select-stamp")
    touch.touch_up()
    settle(screen)


def test_buttons_decide_for_those_who_tap(choosing):
    app, screen = choosing
    for button in ("keep", "maybe_button", "drop"):
        tap_widget(screen.ids[button])
        settle(screen)
    state = stored_state(app)
    assert [selection.decision_of(state, i.id) for i in app.images[:3]] == ["keep", "maybe", "drop"]


def test_undo_three_times_restores_every_decision_and_the_image(choosing):
    app, screen = choosing
    for button in ("keep", "keep", "drop"):
        tap_widget(screen.ids[button])
        settle(screen)
    assert screen.position_text == "4 / 5"
    for expected in ("3 / 5", "2 / 5", "1 / 5"):
        tap_widget(screen.ids.undo)
        settle(screen)
        assert screen.position_text == expected
    state = stored_state(app)
    assert state.decisions == {} and state.current == 0
    assert not screen.can_undo


def test_keys_decide_and_undo_for_the_photographer(choosing, window):
    app, screen = choosing
    window.dispatch("on_key_down", 275, 0, None, [])  # right arrow: keep
    settle(screen)
    window.dispatch("on_key_down", 8, 0, None, [])  # backspace: undo
    settle(screen)
    assert stored_state(app).decisions == {}
    assert len(app.studio.store.events(app.session.id)) == 3  # decide, show, undo


def test_double_tap_zooms_in_and_back_out_without_deciding(choosing, window, tmp_path):
    app, screen = choosing
    card = screen.ids.card
    tap_widget(card, double=True)
    assert card.zoom == pytest.approx(2.5)
    cx, cy = card.center
    drag((cx, cy), (cx + 300, cy))  # pans while zoomed: no decision
    assert app.studio.store.events(app.session.id) == []
    pump(timeout=0.3)
    screenshot(window, "select-zoom")
    tap_widget(card, double=True)
    assert card.zoom == 1.0


def test_a_restart_shows_the_same_decisions_on_the_same_image(run_app, session_factory):
    session_id = session_factory([(3000, 2000)] * 4)
    app = run_app(session_id)
    app.show_screen("select")
    screen = app.select
    pump(lambda: screen.ids.card.width > 1000)
    tap_widget(screen.ids.keep)
    settle(screen)
    tap_widget(screen.ids.maybe_button)
    settle(screen)
    again = run_app(session_id)  # a fresh app reads only the database
    assert again.live.state.decisions == app.live.state.decisions
    assert again.live.current == 2


def test_favourite_star_and_retouching_notes_are_stored_and_badged(choosing, window):
    from kivy.base import EventLoop

    app, screen = choosing
    first = app.images[0].id
    tap_widget(screen.ids.favourite)
    pump(timeout=0)  # until durable, and so shown
    assert first in stored_state(app).favourites and screen.favourite
    tap_widget(screen.ids.retouch)
    editor = screen.notes_editor
    pump(timeout=0.2)
    skin, eyes = (
        t for t in editor.ids.tags.children[::-1] if t.tag in ("skin_smoothing", "open_eyes")
    )
    tap_widget(skin)
    tap_widget(eyes)
    field = editor.ids.text
    tap_widget(field)
    for char in "Brighten the sky":
        EventLoop.window.dispatch("on_textinput", char)
    pump(timeout=0.3)
    screenshot(window, "select-notes")
    tap_widget(editor.ids.save)
    pump(timeout=0)
    note = stored_state(app).notes[first]
    assert note.tags == ("skin_smoothing", "open_eyes") and note.text == "Brighten the sky"
    assert screen.retouch_text == "Retouching · 3"
    pump(timeout=0.2)
    screenshot(window, "select-badges")
