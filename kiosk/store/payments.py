"""Payments' tables: the append-only ledger of each order, and the reminders already sent.

`add_payment` checks and writes in one write transaction (`BEGIN IMMEDIATE`): two payments
recorded at once, from the tablet and the terminal, queue on the lock, and the second is
checked against a balance that includes the first, so together they never overpay. There is
no update or delete of a payment here, on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from kiosk.core.payments import Account, Payment
from kiosk.store import checkout as invoices
from kiosk.store.db import Store


def payments(store: Store, number: int) -> list[Payment]:
    rows = store.db.execute(
        "select id, invoice, time, day, amount, method, note from payments "
        "where invoice = ? order by id",
        [number],
    )
    return [
        Payment(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5], r[6] or "") for r in rows
    ]


def add_payment(
    store: Store,
    number: int,
    *,
    day: date,
    amount: int,
    method: str,
    note: str,
    account: Callable[[list[Payment]], Account],
    check: Callable[[Account], None],
    status: Callable[[Account, str, list[str]], str],
) -> tuple[Payment, Account]:
    """Record one payment (or refund: amount < 0) of invoice `number`, all under one write
    lock: `check(account(ledger))` sees every row recorded so far and raises to refuse; then
    the row is written and the order's status set to `status(account after, current status,
    status history)`. InvoiceNotFound for an unknown order."""
    with store.transaction():
        invoices.invoice_exists(store, number)
        check(account(payments(store, number)))
        when = datetime.now(UTC).isoformat(timespec="seconds")
        row = {
            "invoice": number,
            "time": when,
            "day": day.isoformat(),
            "amount": amount,
            "method": method,
            "note": note,
        }
        pid = store.db["payments"].insert(row).last_pk
        after = account(payments(store, number))
        current = store.db.execute("select status from invoices where number = ?", [number])
        history = [s for s, _ in invoices.status_history(store, number)]
        invoices.set_status_within(store, number, status(after, current.fetchone()[0], history))
    return Payment(pid, number, when, day, amount, method, note), after


def reminded(store: Store, number: int) -> set[tuple[int, str]]:
    """(instalment, due day) pairs already reminded for this order."""
    rows = store.db.execute(
        "select instalment, due from payment_reminders where invoice = ?", [number]
    )
    return {(r[0], r[1]) for r in rows}


def claim_reminder(store: Store, number: int, instalment: int, due: date) -> bool:
    """Note that this instalment's reminder is being sent; False when it already was (by this
    process before a restart, or by another one): the caller then sends nothing."""
    with store.transaction():
        cursor = store.db.conn.execute(
            "insert or ignore into payment_reminders (invoice, instalment, due, time) "
            "values (?, ?, ?, ?)",
            [number, instalment, due.isoformat(), datetime.now(UTC).isoformat(timespec="seconds")],
        )
    return cursor.rowcount == 1


def note_reminder_outbox(store: Store, number: int, instalment: int, due: date, entry: int) -> None:
    with store.transaction():
        store.db.conn.execute(
            "update payment_reminders set outbox = ? where invoice = ? and instalment = ? "
            "and due = ?",
            [entry, number, instalment, due.isoformat()],
        )


def unpaid_invoice_numbers(store: Store) -> list[int]:
    """Orders that may still owe money: every status the money moves (not delivered)."""
    rows = store.db.execute(
        "select number from invoices where status in ('confirmed', 'emailed', 'deposit') "
        "order by number"
    )
    return [r[0] for r in rows]
