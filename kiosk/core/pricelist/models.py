"""The price list's values: products and their variants and options, collections and their
credits, discounts, shipping, payment plans, tax, and the `PriceList` that holds them.

All frozen; money is an int of minor units. The reader (kiosk.core.pricelist.reader) builds
them from the TOML file; the pricing engine only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

PRODUCT_KINDS = (
    "print",
    "canvas",
    "metal",
    "acrylic",
    "framed",
    "album",
    "digital",
    "retouch",
    "other",
)
# Items a client hangs: the wall-art screen needs their real size, so the file must give it.
WALL_KINDS = frozenset({"print", "canvas", "metal", "acrylic", "framed"})
# Besides product kinds, `[tax] taxable` may name these.
TAXABLE_EXTRAS = ("collection", "shipping")
UNITS = ("in", "cm")

NOUNS = {  # kind -> (one, many), for credit labels the file does not spell out
    "print": ("print", "prints"),
    "canvas": ("canvas", "canvases"),
    "metal": ("metal print", "metal prints"),
    "acrylic": ("acrylic", "acrylics"),
    "framed": ("framed print", "framed prints"),
    "album": ("album", "albums"),
    "digital": ("digital file", "digital files"),
    "retouch": ("retouch", "retouches"),
    "other": ("item", "items"),
}


@dataclass(frozen=True)
class Currency:
    """The studio's currency and how amounts are written on screen and on invoices."""

    code: str
    symbol: str
    position: str = "before"  # symbol "before" or "after" the amount
    decimals: int = 2  # digits of the minor unit: prices are ints of 10**-decimals
    thousands: str = ","
    decimal_mark: str = "."
    space: bool = False  # a space between symbol and amount ("12,00 €")


@dataclass(frozen=True)
class Size:
    """A real size; width and height as written in the file (orientation is the client's)."""

    width: Decimal
    height: Decimal
    unit: str = "in"

    @property
    def label(self) -> str:
        text = f"{plain(self.width)}×{plain(self.height)}"
        return text if self.unit == "in" else f"{text} {self.unit}"

    def inches(self) -> tuple[float, float]:
        w, h = self._exact_inches()
        return float(w), float(h)

    def cm(self) -> tuple[float, float]:
        w, h = self._exact_inches()
        return float(w * Fraction(254, 100)), float(h * Fraction(254, 100))

    def same_as(self, other: Size) -> bool:
        """Same size in either orientation (a 30×40 credit covers a 40×30 print)."""
        return sorted(self._exact_inches()) == sorted(other._exact_inches())

    def fits_within(self, other: Size) -> bool:
        small, large = sorted(self._exact_inches())
        o_small, o_large = sorted(other._exact_inches())
        return small <= o_small and large <= o_large

    def _exact_inches(self) -> tuple[Fraction, Fraction]:
        scale = Fraction(1) if self.unit == "in" else Fraction(100, 254)
        return Fraction(self.width) * scale, Fraction(self.height) * scale


@dataclass(frozen=True)
class Choice:
    """One choice of an option: lustre paper, a walnut frame, museum glass."""

    id: str
    name: str
    price: int = 0  # added to each unit, whatever the variant
    variant_prices: tuple[tuple[str, int], ...] = ()  # when set: only these variants, priced each

    def price_for(self, variant_id: str) -> int | None:
        """The add-on price for one unit of `variant_id`; None when not offered for it."""
        if not self.variant_prices:
            return self.price
        for vid, price in self.variant_prices:
            if vid == variant_id:
                return price
        return None


@dataclass(frozen=True)
class Option:
    """A choice the client makes on a product (paper, wrap depth, frame, mat, glass, cover)."""

    id: str
    name: str
    choices: tuple[Choice, ...]
    default: str

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Variant:
    """What the client buys one of: a size, an album format, a single file or all of them."""

    id: str
    name: str
    price: int
    size: Size | None = None
    spreads: int = 0  # albums: spreads included in the price
    extra_spread: int = 0  # albums: price of each spread beyond those
    max_spreads: int = 0  # albums: 0 = no limit


@dataclass(frozen=True)
class Covers:
    """What a bundle product pays for: the per-image lines of the products it matches.

    "All digital files" with `covers = { kind = "digital" }`: while the cart holds it, every
    digital file line of the session is included in it, never charged on its own. Like a
    credit, every filter that is set must agree; only products priced per image are covered,
    and never another bundle.
    """

    one: str  # one unit covered: "digital file"
    plural: str  # "digital files"
    kinds: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()

    def matches(self, product: Product, variant: Variant) -> bool:
        if product.per != "image" or product.covers is not None:
            return False
        if self.kinds and product.kind not in self.kinds:
            return False
        if self.products and product.id not in self.products:
            return False
        return not self.variants or variant.id in self.variants


@dataclass(frozen=True)
class Product:
    id: str
    kind: str  # one of PRODUCT_KINDS
    name: str
    variants: tuple[Variant, ...]
    options: tuple[Option, ...] = ()
    per: str = "item"  # "image": priced per image on the cart line (digital files, retouching)
    taxable: bool = True
    description: str = ""
    covers: Covers | None = None  # a bundle: the per-image lines it includes

    @property
    def is_wall_item(self) -> bool:
        return self.kind in WALL_KINDS

    def variant(self, variant_id: str) -> Variant | None:
        return next((v for v in self.variants if v.id == variant_id), None)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Credit:
    """Part of a collection: `count` units of the products it matches, their base price paid.

    A credit matches a product and variant when every filter that is set agrees; option
    upgrades and extra album spreads stay charged. A bundle product (one that `covers`
    others) is matched only by a credit that names it in `products`: a "15 digital files"
    credit must not pay for "All digital files". `count` None is `count = "all"`: every image
    of the session, so it matches only products priced per image.
    """

    label: str  # one unit: "digital file", "30×40 canvas"
    plural: str  # many: "digital files"
    count: int | None  # None: all of them
    kinds: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()
    sizes: tuple[Size, ...] = ()
    max_size: Size | None = None

    @property
    def all(self) -> bool:
        return self.count is None

    def covers(self, product: Product, variant: Variant) -> bool:
        if product.covers is not None and product.id not in self.products:
            return False
        if self.count is None and product.per != "image":
            return False
        if self.kinds and product.kind not in self.kinds:
            return False
        if self.products and product.id not in self.products:
            return False
        if self.variants and variant.id not in self.variants:
            return False
        if self.sizes or self.max_size:
            if variant.size is None:
                return False
            if self.sizes and not any(variant.size.same_as(s) for s in self.sizes):
                return False
            if self.max_size and not variant.size.fits_within(self.max_size):
                return False
        return True


@dataclass(frozen=True)
class Collection:
    """A package: a price that pays for a set of credits ("Heirloom")."""

    id: str
    name: str
    price: int
    credits: tuple[Credit, ...]
    description: str = ""
    images: int = 0  # how many images the client chooses for it (the compare screen's target)
    taxable: bool = True


@dataclass(frozen=True)
class Discount:
    """Percent off, an amount off, or buy N get M free; automatic, or with a promo code."""

    id: str
    name: str
    kind: str  # "percent" | "amount" | "buy_get"
    percent: Decimal = Decimal(0)
    amount: int = 0
    buy: int = 0
    get: int = 0
    code: str = ""  # upper case; "" = applies without a code
    starts: date | None = None
    expires: date | None = None  # last day it applies
    kinds: frozenset[str] = frozenset()  # empty with products empty: every product
    products: frozenset[str] = frozenset()
    collection: bool = False  # also reduces the collection's price

    def applies_to(self, product: Product) -> bool:
        if not self.kinds and not self.products:
            return True
        return product.kind in self.kinds or product.id in self.products

    def in_force(self, today: date) -> bool:
        return (self.starts is None or self.starts <= today) and (
            self.expires is None or today <= self.expires
        )


@dataclass(frozen=True)
class ShippingMethod:
    id: str
    name: str
    price: int
    taxable: bool = True
    default: bool = False


@dataclass(frozen=True)
class PaymentPlan:
    """A deposit today, then `instalments` equal payments (any odd cents on the first ones)."""

    id: str
    name: str
    instalments: int
    deposit_percent: Decimal | None = None
    deposit: int = 0  # a fixed deposit, when deposit_percent is None
    interval: str = "month"
    min_total: int = 0


@dataclass(frozen=True)
class Tax:
    name: str = "Tax"
    rate: Decimal = Decimal(0)  # percent
    inclusive: bool = False  # prices already include it (VAT)
    taxable: frozenset[str] | None = None  # kinds taxed; None = everything

    def applies_to(self, kind: str) -> bool:
        return self.rate > 0 and (self.taxable is None or kind in self.taxable)


@dataclass(frozen=True)
class PriceList:
    studio: str
    currency: Currency
    tax: Tax
    products: tuple[Product, ...]
    collections: tuple[Collection, ...] = ()
    discounts: tuple[Discount, ...] = ()
    shipping: tuple[ShippingMethod, ...] = ()
    payment_plans: tuple[PaymentPlan, ...] = ()
    minimum_order: int = 0
    session_fee_credit: int = 0
    session_fee_credit_needs_collection: bool = False
    upgrade_within: int = 0  # the advisor mentions a collection costing up to this much more
    units: str = "in"
    file: str = ""
    # Lookups, and the pricing engine's memo of which credits fit which variant: derived data,
    # kept out of equality and hashing.
    _by_id: dict[tuple[str, str], Any] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    memo: dict[Any, Any] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        for group, items in (
            ("product", self.products),
            ("collection", self.collections),
            ("discount", self.discounts),
            ("shipping", self.shipping),
            ("plan", self.payment_plans),
        ):
            for item in items:
                self._by_id[group, item.id] = item

    def product(self, product_id: str) -> Product | None:
        return self._by_id.get(("product", product_id))

    def collection(self, collection_id: str) -> Collection | None:
        return self._by_id.get(("collection", collection_id))

    def shipping_method(self, method_id: str) -> ShippingMethod | None:
        return self._by_id.get(("shipping", method_id))

    def payment_plan(self, plan_id: str) -> PaymentPlan | None:
        return self._by_id.get(("plan", plan_id))

    @property
    def default_shipping(self) -> ShippingMethod | None:
        return next((s for s in self.shipping if s.default), None)

    @property
    def everything_taxable(self) -> bool:
        """Whether all merchandise is taxed alike (then a minimum-order top-up is taxed too)."""
        return all(p.taxable for p in self.products) and all(c.taxable for c in self.collections)


def plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def pluralise(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"
