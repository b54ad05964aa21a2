"""A real Kivy window (1920x1080, under Xvfb) shared by the screen tests of one run.

Kivy makes one window per process, so each test builds the app's widget tree into it and
takes it away again afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image as PILImage

from kiosk.kiosk import configure_window


@pytest.fixture(scope="session")
def window():
    configure_window(windowed=True, size=(1920, 1080))
    from kivy.base import EventLoop
    from kivy.core.window import Window

    EventLoop.ensure_window()
    return Window


def pump(until: Callable[[], bool] = lambda: False, timeout: float = 10.0) -> bool:
    """Run Kivy's loop (clock, animations, drawing) until `until()` or the timeout, and in
    either case until every change the kiosk accepted is durable and shown: a tap's effect
    reaches the screen with its acknowledgement, a frame or an fsync after the tap."""
    from kivy.base import EventLoop

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        EventLoop.idle()
        if until() and not saving():
            return True
        time.sleep(0.005)
    deadline = time.monotonic() + 10
    while saving() and time.monotonic() < deadline:
        EventLoop.idle()
        time.sleep(0.005)
    return until()


def saving() -> bool:
    """The running app has accepted a change that is not durable yet."""
    from kivy.app import App

    live = getattr(App.get_running_app(), "live", None)
    return bool(live is not None and live.saving)


def show(app, name: str, timeout: float = 20.0) -> None:
    """Switch the app to a screen and wait for the slide to end: mid-slide the screen sits off
    to one side and the ScreenManager ignores touches, so a tap would land nowhere."""
    app.show_screen(name)
    manager = app.screens
    assert pump(
        lambda: (
            manager.current == name
            and not manager.transition.is_active
            and manager.current_screen.x == manager.x
        ),
        timeout=timeout,
    ), f"the {name} screen never finished sliding in"


@pytest.fixture
def run_app(window, studio):
    """Start the kiosk app on a session inside the shared window; stop it afterwards."""
    from kivy.app import App

    from kiosk.ui.app import RevealApp

    started = []

    def start(session_id: int) -> RevealApp:
        app = RevealApp(studio, session_id)
        app._run_prepare()  # build + on_start without entering Kivy's own loop
        started.append(app)
        return app

    yield start
    from kivy.uix.modalview import ModalView

    for app in started:
        window.remove_widget(app.root)
        app.dispatch("on_stop")
    # Panels a test left open (a PIN pad, the own-wall overlay...) would take the next test's
    # keys and touches: the window is shared.
    for view in [w for w in window.children if isinstance(w, ModalView)]:
        view.dismiss(animation=False)
    App._running_app = None
    pump(timeout=0.1)


SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def screenshot(window, name: str) -> PILImage.Image:
    """Save the window as build/screenshots/<name>.png (kept for a person to look at)."""
    from kiosk.ui.app import save_screenshot

    pump(timeout=0.05)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return PILImage.open(save_screenshot(SHOTS / f"{name}.png")).convert("RGB")
