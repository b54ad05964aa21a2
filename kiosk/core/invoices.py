"""An invoice's plain values: the client, the lines and images it froze at confirmation, its
statuses, and what it says about the studio. No I/O here: the store returns these, checkout
renders and sends them, the screens read them.

    line = OrderLine.from_dict(data)   # a line as stored: its options and images as JSON lists
    invoice.reference                  # "0042": the number as printed
    invoice.money(invoice.due_now)     # the deposit with a payment plan, else the total
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from kiosk.core.pricelist import Currency
from kiosk.core.pricing import format_money

# An invoice's life, in order. Any status may be set by hand (a client may pay before the
# e-mail goes out); the outbox only moves "confirmed" on to "emailed", payments move it to
# "deposit" and "paid" (kiosk/core/payments.py), and a paid order's products move it to
# "shipped" and "delivered" once every one is (kiosk/core/fulfilment.py).
STATUSES = ("confirmed", "emailed", "deposit", "paid", "shipped", "delivered")
STATUS_LABELS = {
    "confirmed": "Confirmed",
    "emailed": "E-mailed",
    "deposit": "Deposit",  # the plan's deposit is in; "Paid" is paid in full
    "paid": "Paid",
    "shipped": "Shipped",
    "delivered": "Delivered",
}


@dataclass(frozen=True)
class Client:
    name: str
    email: str
    phone: str = ""
    address: str = ""  # delivery address, several lines


@dataclass(frozen=True)
class OptionChoice:
    option: str  # ids, as in the price list
    choice: str
    option_name: str  # names, as they were when the order was confirmed
    choice_name: str


@dataclass(frozen=True)
class OrderLine:
    """One cart line as sold: the price list's names and sizes and the breakdown's amounts, all
    copied at confirmation so a later price-list edit changes nothing here."""

    ref: str  # the breakdown's line ref: the cart line's id or its 1-based position
    label: str  # "Gallery canvas 30×40, 1.5″ gallery wrap"
    product: str
    product_name: str
    kind: str
    variant: str
    variant_name: str
    size: str  # "30×40" (inches) or "30×40 cm"; "" for files and services
    options: tuple[OptionChoice, ...]
    images: tuple[int, ...]
    quantity: int  # as ordered (per-image products: per image)
    units: int  # priced units: quantity, times images for per-image products
    spreads: int
    unit_price: int
    list_amount: int
    amount: int  # what the line adds after collection credits
    covered: int
    note: str  # "included in Heirloom"

    @property
    def options_text(self) -> str:
        return ", ".join(f"{o.option_name}: {o.choice_name}" for o in self.options)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OrderLine:
        values = dict(data)
        values["options"] = tuple(OptionChoice(**o) for o in values["options"])
        values["images"] = tuple(values["images"])
        return cls(**values)


@dataclass(frozen=True)
class InvoiceImage:
    """A chosen image as it was at confirmation, with its retouch note."""

    id: int
    position: int
    file_name: str
    source_path: str  # the original, for retouching and delivery
    thumb_path: str
    note: str = ""
    tags: tuple[str, ...] = ()  # labels from RETOUCH_TAGS ("Skin smoothing")

    @property
    def has_retouch(self) -> bool:
        return bool(self.note or self.tags)

    @property
    def retouch_text(self) -> str:
        return "; ".join(p for p in (", ".join(self.tags), self.note) if p)


@dataclass(frozen=True)
class Invoice:
    number: int
    session_id: int
    issued: date
    created: str  # ISO-8601 UTC
    client: Client
    studio: str  # the price list's studio name when confirmed
    currency: Currency
    cart: Mapping[str, Any]  # the cart JSON (docs/pricelist.md)
    breakdown: Mapping[str, Any]  # Breakdown.to_dict(), frozen
    lines: tuple[OrderLine, ...]
    images: tuple[InvoiceImage, ...]
    status: str
    status_changed: str
    # The phone link's token: only on the value confirm_order() returns (only its hash is
    # stored); issue_phone_token() gives another one for an invoice loaded later.
    phone_token: str | None = field(default=None, compare=False, repr=False)

    @property
    def reference(self) -> str:
        """The number as printed: at least four digits ("0042")."""
        return f"{self.number:04d}"

    @property
    def total(self) -> int:
        return self.breakdown["total"]["amount"]

    @property
    def due_now(self) -> int:
        """The deposit with a payment plan, else the total."""
        plan = self.breakdown.get("instalments")
        return plan["deposit"]["amount"] if plan else self.total

    def money(self, amount: int) -> str:
        return format_money(amount, self.currency)

    def image(self, image_id: int) -> InvoiceImage | None:
        return next((i for i in self.images if i.id == image_id), None)


@dataclass(frozen=True)
class StudioDetails:
    """What the invoice and the e-mail say about the studio."""

    name: str
    email: str = ""  # the From address, and where the studio's copy goes
    phone: str = ""
    address: str = ""  # several lines
    website: str = ""
    tax_id: str = ""
    logo: str = ""  # a PNG or JPEG path; optional
    payment_instructions: str = ""
    terms: str = ""
    copy_to_studio: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
