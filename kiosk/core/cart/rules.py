"""What the cart's commands may do (`validate`, in words for the client) and what they do
(`apply`, `undo`), with the prices and advice read from a cart state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from kiosk.core.album.design import as_design, check_design, images_of
from kiosk.core.cart.commands import (
    MAX_QUANTITY,
    STUDIO_DISCOUNT_ACTORS,
    AddLine,
    ApplyPromo,
    CartCommand,
    ChooseCollection,
    RemoveLine,
    RemovePromo,
    SetAlbumDesign,
    SetCrop,
    SetQuantity,
    SetStudioDiscount,
    Switch,
)
from kiosk.core.crop import shape_error
from kiosk.core.errors import CartError, CommandError
from kiosk.core.pricelist import PriceList
from kiosk.core.pricing import Advice, Cart, CartLine, advise, price


@dataclass(frozen=True)
class CartState:
    cart: Cart = field(default_factory=Cart)
    next_line: int = 1  # line ids are never reused, so an old command cannot hit a new line
    previous: CartState | None = field(default=None, compare=False, repr=False)

    def line(self, line_id: str) -> CartLine | None:
        return next((line for line in self.cart.lines if line.id == line_id), None)


def validate(
    state: CartState,
    command: CartCommand,
    pricelist: PriceList | None,
    *,
    today: date | None = None,
    actor: str = "touch",
    image_sizes: Mapping[int, tuple[int, int]] | None = None,
) -> None:
    """CommandError, in words for the client, if `command` cannot apply now: `today` is the
    day a promo code must be in force on, `actor` who gave the command (the event log's),
    `image_sizes` the session's upright pixel sizes by image id (a crop's shape is checked
    against its photo's)."""
    if isinstance(command, Switch):
        if not command.commands:
            raise CommandError("There is nothing to switch.")
        for inner in command.commands:  # each against the cart the ones before it leave
            validate(state, inner, pricelist, today=today, actor=actor)
            state = apply(state, inner)
        return
    if isinstance(command, ApplyPromo | RemovePromo):
        _validate_promo(state, command, pricelist, today or date.today())
    elif isinstance(command, SetStudioDiscount):
        if actor not in STUDIO_DISCOUNT_ACTORS:
            raise CommandError(
                "Only the photographer can give a studio discount, from the paired tablet; "
                "a promo code can be entered here."
            )
        for name in ("percent", "amount"):
            value = getattr(command, name)
            if value is not None and (type(value) is not int):  # type(): True is not an int
                raise CommandError(
                    f"A studio discount's {name} must be a whole number or null, not {value!r}."
                )
        if not isinstance(command.reason, str):
            raise CommandError("A studio discount's reason must be text.")
        if command.discount() is None and state.cart.studio_discount is None:
            raise CommandError("There is no studio discount to take off.")
    elif isinstance(command, AddLine):
        _check_quantity(command.quantity)
        if pricelist is None:
            raise CommandError("The studio's price list could not be read; ask the photographer.")
        product = pricelist.product(command.product)
        if product is None:
            raise CommandError(f"The studio does not offer '{command.product}'.")
        if product.variant(command.variant) is None:
            sizes = ", ".join(v.name for v in product.variants)
            raise CommandError(f"{product.name} comes in {sizes}, not '{command.variant}'.")
        if product.covers is not None and (
            command.quantity != 1 or any(line.product == product.id for line in state.cart.lines)
        ):
            raise CommandError(f"{product.name} covers every file once: one is all it takes.")
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
            bundle = pricelist.product(state.line(command.line).product) if pricelist else None
            if bundle is not None and bundle.covers is not None and command.quantity != 1:
                raise CommandError(f"{bundle.name} covers every file once: one is all it takes.")
    elif isinstance(command, SetCrop):
        _validate_crop(state, command, pricelist, image_sizes or {})
    elif isinstance(command, SetAlbumDesign):
        _validate_design(state, command, pricelist)
    elif isinstance(command, ChooseCollection):
        if command.collection is not None and (
            pricelist is None or pricelist.collection(command.collection) is None
        ):
            raise CommandError(f"There is no collection '{command.collection}'.")


def _validate_promo(
    state: CartState, command: ApplyPromo | RemovePromo, pricelist: PriceList | None, today: date
) -> None:
    if not isinstance(command.code, str) or not promo_code(command.code):
        raise CommandError("Type the promo code, then apply it.")
    code = promo_code(command.code)
    if isinstance(command, RemovePromo):
        if code not in state.cart.promo_codes:
            raise CommandError(f"The code {code} is not applied to this order.")
        return
    if code in state.cart.promo_codes:
        raise CommandError(f"The code {code} is already applied to this order.")
    if pricelist is None:
        raise CommandError("The studio's price list could not be read; ask the photographer.")
    discount = next((d for d in pricelist.discounts if d.code == code), None)
    if discount is None:
        raise CommandError(f"The code {code} is not one of the studio's promo codes; check it.")
    if discount.expires is not None and today > discount.expires:
        raise CommandError(f"The code {code} expired on {discount.expires.isoformat()}.")
    if discount.starts is not None and today < discount.starts:
        raise CommandError(
            f"The code {code} can be used from {discount.starts.isoformat()}, not yet."
        )


def _validate_crop(
    state: CartState,
    command: SetCrop,
    pricelist: PriceList | None,
    image_sizes: Mapping[int, tuple[int, int]],
) -> None:
    line = state.line(command.line)
    if line is None:
        raise CommandError("That item is no longer in the order.")
    if pricelist is None:
        raise CommandError("The studio's price list could not be read; ask the photographer.")
    product = pricelist.product(line.product)
    variant = product.variant(line.variant) if product else None
    if product is None or variant is None or variant.size is None or not product.is_wall_item:
        raise CommandError("Only a print or wall art is cropped; this item has no print size.")
    size = image_sizes.get(line.images[0]) if line.images else None  # type: ignore[call-overload]
    if size is None:
        raise CommandError("The photo of this item is not in the session; it cannot be cropped.")
    problem = shape_error(command.crop, *size, *variant.size.inches())
    if problem:
        raise CommandError(problem)


def _validate_design(
    state: CartState, command: SetAlbumDesign, pricelist: PriceList | None
) -> None:
    line = state.line(command.line)
    if line is None:
        raise CommandError("That album is no longer in the order.")
    if pricelist is None:
        raise CommandError("The studio's price list could not be read; ask the photographer.")
    product = pricelist.product(line.product)
    variant = product.variant(line.variant) if product else None
    if product is None or variant is None or product.kind != "album":
        raise CommandError("Only an album has spreads to design.")
    check_design(command.spreads)
    count, name = len(command.spreads), f"The {product.name} {variant.name}"
    if count < variant.spreads:
        raise CommandError(
            f"{name} has {variant.spreads} spreads included: it cannot have fewer "
            f"(this design has {count}). Put fewer photos on a spread, or keep more photos."
        )
    if variant.max_spreads and count > variant.max_spreads:
        raise CommandError(
            f"{name} holds at most {variant.max_spreads} spreads; this design has {count}. "
            "Put more photos on a spread, or remove one."
        )


def promo_code(text: str) -> str:
    """A code as the price list spells it: the client may type it in any case."""
    return text.strip().upper()


def _check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise CommandError(f"Choose a quantity from 1 to {MAX_QUANTITY}.")


def apply(state: CartState, command: CartCommand) -> CartState:
    if isinstance(command, Switch):
        after = state
        for inner in command.commands:
            after = apply(after, inner)
        return replace(after, previous=state)  # one step back undoes the whole switch
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
    elif isinstance(command, ApplyPromo):
        code = promo_code(command.code)
        if code not in cart.promo_codes:  # the log is folded leniently (module docstring)
            cart = replace(cart, promo_codes=(*cart.promo_codes, code))
    elif isinstance(command, RemovePromo):
        code = promo_code(command.code)
        cart = replace(cart, promo_codes=tuple(c for c in cart.promo_codes if c != code))
    elif isinstance(command, SetStudioDiscount):
        cart = replace(cart, studio_discount=command.discount())
    elif isinstance(command, SetCrop):
        crop = command.crop.as_tuple()
        cart = replace(
            cart,
            lines=tuple(
                replace(li, crop=crop) if li.id == command.line else li for li in cart.lines
            ),
        )
    elif isinstance(command, SetAlbumDesign):
        design = as_design(command.spreads)
        cart = replace(
            cart,
            lines=tuple(
                replace(li, design=design, images=images_of(design), spreads=len(design))
                if li.id == command.line
                else li
                for li in cart.lines
            ),
        )
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


def advice_for(
    state: CartState, pricelist: PriceList | None, *, today: date, images: int = 0
) -> Advice | None:
    """The advisor on the session's cart (`images`: how many the session has), or None when
    there is nothing to advise on or the cart cannot be priced (the breakdown says why)."""
    if pricelist is None or not state.cart.lines:
        return None
    try:
        return advise(pricelist, state.cart, today=today, images=images)
    except CartError:
        return None


def switch_for(advice: Advice | None) -> Switch | None:
    """The one-tap command that takes the advice's suggestion, if it has one."""
    if advice is None or advice.change is None:
        return None
    return Switch.taking(advice.change)
