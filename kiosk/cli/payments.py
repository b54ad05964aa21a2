"""`main.py payment ORDER AMOUNT --method card|cash|transfer|other [--note TEXT]`, a refund with
`--refund --reason TEXT`, `main.py payments ORDER` (the ledger and the schedule) and
`main.py reminders` (queue the instalment reminders due today; the kiosk does it hourly).

    $ python main.py payment 42 250.00 --method card --note "At the viewing"
    Recorded 0042-1: $250.00 by card. Paid $250.00 of $1,000.00; $750.00 left.
    Receipt queued for eleanor@example.com.

Exit codes: 0 when recorded; 1 when the studio cannot be opened, the order does not exist or
the payment is refused (overpaying, refunding more than was paid: the reason on stderr).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.settings import details_for_session
from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.core.errors import RevealError
from kiosk.core.invoices import Invoice
from kiosk.core.payments import METHOD_LABELS, METHODS, Account, parse_amount
from kiosk.delivery.announce import announce_if_open
from kiosk.payments.ledger import account_for, record_payment, record_refund
from kiosk.payments.reminders import queue_due_reminders
from kiosk.store.payments import payments
from kiosk.studio import Studio


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    pay = subparsers.add_parser(
        "payment",
        help="record a payment (or a refund) of an order; the client gets a receipt",
        description=(
            "Record a payment of AMOUNT (like 250 or 250.00) against order ORDER. Payments are "
            "never changed afterwards; a mistake is put right with a refund. More than is left "
            "to pay is refused. The order's status follows the money; the receipt is e-mailed."
        ),
    )
    pay.add_argument("number", metavar="ORDER", type=_number, help="the invoice number")
    pay.add_argument("amount", metavar="AMOUNT", help="the amount, like 250.00")
    pay.add_argument("--method", required=True, choices=METHODS, help="how it was paid")
    pay.add_argument("--note", default="", help="a note kept with the payment")
    pay.add_argument("--refund", action="store_true", help="money given back to the client")
    pay.add_argument("--reason", default="", help="why (needed for a refund)")
    pay.add_argument(
        "--date", type=date.fromisoformat, metavar="YYYY-MM-DD", help="when (default: today)"
    )
    pay.add_argument("--no-receipt", action="store_true", help="record it without e-mailing")
    pay.set_defaults(func=run_payment)

    ledger = subparsers.add_parser(
        "payments",
        help="an order's payments, what is left and the plan's schedule",
        description="List order ORDER's payments and refunds, the balance and the schedule.",
    )
    ledger.add_argument("number", metavar="ORDER", type=_number, help="the invoice number")
    ledger.set_defaults(func=run_payments)

    remind = subparsers.add_parser(
        "reminders",
        help="queue the reminder e-mails of instalments due within 3 days",
        description=(
            "Queue one reminder e-mail for each unpaid instalment due within 3 days that has "
            "not had one yet (the kiosk does this by itself every hour)."
        ),
    )
    remind.set_defaults(func=run_reminders)
    return [pay, ledger, remind]


def _number(text: str) -> int:
    digits = text.lstrip("#")
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not an order number, like 42 or 0042")
    return int(digits)


def kiosk_base_url(studio: Studio) -> str:
    """Where a client's link points: `public_url`, else the kiosk on the studio's network."""
    from kiosk.web.server import base_url

    return studio.settings.public_url.rstrip("/") or base_url(studio.settings.web_port)


def summary(invoice: Invoice, account: Account) -> str:
    paid = f"Paid {invoice.money(account.paid)} of {invoice.money(account.total)}"
    if account.balance <= 0:
        return f"{paid}: paid in full."
    return f"{paid}; {invoice.money(account.balance)} left."


@with_studio
def run_payment(args: argparse.Namespace, studio: Studio) -> int:
    store = studio.store
    try:
        invoice = get_invoice(store, args.number)
        amount = parse_amount(args.amount, invoice.currency)
        details = None if args.no_receipt else details_for_session(store, invoice.session_id)
        common = {"studio": details, "paper": studio.paper, "today": args.date}
        if args.refund:
            done = record_refund(
                store, invoice.number, amount, args.method, reason=args.reason, **common
            )
        else:
            done = record_payment(
                store, invoice.number, amount, args.method, note=args.note, **common
            )
    except RevealError as exc:
        print(exc, file=sys.stderr)
        return 1
    what = "Refunded" if args.refund else "Recorded"
    how = METHOD_LABELS[args.method].lower()
    print(
        f"{what} {invoice.reference}-{done.payment.id}: {invoice.money(amount)} by {how}. "
        + summary(invoice, done.account)
    )
    if done.receipt is not None:
        print(f"Receipt queued for {', '.join(done.receipt.recipients)}.")
    if not args.refund and announce_if_open(store, invoice.number, base_url=kiosk_base_url(studio)):
        print('The gallery is open: "Your photos are ready" is queued for the client.')
    elif done.receipt_problem:
        print(done.receipt_problem, file=sys.stderr)
    return 0


@with_studio
def run_payments(args: argparse.Namespace, studio: Studio) -> int:
    try:
        invoice = get_invoice(studio.store, args.number)
    except RevealError as exc:
        print(exc, file=sys.stderr)
        return 1
    account = account_for(studio.store, invoice, date.today())
    print(f"Order {invoice.reference}, {invoice.client.name}. {summary(invoice, account)}")
    for p in payments(studio.store, invoice.number):
        what = METHOD_LABELS.get(p.method, p.method) + (" refund" if p.is_refund else "")
        amount = ("-" if p.is_refund else "") + invoice.money(abs(p.amount))
        print(f"  {p.day.isoformat()}  {what:<20} {amount:>14}  {p.note}".rstrip())
    if len(account.schedule) > 1:
        print(invoice.breakdown["instalments"]["name"])
        for step in account.schedule:
            money = invoice.money(step.amount)
            print(f"  {step.label:<10} due {step.due.isoformat()}  {money:>14}  {step.state}")
    return 0


@with_studio
def run_reminders(args: argparse.Namespace, studio: Studio) -> int:
    queued = queue_due_reminders(studio.store, date.today())
    for entry in queued:
        print(f"Queued: {entry.subject} (to {', '.join(entry.recipients)})")
    print(f"{len(queued)} reminder{'' if len(queued) == 1 else 's'} queued.")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.payments", argv)


if __name__ == "__main__":
    sys.exit(main())
