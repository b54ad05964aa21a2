"""Checkout's tables: invoices, their status history, phone-link token hashes and the outbox.

Invoice numbers are allocated inside the transaction that writes the invoice (`BEGIN
IMMEDIATE`, so two kiosks or threads confirming at once queue on the write lock): a crash
before COMMIT leaves neither the invoice nor its number, so the numbers have no gaps and no
repeats. The outbox rows change state only in short transactions; `OutboxEntry` says what each
state means.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from kiosk.core.errors import InvoiceNotFound
from kiosk.core.invoices import Client, Invoice, InvoiceImage, OrderLine
from kiosk.core.mail import OutboxEntry
from kiosk.core.pricelist import Currency
from kiosk.store.db import Store

FIRST_NUMBER_KEY = "checkout.first_invoice_number"


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# invoices ---------------------------------------------------------------------------------
def insert_invoice(
    store: Store, record: Mapping[str, Any], token_hash: str, created: float, expires_at: float
) -> int:
    """Write an invoice under the next number, with its first phone token; returns the number.
    All of it commits together or not at all."""
    with store.transaction():
        number = _next_number(store)
        store.db["invoices"].insert({**record, "number": number})
        _add_history(store, number, record["status"], record["status_changed"])
        add_phone_token(store, number, token_hash, created, expires_at)
    return number


def _next_number(store: Store) -> int:
    # Read under the write lock taken by BEGIN IMMEDIATE: no other writer can interleave.
    last = store.db.execute("select max(number) from invoices").fetchone()[0]
    if last is not None:
        return last + 1
    first = store.setting(FIRST_NUMBER_KEY)
    return int(first) if first and first.isdigit() else 1


def add_phone_token(
    store: Store, number: int, token_hash: str, created: float, expires_at: float
) -> None:
    """Within a transaction the caller holds."""
    store.db["invoice_tokens"].insert(
        {"token_hash": token_hash, "invoice": number, "created": created, "expires_at": expires_at}
    )


def store_phone_token(
    store: Store, number: int, token_hash: str, created: float, expires_at: float
) -> None:
    with store.transaction():
        invoice_exists(store, number)
        add_phone_token(store, number, token_hash, created, expires_at)


def token_invoice(store: Store, token_hash: str, now: float) -> int | None:
    row = store.db.execute(
        "select invoice from invoice_tokens where token_hash = ? and expires_at > ?",
        [token_hash, now],
    ).fetchone()
    return row[0] if row else None


def phone_tokens_expire(store: Store, number: int, now: float) -> float | None:
    """When the last live phone link of this invoice expires, or None when none is live."""
    row = store.db.execute(
        "select max(expires_at) from invoice_tokens where invoice = ? and expires_at > ?",
        [number, now],
    ).fetchone()
    return row[0] if row else None


def revoke_phone_tokens(store: Store, number: int) -> int:
    with store.transaction():
        cursor = store.db.conn.execute("delete from invoice_tokens where invoice = ?", [number])
    return cursor.rowcount


def invoice_exists(store: Store, number: int) -> None:
    row = store.db.execute("select 1 from invoices where number = ?", [number]).fetchone()
    if row is None:
        raise InvoiceNotFound(number)


def invoice(store: Store, number: int) -> Invoice:
    rows = list(store.db["invoices"].rows_where("number = ?", [number]))
    if not rows:
        raise InvoiceNotFound(number)
    return _invoice(rows[0])


def invoices(
    store: Store, *, session_id: int | None = None, status: str | None = None
) -> list[Invoice]:
    where, args = [], []
    if session_id is not None:
        where.append("session_id = ?")
        args.append(session_id)
    if status is not None:
        where.append("status = ?")
        args.append(status)
    rows = store.db["invoices"].rows_where(" and ".join(where) or None, args, order_by="number")
    return [_invoice(row) for row in rows]


def invoice_numbers(store: Store) -> list[int]:
    return [r[0] for r in store.db.execute("select number from invoices order by number")]


def set_status(store: Store, number: int, status: str, *, only_from: tuple[str, ...] = ()) -> bool:
    """Set an invoice's status (and log it); with `only_from`, only when the current status is
    one of those. Returns whether it changed."""
    with store.transaction():
        return _set_status(store, number, status, only_from)


def set_status_within(
    store: Store, number: int, status: str, *, only_from: tuple[str, ...] = ()
) -> bool:
    """`set_status` inside a transaction the caller holds (a payment moves the status in the
    transaction that records it)."""
    return _set_status(store, number, status, only_from)


def _set_status(store: Store, number: int, status: str, only_from: tuple[str, ...]) -> bool:
    row = store.db.execute("select status from invoices where number = ?", [number]).fetchone()
    if row is None:
        raise InvoiceNotFound(number)
    if row[0] == status or (only_from and row[0] not in only_from):
        return False
    when = _now_iso()
    store.db.conn.execute(
        "update invoices set status = ?, status_changed = ? where number = ?",
        [status, when, number],
    )
    _add_history(store, number, status, when)
    return True


def status_history(store: Store, number: int) -> list[tuple[str, str]]:
    """(status, time) pairs, oldest first."""
    rows = store.db.execute(
        "select status, time from invoice_history where invoice = ? order by id", [number]
    )
    return [(r[0], r[1]) for r in rows]


def _add_history(store: Store, number: int, status: str, when: str) -> None:
    store.db["invoice_history"].insert({"invoice": number, "status": status, "time": when})


def _invoice(row: Mapping[str, Any]) -> Invoice:
    return Invoice(
        number=row["number"],
        session_id=row["session_id"],
        issued=date.fromisoformat(row["issued"]),
        created=row["created"],
        client=Client(
            name=row["client_name"],
            email=row["client_email"],
            phone=row["client_phone"] or "",
            address=row["client_address"] or "",
        ),
        studio=row["studio"] or "",
        currency=Currency(**json.loads(row["currency"])),
        cart=json.loads(row["cart"]),
        breakdown=json.loads(row["breakdown"]),
        lines=tuple(OrderLine.from_dict(x) for x in json.loads(row["lines"])),
        images=tuple(
            InvoiceImage(**{**x, "tags": tuple(x["tags"])}) for x in json.loads(row["images"])
        ),
        status=row["status"],
        status_changed=row["status_changed"],
    )


# settings kept as JSON in the settings table ---------------------------------------------
def json_setting(store: Store, key: str) -> dict[str, Any] | None:
    text = store.setting(key)
    return json.loads(text) if text else None


def set_json_setting(store: Store, key: str, value: Mapping[str, Any]) -> None:
    store.set_setting(key, json.dumps(dict(value), sort_keys=True))


# outbox ------------------------------------------------------------------------------------
def outbox_insert(store: Store, row: Mapping[str, Any]) -> int:
    """Store a message; one already stored under the same Message-ID is kept as it is."""
    return outbox_insert_all(store, [row])[0]


def outbox_insert_all(store: Store, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """`outbox_insert` for several messages in one transaction: all stored, or none."""
    ids = []
    with store.transaction():
        for row in rows:
            found = store.db.execute(
                "select id from outbox where message_id = ?", [row["message_id"]]
            ).fetchone()
            ids.append(found[0] if found else store.db["outbox"].insert(dict(row)).last_pk)
    return ids


def outbox_claim(store: Store, now: float, lease: float) -> tuple[OutboxEntry, bytes] | None:
    """Take the next due message for sending: a queued one whose time has come, or one left
    "sending" by a sender that stopped (its lease ran out). It stays "sending" until
    `lease` seconds from now, so no other sender takes it meanwhile."""
    with store.transaction():
        row = store.db.execute(
            "select id from outbox where (status = 'queued' and next_attempt <= ?) "
            "or (status = 'sending' and lease_until <= ?) order by next_attempt, id limit 1",
            [now, now],
        ).fetchone()
        if row is None:
            return None
        store.db.conn.execute(
            "update outbox set status = 'sending', lease_until = ?, attempts = attempts + 1 "
            "where id = ?",
            [now + lease, row[0]],
        )
        message = store.db.execute("select message from outbox where id = ?", [row[0]])
        return outbox_entry(store, row[0]), message.fetchone()[0]


def outbox_data_started(store: Store, entry_id: int) -> None:
    """Committed just before the message's DATA: from here until the reply is recorded, the
    server may have accepted the message without our knowing."""
    with store.transaction():
        store.db.conn.execute("update outbox set in_doubt = in_doubt + 1 where id = ?", [entry_id])


def outbox_record(
    store: Store,
    entry_id: int,
    *,
    status: str,
    error: str = "",
    next_attempt: float | None = None,
    sent_at: float | None = None,
    resolved: bool = False,
    invoice_status: tuple[int, str, tuple[str, ...]] | None = None,
) -> None:
    """Record an attempt's outcome. `resolved`: the server answered the DATA, so that attempt
    is no longer in doubt. `invoice_status` (number, status, only_from) changes the invoice in
    the same transaction."""
    sets = ["status = ?", "last_error = ?", "lease_until = 0"]
    args: list[Any] = [status, error]
    if next_attempt is not None:
        sets.append("next_attempt = ?")
        args.append(next_attempt)
    if sent_at is not None:
        sets.append("sent_at = ?")
        args.append(sent_at)
    if resolved:
        sets.append("in_doubt = max(in_doubt - 1, 0)")
    with store.transaction():
        store.db.conn.execute(
            f"update outbox set {', '.join(sets)} where id = ?", [*args, entry_id]
        )
        if invoice_status is not None:
            _set_status(store, *invoice_status)


def outbox_delay_due(store: Store, now: float, error: str, next_attempt: float) -> int:
    """The server cannot be reached: note it on every message waiting now."""
    with store.transaction():
        cursor = store.db.conn.execute(
            "update outbox set last_error = ?, next_attempt = max(next_attempt, ?) "
            "where status = 'queued' and next_attempt <= ?",
            [error, next_attempt, now],
        )
    return cursor.rowcount


def outbox_requeue(store: Store, entry_id: int, now: float) -> bool:
    """A person decided to send a held or failed message again."""
    with store.transaction():
        cursor = store.db.conn.execute(
            "update outbox set status = 'queued', next_attempt = ?, in_doubt = 0, "
            "last_error = '' where id = ? and status in ('held', 'failed')",
            [now, entry_id],
        )
    return cursor.rowcount > 0


_ENTRY_COLUMNS = (
    "id, message_id, kind, invoice, sender, recipients, subject, status, attempts, in_doubt, "
    "last_error, next_attempt, created, sent_at"
)


def outbox_entry(store: Store, entry_id: int) -> OutboxEntry:
    row = store.db.execute(f"select {_ENTRY_COLUMNS} from outbox where id = ?", [entry_id])
    return _entry(row.fetchone())


def outbox_entries(
    store: Store, *, status: str | None = None, invoice: int | None = None, kind: str | None = None
) -> list[OutboxEntry]:
    where, args = [], []
    if kind is not None:
        where.append("kind = ?")
        args.append(kind)
    if status is not None:
        where.append("status = ?")
        args.append(status)
    if invoice is not None:
        where.append("invoice = ?")
        args.append(invoice)
    clause = f"where {' and '.join(where)}" if where else ""
    rows = store.db.execute(f"select {_ENTRY_COLUMNS} from outbox {clause} order by id", args)
    return [_entry(r) for r in rows]


def outbox_message(store: Store, entry_id: int) -> bytes:
    row = store.db.execute("select message from outbox where id = ?", [entry_id]).fetchone()
    return row[0]


def _entry(row: tuple) -> OutboxEntry:
    values = list(row)
    values[5] = tuple(json.loads(values[5]))
    return OutboxEntry(*values)
