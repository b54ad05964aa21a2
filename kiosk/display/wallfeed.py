"""The wall design as the TV's wall-art screen shows it, told to the room displays.

The screen saves its design on every change (kiosk/store/designs.py) except the steps of a
drag, which it only draws. To follow a drag while it happens, the screen tells the feed both:
each drag step (`final=False`) and each saved design (`final=True`). Steps are passed on at
most every `STEP_SECONDS` (a drag moves at the touch screen's rate; every announcement wakes
every open page), a saved design always and at once, so a display ends on the exact place the
design was saved with::

    FEED.publish(session_id, design, final=False)   # the screen, on a drag step
    FEED.publish(session_id, design, final=True)    # the screen, after save_design
    FEED.subscribe(listener)                        # listener(session_id), on the loop's thread
    FEED.latest(session_id)                         # (version, design, final) or None
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.core.walldesign import WallDesign

STEP_SECONDS = 0.04

Listener = Callable[[int], None]


class WallFeed:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.version = 0
        self._latest: dict[int, tuple[int, WallDesign, bool]] = {}
        self._listeners: list[Listener] = []
        self._announced = 0.0

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def latest(self, session_id: int) -> tuple[int, WallDesign, bool] | None:
        return self._latest.get(session_id)

    def publish(self, session_id: int, design: WallDesign, *, final: bool) -> None:
        self.version += 1
        self._latest[session_id] = (self.version, design, final)
        now = self.clock()
        if not final and now - self._announced < STEP_SECONDS:
            return  # the next step, or the saved design, carries this one
        self._announced = now
        for listener in list(self._listeners):
            try:
                listener(session_id)
            except RuntimeError:  # a server that has stopped (its loop is closed)
                self.unsubscribe(listener)


FEED = WallFeed()
