"""The session being shown: one state that the touch screen and the remote both change.

Every change is a command: `kiosk.core.selection` checks it against the current state, the
store writes it to the event log (one transaction, fsync'd) and only then is the new state
adopted and announced to the listeners (the Kivy screens, the remote's websockets). A command
that fails validation changes nothing and raises CommandError for the caller to show.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.core import selection
from kiosk.core.errors import CommandError
from kiosk.core.models import Image
from kiosk.core.selection import Command, Decide, Decision, SessionState, Show, Undo
from kiosk.store.db import Store

Listener = Callable[["LiveSession"], None]

# The client screens, in the order a session goes through them.
SCREENS = ("slideshow", "select", "review", "compare")


class LiveSession:
    def __init__(self, store: Store, session_id: int) -> None:
        self.store = store
        self.session_id = session_id
        self.images: list[Image] = store.images(session_id)
        self.by_id = {image.id: image for image in self.images}
        logged = [selection.command_from_json(c) for c in store.events(session_id)]
        self.state = selection.replay([i.id for i in self.images], logged)
        self._listeners: list[Listener] = []
        # What the TV shows: navigation, not a decision, so it is not logged.
        self.screen = "slideshow"
        self.playing = True

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def do(self, *commands: Command, actor: str = "touch") -> SessionState:
        """Apply commands as one step: all are written together or none is."""
        state = self.state
        for command in commands:
            state = selection.apply(state, command)  # raises CommandError, nothing written
        self.store.append_events(self.session_id, [c.to_json() for c in commands], actor)
        self.state = state
        self._announce()
        return state

    def _announce(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def set_screen(self, name: str) -> None:
        if name not in SCREENS:
            raise CommandError(
                f"There is no screen called '{name}'. Screens: {', '.join(SCREENS)}."
            )
        if name != self.screen:
            self.screen = name
            self._announce()

    def set_playing(self, playing: bool) -> None:
        if playing != self.playing:
            self.playing = playing
            self._announce()

    # what the screens read ---------------------------------------------------------------
    @property
    def current(self) -> int:
        return self.state.current

    @property
    def current_image(self) -> Image | None:
        image_id = self.state.current_image
        return self.by_id[image_id] if image_id is not None else None

    @property
    def can_undo(self) -> bool:
        return self.state.can_undo

    def counts(self) -> selection.Counts:
        return selection.counts(self.state)

    def decision(self, image_id: int) -> Decision | None:
        return selection.decision_of(self.state, image_id)

    # the client's gestures ---------------------------------------------------------------
    def decide(self, image_id: int, decision: str, actor: str = "touch") -> SessionState:
        """Decide on an image and move on to the next one, in one durable step."""
        decided = selection.apply(self.state, Decide(image_id, Decision(decision)))
        following = self._after(image_id, decided)
        commands: list[Command] = [Decide(image_id, Decision(decision))]
        if following is not None and following != image_id:
            commands.append(Show(following))
        return self.do(*commands, actor=actor)

    def _after(self, image_id: int, state: SessionState) -> int | None:
        """The image to show after deciding on `image_id`: the next one in order; at the end,
        the first still undecided."""
        ids = state.image_ids
        position = state.positions[image_id]
        if position + 1 < len(ids):
            return ids[position + 1]
        return selection.next_undecided(state, after=image_id)

    def undo(self, actor: str = "touch") -> SessionState:
        return self.do(Undo(), actor=actor)

    def show(self, image_id: int, actor: str = "touch") -> SessionState:
        return self.do(Show(image_id), actor=actor)
