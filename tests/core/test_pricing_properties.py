"""Properties of the pricing engine over random carts from four realistic price lists."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.pricelist import PriceList, load
from kiosk.core.pricing import Cart, CartLine, StudioDiscount, advise, cart_from_dict, price

ROOT = Path(__file__).resolve().parents[2]
LISTS = {
    name: load(path)
    for name, path in {
        "simple": ROOT / "tests/data/pricelists/simple.toml",
        "collections": ROOT / "tests/data/pricelists/collections.toml",
        "vat": ROOT / "tests/data/pricelists/vat.toml",
        "demo": ROOT / "assets/pricelist.toml",
    }.items()
}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cart_lines(draw: st.DrawFn, pl: PriceList, max_units: int = 3) -> CartLine:
    product = draw(st.sampled_from(pl.products))
    variant = draw(st.sampled_from(product.variants))
    options = {}
    for option in product.options:
        offered = [c.id for c in option.choices if c.price_for(variant.id) is not None]
        options[option.id] = draw(st.sampled_from(offered))
    spreads = 0
    if product.kind == "album":
        most = variant.max_spreads or variant.spreads + 10
        spreads = draw(st.integers(variant.spreads, most))
    images = draw(st.lists(st.integers(1, 400), min_size=1, max_size=max_units, unique=True))
    quantity = draw(st.integers(1, max_units))
    crop = None
    if product.is_wall_item and draw(st.booleans()):  # the client's crop (kiosk.core.crop)
        crop = tuple(draw(st.floats(0, 1)) for _ in range(4))
    return CartLine(product.id, variant.id, options, tuple(images), quantity, spreads, crop=crop)


# The photographer's own discount: none, a whole percent, or an amount up to more than any
# cart here costs (so the cap is exercised).
studio_discounts = st.one_of(
    st.none(),
    st.builds(StudioDiscount, percent=st.integers(1, 100), reason=st.sampled_from(["", "loyal"])),
    st.builds(StudioDiscount, amount=st.integers(1, 2_000_000), reason=st.just("friends")),
)


@st.composite
def priced_carts(draw: st.DrawFn, max_lines: int = 6, max_units: int = 3) -> tuple:
    pl = LISTS[draw(st.sampled_from(sorted(LISTS)))]
    lines = draw(st.lists(cart_lines(pl, max_units), max_size=max_lines))
    collection = draw(st.sampled_from([None, *(c.id for c in pl.collections)]))
    codes = draw(st.lists(st.sampled_from([d.code for d in pl.discounts if d.code] or [""])))
    shipping = draw(st.sampled_from([None, *(s.id for s in pl.shipping)]))
    plan = draw(st.sampled_from([None, *(p.id for p in pl.payment_plans)]))
    cart = Cart(
        lines=tuple(lines),
        collection=collection,
        promo_codes=tuple(c for c in codes if c),
        shipping=shipping,
        payment_plan=plan,
        session_fee_credit=draw(st.booleans()),
        studio_discount=draw(studio_discounts),
    )
    today = draw(st.dates(date(2025, 1, 1), date(2027, 1, 1)))
    return pl, cart, today


@FAST
@given(priced_carts())
def test_total_is_never_negative_and_lines_add_up_exactly(case: tuple) -> None:
    pl, cart, today = case
    breakdown = price(pl, cart, today=today)
    assert breakdown.total >= 0
    assert sum(line.amount for line in breakdown.lines) == breakdown.total
    assert breakdown.tax.amount >= 0
    if breakdown.schedule is not None:
        assert breakdown.schedule.total == breakdown.total
        assert min(breakdown.schedule.instalments) >= 0
        assert max(breakdown.schedule.instalments) - min(breakdown.schedule.instalments) <= 1


@FAST
@given(priced_carts())
def test_a_cart_read_back_from_its_json_is_the_same_cart_at_the_same_total(case: tuple) -> None:
    pl, cart, today = case
    again = cart_from_dict(json.loads(json.dumps(cart.to_dict())))
    assert again == cart
    assert price(pl, again, today=today).total == price(pl, cart, today=today).total


@FAST
@given(priced_carts(), st.data())
def test_adding_a_line_never_lowers_the_total_under_a_fixed_collection(
    case: tuple, data: st.DataObject
) -> None:
    pl, cart, today = case
    line = data.draw(cart_lines(pl))
    if pl.product(line.product).covers is not None:
        return  # a bundle may cost less than the lines it includes: the next property
    at = data.draw(st.integers(0, len(cart.lines)))
    bigger = replace(cart, lines=(*cart.lines[:at], line, *cart.lines[at:]))
    assert price(pl, bigger, today=today).total >= price(pl, cart, today=today).total


@FAST
@given(priced_carts(max_lines=8), st.data())
def test_a_bundle_charges_once_whatever_lines_it_includes(case: tuple, data: st.DataObject) -> None:
    pl, cart, today = case
    bundles = [p for p in pl.products if p.covers is not None]
    if not bundles:
        return
    bundle = data.draw(st.sampled_from(bundles))
    added = CartLine(bundle.id, bundle.variants[0].id, quantity=1)
    covered = [
        line
        for line in cart.lines
        if bundle.covers.matches(
            pl.product(line.product), pl.product(line.product).variant(line.variant)
        )
        and not line.options
    ]
    with_lines = replace(cart, lines=(*cart.lines, added))
    without = replace(cart, lines=(*(x for x in cart.lines if x not in covered), added))
    assert price(pl, with_lines, today=today).total == price(pl, without, today=today).total


@FAST
@given(priced_carts())
def test_a_studio_discount_never_raises_the_total_and_shows_as_one_line_with_its_reason(
    case: tuple,
) -> None:
    pl, cart, today = case
    with_it = price(pl, cart, today=today)
    without = price(pl, replace(cart, studio_discount=None), today=today)
    assert 0 <= with_it.total <= without.total
    studio = [x for x in with_it.lines if x.kind == "discount" and x.ref == "studio"]
    assert len(studio) <= 1
    if studio:
        assert studio[0].amount < 0 and studio[0].label == cart.studio_discount.label
        # The price-list discounts come first and are the same with or without it.
        assert with_it.lines[: with_it.lines.index(studio[0])] == tuple(
            x for x in without.lines if x.kind in ("collection", "item", "discount")
        )


@FAST
@given(priced_carts())
def test_the_advisors_choice_is_never_dearer_than_any_collection_the_client_could_pick(
    case: tuple,
) -> None:
    pl, cart, today = case
    advice = advise(pl, cart, today=today)
    totals = {
        choice: price(pl, cart.with_collection(choice), today=today).total
        for choice in (None, *(c.id for c in pl.collections))
    }
    assert advice.best.total == min(totals.values())
    assert advice.chosen.total == totals[cart.collection]
    assert {q.collection: q.total for q in advice.quotes} == totals
    if advice.best.total < advice.chosen.total:
        # The cheapest collection is suggested, unless a bundle in place of files costs less.
        suggested = advice.suggested
        assert advice.suggestion and suggested is not None
        assert suggested == advice.best or (
            suggested.bundle is not None and suggested.total < advice.best.total
        )


@settings(max_examples=200, deadline=None)
@given(priced_carts(max_lines=5, max_units=2))
def test_credit_allocation_covers_as_much_as_exhaustive_search(case: tuple) -> None:
    pl, cart, today = case
    if cart.collection is None:
        return
    collection = pl.collection(cart.collection)
    breakdown = price(pl, cart, today=today)
    bundles = [pl.product(x.product) for x in cart.lines if pl.product(x.product).covers]
    units = []  # (base price, credits it fits) for every unit in the cart
    for line, shown in zip(
        cart.lines, [x for x in breakdown.lines if x.kind == "item"], strict=True
    ):
        product = pl.product(line.product)
        variant = product.variant(line.variant)
        # A line a bundle in the cart includes has nothing left for a credit to pay.
        value = 0 if any(b.covers.matches(product, variant) for b in bundles) else variant.price
        fits = frozenset(
            n for n, credit in enumerate(collection.credits) if credit.covers(product, variant)
        )
        units += [(value, fits)] * shown.quantity
    covered = sum(
        shown.covered * pl.product(line.product).variant(line.variant).price
        for line, shown in zip(
            cart.lines, [x for x in breakdown.lines if x.kind == "item"], strict=True
        )
    )

    @cache
    def best(i: int, room: tuple[int, ...]) -> int:
        if i == len(units):
            return 0
        value, fits = units[i]
        result = best(i + 1, room)
        for c in fits:
            if room[c]:
                less = room[:c] + (room[c] - 1,) + room[c + 1 :]
                result = max(result, value + best(i + 1, less))
        return result

    assert covered == best(0, tuple(c.count for c in collection.credits))
    used = [usage.used for usage in breakdown.credits]
    assert sum(used) == sum(x.covered for x in breakdown.lines if x.kind == "item")
    assert all(u <= c.count for u, c in zip(used, collection.credits, strict=True))
