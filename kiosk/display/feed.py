"""What a TV screen shows that is the screen's own (a chip, an arrow, a swipe: no command,
nothing saved), told to the room displays: the latest per session, and a wake-up to each
listener when it changes (on the loop's thread). The actual-size screen's print
(kiosk.display.printfeed) and the album screen's spread (kiosk.display.albumfeed) go this way.

    feed.publish(session_id, shown)     # only a change is announced
    feed.subscribe(listener)            # listener(session_id)
    feed.latest(session_id)             # what the display is sent, or None
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

Listener = Callable[[int], None]
Shown = TypeVar("Shown")


class Feed(Generic[Shown]):
    def __init__(self) -> None:
        self._latest: dict[int, Shown] = {}
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def latest(self, session_id: int) -> Shown | None:
        return self._latest.get(session_id)

    def publish(self, session_id: int, shown: Shown) -> None:
        if self._latest.get(session_id) == shown:
            return  # the screen draws again on every resize and tick
        self._latest[session_id] = shown
        for listener in list(self._listeners):
            try:
                listener(session_id)
            except RuntimeError:  # a server that has stopped (its loop is closed)
                self.unsubscribe(listener)
