"""The on-screen keyboard never covers the field being typed into, on a 1080p or a 720p TV.

Kivy docks its keyboard over the bottom half of the window; whatever field the client taps,
all of it must end up above the keyboard's top edge, inside the window, and drawn (not cut off
by the form's scroll view).
"""

from __future__ import annotations

import pytest
from kivy.tests.common import UnitTestTouch

from tests.ui import test_checkout
from tests.ui.conftest import pump, screenshot, show

pytestmark = pytest.mark.gui

TV_SIZES = {"1080p": (1920, 1080), "720p": (1280, 720)}
FIELDS = ("name", "email", "phone", "address")
ADDRESS = "Morgan Family\n1420 Alder Street\nApartment 5B\nPortland, OR 97205\nUnited States"
GAP = 12  # px between the field and the keyboard, at least: the widgets keep 16 dp
FIELD_BACKGROUND = (51, 48, 46)  # checkout.kv's Field: 0.2, 0.19, 0.18

at_checkout = test_checkout.at_checkout  # the same order, at the checkout screen
tap = test_checkout.tap


@pytest.fixture(params=list(TV_SIZES))
def tv(request, window):
    """The shared window at one TV size for the test, back to 1080p afterwards."""
    size = TV_SIZES[request.param]
    window.size = size
    assert pump(lambda: tuple(window.size) == size, timeout=5)
    yield request.param
    window.release_all_keyboards()  # a test stopped mid-typing leaves none docked for the next
    window.size = TV_SIZES["1080p"]
    pump(lambda: tuple(window.size) == TV_SIZES["1080p"], timeout=5)


def keyboard_top() -> float:
    # Imported here: importing a module that opens Kivy's window before the `window` fixture
    # has configured it would open it at the wrong size, without the docked keyboard.
    from kiosk.ui.widgets.keyboard import keyboard_top

    return keyboard_top()


def rect(widget) -> tuple[float, float, float, float]:
    """left, bottom, right, top in window pixels."""
    x, y = widget.to_window(*widget.pos)
    return x, y, x + widget.width, y + widget.height


def clear_of_keyboard(field, window, view=None) -> bool:
    """The field has the keyboard and all of it is in the window, a gap above the keyboard (and
    within `view`, the scroll view that would cut off anything outside it)."""
    left, bottom, right, top = rect(field)
    inside = 0 <= left and right <= window.width and top <= window.height
    if view is not None:
        _, view_bottom, _, view_top = rect(view)
        inside = inside and view_bottom <= bottom and top <= view_top
    return field.focus and keyboard_top() > 0 and bottom >= keyboard_top() + GAP and inside


def still(widget):
    """For `pump`: true once the widget has not moved between two frames."""
    seen = []

    def check() -> bool:
        seen.append(rect(widget))
        return len(seen) > 1 and seen[-1] == seen[-2]

    return check


def where(field, window, view=None) -> str:
    shown = f"field {rect(field)}, keyboard top {keyboard_top():.0f}, window {window.size}"
    return shown + (f", form view {rect(view)}" if view is not None else "")


def close_keyboard(screen) -> None:
    """The client taps the screen's title, outside the form: the field lets go of the keyboard
    and Kivy takes it away."""
    touch = UnitTestTouch(screen.width * 0.25, screen.height - 40)
    touch.touch_down()
    touch.touch_up()
    assert pump(lambda: not any(screen.ids[n].focus for n in FIELDS) and not keyboard_top()), (
        [(n, screen.ids[n].focus) for n in FIELDS],
        keyboard_top(),
    )


def type_on(window, text: str) -> None:
    for char in text:
        window.dispatch("on_textinput", char)


def press(window, key: int, modifiers: tuple[str, ...] = ()) -> None:
    window.dispatch("on_key_down", key, 0, None, list(modifiers))
    window.dispatch("on_key_up", key, 0)
    pump(timeout=0.05)


def test_each_checkout_field_tapped_lands_above_the_keyboard(tv, at_checkout, window):
    app, screen = at_checkout
    view = screen.ids.form_scroll
    for name in FIELDS:
        close_keyboard(screen)
        field = screen.ids[name]
        tap(field)
        assert pump(lambda f=field: clear_of_keyboard(f, window, view), timeout=3), (
            f"{name}: {where(field, window, view)}"
        )


def test_tab_and_shift_tab_walk_the_form_and_each_field_comes_above_the_keyboard(
    tv, at_checkout, window
):
    app, screen = at_checkout
    view = screen.ids.form_scroll
    tap(screen.ids.name)
    down_then_up = FIELDS + FIELDS[-2::-1]
    for step, name in enumerate(down_then_up):
        field = screen.ids[name]
        assert pump(lambda f=field: clear_of_keyboard(f, window, view), timeout=3), (
            f"{name}: {where(field, window, view)}"
        )
        if step + 1 < len(down_then_up):  # the keyboard's tab key, with shift on the way back
            press(window, 9, ("shift",) if step + 1 >= len(FIELDS) else ())


def test_a_long_address_shows_every_line_above_the_keyboard(tv, at_checkout, window):
    app, screen = at_checkout
    view, address = screen.ids.form_scroll, screen.ids.address
    tap(address)
    assert pump(lambda: clear_of_keyboard(address, window, view), timeout=3)
    type_on(window, ADDRESS)
    assert address.text == ADDRESS, address.text
    lines = ADDRESS.count("\n") + 1

    def every_line_shown() -> bool:
        return len(address._lines) == lines and address.height >= address.minimum_height

    shown = pump(lambda: every_line_shown() and clear_of_keyboard(address, window, view), 3)
    assert shown, where(address, window, view)
    assert pump(still(address), timeout=3)  # the last scroll has ended
    shot = screenshot(window, f"checkout-keyboard-{tv}")
    # Drawn, not covered: the field's own colour at its bottom-right corner, just above the
    # keyboard, and at its top-right corner.
    left, bottom, right, top = rect(address)
    for y in (bottom + 4, top - 4):
        pixel = shot.getpixel((int(right) - 8, window.height - int(y)))
        assert all(abs(a - b) <= 3 for a, b in zip(pixel, FIELD_BACKGROUND, strict=True)), (
            y,
            pixel,
        )
    # The order is still confirmed with those details once the keyboard is put away.
    close_keyboard(screen)
    assert screen.client().address == ADDRESS


def test_the_retouching_note_typed_on_screen_sits_above_the_keyboard(
    tv, run_app, session_factory, window
):
    app = run_app(session_factory([(3000, 2000), (2000, 3000)]))
    show(app, "select")
    touch = UnitTestTouch(*app.select.ids.retouch.to_window(*app.select.ids.retouch.center))
    touch.touch_down()
    touch.touch_up()
    assert pump(lambda: getattr(app.select, "notes_editor", None) is not None)
    editor = app.select.notes_editor
    field = editor.ids.text
    pump(timeout=0.2)
    tap(field)
    assert pump(lambda: clear_of_keyboard(field, window), timeout=3), where(field, window)
    assert editor.top <= window.height and editor.ids.panel.children[-1].top <= editor.top
    type_on(window, "Soften the shadow")
    screenshot(window, f"notes-keyboard-{tv}")
    # Save, the panel's button, may be under the keyboard on a short screen: Enter saves too.
    press(window, 13)  # the keyboard's enter key
    image = app.live.current_image.id
    assert pump(lambda: image in app.live.state.notes)
    assert app.live.state.notes[image].text == "Soften the shadow"
