"""Reading the price list file: `load(path)` reads it, `parse(text)` is pure.

A mistake raises `PriceListError` naming the file, the line and key, and what is expected, so
the photographer can fix it in a text editor. Each kind of table has its reader beside this
one (read_products, read_collections, read_discounts, read_studio); this module puts them
together in the file's order.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from kiosk.core.errors import PriceListError
from kiosk.core.pricelist.models import UNITS, PriceList
from kiosk.core.pricelist.read_collections import read_collection
from kiosk.core.pricelist.read_discounts import read_discount
from kiosk.core.pricelist.read_products import check_covers, read_product
from kiosk.core.pricelist.read_studio import read_currency, read_plan, read_shipping, read_tax
from kiosk.core.pricelist.table import Reader, unique


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
    return read_price_list(Reader(text, file), data)


def read_price_list(reader: Reader, data: dict[str, Any]) -> PriceList:
    top = reader.read(data)
    studio = top.table("studio")
    name = studio.text("name")
    units = studio.text("units", "in")
    if units not in UNITS:
        raise studio.error(f'is "{units}"; expected "in" or "cm"', "units")
    studio.done()

    currency = read_currency(top.table("currency"))
    reader.decimals = currency.decimals
    tax_table = top.table("tax")
    tax = read_tax(tax_table)

    product_tables = top.tables("product", "products")
    products = [read_product(t, units, tax) for t in product_tables]
    if not products:
        raise top.error("no products; add at least one [[product]] table (see docs/pricelist.md)")
    by_id = check_covers(product_tables, unique(product_tables, products))
    products = list(by_id.values())
    collection_tables = top.tables("collection", "collections")
    collections = [read_collection(t, by_id, units, tax) for t in collection_tables]
    unique(collection_tables, collections)
    discount_tables = top.tables("discount", "discounts")
    discounts = [read_discount(t, by_id) for t in discount_tables]
    unique(discount_tables, discounts)
    codes: dict[str, str] = {}
    for t, d in zip(discount_tables, discounts, strict=True):
        if d.code and d.code in codes:
            raise t.error(f'repeats the code of discount "{codes[d.code]}"', "code")
        codes[d.code] = d.id
    shipping_tables = top.tables("shipping", "shipping methods")
    shipping = [read_shipping(t, tax) for t in shipping_tables]
    unique(shipping_tables, shipping)
    if sum(s.default for s in shipping) > 1:
        raise top.error("more than one shipping method says default = true; keep one", "shipping")
    plan_tables = top.tables("payment_plan", "payment plans")
    plans = [read_plan(t) for t in plan_tables]
    unique(plan_tables, plans)

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
        file=reader.file,
    )
