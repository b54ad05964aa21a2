"""The [[product]] tables: products, their variants and options."""

from __future__ import annotations

from kiosk.core.pricelist.models import (
    NOUNS,
    PRODUCT_KINDS,
    UNITS,
    WALL_KINDS,
    Choice,
    Option,
    Product,
    Tax,
    Variant,
    plain,
)
from kiosk.core.pricelist.table import MISSING, Table, unique


def read_product(t: Table, units: str, tax: Tax) -> Product:
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
        raise t.error("has no variants; add at least one, e.g. variants = [{ ... }]", "variants")
    variants = [read_variant(v, kind, units) for v in variant_tables]
    variant_ids = unique(variant_tables, variants)
    option_tables = t.tables("options", "options")
    options = [read_option(o, variant_ids) for o in option_tables]
    unique(option_tables, options)
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


def read_variant(t: Table, kind: str, units: str) -> Variant:
    size = t.size("size", units)
    if size is None and kind in WALL_KINDS:
        raise t.error(
            f"missing; a {NOUNS[kind][0]} hangs on a wall, so it needs its real size, "
            'such as size = "16x20"',
            "size",
        )
    vid = t.ident("id", f"{plain(size.width)}x{plain(size.height)}" if size else MISSING)
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


def read_option(t: Table, variants: dict[str, Variant]) -> Option:
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
    by_id = unique(choice_tables, choices)
    default = t.text("default", choices[0].id)
    if default not in by_id:
        raise t.error(f'is "{default}"; expected one of the choices: {", ".join(by_id)}', "default")
    option = Option(id=oid, name=t.text("name"), choices=tuple(choices), default=default)
    t.done()
    return option
