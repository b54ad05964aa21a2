"""The studio's Product & Pricing Guide as plain values, made from the price list so it can never
disagree with the kiosk: every price in it is what the pricing engine charges for it.

    guide = pricing_guide(pricelist, today=date(2026, 5, 1))
    guide.collections[0].price     # "$1,495.00": a cart of that collection alone, priced
    guide.products[0].variants     # (("8×10", "$45.00"), ...): one of each, priced

The PDF (kiosk/guide/pdf.py) and the phone page (kiosk/web/routes/guide.py) lay these out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.core.errors import CartError
from kiosk.core.pricelist import PriceList, Product, Variant
from kiosk.core.pricing import Cart, CartLine, format_money, price

VIEWING = (
    "Your viewing is a relaxed hour at the studio, on a large screen. We show your photographs "
    "once as a slideshow, then you keep, set aside or compare them, two at a time, until your "
    "favourites remain.",
    "See them on your own wall: bring a photo of it and we show each print at its real size.",
    "Choose a collection or single products; the screen shows the total as you go, with any "
    "savings. Nothing is ordered until you confirm, and you may take time to decide.",
)


@dataclass(frozen=True)
class GuideCollection:
    name: str
    price: str
    includes: tuple[str, ...]  # "10 digital files", "a 16×20 canvas"
    description: str


@dataclass(frozen=True)
class GuideOption:
    name: str
    choices: tuple[tuple[str, str], ...]  # (choice, "+$40.00" or "included")


@dataclass(frozen=True)
class GuideProduct:
    name: str
    kind: str
    description: str
    variants: tuple[tuple[str, str], ...]  # (size or name, price)
    options: tuple[GuideOption, ...]
    id: str = ""  # the price list's product id: its picture is drawn from it


@dataclass(frozen=True)
class PricingGuide:
    studio: str
    collections: tuple[GuideCollection, ...]
    products: tuple[GuideProduct, ...]
    plans: tuple[str, ...]  # each payment plan in a sentence
    notes: tuple[str, ...]  # session-fee credit, minimum order, tax
    viewing: tuple[str, ...] = VIEWING


def pricing_guide(pricelist: PriceList, *, today: date) -> PricingGuide:
    money = lambda amount: format_money(amount, pricelist.currency)  # noqa: E731
    collections = tuple(
        GuideCollection(
            name=c.name,
            price=_collection_price(pricelist, c.id, today),
            includes=tuple(
                _included(credit.count, credit.label, credit.plural) for credit in c.credits
            ),
            description=c.description,
        )
        for c in pricelist.collections
    )
    products = []
    for product in pricelist.products:
        variants = tuple(
            (_variant_name(v, pricelist.units), _line_price(pricelist, product, v, today))
            for v in product.variants
        )
        options = tuple(
            GuideOption(
                o.name,
                tuple(
                    (
                        ch.name,
                        "included"
                        if not ch.price and not ch.variant_prices
                        else _upgrade(ch, money),
                    )
                    for ch in o.choices
                ),
            )
            for o in product.options
        )
        products.append(
            GuideProduct(
                product.name,
                product.kind,
                product.description,
                variants,
                options,
                product.id,
            )
        )
    plans = tuple(_plan(plan, money) for plan in pricelist.payment_plans)
    notes = []
    if pricelist.session_fee_credit:
        when = " with a collection" if pricelist.session_fee_credit_needs_collection else ""
        notes.append(
            f"Your session fee is credited towards your order{when}: "
            f"{money(pricelist.session_fee_credit)} off."
        )
    if pricelist.minimum_order:
        notes.append(f"The minimum order is {money(pricelist.minimum_order)}.")
    tax = pricelist.tax
    if tax.rate:
        rate = f"{tax.rate.normalize():f}"
        notes.append(
            f"Prices include {tax.name} at {rate}%."
            if tax.inclusive
            else f"{tax.name} at {rate}% is added to the prices shown."
        )
    else:
        notes.append("No tax is added to the prices shown.")
    return PricingGuide(pricelist.studio, collections, tuple(products), plans, tuple(notes))


def _collection_price(pricelist: PriceList, collection_id: str, today: date) -> str:
    """The collection's line when a cart holds it alone, as the invoice prints it."""
    breakdown = price(pricelist, Cart(lines=(), collection=collection_id), today=today)
    line = next(x for x in breakdown.lines if x.kind == "collection")
    return format_money(line.amount, pricelist.currency)


def _line_price(pricelist: PriceList, product: Product, variant: Variant, today: date) -> str:
    """One unit of the variant (one image, for a per-image product), priced à la carte."""
    images = ("guide",) if product.per == "image" or product.covers is None else ()
    cart = Cart(lines=(CartLine(product.id, variant.id, images=images, id="guide"),))
    try:
        breakdown = price(pricelist, cart, today=today)
    except CartError:
        return format_money(variant.price, pricelist.currency)
    line = next(x for x in breakdown.lines if x.kind == "item")
    return format_money(line.list_amount or line.amount, pricelist.currency)


def _variant_name(variant: Variant, units: str) -> str:
    if variant.size is None:
        return variant.name
    return str(variant.size) if not variant.name or variant.name == variant.id else variant.name


def _included(count: int | None, label: str, plural: str) -> str:
    if count is None:
        return f"all {plural}"
    return f"{count} {plural}" if count != 1 else f"1 {label}"


def _upgrade(choice, money) -> str:
    if choice.variant_prices:
        low = min(p for _, p in choice.variant_prices)
        high = max(p for _, p in choice.variant_prices)
        return f"+{money(low)}" if low == high else f"+{money(low)} to {money(high)}"
    return f"+{money(choice.price)}"


def _plan(plan, money) -> str:
    deposit = (
        f"{plan.deposit_percent.normalize():f}% deposit"
        if plan.deposit_percent is not None
        else f"{money(plan.deposit)} deposit"
    )
    every = {"month": "monthly", "week": "weekly"}.get(plan.interval, f"every {plan.interval}")
    text = f"{plan.name}: a {deposit} when you order, then {plan.instalments} {every} payments"
    if plan.min_total:
        text += f", on orders of {money(plan.min_total)} or more"
    return text + "."
