"""The advisor: the same cart priced under every collection and none, and a sentence for the
client when another choice costs less, or a little more for more."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kiosk.core.pricelist import PriceList
from kiosk.core.pricing.breakdown import CreditUsage
from kiosk.core.pricing.cart import Cart
from kiosk.core.pricing.engine import Evaluation, PreparedCart
from kiosk.core.pricing.money import format_money


@dataclass(frozen=True)
class Quote:
    """The cart's total under one choice of collection (None: everything à la carte)."""

    collection: str | None
    name: str
    total: int
    covers_all: bool  # the collection's credits pay for every unit in the cart
    unused: tuple[CreditUsage, ...] = ()  # credits with something left


@dataclass(frozen=True)
class Advice:
    chosen: Quote
    best: Quote  # the cheapest way to buy this cart
    quotes: tuple[Quote, ...]  # every choice, cheapest first
    suggestion: str | None = None  # a sentence for the client, when there is something to say
    suggested: Quote | None = None

    @property
    def savings(self) -> int:
        return self.chosen.total - self.best.total


def advise(
    pricelist: PriceList, cart: Cart, *, today: date, upgrade_within: int | None = None
) -> Advice:
    """Price the cart under every collection and none, exactly, and suggest a better choice.

    A cheaper choice is always suggested. Otherwise a collection costing at most
    `upgrade_within` (default: the list's `[advisor] upgrade_within`) more than the chosen one
    is suggested when it leaves credits over for more images.
    """
    prepared = PreparedCart(pricelist, cart, today)
    chosen_collection = prepared.collection_of(cart.collection)
    quotes: list[Quote] = []
    chosen: Quote | None = None
    for collection in (None, *pricelist.collections):
        quote = quote_of(prepared.evaluate(collection))
        quotes.append(quote)
        if collection is chosen_collection:
            chosen = quote
    assert chosen is not None
    # Cheapest first; on a tie, the richer collection, then the list's order.
    order = {q.collection: n for n, q in enumerate(quotes)}
    quotes.sort(key=lambda q: (q.total, -len(q.unused), order[q.collection]))
    best = quotes[0] if quotes[0].total < chosen.total else chosen
    threshold = pricelist.upgrade_within if upgrade_within is None else upgrade_within
    money = pricelist.currency
    suggestion, suggested = None, None
    if best is not chosen:
        suggested = best
        less = format_money(chosen.total - best.total, money)
        if best.collection is None:
            suggestion = f"Without a collection, this order comes to {less} less."
        elif best.covers_all:
            suggestion = f"{best.name} covers all of this for {less} less."
        else:
            suggestion = f"With {best.name}, this order comes to {less} less."
    elif prepared.lines:
        upgrades = [
            q
            for q in quotes
            if q.collection not in (None, chosen.collection)
            and 0 <= q.total - chosen.total <= threshold
            and q.unused
        ]
        if upgrades:
            suggested = upgrades[0]
            extra = suggested.total - chosen.total
            adds = and_list(count_phrase(c.left, c.label, c.plural) for c in suggested.unused)
            lead = "For the same price" if extra == 0 else f"For {format_money(extra, money)} more"
            covers = " covers all of this and" if suggested.covers_all else ""
            suggestion = f"{lead}, {suggested.name}{covers} adds {adds}."
    return Advice(
        chosen=chosen, best=best, quotes=tuple(quotes), suggestion=suggestion, suggested=suggested
    )


def count_phrase(n: int, one: str, many: str) -> str:
    if n == 1:
        return f"one {one}"
    return f"{n} × {many}" if many[:1].isdigit() else f"{n} {many}"


def and_list(parts: Iterable[str]) -> str:
    items = list(parts)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def quote_of(result: Evaluation) -> Quote:
    """The cart's total under the collection `result` was evaluated with."""
    collection = result.collection
    units = result.prepared.units
    return Quote(
        collection=collection.id if collection else None,
        name=collection.name if collection else "À la carte",
        total=result.total,
        covers_all=collection is not None and units > 0 and sum(result.covered) == units,
        unused=tuple(c for c in result.credit_usage() if c.left),
    )
