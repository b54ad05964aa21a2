"""The order as the remote shows it: the priced lines, the total and the discounts applied.

Part of every state the remote's websocket sends (kiosk.web.state.remote_state), so a
discount given from the tablet or a line added on the TV shows on both at once. Amounts are
minor units with their display text; `currency.decimals` lets the page turn "12.50" typed in
the amount field into the 1250 a `set_studio_discount` command carries. `advice` is the
advisor's sentence with the `switch` command that takes it, which the page's Switch button
posts as it is (one command, one Undo).
"""

from __future__ import annotations

from typing import Any

from kiosk.checkout.settings import details_for_session, missing_details
from kiosk.core.cart import advice_for, switch_for
from kiosk.core.pricing import STUDIO_DISCOUNT_REF, format_money
from kiosk.live import LiveSession


def cart_state(live: LiveSession) -> dict[str, Any]:
    cart = live.cart.cart
    pricelist = live.pricelist.current
    breakdown, problem = live.breakdown()
    if live.pricelist.error is not None and pricelist is not None:
        # A broken edit: the last good list still prices the order, and the photographer
        # sees where the file is wrong until it is fixed.
        problem = f"The price list in force is the last good one. {live.pricelist.error}"
    elif cart.lines and missing_details(details_for_session(live.store, live.session_id)):
        problem = (
            "The studio's details are not finished: enter them under Orders (the receipt icon) "
            "→ Studio details before the TV can confirm this order."
        )
    names = {d.code: d.name for d in pricelist.discounts if d.code} if pricelist else {}
    studio = cart.studio_discount
    out: dict[str, Any] = {
        "items": len(cart.lines),
        "promo_codes": [{"code": c, "name": names.get(c, "")} for c in cart.promo_codes],
        "studio_discount": None if studio is None else {**studio.to_dict(), "label": studio.label},
        "problem": problem,
        "currency": None,
        "lines": [],
        "total": None,
        "notices": [],
        "advice": None,
    }
    if pricelist is not None:
        money = pricelist.currency
        out["currency"] = {"code": money.code, "symbol": money.symbol, "decimals": money.decimals}
    if breakdown is not None:
        money = breakdown.currency
        out["lines"] = [
            {
                "kind": line.kind,
                "label": line.label,
                "ref": line.ref,
                "studio": line.kind == "discount" and line.ref == STUDIO_DISCOUNT_REF,
                "quantity": line.quantity,
                "amount": line.amount,
                "display": format_money(line.amount, money),
            }
            for line in breakdown.lines
        ]
        out["total"] = {"amount": breakdown.total, "display": format_money(breakdown.total, money)}
        out["notices"] = list(breakdown.notices)
        advice = advice_for(live.cart, pricelist, today=live.today(), images=len(live.images))
        if advice is not None and advice.suggestion:
            switch = switch_for(advice)
            out["advice"] = {
                "text": advice.suggestion,
                "switch": switch.to_json() if switch is not None else None,
            }
    return out
