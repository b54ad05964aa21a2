"""The client's cart as commands, like their decisions: durable in the event log and undoable.

A cart command is checked against the price list when it is given (`validate`); folding the log
(`apply`) is lenient, so a session still opens after the studio edits its price list (the
pricing engine then reports a line that is no longer offered, and the client can remove it).

    state = CartState()
    state = apply(state, AddLine("canvas", "16x20", {"depth": "1.5"}, (101,)))
    state = apply(state, ChooseCollection("heirloom"))
    state = apply(state, ApplyPromo("family10"))
    state = apply(state, SetStudioDiscount(percent=10, reason="loyal client"))
    state.cart            # a kiosk.core.pricing.Cart, ready for price() and advise()
    undo(state).cart      # the cart before the last change

The advisor's suggestion is taken with one tap as a `Switch`: the cart commands it stands for
(lines out, a bundle in, or another collection), checked, logged and undone as one step.

Discounts: a promo code (`ApplyPromo`, `RemovePromo`) may come from the touch screen or the
remote; the studio discount (`SetStudioDiscount`) only from the photographer's paired remote
(`validate`'s `actor`), since the client holds the touch screen.
"""

from kiosk.core.cart.commands import (
    CART_COMMANDS,
    CART_TYPES,
    MAX_QUANTITY,
    STUDIO_DISCOUNT_ACTORS,
    SWITCHABLE,
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
    command_from_json,
)
from kiosk.core.cart.rules import (
    CartState,
    advice_for,
    apply,
    promo_code,
    switch_for,
    undo,
    unit_price,
    validate,
)

__all__ = [
    "CART_COMMANDS",
    "CART_TYPES",
    "MAX_QUANTITY",
    "STUDIO_DISCOUNT_ACTORS",
    "SWITCHABLE",
    "AddLine",
    "ApplyPromo",
    "CartCommand",
    "CartState",
    "ChooseCollection",
    "RemoveLine",
    "RemovePromo",
    "SetAlbumDesign",
    "SetCrop",
    "SetQuantity",
    "SetStudioDiscount",
    "Switch",
    "advice_for",
    "apply",
    "command_from_json",
    "promo_code",
    "switch_for",
    "undo",
    "unit_price",
    "validate",
]
