"""The pricing engine and the advisor: pure, exact, in integer minor units.

`price(pricelist, cart, today=...)` returns a `Breakdown` whose lines sum exactly to its
total; `advise(...)` prices the same cart under every collection (and none) and says when
another choice costs less. The rules, in the order they apply:

1. Each cart line is priced: variant price per unit, plus option choices and extra album
   spreads per unit. A line's units are its quantity, times its images for per-image products.
2. The chosen collection's credits pay for the base price of the units they fit. The
   allocation maximises the base price covered, exactly: units that can be matched to credits
   form a transversal matroid, so taking units from the most to the least valuable and keeping
   each one an augmenting path can still place is optimal. Ties go to taxable units, then to
   cart order. Option upgrades and extra spreads stay charged.
3. Discounts, in this order: "buy N get M" (on base prices of units not covered by credits;
   units sorted most to least valuable, in every group of N+M the last M are free), then
   percent discounts (each on what remains eligible, rounded half-up), then amounts off (each
   capped at what remains eligible). Within a kind, in file order. A promo code discount
   applies only with its code, from `starts` to `expires` inclusive. Last, the photographer's
   own studio discount (`Cart.studio_discount`, one at most: a whole percent rounded half-up,
   or an amount capped at what remains), on everything the price-list discounts left, the
   collection included; its breakdown line carries the photographer's reason. Like the
   others it comes before the minimum order, which stays the studio's floor.
4. Minimum order: when the goods after discounts come to less, a top-up line makes up the
   difference (taxed only when all merchandise is taxable; an empty cart costs nothing).
5. Shipping: the cart's method, or the list's default.
6. Tax, rounded half-up once per invoice on the exact taxable amount (discounts are shared
   among the lines they reduce in proportion, as exact fractions). Tax-exclusive lists add a
   tax line; tax-inclusive lists (VAT) report the tax contained in the total.
7. Session-fee credit: the fee already paid, taken off what is due, never below zero.
8. Payment plan: deposit (percent rounded half-up, or fixed) and N instalments that add up
   exactly; odd cents go on the first instalments.

No rule lowers the total when a line is added (tests/core/test_pricing_properties.py), which
is why thresholds such as "free shipping over $500" are not part of the format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kiosk.core.errors import CartError
from kiosk.core.pricelist import (
    Collection,
    Currency,
    Discount,
    PaymentPlan,
    PriceList,
    Product,
    ShippingMethod,
    Variant,
)

# ---------------------------------------------------------------------------------------------
# The cart


@dataclass(frozen=True)
class CartLine:
    """One thing the client chose. `options` maps option id to choice id (defaults omitted)."""

    product: str
    variant: str
    options: tuple[tuple[str, str], ...] | Mapping[str, str] = ()
    images: tuple[int | str, ...] = ()
    quantity: int = 1
    spreads: int = 0  # albums: spreads wanted; 0 means those included in the variant
    id: str = ""  # the caller's line id, echoed in the breakdown

    def __post_init__(self) -> None:
        # Stored as sorted pairs so a line is hashable and two equal lines compare equal.
        options = self.options.items() if isinstance(self.options, Mapping) else self.options
        object.__setattr__(self, "options", tuple(sorted((str(k), str(v)) for k, v in options)))
        object.__setattr__(self, "images", tuple(self.images))

    @property
    def option_map(self) -> dict[str, str]:
        return dict(self.options)  # type: ignore[arg-type]


STUDIO_DISCOUNT_REF = "studio"  # the studio discount's breakdown line, among the "discount"s
MAX_REASON_CHARS = 60  # the reason is printed on the invoice line


@dataclass(frozen=True)
class StudioDiscount:
    """The photographer's own discount: `percent` (whole, 1 to 100) or `amount` (minor units),
    never both, and the reason the invoice line gives ("loyal client")."""

    percent: int | None = None
    amount: int | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if (self.percent is None) == (self.amount is None):
            raise CartError("A studio discount is a percent or an amount: give one of the two.")
        if self.percent is not None and (not _is_int(self.percent) or not 1 <= self.percent <= 100):
            raise CartError(
                "A studio discount's percent is a whole number from 1 to 100, "
                f"not {self.percent!r}."
            )
        if self.amount is not None and (not _is_int(self.amount) or self.amount < 1):
            raise CartError(
                "A studio discount's amount is a whole number of cents (minor units), 1 or "
                f"more, not {self.amount!r}."
            )
        if not isinstance(self.reason, str):
            raise CartError("A studio discount's reason must be text.")
        reason = " ".join(self.reason.split())  # one line on the invoice
        if len(reason) > MAX_REASON_CHARS:
            raise CartError(
                f"The discount's reason has {len(reason)} characters; keep it to "
                f"{MAX_REASON_CHARS}."
            )
        object.__setattr__(self, "reason", reason)

    @property
    def label(self) -> str:
        """ "Studio discount — loyal client −10%": the breakdown line's label."""
        label = "Studio discount"
        if self.reason:
            label += f" — {self.reason}"
        if self.percent is not None:
            label += f" −{self.percent}%"
        return label

    def to_dict(self) -> dict[str, Any]:
        return {"percent": self.percent, "amount": self.amount, "reason": self.reason}


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...] = ()
    collection: str | None = None
    promo_codes: tuple[str, ...] = ()
    shipping: str | None = None  # None: the price list's default method, if any
    payment_plan: str | None = None
    session_fee_credit: bool = True  # the client paid the session fee, so it is credited
    studio_discount: StudioDiscount | None = None  # the photographer's own, last of all

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "promo_codes", tuple(self.promo_codes))

    def with_line(self, line: CartLine) -> Cart:
        return replace(self, lines=(*self.lines, line))

    def with_collection(self, collection_id: str | None) -> Cart:
        return replace(self, collection=collection_id)

    def to_dict(self) -> dict[str, Any]:
        """The cart's JSON form, which `cart_from_dict` reads back to an equal cart."""
        return {
            "collection": self.collection,
            "promo_codes": list(self.promo_codes),
            "shipping": self.shipping,
            "payment_plan": self.payment_plan,
            "session_fee_credit": self.session_fee_credit,
            "studio_discount": self.studio_discount.to_dict() if self.studio_discount else None,
            "lines": [
                {
                    "id": line.id,
                    "product": line.product,
                    "variant": line.variant,
                    "options": line.option_map,
                    "images": list(line.images),
                    "quantity": line.quantity,
                    "spreads": line.spreads,
                }
                for line in self.lines
            ],
        }


def cart_from_dict(data: Mapping[str, Any]) -> Cart:
    """A cart from its JSON form (docs/pricelist.md, "Cart JSON"); CartError when malformed."""
    if not isinstance(data, Mapping):
        raise CartError('A cart must be a JSON object with a "lines" list.')
    known = {
        "lines",
        "collection",
        "promo_codes",
        "shipping",
        "payment_plan",
        "session_fee_credit",
        "studio_discount",
    }
    unknown = sorted(set(data) - known - {"date"})
    if unknown:
        raise CartError(
            f"The cart has unknown keys: {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known | {'date'}))}."
        )
    raw_lines = data.get("lines", [])
    if not isinstance(raw_lines, list):
        raise CartError('The cart\'s "lines" must be a list.')
    lines = []
    line_keys = {"id", "product", "variant", "options", "images", "quantity", "spreads"}
    for n, raw in enumerate(raw_lines, 1):
        if not isinstance(raw, Mapping) or "product" not in raw or "variant" not in raw:
            raise CartError(f'Cart line {n} needs at least "product" and "variant".')
        extra = sorted(set(raw) - line_keys)
        if extra:
            raise CartError(f"Cart line {n} has unknown keys: {', '.join(extra)}.")
        quantity, spreads = raw.get("quantity", 1), raw.get("spreads", 0)
        options, images = raw.get("options", {}), raw.get("images", [])
        if not _is_int(quantity) or not _is_int(spreads):
            raise CartError(f"Cart line {n}: quantity and spreads must be whole numbers.")
        if not isinstance(options, Mapping) or not isinstance(images, list):
            raise CartError(f'Cart line {n}: "options" must be an object, "images" a list.')
        lines.append(
            CartLine(
                product=str(raw["product"]),
                variant=str(raw["variant"]),
                options=options,
                images=tuple(images),
                quantity=quantity,
                spreads=spreads,
                id=str(raw.get("id", "")),
            )
        )
    codes = data.get("promo_codes", [])
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise CartError('The cart\'s "promo_codes" must be a list of codes.')
    for key in ("collection", "shipping", "payment_plan"):
        if not isinstance(data.get(key), str | None):
            raise CartError(f'The cart\'s "{key}" must be an id in quotes, or null.')
    if not isinstance(data.get("session_fee_credit", True), bool):
        raise CartError('The cart\'s "session_fee_credit" must be true or false.')
    return Cart(
        lines=tuple(lines),
        collection=data.get("collection"),
        promo_codes=tuple(codes),
        shipping=data.get("shipping"),
        payment_plan=data.get("payment_plan"),
        session_fee_credit=data.get("session_fee_credit", True),
        studio_discount=_studio_discount_from_dict(data.get("studio_discount")),
    )


def _studio_discount_from_dict(raw: object) -> StudioDiscount | None:
    if raw is None:
        return None
    keys = {"percent", "amount", "reason"}
    if not isinstance(raw, Mapping) or set(raw) - keys:
        raise CartError(
            'The cart\'s "studio_discount" must be null or an object with "percent" (whole '
            'percent) or "amount" (minor units), and "reason".'
        )
    return StudioDiscount(raw.get("percent"), raw.get("amount"), raw.get("reason", ""))


# ---------------------------------------------------------------------------------------------
# The breakdown


@dataclass(frozen=True)
class BreakdownLine:
    """One line of the invoice. `amount` is signed; all lines add up to the total.

    kind: "collection", "item", "discount", "minimum", "shipping", "tax", "session_credit".
    """

    kind: str
    label: str
    amount: int
    ref: str = ""  # cart line id (or its 1-based position), collection or discount id
    quantity: int = 0  # items: units on the line
    unit_price: int = 0  # items: price of one unit with its options
    covered: int = 0  # items: units whose base price the collection pays
    list_amount: int = 0  # items: the line à la carte, before credits and discounts
    note: str = ""  # "2 of 3 included in Heirloom"
    images: tuple[int | str, ...] = ()


@dataclass(frozen=True)
class CreditUsage:
    """How much of one collection credit the cart uses."""

    label: str
    plural: str
    used: int
    count: int
    refs: tuple[str, ...] = ()  # the cart lines it pays for

    @property
    def left(self) -> int:
        return self.count - self.used

    @property
    def text(self) -> str:
        """ "7 of 15 digital files used", or "30×40 canvas used" for a single credit."""
        if self.count == 1:
            return f"{self.label} {'used' if self.used else 'not used yet'}"
        return f"{self.used} of {self.count} {self.plural} used"


@dataclass(frozen=True)
class TaxSummary:
    name: str
    rate: Decimal  # percent
    inclusive: bool
    taxable: int  # the amount taxed, rounded for display (the tax is computed on the exact one)
    amount: int


@dataclass(frozen=True)
class PaymentSchedule:
    plan: str
    name: str
    deposit: int
    instalments: tuple[int, ...]
    interval: str = "month"

    @property
    def total(self) -> int:
        return self.deposit + sum(self.instalments)


@dataclass(frozen=True)
class Breakdown:
    currency: Currency
    collection: str | None
    lines: tuple[BreakdownLine, ...]
    credits: tuple[CreditUsage, ...]
    tax: TaxSummary
    subtotal: int  # collection and items, before discounts
    discounts: int  # the discounts' sum, as a positive amount
    shipping: int
    total: int  # what the client pays, = sum of the lines' amounts
    schedule: PaymentSchedule | None = None
    notices: tuple[str, ...] = ()  # for the photographer: an expired code, an unmet plan minimum

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: amounts in minor units, each with its display text."""
        money = self.currency

        def amount(value: int) -> dict[str, Any]:
            return {"amount": value, "display": format_money(value, money)}

        return {
            "currency": money.code,
            "collection": self.collection,
            "lines": [
                {
                    "kind": line.kind,
                    "label": line.label,
                    "ref": line.ref,
                    **amount(line.amount),
                    **(
                        {
                            "quantity": line.quantity,
                            "unit_price": line.unit_price,
                            "covered": line.covered,
                            "list_amount": line.list_amount,
                            "images": list(line.images),
                        }
                        if line.kind == "item"
                        else {}
                    ),
                    "note": line.note,
                }
                for line in self.lines
            ],
            "credits": [
                {
                    "label": c.label,
                    "plural": c.plural,
                    "used": c.used,
                    "count": c.count,
                    "text": c.text,
                    "lines": list(c.refs),
                }
                for c in self.credits
            ],
            "discounts": [
                {"id": line.ref, "label": line.label, **amount(-line.amount)}
                for line in self.lines
                if line.kind == "discount"
            ],
            "subtotal": amount(self.subtotal),
            "tax": {
                "name": self.tax.name,
                "rate": str(self.tax.rate),
                "inclusive": self.tax.inclusive,
                "taxable": self.tax.taxable,
                **amount(self.tax.amount),
            },
            "shipping": amount(self.shipping),
            "total": amount(self.total),
            "instalments": None
            if self.schedule is None
            else {
                "plan": self.schedule.plan,
                "name": self.schedule.name,
                "deposit": amount(self.schedule.deposit),
                "instalments": [amount(x) for x in self.schedule.instalments],
                "interval": self.schedule.interval,
            },
            "notices": list(self.notices),
        }


def format_money(amount: int, currency: Currency) -> str:
    """Minor units as the studio writes them: "$2,400.00", "1.234,50 €", "-$12.00"."""
    sign = "-" if amount < 0 else ""
    whole, minor = divmod(abs(amount), 10**currency.decimals)
    digits = f"{whole:,}".replace(",", currency.thousands)
    if currency.decimals:
        digits += currency.decimal_mark + str(minor).rjust(currency.decimals, "0")
    gap = " " if currency.space else ""
    if currency.position == "before":
        return f"{sign}{currency.symbol}{gap}{digits}"
    return f"{sign}{digits}{gap}{currency.symbol}"


def payment_schedule(total: int, plan: PaymentPlan) -> PaymentSchedule:
    """Deposit plus `plan.instalments` payments that add up to `total` exactly."""
    if plan.deposit_percent is not None:
        num, den = plan.deposit_percent.as_integer_ratio()
        deposit = _ratio(total * num, den * 100)
    else:
        deposit = min(plan.deposit, total)
    each, odd = divmod(total - deposit, plan.instalments)
    return PaymentSchedule(
        plan=plan.id,
        name=plan.name,
        deposit=deposit,
        instalments=tuple(each + (1 if i < odd else 0) for i in range(plan.instalments)),
        interval=plan.interval,
    )


# ---------------------------------------------------------------------------------------------
# The engine


def price(pricelist: PriceList, cart: Cart, *, today: date) -> Breakdown:
    """Price `cart`; `today` decides which promo codes are in force. CartError for bad lines."""
    prepared = _Prepared(pricelist, cart, today)
    collection = prepared.collection_of(cart.collection)
    return prepared.evaluate(collection).breakdown()


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
    prepared = _Prepared(pricelist, cart, today)
    chosen_collection = prepared.collection_of(cart.collection)
    quotes: list[Quote] = []
    chosen: Quote | None = None
    for collection in (None, *pricelist.collections):
        quote = prepared.evaluate(collection).quote()
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
            adds = _and(_count_phrase(c.left, c.label, c.plural) for c in suggested.unused)
            lead = "For the same price" if extra == 0 else f"For {format_money(extra, money)} more"
            covers = " covers all of this and" if suggested.covers_all else ""
            suggestion = f"{lead}, {suggested.name}{covers} adds {adds}."
    return Advice(
        chosen=chosen, best=best, quotes=tuple(quotes), suggestion=suggestion, suggested=suggested
    )


class _Line:
    """A cart line resolved against the price list (internal; a plain class for speed)."""

    __slots__ = (
        "ref",
        "label",
        "images",
        "product",
        "variant",
        "units",
        "base",
        "extras",
        "fits",
    )

    def __init__(
        self,
        ref: str,
        label: str,
        images: tuple[int | str, ...],
        product: Product,
        variant: Variant,
        units: int,
        extras: int,
        fits: dict[str, tuple[int, ...]],
    ) -> None:
        self.ref, self.label, self.images = ref, label, images
        self.product, self.variant, self.units = product, variant, units
        self.base, self.extras = variant.price, extras
        self.fits = fits  # collection id -> indexes of its credits that fit this variant


@dataclass
class _Prepared:
    """What does not depend on the collection: resolved lines, discounts in force, shipping."""

    pricelist: PriceList
    cart: Cart
    today: date
    lines: list[_Line] = field(init=False)
    units: int = field(init=False)  # in the whole cart
    by_rank: list[int] = field(init=False)  # line indexes, most valuable unit first
    keys: list[tuple[bool, ...]] = field(init=False)  # per line: taxable, then per reduction
    notices: list[str] = field(init=False)
    buy_gets: list[Discount] = field(init=False)
    free_fits: dict[str, list[bool]] = field(init=False)  # per buy-get discount: which lines
    reductions: list[Discount] = field(init=False)  # percent, then amounts
    shipping: ShippingMethod | None = field(init=False)
    top_up_taxed: bool = field(init=False)
    tax_share: tuple[int, int] = field(init=False)  # the tax in a taxable amount, as a ratio

    def __post_init__(self) -> None:
        pl, cart = self.pricelist, self.cart
        self.notices = []
        self.lines = lines = [_resolve(pl, line, n) for n, line in enumerate(cart.lines)]
        self.units = sum(x.units for x in lines)
        # Most valuable first, taxable before untaxed at equal price, then cart order: the
        # order credits and "buy N get M" take units in.
        self.by_rank = sorted(
            range(len(lines)), key=lambda i: (-lines[i].base, not lines[i].product.taxable, i)
        )
        active = self._discounts_in_force()
        self.buy_gets = [d for d in active if d.kind == "buy_get"]
        self.reductions = [d for d in active if d.kind == "percent"]
        self.reductions += [d for d in active if d.kind == "amount"]
        studio = cart.studio_discount
        if studio is not None:
            # Last of the reductions, so it takes its share of what the price list left; a
            # Discount reaching every line and the collection, so tax shares it exactly too.
            self.reductions.append(
                Discount(
                    id=STUDIO_DISCOUNT_REF,
                    name=studio.label,
                    kind="amount" if studio.percent is None else "percent",
                    percent=Decimal(studio.percent or 0),
                    amount=studio.amount or 0,
                    collection=True,
                )
            )
        self.free_fits = {d.id: [d.applies_to(x.product) for x in lines] for d in self.buy_gets}
        self.top_up_taxed = pl.everything_taxable
        rate = Fraction(pl.tax.rate) / 100
        share = rate / (1 + rate) if pl.tax.inclusive else rate
        self.tax_share = (share.numerator, share.denominator)
        self.keys = [
            (x.product.taxable, *(d.applies_to(x.product) for d in self.reductions)) for x in lines
        ]
        if cart.shipping is None:
            self.shipping = pl.default_shipping
        else:
            self.shipping = pl.shipping_method(cart.shipping)
            if self.shipping is None:
                choices = ", ".join(s.id for s in pl.shipping) or "none in this price list"
                raise CartError(
                    f'There is no shipping method "{cart.shipping}"; choose one of: {choices}.'
                )
        if cart.payment_plan is not None and pl.payment_plan(cart.payment_plan) is None:
            choices = ", ".join(p.id for p in pl.payment_plans) or "none in this price list"
            raise CartError(
                f'There is no payment plan "{cart.payment_plan}"; choose one of: {choices}.'
            )

    def _discounts_in_force(self) -> list[Discount]:
        codes = {c.strip().upper() for c in self.cart.promo_codes if c.strip()}
        known = set()
        active = []
        for d in self.pricelist.discounts:
            if d.code:
                if d.code not in codes:
                    continue
                known.add(d.code)
            if d.in_force(self.today):
                active.append(d)
            elif d.code:
                when = (
                    f"expired on {d.expires.isoformat()}"
                    if d.expires and self.today > d.expires
                    else f"starts on {d.starts.isoformat() if d.starts else '?'}"
                )
                self.notices.append(f"Code {d.code} {when}; it was not applied.")
        for code in sorted(codes - known):
            self.notices.append(f"Code {code} is not in this price list; it was not applied.")
        return active

    def collection_of(self, collection_id: str | None) -> Collection | None:
        if collection_id is None:
            return None
        collection = self.pricelist.collection(collection_id)
        if collection is None:
            choices = ", ".join(c.id for c in self.pricelist.collections) or "none in this list"
            raise CartError(f'There is no collection "{collection_id}"; choose one of: {choices}.')
        return collection

    def evaluate(self, collection: Collection | None) -> _Result:
        pl, lines = self.pricelist, self.lines
        covered, usage = _allocate(collection, lines, self.by_rank)
        charges = [
            (x.units - c) * x.base + x.units * x.extras for x, c in zip(lines, covered, strict=True)
        ]
        subtotal = sum(charges) + (collection.price if collection else 0)
        discount_lines: list[tuple[Discount, int]] = []

        # 3a. Buy N get M, on base prices of units still charged.
        if self.buy_gets:
            left = [x.units - c for x, c in zip(lines, covered, strict=True)]
            for d in self.buy_gets:
                position, freed = 0, 0
                group = d.buy + d.get
                for i in self.by_rank:
                    x = lines[i]
                    if not left[i] or not x.base or not self.free_fits[d.id][i]:
                        continue
                    free = _free_between(position, position + left[i], d.buy, group)
                    position += left[i]
                    if free:
                        left[i] -= free
                        charges[i] -= free * x.base
                        freed += free * x.base
                if freed:
                    discount_lines.append((d, freed))

        # 3b. Percent and amount discounts, shared among the buckets they reduce in exact
        # proportion so the one tax rounding sees the true taxable amount. Buckets are lines
        # alike in taxability and in which discounts reach them; their amounts are integer
        # numerators over one common denominator (exact, and much faster than Fractions).
        taxable, denominator = 0, 1
        if self.reductions:
            buckets: dict[tuple[bool, ...], int] = {}
            for key, charge in zip(self.keys, charges, strict=True):
                if charge:
                    buckets[key] = buckets.get(key, 0) + charge
            if collection and collection.price:
                key = (collection.taxable, *(d.collection for d in self.reductions))
                buckets[key] = buckets.get(key, 0) + collection.price
            for k, d in enumerate(self.reductions, 1):
                eligible = sum(v for key, v in buckets.items() if key[k])
                if not eligible:
                    continue
                most = eligible // denominator  # floored: never more than is there
                if d.kind == "percent":
                    num, den = d.percent.as_integer_ratio()
                    off = min(_ratio(eligible * num, denominator * den * 100), most)
                else:
                    off = min(d.amount, most)
                if not off:
                    continue
                discount_lines.append((d, off))
                # Eligible buckets keep (eligible - off) / eligible of themselves.
                kept = eligible - off * denominator
                for key in buckets:
                    buckets[key] *= kept if key[k] else eligible
                denominator *= eligible
            taxable = sum(v for key, v in buckets.items() if key[0])
        else:
            taxable = sum(c for key, c in zip(self.keys, charges, strict=True) if key[0])
            if collection and collection.taxable:
                taxable += collection.price

        discounts = sum(amount for _, amount in discount_lines)
        goods = subtotal - discounts
        anything = bool(lines) or collection is not None
        top_up = max(0, pl.minimum_order - goods) if anything else 0
        if top_up and self.top_up_taxed:
            taxable += top_up * denominator
        shipping = self.shipping.price if self.shipping and anything else 0
        if shipping and self.shipping and self.shipping.taxable:
            taxable += shipping * denominator

        share, share_of = self.tax_share
        tax_amount = _ratio(taxable * share, denominator * share_of)
        due = goods + top_up + shipping + (0 if pl.tax.inclusive else tax_amount)
        credit = 0
        if (
            self.cart.session_fee_credit
            and anything
            and (collection is not None or not pl.session_fee_credit_needs_collection)
        ):
            credit = min(pl.session_fee_credit, due)
        return _Result(
            self,
            collection,
            covered,
            usage,
            charges,
            subtotal,
            discount_lines,
            top_up,
            shipping,
            _ratio(taxable, denominator),
            tax_amount,
            credit,
            due - credit,
        )


@dataclass
class _Result:
    prepared: _Prepared
    collection: Collection | None
    covered: list[int]
    usage: list[tuple[int, list[int]]]  # per credit: units used, lines paid for
    charges: list[int]
    subtotal: int
    discount_lines: list[tuple[Discount, int]]
    top_up: int
    shipping: int
    taxable: int
    tax: int
    credit: int
    total: int

    def credit_usage(self) -> list[CreditUsage]:
        if self.collection is None:
            return []
        lines = self.prepared.lines
        return [
            CreditUsage(
                label=credit.label,
                plural=credit.plural,
                used=used,
                count=credit.count,
                refs=tuple(lines[i].ref for i in paid),
            )
            for credit, (used, paid) in zip(self.collection.credits, self.usage, strict=True)
        ]

    def quote(self) -> Quote:
        name = self.collection.name if self.collection else "À la carte"
        units = self.prepared.units
        return Quote(
            collection=self.collection.id if self.collection else None,
            name=name,
            total=self.total,
            covers_all=self.collection is not None and units > 0 and sum(self.covered) == units,
            unused=tuple(c for c in self.credit_usage() if c.left),
        )

    def breakdown(self) -> Breakdown:
        prepared, pl = self.prepared, self.prepared.pricelist
        currency, tax = pl.currency, pl.tax
        out: list[BreakdownLine] = []
        collection = self.collection
        if collection:
            out.append(
                BreakdownLine("collection", collection.name, collection.price, collection.id)
            )
        for x, covered, charge in zip(prepared.lines, self.covered, self.charges, strict=True):
            note = ""
            if covered and collection:
                note = (
                    f"included in {collection.name}"
                    if covered == x.units
                    else f"{covered} of {x.units} included in {collection.name}"
                )
            # The charge after "buy N get M" is shown on the discount line, not here.
            freed = (x.units - covered) * x.base + x.units * x.extras - charge
            out.append(
                BreakdownLine(
                    "item",
                    x.label,
                    charge + freed,
                    x.ref,
                    quantity=x.units,
                    unit_price=x.base + x.extras,
                    covered=covered,
                    list_amount=x.units * (x.base + x.extras),
                    note=note,
                    images=x.images,
                )
            )
        for d, amount in self.discount_lines:
            label = f"{d.name} ({d.code})" if d.code else d.name
            out.append(BreakdownLine("discount", label, -amount, d.id))
        if self.top_up:
            out.append(
                BreakdownLine(
                    "minimum",
                    f"Minimum order of {format_money(pl.minimum_order, currency)}",
                    self.top_up,
                )
            )
        if self.shipping and prepared.shipping:
            out.append(
                BreakdownLine(
                    "shipping", prepared.shipping.name, self.shipping, prepared.shipping.id
                )
            )
        rate_text = f"{tax.rate.normalize():f}%"
        if self.tax and not tax.inclusive:
            out.append(BreakdownLine("tax", f"{tax.name} {rate_text}", self.tax))
        if self.credit:
            out.append(BreakdownLine("session_credit", "Session fee credit", -self.credit))
        total = sum(line.amount for line in out)
        assert total == self.total, (total, self.total)  # the lines must add up, always

        notices = list(prepared.notices)
        schedule = None
        plan = pl.payment_plan(prepared.cart.payment_plan or "")
        if plan and total >= plan.min_total and total > 0:
            schedule = payment_schedule(total, plan)
        elif plan:
            notices.append(
                f"{plan.name} is for orders of {format_money(plan.min_total, currency)} or more."
            )
        return Breakdown(
            currency=currency,
            collection=collection.id if collection else None,
            lines=tuple(out),
            credits=tuple(self.credit_usage()),
            tax=TaxSummary(tax.name, tax.rate, tax.inclusive, self.taxable, self.tax),
            subtotal=self.subtotal,
            discounts=sum(a for _, a in self.discount_lines),
            shipping=self.shipping,
            total=total,
            schedule=schedule,
            notices=tuple(notices),
        )


def _resolve(pl: PriceList, line: CartLine, n: int) -> _Line:
    where = f"Cart line {n + 1}"
    if not _is_int(line.quantity) or line.quantity < 1:
        raise CartError(f"{where}: the quantity must be 1 or more, not {line.quantity!r}.")
    # The same product, variant and options recur change after change: resolve them once.
    key = ("line", line.product, line.variant, line.options, line.spreads)
    found = pl.memo.get(key)
    if found is None:
        found = _resolve_choice(pl, line, where)
        if len(pl.memo) > 50_000:  # a long-running kiosk sees many carts; stay bounded
            pl.memo.clear()
        pl.memo[key] = found
    product, variant, extras, label, fits = found
    units = line.quantity
    if product.per == "image":
        if not line.images:
            raise CartError(f"{where}: {product.name} is priced per image; add the images.")
        units *= len(line.images)
    return _Line(line.id or str(n + 1), label, line.images, product, variant, units, extras, fits)


def _resolve_choice(
    pl: PriceList, line: CartLine, where: str
) -> tuple[Product, Variant, int, str, dict[str, tuple[int, ...]]]:
    product = pl.product(line.product)
    if product is None:
        raise CartError(
            f'{where}: there is no product "{line.product}" in this price list; '
            "remove the line or choose another product."
        )
    variant = product.variant(line.variant)
    if variant is None:
        raise CartError(
            f'{where}: {product.name} has no "{line.variant}"; choose one of: '
            f"{', '.join(v.id for v in product.variants)}."
        )
    chosen = dict(line.options)  # type: ignore[arg-type]
    extras, names = 0, []
    for option in product.options:
        choice_id = chosen.pop(option.id, option.default)
        choice = option.choice(choice_id)
        if choice is None:
            raise CartError(
                f'{where}: {option.name} has no choice "{choice_id}"; choose one of: '
                f"{', '.join(c.id for c in option.choices)}."
            )
        add = choice.price_for(variant.id)
        if add is None:
            raise CartError(
                f"{where}: {choice.name} is not offered for {product.name} {variant.name}."
            )
        extras += add
        if choice_id != option.default:
            names.append(choice.name)
    if chosen:
        raise CartError(
            f"{where}: {product.name} has no option {', '.join(sorted(chosen))}; its options: "
            f"{', '.join(o.id for o in product.options) or 'none'}."
        )
    if product.kind == "album":
        spreads = line.spreads or variant.spreads
        if spreads < variant.spreads or (variant.max_spreads and spreads > variant.max_spreads):
            most = f" and at most {variant.max_spreads}" if variant.max_spreads else ""
            raise CartError(
                f"{where}: {product.name} {variant.name} has at least {variant.spreads}{most} "
                f"spreads, not {spreads}."
            )
        if spreads > variant.spreads:
            extras += (spreads - variant.spreads) * variant.extra_spread
            names.append(f"{spreads} spreads")
    elif line.spreads:
        raise CartError(f"{where}: only albums have spreads.")
    label = f"{product.name} {variant.name}"
    if names:
        label += ", " + ", ".join(names)
    fits = {
        c.id: tuple(n for n, credit in enumerate(c.credits) if credit.covers(product, variant))
        for c in pl.collections
    }
    return product, variant, extras, label, fits


def _allocate(
    collection: Collection | None, lines: list[_Line], by_rank: list[int]
) -> tuple[list[int], list[tuple[int, list[int]]]]:
    """Credits to units, maximising the base price covered (see the module's rule 2).

    Returns the units covered per line and, per credit, (units used, lines it pays for).
    """
    covered = [0] * len(lines)
    if collection is None:
        return covered, []
    fits = [x.fits[collection.id] for x in lines]
    room = [credit.count for credit in collection.credits]
    holders: list[dict[int, int]] = [{} for _ in room]  # credit -> {line: units}
    for i in by_rank:
        if not fits[i] or not lines[i].base:
            continue
        need = lines[i].units
        for c in fits[i]:  # credits with room take units directly
            if room[c]:
                step = min(need, room[c])
                room[c] -= step
                holders[c][i] = holders[c].get(i, 0) + step
                need -= step
                if not need:
                    break
        while need:
            # Every credit that fits is full: breadth-first search for an augmenting path,
            # moving units of lines already placed to other credits that fit them.
            parent: dict[int, tuple[int, int]] = {c: (-1, i) for c in fits[i]}
            queue = list(fits[i])
            free = -1
            for c in queue:
                if room[c]:
                    free = c
                    break
                for j in holders[c]:
                    for c2 in fits[j]:
                        if c2 not in parent:
                            parent[c2] = (c, j)
                            queue.append(c2)
            if free < 0:
                break
            step, c = min(need, room[free]), free
            while parent[c][0] >= 0:
                before, j = parent[c]
                step = min(step, holders[before][j])
                c = before
            room[free] -= step
            c = free
            while True:
                before, j = parent[c]
                holders[c][j] = holders[c].get(j, 0) + step
                if before < 0:
                    break
                holders[before][j] -= step
                if not holders[before][j]:
                    del holders[before][j]
                c = before
            need -= step
        covered[i] = lines[i].units - need
    usage = [
        (credit.count - room[c], sorted(holders[c])) for c, credit in enumerate(collection.credits)
    ]
    return covered, usage


def _free_between(start: int, end: int, buy: int, group: int) -> int:
    """Free units at positions start..end-1 when, in every group of `group`, those after
    the first `buy` are free."""

    def upto(n: int) -> int:
        return (n // group) * (group - buy) + max(0, n % group - buy)

    return upto(end) - upto(start)


def _ratio(num: int, den: int) -> int:
    """num / den rounded half-up (den > 0): the one rounding rule of the engine."""
    return (2 * num + den) // (2 * den)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count_phrase(n: int, one: str, many: str) -> str:
    if n == 1:
        return f"one {one}"
    return f"{n} × {many}" if many[:1].isdigit() else f"{n} {many}"


def _and(parts: Iterable[str]) -> str:
    items = list(parts)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
