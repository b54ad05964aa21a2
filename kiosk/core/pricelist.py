"""The studio's price list: one hand-edited TOML file, parsed into frozen values.

`parse(text, file=...)` is pure; `load(path)` is the one place that reads the file. A mistake in
the file raises `PriceListError` naming the file, the line and key, and what is expected, so
the photographer can fix it in a text editor. `PriceListHolder` keeps the last good list in
force while an edited file is broken. The format is described in docs/pricelist.md.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from kiosk.core.errors import PriceListError

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

_NOUNS = {  # kind -> (one, many), for credit labels the file does not spell out
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


# ---------------------------------------------------------------------------------------------
# Values


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
        text = f"{_plain(self.width)}×{_plain(self.height)}"
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
class Product:
    id: str
    kind: str  # one of PRODUCT_KINDS
    name: str
    variants: tuple[Variant, ...]
    options: tuple[Option, ...] = ()
    per: str = "item"  # "image": priced per image on the cart line (digital files, retouching)
    taxable: bool = True
    description: str = ""

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
    upgrades and extra album spreads stay charged.
    """

    label: str  # one unit: "digital file", "30×40 canvas"
    plural: str  # many: "digital files"
    count: int
    kinds: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()
    sizes: tuple[Size, ...] = ()
    max_size: Size | None = None

    def covers(self, product: Product, variant: Variant) -> bool:
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


# ---------------------------------------------------------------------------------------------
# Entry points


def load(path: str | Path) -> PriceList:
    """Read and parse a price list file; every problem is a PriceListError naming the file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise PriceListError(
            f"cannot be read ({exc.strerror or exc}); check the path and its permissions",
            file=str(path),
        ) from exc
    except UnicodeDecodeError as exc:
        raise PriceListError(
            "is not UTF-8 text; save it as UTF-8 in your editor", file=str(path)
        ) from exc
    return parse(text, file=str(path))


def parse(text: str, *, file: str = "") -> PriceList:
    """Parse price list TOML text; pure. Raises PriceListError with file, line and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = ""
        # Python 3.11's TOMLDecodeError only carries the position inside its message.
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        at_end = re.search(r"\s*\(at end of document\)$", message)
        if found:
            where = f"line {found.group(1)}, column {found.group(2)}"
            message = message[: found.start()]
        elif at_end:
            where = "end of the file"
            message = message[: at_end.start()]
        raise PriceListError(
            f"not valid TOML: {message}. Check the quotes, brackets and '=' there",
            file=file,
            where=where,
        ) from exc
    return _Parser(text, file).price_list(data)


class PriceListHolder:
    """The price list in force, kept when a reload finds the edited file malformed.

    `reload()` (from the file) or `replace(text)` (from the database's stored source) return
    the error, if any, so the caller can show it while the previous list stays in use.
    """

    def __init__(self, path: str | Path | None = None, current: PriceList | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.current = current
        self.error: PriceListError | None = None

    def reload(self) -> PriceListError | None:
        if self.path is None:
            raise ValueError("PriceListHolder has no path to reload from")
        path = self.path
        return self._keep(lambda: load(path))

    def replace(self, text: str, *, file: str = "") -> PriceListError | None:
        return self._keep(lambda: parse(text, file=file))

    def _keep(self, read: Callable[[], PriceList]) -> PriceListError | None:
        try:
            self.current = read()
        except PriceListError as exc:
            self.error = exc
            return exc
        self.error = None
        return None


_NOT_NEGATIVE = "expected zero or more (reductions are written as a [[discount]])"


def parse_money(value: object, decimals: int) -> int:
    """A price as written in the file: an int of minor units, or a decimal string ("45.00").

    Raises ValueError with the reason; the parser adds file, line and key.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        if isinstance(value, float):
            raise ValueError(
                f"is a float ({value!r}); floats cannot hold money exactly. Write it as a "
                f'string such as "{value:.{decimals}f}" or in minor units (cents) such as '
                f"{round(value * 10**decimals)}"
            )
        raise ValueError(f'is {type(value).__name__}; expected a price such as "45.00" or 4500')
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"is negative ({value}); {_NOT_NEGATIVE}")
        return value
    text = value.strip()
    found = re.fullmatch(r"(-?)(\d+)(?:\.(\d*))?", text)
    if not found:
        raise ValueError(
            f'is "{value}"; expected a plain decimal such as "2400.00" '
            "(no currency symbol or thousands separator)"
        )
    sign, whole, fraction = found.groups()
    fraction = fraction or ""
    if len(fraction) > decimals:
        raise ValueError(f'is "{value}"; this currency has {decimals} decimals')
    if sign:
        raise ValueError(f'is negative ("{value}"); {_NOT_NEGATIVE}')
    return int(whole) * 10**decimals + int(fraction.ljust(decimals, "0") or 0)


# ---------------------------------------------------------------------------------------------
# The parser: a reader per TOML table that knows its path, so errors can name line and key.

_MISSING: Any = object()
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_SIZE = re.compile(
    r"\s*(\d+(?:\.\d+)?)\s*[x×X]\s*(\d+(?:\.\d+)?)\s*(in|cm|\"|″)?\s*", re.IGNORECASE
)


class _Table:
    def __init__(self, parser: _Parser, data: dict[str, Any], path: tuple, label: str) -> None:
        self.p = parser
        self.data = data
        self.path = path
        self.label = label
        self.used: set[str] = set()

    def error(self, message: str, key: str | None = None) -> PriceListError:
        path = self.path if key is None else (*self.path, key)
        label = self.label if key is None else " → ".join(x for x in (self.label, key) if x)
        return self.p.error(message, path, label)

    def has(self, key: str) -> bool:
        self.used.add(key)
        return key in self.data

    def raw(self, key: str, default: Any, expected: str) -> Any:
        self.used.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise self.error(f"missing; expected {expected}", key)
        return default

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self.raw(key, default, "text in quotes")
        if not isinstance(value, str):
            raise self.error(f"is {_show(value)}; expected text in quotes", key)
        return value

    def ident(self, key: str = "id", default: Any = _MISSING) -> str:
        value = self.raw(key, default, 'an id such as "heirloom"')
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.error(
                f"is {_show(value)}; expected an id of letters, digits, '-', '_' or '.' "
                'such as "16x20" or "heirloom"',
                key,
            )
        return value

    def integer(self, key: str, default: Any = _MISSING, minimum: int = 0) -> int:
        value = self.raw(key, default, f"a whole number of at least {minimum}")
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(
                f"is {_show(value)}; expected a whole number of at least {minimum}", key
            )
        return value

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        value = self.raw(key, default, "true or false")
        if not isinstance(value, bool):
            raise self.error(f"is {_show(value)}; expected true or false", key)
        return value

    def money(self, key: str, default: Any = _MISSING) -> int:
        value = self.raw(key, default, 'a price such as "45.00"')
        try:
            return parse_money(value, self.p.decimals)
        except ValueError as exc:
            raise self.error(str(exc), key) from None

    def percent(self, key: str, default: Any = _MISSING, *, low: int = 0) -> Decimal:
        value = self.raw(key, default, 'a percentage such as "8.25"')
        if isinstance(value, float):
            raise self.error(
                f'is a float ({value!r}); write it as a string such as "{value}" so it is exact',
                key,
            )
        try:
            number = Decimal(value) if isinstance(value, int | str | Decimal) else None
        except InvalidOperation:
            number = None
        if isinstance(value, bool) or number is None or not number.is_finite():
            raise self.error(f'is {_show(value)}; expected a percentage such as "8.25"', key)
        if not low <= number <= 100:
            raise self.error(f"is {_show(value)}; expected a percentage from {low} to 100", key)
        return number

    def day(self, key: str) -> date | None:
        value = self.raw(key, None, "a date")
        if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(f"is {_show(value)}; expected a date such as 2025-06-30", key)

    def words(self, key: str) -> tuple[str, ...]:
        value = self.raw(key, [], "a list of ids")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f'is {_show(value)}; expected a list such as ["print", "canvas"]', key)
        return tuple(value)

    def size(self, key: str, units: str) -> Size | None:
        value = self.raw(key, None, 'a size such as "16x20"')
        if value is None:
            return None
        found = _SIZE.fullmatch(value) if isinstance(value, str) else None
        if found:
            unit = (found.group(3) or units).lower()
            unit = "in" if unit in ('"', "″") else unit
            width, height = Decimal(found.group(1)), Decimal(found.group(2))
        elif (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            unit, width, height = units, Decimal(str(value[0])), Decimal(str(value[1]))
        else:
            raise self.error(
                f'is {_show(value)}; expected width×height such as "16x20" or "30x40 cm"', key
            )
        if width <= 0 or height <= 0:
            raise self.error(f"is {_show(value)}; width and height must be more than 0", key)
        return Size(width, height, unit)

    def tables(self, key: str, what: str) -> list[_Table]:
        value = self.raw(key, [], f"a list of {what}")
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(f"is {_show(value)}; expected a list of {what} tables", key)
        out = []
        for n, item in enumerate(value):
            # Variants may be named by their size alone.
            ident = item.get("id", item.get("size") if key == "variants" else None)
            name = f'{key} "{ident}"' if isinstance(ident, str) else f"{key} #{n + 1}"
            label = " → ".join(x for x in (self.label, name) if x)
            out.append(_Table(self.p, item, (*self.path, key, n), label))
        return out

    def table(self, key: str) -> _Table:
        value = self.raw(key, {}, "a table")
        if not isinstance(value, dict):
            raise self.error(f"is {_show(value)}; expected a [{key}] table", key)
        label = " → ".join(x for x in (self.label, f"[{key}]") if x)
        return _Table(self.p, value, (*self.path, key), label)

    def done(self) -> None:
        """Unknown keys are errors: a misspelt key would otherwise be silently ignored."""
        for key in self.data:
            if key not in self.used:
                close = difflib.get_close_matches(key, sorted(self.used), n=1)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                known = ", ".join(sorted(self.used))
                raise self.error(f"unknown key (known here: {known}){hint}", key)


class _Parser:
    def __init__(self, text: str, file: str) -> None:
        self.lines = text.splitlines()
        self.file = file
        self.decimals = 2

    def error(self, message: str, path: tuple, label: str) -> PriceListError:
        line = _line_of(self.lines, path)
        where = ", ".join(x for x in (f"line {line}" if line else "", label) if x)
        return PriceListError(message, file=self.file, where=where)

    def price_list(self, data: dict[str, Any]) -> PriceList:
        top = _Table(self, data, (), "")
        studio = top.table("studio")
        name = studio.text("name")
        units = studio.text("units", "in")
        if units not in UNITS:
            raise studio.error(f'is "{units}"; expected "in" or "cm"', "units")
        studio.done()

        currency = self.currency(top.table("currency"))
        self.decimals = currency.decimals
        tax_table = top.table("tax")
        tax = self.tax(tax_table)

        product_tables = top.tables("product", "products")
        products = [self.product(t, units, tax) for t in product_tables]
        if not products:
            raise top.error(
                "no products; add at least one [[product]] table (see docs/pricelist.md)"
            )
        by_id = self.unique(product_tables, products)
        collection_tables = top.tables("collection", "collections")
        collections = [self.collection(t, by_id, units, tax) for t in collection_tables]
        self.unique(collection_tables, collections)
        discount_tables = top.tables("discount", "discounts")
        discounts = [self.discount(t, by_id) for t in discount_tables]
        self.unique(discount_tables, discounts)
        codes: dict[str, str] = {}
        for t, d in zip(discount_tables, discounts, strict=True):
            if d.code and d.code in codes:
                raise t.error(f'repeats the code of discount "{codes[d.code]}"', "code")
            codes[d.code] = d.id
        shipping_tables = top.tables("shipping", "shipping methods")
        shipping = [self.shipping(t, tax) for t in shipping_tables]
        self.unique(shipping_tables, shipping)
        if sum(s.default for s in shipping) > 1:
            raise top.error(
                "more than one shipping method says default = true; keep one", "shipping"
            )
        plan_tables = top.tables("payment_plan", "payment plans")
        plans = [self.plan(t) for t in plan_tables]
        self.unique(plan_tables, plans)

        order = top.table("order")
        minimum = order.money("minimum", 0)
        credit = order.money("session_fee_credit", 0)
        needs_collection = order.flag("session_fee_credit_needs_collection", False)
        order.done()
        advisor = top.table("advisor")
        upgrade_within = advisor.money("upgrade_within", 0)
        advisor.done()
        top.done()
        return PriceList(
            studio=name,
            currency=currency,
            tax=tax,
            products=tuple(products),
            collections=tuple(collections),
            discounts=tuple(discounts),
            shipping=tuple(shipping),
            payment_plans=tuple(plans),
            minimum_order=minimum,
            session_fee_credit=credit,
            session_fee_credit_needs_collection=needs_collection,
            upgrade_within=upgrade_within,
            units=units,
            file=self.file,
        )

    def unique(self, tables: list[_Table], items: Iterable[Any]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for table, item in zip(tables, items, strict=True):
            if item.id in seen:
                raise table.error(f'duplicate id "{item.id}"; every id must be unique here', "id")
            seen[item.id] = item
        return seen

    def currency(self, t: _Table) -> Currency:
        code = t.text("code")
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise t.error(f'is "{code}"; expected an ISO 4217 code such as "USD" or "EUR"', "code")
        position = t.text("position", "before")
        if position not in ("before", "after"):
            raise t.error(f'is "{position}"; expected "before" or "after"', "position")
        decimals = t.integer("decimals", 2)
        if decimals > 4:
            raise t.error(f"is {decimals}; expected 0 to 4", "decimals")
        currency = Currency(
            code=code,
            symbol=t.text("symbol", code),
            position=position,
            decimals=decimals,
            thousands=t.text("thousands", ","),
            decimal_mark=t.text("decimal_mark", "."),
            space=t.flag("space", False),
        )
        if currency.thousands == currency.decimal_mark:
            raise t.error("is the same as thousands; they must differ", "decimal_mark")
        t.done()
        return currency

    def tax(self, t: _Table) -> Tax:
        taxable: frozenset[str] | None = None
        if t.has("taxable") and t.data["taxable"] != "all":
            words = t.words("taxable")
            allowed = (*PRODUCT_KINDS, *TAXABLE_EXTRAS)
            for word in words:
                if word not in allowed:
                    raise t.error(
                        f'names "{word}"; expected "all" or a list of: {", ".join(allowed)}',
                        "taxable",
                    )
            taxable = frozenset(words)
        tax = Tax(
            name=t.text("name", "Tax"),
            rate=t.percent("rate", Decimal(0)),
            inclusive=t.flag("inclusive", False),
            taxable=taxable,
        )
        t.done()
        return tax

    def product(self, t: _Table, units: str, tax: Tax) -> Product:
        pid = t.ident()
        kind = t.text("kind")
        if kind not in PRODUCT_KINDS:
            raise t.error(f'is "{kind}"; expected one of: {", ".join(PRODUCT_KINDS)}', "kind")
        units = t.text("units", units)
        if units not in UNITS:
            raise t.error(f'is "{units}"; expected "in" or "cm"', "units")
        per = t.text("per", "item")
        if per not in ("item", "image"):
            raise t.error(f'is "{per}"; expected "item" or "image"', "per")
        variant_tables = t.tables("variants", "variants")
        if not variant_tables:
            raise t.error(
                "has no variants; add at least one, e.g. variants = [{ ... }]", "variants"
            )
        variants = [self.variant(v, kind, units) for v in variant_tables]
        variant_ids = self.unique(variant_tables, variants)
        option_tables = t.tables("options", "options")
        options = [self.option(o, variant_ids) for o in option_tables]
        self.unique(option_tables, options)
        product = Product(
            id=pid,
            kind=kind,
            name=t.text("name"),
            variants=tuple(variants),
            options=tuple(options),
            per=per,
            taxable=t.flag("taxable", tax.applies_to(kind)),
            description=t.text("description", ""),
        )
        t.done()
        return product

    def variant(self, t: _Table, kind: str, units: str) -> Variant:
        size = t.size("size", units)
        if size is None and kind in WALL_KINDS:
            raise t.error(
                f"missing; a {_NOUNS[kind][0]} hangs on a wall, so it needs its real size, "
                'such as size = "16x20"',
                "size",
            )
        vid = t.ident("id", f"{_plain(size.width)}x{_plain(size.height)}" if size else _MISSING)
        spreads = extra = most = 0
        if kind == "album":
            spreads = t.integer("spreads", minimum=1)
            extra = t.money("extra_spread", 0)
            most = t.integer("max_spreads", 0)
            if most and most < spreads:
                raise t.error(f"is {most}; expected at least spreads ({spreads})", "max_spreads")
        variant = Variant(
            id=vid,
            name=t.text("name", size.label if size else vid),
            price=t.money("price"),
            size=size,
            spreads=spreads,
            extra_spread=extra,
            max_spreads=most,
        )
        t.done()
        return variant

    def option(self, t: _Table, variants: dict[str, Variant]) -> Option:
        oid = t.ident()
        choice_tables = t.tables("choices", "choices")
        if not choice_tables:
            raise t.error("has no choices; add choices = [{ id = ..., name = ... }]", "choices")
        choices = []
        for c in choice_tables:
            prices: list[tuple[str, int]] = []
            if c.has("prices"):
                if c.has("price"):
                    raise c.error("has both price and prices; keep one", "prices")
                table = c.table("prices")
                for vid in table.data:
                    if vid not in variants:
                        raise table.error(
                            f"names a variant this product does not have; expected one of: "
                            f"{', '.join(variants)}",
                            vid,
                        )
                    prices.append((vid, table.money(vid)))
            choices.append(
                Choice(
                    id=c.ident(),
                    name=c.text("name"),
                    price=c.money("price", 0),
                    variant_prices=tuple(prices),
                )
            )
            c.done()
        by_id = self.unique(choice_tables, choices)
        default = t.text("default", choices[0].id)
        if default not in by_id:
            raise t.error(
                f'is "{default}"; expected one of the choices: {", ".join(by_id)}', "default"
            )
        option = Option(id=oid, name=t.text("name"), choices=tuple(choices), default=default)
        t.done()
        return option

    def collection(
        self, t: _Table, products: dict[str, Product], units: str, tax: Tax
    ) -> Collection:
        cid = t.ident()
        credit_tables = t.tables("credits", "credits")
        if not credit_tables:
            raise t.error("has no credits; list what the collection includes", "credits")
        collection = Collection(
            id=cid,
            name=t.text("name"),
            price=t.money("price"),
            credits=tuple(self.credit(c, products, units) for c in credit_tables),
            description=t.text("description", ""),
            images=t.integer("images", 0),
            taxable=t.flag("taxable", tax.applies_to("collection")),
        )
        t.done()
        return collection

    def credit(self, t: _Table, products: dict[str, Product], units: str) -> Credit:
        kinds = t.words("kinds") + ((t.text("kind"),) if t.has("kind") else ())
        named = t.words("products") + ((t.ident("product"),) if t.has("product") else ())
        variants = t.words("variants") + ((t.ident("variant"),) if t.has("variant") else ())
        for kind in kinds:
            if kind not in PRODUCT_KINDS:
                raise t.error(f'is "{kind}"; expected one of: {", ".join(PRODUCT_KINDS)}', "kind")
        for pid in named:
            if pid not in products:
                raise t.error(_unknown_product(pid, products), "product")
        if not kinds and not named:
            raise t.error(
                'says neither kind nor product; expected e.g. kind = "canvas" or product = "album"'
            )
        sizes = [self._credit_size(t, "size", units)] if t.has("size") else []
        sizes += [self._credit_size(t, s, units) for s in t.words("sizes")]
        max_size = self._credit_size(t, "max_size", units) if t.has("max_size") else None
        candidates = [p for p in products.values() if (not named or p.id in named)]
        candidates = [p for p in candidates if not kinds or p.kind in kinds]
        for vid in variants:
            if not any(p.variant(vid) for p in candidates):
                raise t.error(f'names "{vid}", which none of its products offers', "variant")
        count = t.integer("count", 1, minimum=1)
        one, many = self._credit_noun(kinds, named, products, sizes, max_size)
        credit = Credit(
            label=t.text("label", one),
            plural="",
            count=count,
            kinds=frozenset(kinds),
            products=frozenset(named),
            variants=frozenset(variants),
            sizes=tuple(sizes),
            max_size=max_size,
        )
        plural = t.text("plural", many if not t.has("label") else _pluralise(credit.label))
        credit = replace(credit, plural=plural)
        if not any(credit.covers(p, v) for p in candidates for v in p.variants):
            raise t.error(
                "matches no product and size in this list; check its kind, product, size "
                "and variant"
            )
        t.done()
        return credit

    def _credit_size(self, t: _Table, key: str, units: str) -> Size:
        if key in ("size", "max_size"):
            size = t.size(key, units)
        else:  # an entry of `sizes`, parsed through a throwaway table for the same message
            size = _Table(self, {"sizes": key}, (*t.path, "sizes"), t.label).size("sizes", units)
        assert size is not None
        return size

    def _credit_noun(
        self,
        kinds: tuple[str, ...],
        named: tuple[str, ...],
        products: dict[str, Product],
        sizes: list[Size],
        max_size: Size | None,
    ) -> tuple[str, str]:
        if len(named) == 1 and not kinds:
            one = products[named[0]].name.lower()
            many = _pluralise(one)
        elif len(kinds) == 1:
            one, many = _NOUNS[kinds[0]]
        else:
            one, many = "item", "items"
        if len(sizes) == 1:
            return f"{sizes[0].label} {one}", f"{sizes[0].label} {many}"
        if max_size:
            return f"{one} up to {max_size.label}", f"{many} up to {max_size.label}"
        return one, many

    def discount(self, t: _Table, products: dict[str, Product]) -> Discount:
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
                raise t.error(
                    f'names "{kind}"; expected one of: {", ".join(PRODUCT_KINDS)}', "kinds"
                )
        for pid in named:
            if pid not in products:
                raise t.error(_unknown_product(pid, products), "products")
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

    def shipping(self, t: _Table, tax: Tax) -> ShippingMethod:
        method = ShippingMethod(
            id=t.ident(),
            name=t.text("name"),
            price=t.money("price"),
            taxable=t.flag("taxable", tax.applies_to("shipping")),
            default=t.flag("default", False),
        )
        t.done()
        return method

    def plan(self, t: _Table) -> PaymentPlan:
        pid = t.ident()
        if t.has("deposit_percent") == t.has("deposit"):
            raise t.error(
                'needs exactly one of deposit_percent (e.g. "30") or deposit (e.g. "500.00")'
            )
        plan = PaymentPlan(
            id=pid,
            name=t.text("name"),
            instalments=t.integer("instalments", minimum=1),
            deposit_percent=t.percent("deposit_percent") if t.has("deposit_percent") else None,
            deposit=t.money("deposit") if t.has("deposit") else 0,
            interval=t.text("interval", "month"),
            min_total=t.money("min_total", 0),
        )
        t.done()
        return plan


# ---------------------------------------------------------------------------------------------
# Helpers

_HEADER = re.compile(r"\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?")
_KEY = re.compile(r'\s*"?([A-Za-z0-9_\-]+)"?\s*=\s*(.*)')


def _line_of(lines: list[str], path: tuple) -> int:
    """Best-effort 1-based line of a key path such as ("product", 2, "variants", 0, "price").

    tomllib does not report positions of values, so this follows the table headers, array-of-
    tables counters and the inline tables of multi-line arrays, which is how price lists are
    written. 0 when not found; the key path in the message still says where.
    """
    arrays: dict[tuple, int] = {}
    table: tuple = ()
    open_array: tuple | None = None  # a multi-line `key = [` array being read
    element = -1
    best, best_len = 0, -1

    def consider(candidate: tuple, line: int) -> None:
        nonlocal best, best_len
        if path[: len(candidate)] == candidate and len(candidate) > best_len:
            best, best_len = line, len(candidate)

    for number, text in enumerate(lines, 1):
        stripped = text.strip()
        header = (
            _HEADER.fullmatch(text) if stripped.startswith("[") and open_array is None else None
        )
        if header:
            keys = [k.strip().strip('"') for k in header.group(2).split(".")]
            concrete: tuple = ()
            for i, key in enumerate(keys):
                concrete = (*concrete, key)
                last = i == len(keys) - 1
                if last and header.group(1) == "[[":
                    index = arrays.get(concrete, 0)
                    arrays[concrete] = index + 1
                    concrete = (*concrete, index)
                elif not last and concrete in arrays:
                    concrete = (*concrete, arrays[concrete] - 1)
            table = concrete
            consider(table, number)
            continue
        if open_array is not None:
            if stripped.startswith("{"):
                element += 1
                consider((*open_array, element), number)
                for key in re.findall(r"([A-Za-z0-9_\-]+)\s*=", stripped):
                    consider((*open_array, element, key), number)
            if stripped.startswith("]"):
                open_array = None
            continue
        found = _KEY.fullmatch(text)
        if found:
            key, value = found.groups()
            consider((*table, key), number)
            value = value.split("#")[0].strip()
            if value.startswith("[") and value.count("[") > value.count("]"):
                open_array, element = (*table, key), -1
            elif value.startswith("{"):
                for inner in re.findall(r"([A-Za-z0-9_\-]+)\s*=", value):
                    consider((*table, key, inner), number)
    return best


def _unknown_product(pid: str, products: dict[str, Product]) -> str:
    close = difflib.get_close_matches(pid, list(products), n=1)
    hint = f'did you mean "{close[0]}"?' if close else f"products: {', '.join(products)}"
    return f'names "{pid}", which is not a product in this list; {hint}'


def _show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pluralise(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"
