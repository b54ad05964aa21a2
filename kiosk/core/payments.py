"""An order's money: the payments and refunds recorded against it, what is left to pay, and the
payment plan's schedule with each instalment paid, due or overdue.

What must stay true: payments are never edited or deleted, only added (a refund is a row of
its own with a negative amount), so the balance is always the invoice's total less the sum of
the rows; nobody can pay more than is left, nor refund more than was paid.

    account = order_account(invoice.total, invoice.breakdown["instalments"], invoice.issued,
                             payments, today=date(2026, 5, 4))
    account.balance                       # cents still to pay
    check_payment(account, 25_000)        # PaymentRefused: "That is more than is left ..."
    money_status(account)                 # "deposit" once the deposit is in, "paid" when all is
    reminders_due(account, today)         # instalments falling due within REMIND_DAYS

Plain values only: the store keeps the rows, kiosk/payments records them and sends receipts.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.core.errors import PaymentRefused
from kiosk.core.pricelist import Currency

METHODS = ("card", "cash", "transfer", "other")
METHOD_LABELS = {"card": "Card", "cash": "Cash", "transfer": "Bank transfer", "other": "Other"}
REMIND_DAYS = 3  # an instalment due within this many days gets its one reminder
NOTE_MAX = 280
# The statuses the money moves an order between; "delivered" (and anything set after it by
# hand) stays where the photographer put it.
MONEY_STATUSES = ("confirmed", "emailed", "deposit", "paid")

Money = Callable[[int], str]


@dataclass(frozen=True)
class Payment:
    """One row of the ledger: money received (amount > 0) or refunded (amount < 0)."""

    id: int
    invoice: int
    time: str  # ISO-8601 UTC, when it was recorded
    day: date  # when the client paid (the receipt's date)
    amount: int  # cents; negative for a refund
    method: str  # one of METHODS
    note: str = ""  # for a refund: its reason

    @property
    def is_refund(self) -> bool:
        return self.amount < 0


@dataclass(frozen=True)
class Instalment:
    """One step of the plan: the deposit (n = 0) or the n-th payment after it."""

    n: int
    label: str  # "Deposit", "Payment 2"
    due: date
    amount: int
    paid: int  # how much of it the payments so far cover
    state: str  # "paid", "due" or "overdue"

    @property
    def left(self) -> int:
        return self.amount - self.paid


@dataclass(frozen=True)
class Account:
    total: int
    paid: int  # net: payments less refunds
    deposit: int  # what the plan asks first; the total without a plan
    schedule: tuple[Instalment, ...]

    @property
    def balance(self) -> int:
        return self.total - self.paid

    @property
    def paid_in_full(self) -> bool:
        return self.paid >= self.total


def due_date(start: date, interval: str, n: int) -> date:
    """When the n-th instalment after `start` falls due: "month" (the same day of the month,
    or the month's last), "week", "fortnight" or "day"; anything else is read as monthly."""
    word = interval.strip().lower()
    if word.startswith("week"):
        return date.fromordinal(start.toordinal() + 7 * n)
    if word.startswith("fortnight"):
        return date.fromordinal(start.toordinal() + 14 * n)
    if word.startswith("day"):
        return date.fromordinal(start.toordinal() + n)
    month = start.month - 1 + n
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def order_account(
    total: int,
    plan: Mapping[str, Any] | None,
    issued: date,
    payments: Sequence[Payment],
    *,
    today: date,
) -> Account:
    """The order's account on `today`. `plan` is the invoice breakdown's "instalments" (or
    None): its deposit is due on the day the invoice was issued, each instalment an interval
    later. Payments cover the schedule in order, whatever day they came."""
    paid = sum(p.amount for p in payments)
    if plan:
        steps = [("Deposit", issued, plan["deposit"]["amount"])]
        for n, each in enumerate(plan["instalments"], 1):
            steps.append((f"Payment {n}", due_date(issued, plan["interval"], n), each["amount"]))
    else:
        steps = [("Payment", issued, total)]
    schedule, covered = [], paid
    for n, (label, due, amount) in enumerate(steps):
        part = max(0, min(amount, covered))
        covered -= part
        state = "paid" if part >= amount else "overdue" if due < today else "due"
        schedule.append(Instalment(n, label, due, amount, part, state))
    return Account(total=total, paid=paid, deposit=steps[0][2], schedule=tuple(schedule))


def check_payment(account: Account, amount: int, money: Money = str) -> None:
    """PaymentRefused unless `amount` is a positive payment no larger than the balance."""
    if amount <= 0:
        raise PaymentRefused("A payment must be more than zero; to give money back, refund it.")
    if account.balance <= 0:
        raise PaymentRefused("This order is paid in full; there is nothing left to pay.")
    if amount > account.balance:
        raise PaymentRefused(
            f"That is more than is left to pay: {money(amount)} offered, {money(account.balance)} "
            "left. Record the balance instead, and give the rest back to the client."
        )


def check_refund(account: Account, amount: int, reason: str, money: Money = str) -> None:
    """PaymentRefused unless `amount` (positive: what goes back) is at most what was paid and
    a reason is given."""
    if amount <= 0:
        raise PaymentRefused("A refund must be more than zero.")
    if amount > account.paid:
        raise PaymentRefused(
            f"That is more than was paid: {money(amount)} to refund, {money(account.paid)} "
            "paid so far."
        )
    if not reason.strip():
        raise PaymentRefused("A refund needs its reason, for the client's receipt and the books.")


def check_method(method: str) -> str:
    if method not in METHODS:
        raise PaymentRefused(
            f'"{method}" is not a payment method; use one of: {", ".join(METHODS)}.'
        )
    return method


def check_note(note: str) -> str:
    note = " ".join(note.split())
    if len(note) > NOTE_MAX:
        raise PaymentRefused(f"The note is {len(note)} characters long; at most {NOTE_MAX}.")
    return note


def parse_amount(text: str, currency: Currency) -> int:
    """An amount as a person types it ("250", "250.00", "1,250.50", "$250") in minor units;
    PaymentRefused when it is not one."""
    cleaned = text.strip().replace(currency.symbol, "").replace(currency.code, "").strip()
    if currency.thousands:
        cleaned = cleaned.replace(currency.thousands, "")
    if currency.decimal_mark != ".":
        cleaned = cleaned.replace(currency.decimal_mark, ".")
    found = re.fullmatch(r"([0-9]+)(?:\.([0-9]*))?", cleaned.replace(" ", ""))
    if not found or len(found.group(2) or "") > currency.decimals:
        raise PaymentRefused(
            f'"{text[:40]}" is not an amount; write it like 250 or 250.00, without a sign.'
        )
    whole, fraction = found.group(1), (found.group(2) or "").ljust(currency.decimals, "0")
    return int(whole) * 10**currency.decimals + int(fraction or 0)


def money_status(account: Account, has_plan: bool) -> str | None:
    """The status the money says: "paid" once paid in full, "deposit" once a plan's deposit is
    in; None while not even that (the order stays confirmed or e-mailed)."""
    if account.paid_in_full:
        return "paid"
    if has_plan and account.paid >= account.deposit > 0:
        return "deposit"
    return None


def next_status(current: str, history: Sequence[str], account: Account, has_plan: bool) -> str:
    """The order's status after a payment or refund. Only the money's statuses move; an order
    marked delivered stays delivered. Below the deposit (after a refund) it goes back to the
    last status it had before any money came."""
    if current not in MONEY_STATUSES:
        return current
    wanted = money_status(account, has_plan)
    if wanted is not None:
        return wanted
    if current in ("confirmed", "emailed"):
        return current
    before = [s for s in history if s in ("confirmed", "emailed")]
    return before[-1] if before else "confirmed"


def reminders_due(account: Account, today: date, days: int = REMIND_DAYS) -> list[Instalment]:
    """The instalments (never the deposit) not yet paid that fall due between today and
    `days` from now: each gets one reminder, which the caller records so it never sends two."""
    return [
        step
        for step in account.schedule
        if step.n > 0 and step.state != "paid" and 0 <= (step.due - today).days <= days
    ]
