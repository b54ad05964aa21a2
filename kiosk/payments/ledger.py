"""Recording a payment or a refund: checked against the order's account, written as a new row,
the order's status moved by the money, the client's receipt queued in the outbox.

    result = record_payment(store, 42, 25_000, "card", studio=details, paper="a4")
    result.account.balance         # what is left to pay
    result.receipt                 # the outbox entry of the receipt, or None (no e-mail set up)
    record_refund(store, 42, 5_000, "card", reason="Frame cancelled", studio=details)

Refused (PaymentRefused, nothing recorded): overpaying, refunding more than was paid, a refund
without a reason, an unknown method. The row is committed before the receipt is composed; a
receipt that cannot be queued (no studio e-mail address, a malformed client address) leaves
the payment recorded and says why in `receipt_problem`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kiosk.checkout.invoice import get_invoice, set_status
from kiosk.core.errors import BadAddress, MailSettingsError, PaymentRefused
from kiosk.core.invoices import STATUS_LABELS, Invoice, StudioDetails
from kiosk.core.mail import OutboxEntry
from kiosk.core.payments import (
    Account,
    Payment,
    check_method,
    check_note,
    check_payment,
    check_refund,
    money_status,
    next_status,
    order_account,
)
from kiosk.store import payments as rows
from kiosk.store.db import Store


@dataclass(frozen=True)
class Recorded:
    payment: Payment
    account: Account  # after the payment
    receipt: OutboxEntry | None
    receipt_problem: str = ""


def account_for(store: Store, invoice: Invoice, today: date) -> Account:
    """The order's account as it stands on `today`."""
    return _account(invoice, today)(rows.payments(store, invoice.number))


def record_payment(
    store: Store,
    number: int,
    amount: int,
    method: str,
    *,
    note: str = "",
    studio: StudioDetails | None = None,
    paper: str = "a4",
    today: date | None = None,
) -> Recorded:
    """A payment of `amount` cents (InvoiceNotFound, PaymentRefused); the receipt is queued
    when `studio` is given."""
    return _record(store, number, amount, method, note, studio, paper, today, refund=False)


def record_refund(
    store: Store,
    number: int,
    amount: int,
    method: str,
    *,
    reason: str,
    studio: StudioDetails | None = None,
    paper: str = "a4",
    today: date | None = None,
) -> Recorded:
    """Money given back: `amount` cents (positive), with its reason."""
    return _record(store, number, amount, method, reason, studio, paper, today, refund=True)


def _record(
    store: Store,
    number: int,
    amount: int,
    method: str,
    note: str,
    studio: StudioDetails | None,
    paper: str,
    today: date | None,
    *,
    refund: bool,
) -> Recorded:
    today = today or date.today()
    invoice = get_invoice(store, number)
    method, note = check_method(method), check_note(note)
    has_plan = bool(invoice.breakdown.get("instalments"))

    def check(account: Account) -> None:
        if refund:
            check_refund(account, amount, note, invoice.money)
        else:
            check_payment(account, amount, invoice.money)

    payment, account = rows.add_payment(
        store,
        number,
        day=today,
        amount=-amount if refund else amount,
        method=method,
        note=note,
        account=_account(invoice, today),
        check=check,
        status=lambda after, current, history: next_status(current, history, after, has_plan),
    )
    if studio is None:
        return Recorded(payment, account, None)
    from kiosk.payments.receipt import queue_receipt

    try:
        entry = queue_receipt(store, invoice, payment, account, studio, paper=paper)
    except (BadAddress, MailSettingsError) as exc:
        return Recorded(payment, account, None, f"The receipt was not e-mailed: {exc}")
    return Recorded(payment, account, entry)


def status_by_hand(store: Store, number: int, status: str, *, today: date | None = None) -> Invoice:
    """The photographer moving an order on or back by hand (the Orders page's steps). "Paid"
    and "Deposit" are what the payments say, so they are refused until the payments reach
    them, and an order with money received is not moved back to before it: the page would
    call an order paid that has $0 in its ledger, or unpaid with the money in. PaymentRefused
    says what to do instead (record the payment, or a refund)."""
    invoice = get_invoice(store, number)
    account = account_for(store, invoice, today or date.today())
    has_plan = bool(invoice.breakdown.get("instalments"))
    says, money = money_status(account, has_plan), invoice.money
    if status == "paid" and says != "paid":
        raise PaymentRefused(
            f"Order {invoice.reference} is paid when its payments reach "
            f"{money(account.total)}: {money(account.balance)} is still to pay. Record it "
            "under Payments on the order, and the order moves to Paid."
        )
    if status == "deposit" and says != "deposit":
        if says == "paid":
            why = "it is paid in full."
        elif not has_plan:
            why = "it has no payment plan. Record what the client pays under Payments."
        else:
            due = money(account.deposit - account.paid)
            why = f"{due} of its deposit is still to pay. Record it under Payments."
        raise PaymentRefused(f"Order {invoice.reference} is not at its deposit: {why}")
    if status in ("confirmed", "emailed") and says is not None and account.paid > 0:
        raise PaymentRefused(
            f"Order {invoice.reference} has {money(account.paid)} paid, so it stays "
            f"{STATUS_LABELS[says]}. To move it back, record a refund under Payments."
        )
    return set_status(store, number, status)


def _account(invoice: Invoice, today: date) -> Callable[[list[Payment]], Account]:
    plan = invoice.breakdown.get("instalments")
    return lambda ledger: order_account(invoice.total, plan, invoice.issued, ledger, today=today)
