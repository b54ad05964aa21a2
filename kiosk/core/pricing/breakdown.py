"""What pricing returns: the breakdown's lines, credit usage, tax and the payment schedule.

The lines of a `Breakdown` always add up to its total; `to_dict()` is its JSON form (the
CLI's `quote`, the invoice, the phone page), each amount with its display text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kiosk.core.pricelist import Currency, PaymentPlan
from kiosk.core.pricing.money import format_money, round_half_up


@dataclass(frozen=True)
class BreakdownLine:
    """One line of the invoice. `amount` is signed; all lines add up to the total.

    kind: "collection", "item", "discount", "minimum", "shipping", "tax", "session_credit".
    """

    kind: str
    label: str
    amount: int
    ref: str = ""  # cart line id (or its 1-based position), collection or discount id
    quantity: int = 0  # items: units on the line
    unit_price: int = 0  # items: price of one unit with its options
    covered: int = 0  # items: units whose base price the collection pays
    list_amount: int = 0  # items: the line à la carte, before credits and discounts
    note: str = ""  # "2 of 3 included in Heirloom"
    images: tuple[int | str, ...] = ()


@dataclass(frozen=True)
class CreditUsage:
    """How much of one collection credit the cart uses."""

    label: str
    plural: str
    used: int
    count: int | None  # None: all of them (`count = "all"`)
    refs: tuple[str, ...] = ()  # the cart lines it pays for

    @property
    def left(self) -> int:
        """Units the credit could still pay for; a credit for all has no count to run down."""
        return 0 if self.count is None else self.count - self.used

    @property
    def text(self) -> str:
        """ "7 of 15 digital files used", or "30×40 canvas used" for a single credit, or "All
        digital files included (7 chosen)" for a credit of `count = "all"`."""
        if self.count is None:
            return f"All {self.plural} included ({self.used} chosen)"
        if self.count == 1:
            return f"{self.label} {'used' if self.used else 'not used yet'}"
        return f"{self.used} of {self.count} {self.plural} used"


@dataclass(frozen=True)
class TaxSummary:
    name: str
    rate: Decimal  # percent
    inclusive: bool
    taxable: int  # the amount taxed, rounded for display (the tax is computed on the exact one)
    amount: int


@dataclass(frozen=True)
class PaymentSchedule:
    plan: str
    name: str
    deposit: int
    instalments: tuple[int, ...]
    interval: str = "month"

    @property
    def total(self) -> int:
        return self.deposit + sum(self.instalments)


@dataclass(frozen=True)
class Breakdown:
    currency: Currency
    collection: str | None
    lines: tuple[BreakdownLine, ...]
    credits: tuple[CreditUsage, ...]
    tax: TaxSummary
    subtotal: int  # collection and items, before discounts
    discounts: int  # the discounts' sum, as a positive amount
    shipping: int
    total: int  # what the client pays, = sum of the lines' amounts
    schedule: PaymentSchedule | None = None
    notices: tuple[str, ...] = ()  # for the photographer: an expired code, an unmet plan minimum

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: amounts in minor units, each with its display text."""
        money = self.currency

        def amount(value: int) -> dict[str, Any]:
            return {"amount": value, "display": format_money(value, money)}

        return {
            "currency": money.code,
            "collection": self.collection,
            "lines": [
                {
                    "kind": line.kind,
                    "label": line.label,
                    "ref": line.ref,
                    **amount(line.amount),
                    **(
                        {
                            "quantity": line.quantity,
                            "unit_price": line.unit_price,
                            "covered": line.covered,
                            "list_amount": line.list_amount,
                            "images": list(line.images),
                        }
                        if line.kind == "item"
                        else {}
                    ),
                    "note": line.note,
                }
                for line in self.lines
            ],
            "credits": [
                {
                    "label": c.label,
                    "plural": c.plural,
                    "used": c.used,
                    "count": c.count,
                    "text": c.text,
                    "lines": list(c.refs),
                }
                for c in self.credits
            ],
            "discounts": [
                {"id": line.ref, "label": line.label, **amount(-line.amount)}
                for line in self.lines
                if line.kind == "discount"
            ],
            "subtotal": amount(self.subtotal),
            "tax": {
                "name": self.tax.name,
                "rate": str(self.tax.rate),
                "inclusive": self.tax.inclusive,
                "taxable": self.tax.taxable,
                **amount(self.tax.amount),
            },
            "shipping": amount(self.shipping),
            "total": amount(self.total),
            "instalments": None
            if self.schedule is None
            else {
                "plan": self.schedule.plan,
                "name": self.schedule.name,
                "deposit": amount(self.schedule.deposit),
                "instalments": [amount(x) for x in self.schedule.instalments],
                "interval": self.schedule.interval,
            },
            "notices": list(self.notices),
        }


def payment_schedule(total: int, plan: PaymentPlan) -> PaymentSchedule:
    """Deposit plus `plan.instalments` payments that add up to `total` exactly."""
    if plan.deposit_percent is not None:
        num, den = plan.deposit_percent.as_integer_ratio()
        deposit = round_half_up(total * num, den * 100)
    else:
        deposit = min(plan.deposit, total)
    each, odd = divmod(total - deposit, plan.instalments)
    return PaymentSchedule(
        plan=plan.id,
        name=plan.name,
        deposit=deposit,
        instalments=tuple(each + (1 if i < odd else 0) for i in range(plan.instalments)),
        interval=plan.interval,
    )
