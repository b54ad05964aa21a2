"""The [[discount]] tables: percent, amount and "buy N get M" discounts, and promo codes."""

from __future__ import annotations

from decimal import Decimal

from kiosk.core.pricelist.models import PRODUCT_KINDS, Discount, Product
from kiosk.core.pricelist.table import Table, unknown_product


def read_discount(t: Table, products: dict[str, Product]) -> Discount:
    did = t.ident()
    forms = [k for k in ("percent", "amount", "buy") if t.has(k)]
    if len(forms) != 1:
        raise t.error(
            "needs exactly one of percent, amount or buy (found "
            f'{", ".join(forms) or "none"}); e.g. percent = "10"'
        )
    kinds = t.words("kinds")
    named = t.words("products")
    for kind in kinds:
        if kind not in PRODUCT_KINDS:
            raise t.error(f'names "{kind}"; expected one of: {", ".join(PRODUCT_KINDS)}', "kinds")
    for pid in named:
        if pid not in products:
            raise t.error(unknown_product(pid, products), "products")
    kind = {"percent": "percent", "amount": "amount", "buy": "buy_get"}[forms[0]]
    everything = not kinds and not named
    if kind == "buy_get" and t.has("collection"):
        raise t.error("cannot apply to a collection; it frees whole items", "collection")
    discount = Discount(
        id=did,
        name=t.text("name"),
        kind=kind,
        percent=t.percent("percent", Decimal(0), low=0) if kind == "percent" else Decimal(0),
        amount=t.money("amount") if kind == "amount" else 0,
        buy=t.integer("buy", minimum=1) if kind == "buy_get" else 0,
        get=t.integer("get", 1, minimum=1) if kind == "buy_get" else 0,
        code=t.text("code", "").strip().upper(),
        starts=t.day("starts"),
        expires=t.day("expires"),
        kinds=frozenset(kinds),
        products=frozenset(named),
        collection=(kind != "buy_get") and t.flag("collection", everything),
    )
    if discount.starts and discount.expires and discount.expires < discount.starts:
        raise t.error("is before starts; a discount must start before it expires", "expires")
    t.done()
    return discount
