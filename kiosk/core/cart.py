"""The client's cart as commands, like their decisions: durable in the event log and undoable.

A cart command is checked against the price list when it is given (`validate`); folding the log
(`apply`) is lenient, so a session still opens after the studio edits its price list (the
pricing engine then reports a line that is no longer offered, and the client can remove it).

    state = CartState()
    state = apply(state, AddLine("canvas", "16x20", {"depth": "1.5"}, (101,)))
    state = apply(state, ChooseCollection("heirloom"))
    state.cart            # a kiosk.core.pricing.Cart, ready for price() and advise()
    undo(state).cart      # the cart before the last change
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, ClassVar, TypeAlias

from kiosk.core.errors import CommandError
from kiosk.core.pricelist import PriceList
from kiosk.core.pricing import Cart, CartLine, price

MAX_QUANTITY = 99


@dataclass(frozen=True)
class AddLine:
    kind: ClassVar[str] = "add_line"
    product: str
    variant: str
    options: Mapping[str, str] = field(default_factory=dict)
    images: tuple[int, ...] = ()
    quantity: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "product": self.product,
            "variant": self.variant,
            "options": dict(self.options),
            "images": list(self.images),
            "quantity": self.quantity,
        }


@dataclass(frozen=True)
class RemoveLine:
    kind: ClassVar[str] = "remove_line"
    line: str  # the line's id, "L1", "L2"...

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "line": self.line}


@dataclass(frozen=True)
class SetQuantity:
    kind: ClassVar[str] = "set_quantity"
    line: str
    quantity: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "line": self.line, "quantity": self.quantity}


@dataclass(frozen=True)
class ChooseCollection:
    kind: ClassVar[str] = "choose_collection"
    collection: str | None  # None: à la carte only

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "collection": self.collection}


CartCommand: TypeAlias = AddLine | RemoveLine | SetQuantity | ChooseCollection
CART_TYPES = (AddLine, RemoveLine, SetQuantity, ChooseCollection)
CART_COMMANDS = {c.kind: c for c in CART_TYPES}


def command_from_json(data: Mapping[str, Any]) -> CartCommand:
    kind = data.get("kind")
    if kind not in CART_COMMANDS:
        raise CommandError(f"Unknown cart command {kind!r}; known: {', '.join(CART_COMMANDS)}.")
    fields_ = {k: v for k, v in data.items() if k != "kind"}
    try:
        if kind == "add_line":
            fields_["images"] = tuple(int(i) for i in fields_.get("images", ()))
            fields_["options"] = {str(k): str(v) for k, v in fields_.get("options", {}).items()}
        return CART_COMMANDS[kind](**fields_)
    except (TypeError, ValueError, AttributeError) as exc:
        raise CommandError(f"The {kind} command is malformed ({exc}).") from exc


@dataclass(frozen=True)
class CartState:
    cart: Cart = field(default_factory=Cart)
    next_line: int = 1  # line ids are never reused, so an old command cannot hit a new line
    previous: CartState | None = field(default=None, compare=False, repr=False)

    def line(self, line_id: str) -> CartLine | None:
        return next((line for line in self.cart.lines if line.id == line_id), None)


def validate(state: CartState, command: CartCommand, pricelist: PriceList | None) -> None:
    """CommandError, in words for the client, if `command` cannot apply now."""
    if isinstance(command, AddLine):
        _check_quantity(command.quantity)
        if pricelist is None:
            raise CommandError("The studio's price list could not be read; ask the photographer.")
        product = pricelist.product(command.product)
        if product is None:
            raise CommandError(f"The studio does not offer '{command.product}'.")
        if product.variant(command.variant) is None:
            sizes = ", ".join(v.name for v in product.variants)
            raise CommandError(f"{product.name} comes in {sizes}, not '{command.variant}'.")
        for option_id, choice_id in command.options.items():
            option = product.option(option_id)
            choice = option.choice(choice_id) if option else None
            if choice is None or choice.price_for(command.variant) is None:
                raise CommandError(f"{product.name}: '{choice_id}' is not offered for this size.")
    elif isinstance(command, (RemoveLine, SetQuantity)):
        if state.line(command.line) is None:
            raise CommandError("That item is no longer in the order.")
        if isinstance(command, SetQuantity):
            _check_quantity(command.quantity)
    elif isinstance(command, ChooseCollection):
        if command.collection is not None and (
            pricelist is None or pricelist.collection(command.collection) is None
        ):
            raise CommandError(f"There is no collection '{command.collection}'.")


def _check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise CommandError(f"Choose a quantity from 1 to {MAX_QUANTITY}.")


def apply(state: CartState, command: CartCommand) -> CartState:
    cart = state.cart
    next_line = state.next_line
    if isinstance(command, AddLine):
        line = CartLine(
            command.product,
            command.variant,
            dict(command.options),
            command.images,
            command.quantity,
            id=f"L{next_line}",
        )
        cart, next_line = cart.with_line(line), next_line + 1
    elif isinstance(command, RemoveLine):
        cart = replace(cart, lines=tuple(li for li in cart.lines if li.id != command.line))
    elif isinstance(command, SetQuantity):
        cart = replace(
            cart,
            lines=tuple(
                replace(li, quantity=command.quantity) if li.id == command.line else li
                for li in cart.lines
            ),
        )
    elif isinstance(command, ChooseCollection):
        cart = cart.with_collection(command.collection)
    return CartState(cart=cart, next_line=next_line, previous=state)


def undo(state: CartState) -> CartState:
    if state.previous is None:
        raise CommandError("There is nothing to undo in the order.")
    # Line ids stay unique after an undo: the counter does not go back.
    return replace(state.previous, next_line=state.next_line)


def unit_price(
    pricelist: PriceList,
    product: str,
    variant: str,
    options: Mapping[str, str],
    images: tuple[int, ...],
    today: date,
) -> int:
    """What one unit costs à la carte with these options, before tax: the "Add · $X" label."""
    line = CartLine(product, variant, options, images)
    breakdown = price(pricelist, Cart(lines=(line,)), today=today)
    return next(line.unit_price for line in breakdown.lines if line.kind == "item")
