"""The [[collection]] tables: collections and the credits they pay for."""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.pricelist.models import (
    NOUNS,
    PRODUCT_KINDS,
    Collection,
    Credit,
    Product,
    Size,
    Tax,
    pluralise,
)
from kiosk.core.pricelist.table import Table, show, unknown_product


def read_collection(t: Table, products: dict[str, Product], units: str, tax: Tax) -> Collection:
    cid = t.ident()
    credit_tables = t.tables("credits", "credits")
    if not credit_tables:
        raise t.error("has no credits; list what the collection includes", "credits")
    collection = Collection(
        id=cid,
        name=t.text("name"),
        price=t.money("price"),
        credits=tuple(read_credit(c, products, units) for c in credit_tables),
        description=t.text("description", ""),
        images=t.integer("images", 0),
        taxable=t.flag("taxable", tax.applies_to("collection")),
    )
    t.done()
    return collection


def read_credit(t: Table, products: dict[str, Product], units: str) -> Credit:
    kinds = t.words("kinds") + ((t.text("kind"),) if t.has("kind") else ())
    named = t.words("products") + ((t.ident("product"),) if t.has("product") else ())
    variants = t.words("variants") + ((t.ident("variant"),) if t.has("variant") else ())
    for kind in kinds:
        if kind not in PRODUCT_KINDS:
            raise t.error(f'is "{kind}"; expected one of: {", ".join(PRODUCT_KINDS)}', "kind")
    for pid in named:
        if pid not in products:
            raise t.error(unknown_product(pid, products), "product")
    if not kinds and not named:
        raise t.error(
            'says neither kind nor product; expected e.g. kind = "canvas" or product = "album"'
        )
    sizes = [read_credit_size(t, "size", units)] if t.has("size") else []
    sizes += [read_credit_size(t, s, units) for s in t.words("sizes")]
    max_size = read_credit_size(t, "max_size", units) if t.has("max_size") else None
    candidates = [p for p in products.values() if (not named or p.id in named)]
    candidates = [p for p in candidates if not kinds or p.kind in kinds]
    for vid in variants:
        if not any(p.variant(vid) for p in candidates):
            raise t.error(f'names "{vid}", which none of its products offers', "variant")
    count = read_count(t)
    one, many = credit_noun(kinds, named, products, sizes, max_size)
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
    plural = t.text("plural", many if not t.has("label") else pluralise(credit.label))
    credit = replace(credit, plural=plural)
    if count is None and not any(p.per == "image" for p in candidates):
        raise t.error(
            'is "all": every image of the session, for products priced per image; none of '
            'this credit\'s products is (per = "image"), so give a number such as count = 2',
            "count",
        )
    if not any(credit.covers(p, v) for p in candidates for v in p.variants):
        raise t.error(
            "matches no product and size in this list; check its kind, product, size and variant"
        )
    t.done()
    return credit


def read_count(t: Table) -> int | None:
    """A credit's `count`: a whole number, 1 by default, or "all" (None)."""
    value = t.raw("count", 1, 'a whole number of at least 1, or "all"')
    if value == "all":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise t.error(f'is {show(value)}; expected a whole number of at least 1, or "all"', "count")
    return value


def read_credit_size(t: Table, key: str, units: str) -> Size:
    if key in ("size", "max_size"):
        size = t.size(key, units)
    else:  # an entry of `sizes`, parsed through a throwaway table for the same message
        size = Table(t.reader, {"sizes": key}, (*t.path, "sizes"), t.label).size("sizes", units)
    assert size is not None
    return size


def credit_noun(
    kinds: tuple[str, ...],
    named: tuple[str, ...],
    products: dict[str, Product],
    sizes: list[Size],
    max_size: Size | None,
) -> tuple[str, str]:
    if len(named) == 1 and not kinds:
        one = products[named[0]].name.lower()
        many = pluralise(one)
    elif len(kinds) == 1:
        one, many = NOUNS[kinds[0]]
    else:
        one, many = "item", "items"
    if len(sizes) == 1:
        return f"{sizes[0].label} {one}", f"{sizes[0].label} {many}"
    if max_size:
        return f"{one} up to {max_size.label}", f"{many} up to {max_size.label}"
    return one, many
