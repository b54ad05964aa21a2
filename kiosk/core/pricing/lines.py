"""A cart line resolved against the price list: its product, variant, units and unit prices.

Resolving checks the line (a product, variant or option choice the list lacks is a CartError
in words for the client) and is memoised on the price list, since the same choices recur
change after change.
"""

from __future__ import annotations

from kiosk.core.errors import CartError
from kiosk.core.pricelist import PriceList, Product, Variant
from kiosk.core.pricing.cart import CartLine, is_whole_number


class PricedLine:
    """A cart line resolved against the price list (a plain class with slots, for speed)."""

    __slots__ = (
        "ref",
        "label",
        "images",
        "product",
        "variant",
        "units",
        "base",
        "list_base",
        "extras",
        "fits",
        "bundle",
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
        self.list_base = variant.price  # à la carte; `base` is 0 when a bundle includes it
        self.fits = fits  # collection id -> indexes of its credits that fit this variant
        self.bundle = ""  # the name of the bundle in the cart that includes this line

    def include_in(self, bundle: Product) -> None:
        """The cart holds `bundle`, which covers this line: its base price is paid there."""
        self.bundle, self.base = bundle.name, 0


def resolve_line(pl: PriceList, line: CartLine, n: int) -> PricedLine:
    where = f"Cart line {n + 1}"
    if not is_whole_number(line.quantity) or line.quantity < 1:
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
    return PricedLine(
        line.id or str(n + 1), label, line.images, product, variant, units, extras, fits
    )


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
