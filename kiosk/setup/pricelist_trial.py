"""The editor's test cart: a cart priced by the unsaved draft, as the kiosk would price it.

What must stay true: the figures are `kiosk.core.pricing`'s own (`price` and `advise`, the
engine the TV and the invoice use), from the list as the draft reads; the editor adds nothing
of its own to them. What the test cart may hold comes from that same list (`catalogue`), so a
line can only name what the draft offers.

    pricelist = check_draft(text, draft).pricelist
    catalogue(pricelist)        # products with variants and options, collections, codes...
    priced = price_trial(pricelist, {"lines": [...], "collection": "classic"}, today=...)
    priced["breakdown"]["total"]["display"], priced["advice"]
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.core.errors import RevealError
from kiosk.core.pricelist import PriceList
from kiosk.core.pricing import advise, cart_from_dict, format_money, price

MOST_LINES = 40


def catalogue(pricelist: PriceList) -> dict[str, Any]:
    """What a test cart can be made of, by id and name."""
    return {
        "products": [
            {
                "id": p.id,
                "name": p.name,
                "per": p.per,
                "album": p.kind == "album",
                "variants": [
                    {"id": v.id, "name": v.name, "spreads": v.spreads} for v in p.variants
                ],
                "options": [
                    {
                        "id": o.id,
                        "name": o.name,
                        "default": o.default,
                        "choices": [{"id": c.id, "name": c.name} for c in o.choices],
                    }
                    for o in p.options
                ],
            }
            for p in pricelist.products
        ],
        "collections": [{"id": c.id, "name": c.name} for c in pricelist.collections],
        "codes": [{"code": d.code, "name": d.name} for d in pricelist.discounts if d.code],
        "shipping": [{"id": s.id, "name": s.name} for s in pricelist.shipping],
        "plans": [{"id": p.id, "name": p.name} for p in pricelist.payment_plans],
    }


def price_trial(pricelist: PriceList, cart: Any, *, today: date) -> dict[str, Any]:
    """The test cart's breakdown and the advisor's answer; `{"cartError": ...}` when the cart
    does not fit the list (a line naming a size the draft no longer has)."""
    if not isinstance(cart, dict) or len(cart.get("lines") or ()) > MOST_LINES:
        return {"cartError": f"A test cart is an object of at most {MOST_LINES} lines."}
    try:
        parsed = cart_from_dict(cart)
        breakdown = price(pricelist, parsed, today=today)
        advice = advise(pricelist, parsed, today=today)
    except RevealError as exc:
        return {"cartError": str(exc)}
    money = pricelist.currency
    return {
        "breakdown": breakdown.to_dict(),
        "advice": {
            "suggestion": advice.suggestion or "",
            "quotes": [
                {"collection": q.collection, "name": q.name, "total": format_money(q.total, money)}
                for q in advice.quotes
            ],
        },
    }
