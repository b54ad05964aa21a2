"""The advisor: the same cart priced under every collection and none, and with each bundle in
place of the lines it covers, and a sentence for the client when another choice costs less, or
a little more for more.

Every price is the engine's, exact. A suggestion carries the `CartChange` that takes it (a
collection to choose, or lines out and a bundle in), so a screen can offer it as one tap:
kiosk.core.cart.Switch turns it into cart commands applied as one undoable step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from kiosk.core.pricelist import Collection, Covers, PriceList
from kiosk.core.pricing.breakdown import CreditUsage
from kiosk.core.pricing.cart import Cart, CartLine
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
    bundle: str | None = None  # a bundle product in place of the lines it covers


@dataclass(frozen=True)
class CartChange:
    """What taking a suggestion changes in the cart: lines out (by id), lines in, and the
    collection when `choose_collection`."""

    remove: tuple[str, ...] = ()
    add: tuple[CartLine, ...] = ()
    choose_collection: bool = False
    collection: str | None = None


@dataclass(frozen=True)
class Advice:
    chosen: Quote
    best: Quote  # the cheapest collection (or none) for this cart
    quotes: tuple[Quote, ...]  # every collection and none, cheapest first
    suggestion: str | None = None  # a sentence for the client, when there is something to say
    suggested: Quote | None = None
    change: CartChange | None = None  # what taking the suggestion does to the cart

    @property
    def savings(self) -> int:
        return self.chosen.total - self.best.total


def advise(
    pricelist: PriceList,
    cart: Cart,
    *,
    today: date,
    upgrade_within: int | None = None,
    images: int = 0,
) -> Advice:
    """Price the cart under every collection and none, and with each bundle the list offers in
    place of the lines it covers, exactly, and suggest a better choice.

    The cheapest choice is always suggested (a collection on a tie). Otherwise the cheapest
    costing at most `upgrade_within` (default: the list's `[advisor] upgrade_within`) more than
    the chosen one: a collection that leaves credits over, or a bundle. `images` is how many
    the session has, for "all 48 digital files" (0: not said).
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
    bundles = sorted(
        _bundle_switches(pricelist, cart, today, chosen_collection, chosen.collection),
        key=lambda b: b[0].total,
    )
    advice = Advice(chosen=chosen, best=best, quotes=tuple(quotes))
    cheapest_bundle = bundles[0] if bundles else None
    if cheapest_bundle and cheapest_bundle[0].total < best.total:
        quote, change, units, covers = cheapest_bundle
        less = format_money(chosen.total - quote.total, money)
        singles = f"{units} single {(covers.one if units == 1 else covers.plural).split()[-1]}"
        return replace(
            advice,
            suggestion=f"{quote.name}: {less} less than {singles}.",
            suggested=quote,
            change=change,
        )
    if best is not chosen:
        less = format_money(chosen.total - best.total, money)
        if best.collection is None:
            suggestion = f"Without a collection, this order comes to {less} less."
        elif best.covers_all:
            suggestion = f"{best.name} covers all of this for {less} less."
        else:
            suggestion = f"With {best.name}, this order comes to {less} less."
        return replace(
            advice, suggestion=suggestion, suggested=best, change=_choose(best.collection)
        )
    if not prepared.lines:
        return advice
    upgrades = [
        q
        for q in quotes
        if q.collection not in (None, chosen.collection)
        and 0 <= q.total - chosen.total <= threshold
        and q.unused
    ]
    bundle_ups = [b for b in bundles if 0 <= b[0].total - chosen.total <= threshold]
    if bundle_ups and (not upgrades or bundle_ups[0][0].total < upgrades[0].total):
        quote, change, _, covers = bundle_ups[0]
        extra = quote.total - chosen.total
        lead = "For the same price" if extra == 0 else f"For {format_money(extra, money)} more"
        many = f"all {images} {covers.plural}" if images else f"all {covers.plural}"
        return replace(advice, suggestion=f"{lead}, {many}.", suggested=quote, change=change)
    if upgrades:
        suggested = upgrades[0]
        extra = suggested.total - chosen.total
        adds = and_list(count_phrase(c.left, c.label, c.plural) for c in suggested.unused)
        lead = "For the same price" if extra == 0 else f"For {format_money(extra, money)} more"
        covers_all = " covers all of this and" if suggested.covers_all else ""
        return replace(
            advice,
            suggestion=f"{lead}, {suggested.name}{covers_all} adds {adds}.",
            suggested=suggested,
            change=_choose(suggested.collection),
        )
    return advice


def _choose(collection: str | None) -> CartChange:
    return CartChange(choose_collection=True, collection=collection)


def _bundle_switches(
    pricelist: PriceList,
    cart: Cart,
    today: date,
    collection: Collection | None,
    collection_id: str | None,
) -> list[tuple[Quote, CartChange, int, Covers]]:
    """Each bundle not in the cart that covers some of its lines: the cart with the bundle in
    their place, priced under the same collection; with the change, the units it replaces and
    what it covers."""
    held = {line.product for line in cart.lines}
    out = []
    for bundle in pricelist.products:
        covers = bundle.covers
        if covers is None or bundle.id in held:
            continue
        replaced = [
            line
            for line in cart.lines
            if (product := pricelist.product(line.product)) is not None
            and (variant := product.variant(line.variant)) is not None
            and covers.matches(product, variant)
        ]
        if not replaced:
            continue
        variant = min(bundle.variants, key=lambda v: v.price)
        added = CartLine(bundle.id, variant.id)
        kept = tuple(line for line in cart.lines if line not in replaced)
        switched = replace(cart, lines=(*kept, added))
        total = PreparedCart(pricelist, switched, today).evaluate(collection).total
        units = sum(line.quantity * max(1, len(line.images)) for line in replaced)
        quote = Quote(collection_id, bundle.name, total, False, bundle=bundle.id)
        change = CartChange(remove=tuple(line.id for line in replaced), add=(added,))
        out.append((quote, change, units, covers))
    return out


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
