"""The session being shown: one state that the touch screen and the remote both change.

Every change is a command. It is checked against the state *accepted* so far (kiosk.core) and
adopted there at once, so the next command is checked against it; a writer thread makes it
durable (kiosk.store.writer); only then is it *shown*: `state`, `cart` and `can_undo`, what
every view reads, and the announcement to the listeners (the Kivy screens, the websockets)
and the command's `Ack`. So nothing is ever shown that a power cut could take back, and the UI
thread never waits on the disk. A command that fails validation raises CommandError and changes
nothing; a write that fails returns the accepted state to the shown one, refuses the commands
queued behind it, and says so in `write_error` until the next write succeeds.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from kiosk.core import cart as carts
from kiosk.core import selection
from kiosk.core.errors import CartError, CommandError
from kiosk.core.models import Image
from kiosk.core.pricelist import PriceListHolder
from kiosk.core.pricing import Breakdown, price
from kiosk.core.selection import Command, Decide, Decision, SessionState, Show, Undo
from kiosk.store.db import Store, insert_events, save_view
from kiosk.store.snapshots import load_snapshot
from kiosk.store.writer import InlineWriter, WriteFailed, Writer

Listener = Callable[["LiveSession"], None]

# The screens, in the order a session goes through them; the studio's welcome, which shows
# nothing of the session, first.
SCREENS = (
    "welcome",
    "slideshow",
    "select",
    "review",
    "compare",
    "wallart",
    "actualsize",
    "order",
    "album",
    "checkout",
)


AnyCommand = Command | carts.CartCommand


def command_from_json(data: dict) -> AnyCommand:
    """A logged or received command of either kind: a selection or a cart change."""
    if isinstance(data, dict) and data.get("kind") in carts.CART_COMMANDS:
        return carts.command_from_json(data)
    return selection.command_from_json(data)


@dataclass(frozen=True)
class Snapshot:
    """The session after some command: decisions, cart, and which kind of change each step of
    undo reverts, newest last (one Undo button serves decisions and the cart alike)."""

    state: SessionState
    cart: carts.CartState
    undo_kinds: tuple[str, ...] = ()


def step(snapshot: Snapshot, command: AnyCommand) -> Snapshot:
    """`snapshot` after `command`; raises CommandError and changes nothing if it is refused."""
    kinds = snapshot.undo_kinds
    if isinstance(command, carts.CART_TYPES):
        return Snapshot(snapshot.state, carts.apply(snapshot.cart, command), (*kinds, "cart"))
    if isinstance(command, Undo):
        if not kinds:
            raise CommandError("There is nothing to undo.")
        if kinds[-1] == "cart":
            return Snapshot(snapshot.state, carts.undo(snapshot.cart), kinds[:-1])
        return Snapshot(selection.apply(snapshot.state, command), snapshot.cart, kinds[:-1])
    state = selection.apply(snapshot.state, command)
    if not isinstance(command, Show):
        kinds = (*kinds, "selection")
    return Snapshot(state, snapshot.cart, kinds)


class Ack:
    """A command's receipt: done once it is durable (`error` None) or could not be written."""

    def __init__(self) -> None:
        self.done = False
        self.error: BaseException | None = None
        self._callbacks: list[Callable[[Ack], None]] = []

    def add_done_callback(self, callback: Callable[[Ack], None]) -> None:
        """`callback(ack)` when done, at once if it is: it runs while the shown state is this
        command's own, before any later command is shown."""
        if self.done:
            callback(self)
        else:
            self._callbacks.append(callback)

    def finish(self, error: BaseException | None = None) -> None:
        if self.done:
            return
        self.done, self.error = True, error
        for callback in self._callbacks:
            callback(self)
        self._callbacks.clear()

    async def result(self, read: Callable[[], Any] = lambda: None) -> Any:
        """Wait until durable, then `read()` as of this command (what a reply should carry);
        raises the write's error if it failed."""
        future = asyncio.get_running_loop().create_future()

        def settle(ack: Ack) -> None:
            if not future.done():
                future.set_result(read() if ack.error is None else None)

        self.add_done_callback(settle)
        value = await future
        if self.error is not None:
            raise self.error
        return value


class LiveSession:
    def __init__(
        self,
        store: Store,
        session_id: int,
        pricelist: PriceListHolder | None = None,
        writer: Writer | InlineWriter | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.pricelist = pricelist or PriceListHolder()
        self.writer = writer or InlineWriter(store.db.conn)
        self.images: list[Image] = store.images(session_id)
        self.by_id = {image.id: image for image in self.images}
        self.today: Callable[[], date] = date.today  # promo codes' day; tests set their own
        snapshot = Snapshot(SessionState.new([i.id for i in self.images]), carts.CartState())
        saved = load_snapshot(store, session_id, [i.id for i in self.images])
        if saved is not None:  # a closed session's compacted log (kiosk/store/snapshots.py)
            snapshot, events = Snapshot(*saved.parts), saved.tail
        else:
            events = store.events(session_id)
        for index, data in enumerate(events):
            try:
                snapshot = step(snapshot, command_from_json(data))
            except CommandError as error:
                raise selection.ReplayError(str(error), index=index) from error
        self._shown = self._accepted = snapshot
        # Commands accepted but not yet durable, oldest first, each with the state after it.
        self._pending: deque[tuple[Ack, Snapshot]] = deque()
        self._generation = 0  # bumped by a failed write: outcomes of older writes are stale
        self.write_error = ""
        self._listeners: list[Listener] = []
        self._priced: tuple[object, Breakdown | None, str] | None = None
        # What the TV shows: navigation, not a decision, so it is kept beside the log.
        self.screen = store.view(session_id) or "slideshow"
        self.playing = True

    # what every view reads: the durable state -----------------------------------------------
    @property
    def state(self) -> SessionState:
        return self._shown.state

    @property
    def cart(self) -> carts.CartState:
        return self._shown.cart

    @property
    def can_undo(self) -> bool:
        return bool(self._shown.undo_kinds)

    @property
    def saving(self) -> bool:
        """Some accepted command is not durable yet."""
        return bool(self._pending)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def do(self, *commands: AnyCommand, actor: str = "touch") -> Ack:
        """Apply commands as one step: checked now, written together or not at all, shown when
        durable. Raises CommandError when refused, and the write's error when it is already
        known to have failed (the inline writer)."""
        snapshot = self._accepted
        for command in commands:
            if isinstance(command, carts.CART_TYPES):
                carts.validate(
                    snapshot.cart,
                    command,
                    self.pricelist.current,
                    today=self.today(),
                    actor=actor,
                    image_sizes={i.id: (i.width, i.height) for i in self.images}
                    if isinstance(command, carts.SetCrop)
                    else None,
                )
            snapshot = step(snapshot, command)  # raises CommandError: nothing changed
        self._accepted = snapshot
        ack = Ack()
        self._pending.append((ack, snapshot))
        rows = [c.to_json() for c in commands]
        self._submit(
            partial(insert_events, session_id=self.session_id, commands=rows, actor=actor),
            events=True,
        )
        if ack.error is not None:
            raise ack.error
        return ack

    def _submit(self, write: Callable, *, events: bool) -> None:
        self.writer.submit(write, done=partial(self._written, self._generation, events))

    def _written(self, generation: int, events: bool, error: BaseException | None) -> None:
        """The writer's word on one write, on the loop's thread, in the order submitted."""
        if generation != self._generation:
            return  # refused with a failure already handled
        if error is not None:
            self._failed(error)
            return
        if self.write_error:
            self.write_error = ""
            self._announce()
        if events:  # writes are reported in the order submitted: this is the oldest pending
            ack, snapshot = self._pending.popleft()
            self._shown = snapshot
            self._announce()
            ack.finish()

    def _failed(self, error: BaseException) -> None:
        self._generation += 1
        failed = [ack for ack, _snapshot in self._pending]
        self._pending.clear()
        self._accepted = self._shown
        self.write_error = str(error)
        self.writer.resume()
        self._announce()
        for ack in failed:
            ack.finish(error)

    def _announce(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def set_screen(self, name: str) -> None:
        """Show a screen at once (navigation changes no decision) and remember it, through the
        same writer, so that a restart opens on it."""
        if name not in SCREENS:
            raise CommandError(
                f"There is no screen called '{name}'. Screens: {', '.join(SCREENS)}."
            )
        if name != self.screen:
            self.screen = name
            self._submit(partial(save_view, session_id=self.session_id, screen=name), events=False)
            self._announce()

    def remember_view(self) -> None:
        """Record that the TV shows this session now (and on which screen): a restart reopens
        the session the TV showed last, not merely the newest one."""
        view = partial(save_view, session_id=self.session_id, screen=self.screen)
        self._submit(view, events=False)

    def set_playing(self, playing: bool) -> None:
        if playing != self.playing:
            self.playing = playing
            self._announce()

    def pricelist_changed(self) -> None:
        """The price list in force was replaced, or found broken beside the last good one:
        every view prices the cart again and shows the list's error, if any."""
        self._priced = None
        self._announce()

    def images_added(self) -> None:
        """Photos were imported into this session while it is shown: they join it in the
        store's order, every decision kept (the log is replayed over the longer list). Call it
        when nothing is waiting to be written (`saving` is false)."""
        images = self.store.images(self.session_id)
        snapshot = Snapshot(SessionState.new([i.id for i in images]), carts.CartState())
        for data in self.store.events(self.session_id):
            snapshot = step(snapshot, command_from_json(data))
        self.images, self.by_id = images, {image.id: image for image in images}
        self._shown = self._accepted = snapshot
        self._priced = None
        self._announce()

    # what the screens read ---------------------------------------------------------------
    @property
    def current(self) -> int:
        return self.state.current

    @property
    def current_image(self) -> Image | None:
        image_id = self.state.current_image
        return self.by_id[image_id] if image_id is not None else None

    # the money ---------------------------------------------------------------------------
    def breakdown(self, today: date | None = None) -> tuple[Breakdown | None, str]:
        """The cart priced with the price list in force, and a problem to show ("" if none).
        Computed once per change of cart, price list or day (promo codes expire)."""
        pricelist = self.pricelist.current
        today = today or self.today()
        key = (self.cart.cart, id(pricelist), today)
        if self._priced is not None and self._priced[0] == key:
            return self._priced[1], self._priced[2]
        if pricelist is None:
            result: tuple[Breakdown | None, str] = (
                None,
                str(self.pricelist.error or "There is no price list."),
            )
        else:
            try:
                result = price(pricelist, self.cart.cart, today=today), ""
            except CartError as exc:
                result = None, str(exc)
        self._priced = (key, *result)
        return result

    def step_photo(self, image_id: int | None, delta: int) -> int | None:
        """The photo `delta` steps from `image_id` among the keepers (all photos while none is
        kept), wrapping round: what the order and wall-art screens' arrows show next."""
        candidates = list(selection.keepers(self.state)) or [i.id for i in self.images]
        if not candidates:
            return None
        at = candidates.index(image_id) if image_id in candidates else -delta
        return candidates[(at + delta) % len(candidates)]

    def try_do(
        self, *commands: AnyCommand, actor: str = "touch", then: Callable[[], None] | None = None
    ) -> str:
        """`do`, for a screen: "" when accepted, else the refusal's sentence to show. `then()`
        runs once the commands are durable: the moment to say they are done."""
        try:
            ack = self.do(*commands, actor=actor)
        except (CommandError, WriteFailed) as exc:
            return str(exc)
        if then is not None:
            ack.add_done_callback(lambda done: then() if done.error is None else None)
        return ""

    def counts(self) -> selection.Counts:
        return selection.counts(self.state)

    def decision(self, image_id: int) -> Decision | None:
        return selection.decision_of(self.state, image_id)

    # the client's gestures ---------------------------------------------------------------
    def decide(self, image_id: int, decision: str, actor: str = "touch") -> Ack:
        """Decide on an image and move on to the next one, in one durable step."""
        decided = selection.apply(self._accepted.state, Decide(image_id, Decision(decision)))
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

    def undo(self, actor: str = "touch") -> Ack:
        return self.do(Undo(), actor=actor)

    def show(self, image_id: int, actor: str = "touch") -> Ack:
        return self.do(Show(image_id), actor=actor)

    def open(self, image_id: int, screen: str, actor: str = "touch") -> Ack:
        """Show `image_id` on `screen`: the screen changes once the photo's step is durable,
        so it opens on that photo, never on the one before."""
        if screen not in SCREENS:
            raise CommandError(f"There is no screen called '{screen}'.")
        ack = self.show(image_id, actor=actor)
        ack.add_done_callback(lambda done: self.set_screen(screen) if done.error is None else None)
        return ack
