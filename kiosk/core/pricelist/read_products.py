"""The [[product]] tables: products, their variants and options, and what a bundle covers."""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.pricelist.models import (
    NOUNS,
    PRODUCT_KINDS,
    UNITS,
    WALL_KINDS,
    Choice,
    Covers,
    Option,
    Product,
    Tax,
    Variant,
    plain,
    pluralise,
)
from kiosk.core.pricelist.table import MISSING, Table, unique, unknown_product


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
    covers = read_covers(t.table("covers")) if t.has("covers") else None
    if covers is not None and per == "image":
        raise t.error(
            "is a bundle (it covers other products), bought once for the whole session; "
            'remove per = "image"',
            "covers",
        )
    product = Product(
        id=pid,
        kind=kind,
        name=t.text("name"),
        variants=tuple(variants),
        options=tuple(options),
        per=per,
        taxable=t.flag("taxable", tax.applies_to(kind)),
        description=t.text("description", ""),
        covers=covers,
    )
    t.done()
    return product


def read_covers(t: Table) -> Covers:
    """A bundle's `covers = { kind = "digital" }`; checked against the other products by
    `check_covers` once they are all read (a bundle may name a product written after it)."""
    kinds = t.words("kinds") + ((t.text("kind"),) if t.has("kind") else ())
    named = t.words("products") + ((t.ident("product"),) if t.has("product") else ())
    variants = t.words("variants") + ((t.ident("variant"),) if t.has("variant") else ())
    for kind in kinds:
        if kind not in PRODUCT_KINDS:
            raise t.error(f'is "{kind}"; expected one of: {", ".join(PRODUCT_KINDS)}', "kind")
    if not kinds and not named:
        raise t.error(
            'says neither kind nor product; expected e.g. covers = { kind = "digital" } '
            'or covers = { product = "digital" }'
        )
    t.done()
    return Covers("", "", frozenset(kinds), frozenset(named), frozenset(variants))


def check_covers(tables: list[Table], products: dict[str, Product]) -> dict[str, Product]:
    """Each bundle's `covers` must name real products and include at least one product priced
    per image; its products are returned with the nouns the advisor uses ("digital files")."""
    out = dict(products)
    for table, product in zip(tables, products.values(), strict=True):
        covers = product.covers
        if covers is None:
            continue
        t = table.table("covers")
        for pid in sorted(covers.products):
            if pid not in products:
                raise t.error(unknown_product(pid, products), "product")
            if pid == product.id:
                raise t.error(f'names "{pid}" itself; a bundle covers other products', "product")
        named = [p for p in products.values() if not covers.products or p.id in covers.products]
        named = [p for p in named if not covers.kinds or p.kind in covers.kinds]
        for vid in sorted(covers.variants):
            if not any(p.variant(vid) for p in named):
                raise t.error(f'names "{vid}", which none of its products offers', "variant")
        matched = [p for p in named if any(covers.matches(p, v) for v in p.variants)]
        if not matched:
            priced = ", ".join(p.id for p in products.values() if p.per == "image") or "none"
            raise t.error(
                "matches no product priced per image; a bundle covers per-image lines such "
                f'as digital files (products with per = "image" in this list: {priced})'
            )
        if len(covers.kinds) == 1:
            one, many = NOUNS[next(iter(covers.kinds))]
        elif len(matched) == 1:
            one = matched[0].name.lower()
            many = pluralise(one)
        else:
            one, many = "file", "files"
        out[product.id] = replace(product, covers=replace(covers, one=one, plural=many))
    return out


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
