"""The session being shown: one state that the touch screen and the remote both change.

Every change is a command: `kiosk.core.selection` checks it against the current state, the
store writes it to the event log (one transaction, fsync'd) and only then is the new state
adopted and announced to the listeners (the Kivy screens, the remote's websockets). A command
that fails validation changes nothing and raises CommandError for the caller to show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kiosk.core import cart as carts
from kiosk.core import selection
from kiosk.core.errors import CartError, CommandError
from kiosk.core.models import Image
from kiosk.core.pricelist import PriceListHolder
from kiosk.core.pricing import Advice, Breakdown, advise, price
from kiosk.core.selection import Command, Decide, Decision, SessionState, Show, Undo
from kiosk.store.db import Store

Listener = Callable[["LiveSession"], None]

# The client screens, in the order a session goes through them.
SCREENS = (
    "slideshow",
    "select",
    "review",
    "compare",
    "wallart",
    "actualsize",
    "order",
    "checkout",
)


AnyCommand = Command | carts.CartCommand


def command_from_json(data: dict) -> AnyCommand:
    """A logged or received command of either kind: a selection or a cart change."""
    if isinstance(data, dict) and data.get("kind") in carts.CART_COMMANDS:
        return carts.command_from_json(data)
    return selection.command_from_json(data)


class LiveSession:
    def __init__(
        self, store: Store, session_id: int, pricelist: PriceListHolder | None = None
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.pricelist = pricelist or PriceListHolder()
        self.images: list[Image] = store.images(session_id)
        self.by_id = {image.id: image for image in self.images}
        self.state = SessionState.new([i.id for i in self.images])
        self.cart = carts.CartState()
        self.today: Callable[[], date] = date.today  # promo codes' day; tests set their own
        # Which kind of change each step of undo reverts, newest last: one Undo button serves
        # decisions and the cart alike.
        self._undo_kinds: list[str] = []
        for index, data in enumerate(store.events(session_id)):
            try:
                self.state, self.cart = self._apply(command_from_json(data))
            except CommandError as error:
                raise selection.ReplayError(str(error), index=index) from error
        self._listeners: list[Listener] = []
        self._priced: tuple[object, Breakdown | None, str] | None = None
        # What the TV shows: navigation, not a decision, so it is not logged.
        self.screen = "slideshow"
        self.playing = True

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def do(self, *commands: AnyCommand, actor: str = "touch") -> SessionState:
        """Apply commands as one step: all are written together or none is."""
        saved = self.state, self.cart, list(self._undo_kinds)
        try:
            for command in commands:
                if isinstance(command, carts.CART_TYPES):
                    carts.validate(
                        self.cart, command, self.pricelist.current, today=self.today(), actor=actor
                    )
                self.state, self.cart = self._apply(command)  # raises CommandError
            self.store.append_events(self.session_id, [c.to_json() for c in commands], actor)
        except BaseException:
            self.state, self.cart, self._undo_kinds = saved  # nothing applied, nothing written
            raise
        self._announce()
        return self.state

    def _apply(self, command: AnyCommand) -> tuple[SessionState, carts.CartState]:
        if isinstance(command, carts.CART_TYPES):
            cart = carts.apply(self.cart, command)
            self._undo_kinds.append("cart")
            return self.state, cart
        if isinstance(command, Undo):
            if not self._undo_kinds:
                raise CommandError("There is nothing to undo.")
            if self._undo_kinds[-1] == "cart":
                cart = carts.undo(self.cart)
                self._undo_kinds.pop()
                return self.state, cart
        state = selection.apply(self.state, command)
        if isinstance(command, Undo):
            self._undo_kinds.pop()
        elif not isinstance(command, Show):
            self._undo_kinds.append("selection")
        return state, self.cart

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
        return bool(self._undo_kinds)

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

    def advice(self, today: date | None = None) -> Advice | None:
        pricelist = self.pricelist.current
        if pricelist is None or not self.cart.cart.lines:
            return None
        try:
            return advise(pricelist, self.cart.cart, today=today or self.today())
        except CartError:
            return None

    def step_photo(self, image_id: int | None, delta: int) -> int | None:
        """The photo `delta` steps from `image_id` among the keepers (all photos while none is
        kept), wrapping round: what the order and wall-art screens' arrows show next."""
        candidates = list(selection.keepers(self.state)) or [i.id for i in self.images]
        if not candidates:
            return None
        at = candidates.index(image_id) if image_id in candidates else -delta
        return candidates[(at + delta) % len(candidates)]

    def try_do(self, *commands: AnyCommand, actor: str = "touch") -> str:
        """`do`, for a screen: "" when done, else the refusal's sentence to show."""
        try:
            self.do(*commands, actor=actor)
        except CommandError as exc:
            return str(exc)
        return ""

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
