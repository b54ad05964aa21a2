"""The studio's price list: one hand-edited TOML file, parsed into frozen values.

`parse(text, file=...)` is pure; `load(path)` is the one place that reads the file. A mistake in
the file raises `PriceListError` naming the file, the line and key, and what is expected, so
the photographer can fix it in a text editor. `PriceListHolder` keeps the last good list in
force while an edited file is broken. The format is described in docs/pricelist.md.

The package: `models` (the values), `reader` (`load`, `parse`) with one reader per kind of
table (`read_products`, `read_collections`, `read_discounts`, `read_studio`) over `table`
(typed keys, errors with line and key), and `holder`. What callers use is imported here.
"""

from kiosk.core.pricelist.holder import PriceListHolder
from kiosk.core.pricelist.models import (
    PRODUCT_KINDS,
    WALL_KINDS,
    Choice,
    Collection,
    Covers,
    Credit,
    Currency,
    Discount,
    Option,
    PaymentPlan,
    PriceList,
    Product,
    ShippingMethod,
    Size,
    Tax,
    Variant,
)
from kiosk.core.pricelist.reader import load, parse
from kiosk.core.pricelist.table import parse_money

__all__ = [
    "PRODUCT_KINDS",
    "WALL_KINDS",
    "Choice",
    "Collection",
    "Covers",
    "Credit",
    "Currency",
    "Discount",
    "Option",
    "PaymentPlan",
    "PriceList",
    "PriceListHolder",
    "Product",
    "ShippingMethod",
    "Size",
    "Tax",
    "Variant",
    "load",
    "parse",
    "parse_money",
]
