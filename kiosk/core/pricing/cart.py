"""The cart being priced: its lines, the photographer's studio discount, and its JSON form.

A `Cart` is a plain value: `kiosk.core.cart` builds it from the session's cart commands, the
CLI and the invoice read it from JSON with `cart_from_dict`, and `price()` and `advise()` take
it as it is. Nothing here knows prices; a line naming something the price list lacks is only
found out when it is priced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from kiosk.core.errors import CartError


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
    # Albums: the design, spread by spread: (template id, image ids) pairs (kiosk.core.album);
    # () while none is made. When set, `images` and `spreads` are the design's.
    design: tuple[tuple[str, tuple[int | str, ...]], ...] = ()
    # Prints and wall art: the client's crop (x, y, w, h in fractions of the upright original,
    # kiosk.core.crop); None: the largest centred one.
    crop: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        # Stored as sorted pairs so a line is hashable and two equal lines compare equal.
        options = self.options.items() if isinstance(self.options, Mapping) else self.options
        object.__setattr__(self, "options", tuple(sorted((str(k), str(v)) for k, v in options)))
        object.__setattr__(self, "images", tuple(self.images))
        object.__setattr__(
            self, "design", tuple((str(t), tuple(images)) for t, images in self.design)
        )
        if self.crop is not None:
            object.__setattr__(self, "crop", tuple(float(v) for v in self.crop))

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
        if self.percent is not None and (
            not is_whole_number(self.percent) or not 1 <= self.percent <= 100
        ):
            raise CartError(
                "A studio discount's percent is a whole number from 1 to 100, "
                f"not {self.percent!r}."
            )
        if self.amount is not None and (not is_whole_number(self.amount) or self.amount < 1):
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
                    **({"design": [[t, list(i)] for t, i in line.design]} if line.design else {}),
                    **({"crop": list(line.crop)} if line.crop is not None else {}),
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
    line_keys = {
        "id",
        "product",
        "variant",
        "options",
        "images",
        "quantity",
        "spreads",
        "design",
        "crop",
    }
    for n, raw in enumerate(raw_lines, 1):
        if not isinstance(raw, Mapping) or "product" not in raw or "variant" not in raw:
            raise CartError(f'Cart line {n} needs at least "product" and "variant".')
        extra = sorted(set(raw) - line_keys)
        if extra:
            raise CartError(f"Cart line {n} has unknown keys: {', '.join(extra)}.")
        quantity, spreads = raw.get("quantity", 1), raw.get("spreads", 0)
        options, images = raw.get("options", {}), raw.get("images", [])
        if not is_whole_number(quantity) or not is_whole_number(spreads):
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
                design=_design_from_json(raw.get("design", []), n),
                crop=_crop_from_json(raw.get("crop"), n),
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


def _crop_from_json(raw: object, n: int) -> tuple[float, float, float, float] | None:
    if raw is None:
        return None
    if (
        not isinstance(raw, list)
        or len(raw) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)
    ):
        raise CartError(f'Cart line {n}: "crop" must be [x, y, w, h] in fractions, or null.')
    return (float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3]))


def _design_from_json(raw: object, n: int) -> tuple[tuple[str, tuple[int | str, ...]], ...]:
    if not isinstance(raw, list) or not all(
        isinstance(s, list) and len(s) == 2 and isinstance(s[0], str) and isinstance(s[1], list)
        for s in raw
    ):
        raise CartError(f'Cart line {n}: "design" must be a list of [template, [images]] pairs.')
    return tuple((template, tuple(images)) for template, images in raw)


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


def is_whole_number(value: object) -> bool:
    """An int that is not a bool: JSON's true must not pass for a quantity of 1."""
    return isinstance(value, int) and not isinstance(value, bool)
