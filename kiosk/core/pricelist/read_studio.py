"""The studio's own tables: [currency], [tax], [[shipping]] and [[payment_plan]]."""

from __future__ import annotations

import re
from decimal import Decimal

from kiosk.core.pricelist.models import (
    PRODUCT_KINDS,
    TAXABLE_EXTRAS,
    Currency,
    PaymentPlan,
    ShippingMethod,
    Tax,
)
from kiosk.core.pricelist.table import Table


def read_currency(t: Table) -> Currency:
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


def read_tax(t: Table) -> Tax:
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


def read_shipping(t: Table, tax: Tax) -> ShippingMethod:
    method = ShippingMethod(
        id=t.ident(),
        name=t.text("name"),
        price=t.money("price"),
        taxable=t.flag("taxable", tax.applies_to("shipping")),
        default=t.flag("default", False),
    )
    t.done()
    return method


def read_plan(t: Table) -> PaymentPlan:
    pid = t.ident()
    if t.has("deposit_percent") == t.has("deposit"):
        raise t.error('needs exactly one of deposit_percent (e.g. "30") or deposit (e.g. "500.00")')
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
