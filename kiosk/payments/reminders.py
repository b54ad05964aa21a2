"""One reminder e-mail for each instalment, a few days before it falls due; never two.

    queued = queue_due_reminders(store, today=date(2026, 6, 1))   # the entries it queued
    reminders = Reminders(studio.paths.database)                  # in the kiosk
    outbox_sender.subscribe(reminders.after_round)                # looks once an hour

Why never two, even across a crash or a restart: the reminder's Message-ID is made from the
order, the instalment and its due day, and the outbox stores one message per Message-ID; only
then is the reminder noted in `payment_reminders`, whose key is the same three things. A
restart between the two queues the same Message-ID again, which the outbox keeps as it is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

from kiosk.checkout import outbox
from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.mailer import studio_message
from kiosk.checkout.pdf import format_date
from kiosk.checkout.settings import details_for_session
from kiosk.core.errors import BadAddress
from kiosk.core.invoices import Invoice, StudioDetails
from kiosk.core.mail import OutboxEntry
from kiosk.core.payments import Account, Instalment, reminders_due
from kiosk.payments.ledger import account_for
from kiosk.store import payments as rows
from kiosk.store.db import Store

log = logging.getLogger(__name__)

CHECK_EVERY = 3600.0  # seconds between two looks; a reminder is days ahead, an hour is nothing


def queue_due_reminders(store: Store, today: date, *, paper_us: bool = False) -> list[OutboxEntry]:
    """Queue the reminders due on `today` that were not sent yet; the entries queued."""
    queued = []
    for number in rows.unpaid_invoice_numbers(store):
        invoice = get_invoice(store, number)
        if not invoice.breakdown.get("instalments"):
            continue
        account = account_for(store, invoice, today)
        sent = rows.reminded(store, number)
        for step in reminders_due(account, today):
            if (step.n, step.due.isoformat()) in sent:
                continue
            studio = details_for_session(store, invoice.session_id)
            try:
                message = compose_reminder(invoice, account, step, studio, us=paper_us)
                entry = outbox.enqueue(store, message, kind="reminder", invoice=number)
            except BadAddress as exc:
                log.warning("No reminder for invoice %s: %s", invoice.reference, exc)
                continue
            if rows.claim_reminder(store, number, step.n, step.due):
                rows.note_reminder_outbox(store, number, step.n, step.due, entry.id)
                queued.append(entry)
    return queued


def compose_reminder(
    invoice: Invoice, account: Account, step: Instalment, studio: StudioDetails, *, us: bool
) -> EmailMessage:
    due = format_date(step.due, us)
    message, sender = studio_message(
        studio,
        invoice.client.name,
        invoice.client.email,
        f"{step.label} of invoice {invoice.reference} is due on {due}",
    )
    domain = sender.rsplit("@", 1)[1]
    key = f"{invoice.reference}-{step.n}-{step.due:%Y%m%d}"
    message["Message-ID"] = f"<reminder-{key}@{domain}>"
    first = invoice.client.name.split()[0]
    text = [
        f"Dear {first},",
        "",
        f"A friendly reminder: {step.label.lower()} of your invoice {invoice.reference}, "
        f"{invoice.money(step.left)}, is due on {due}.",
        f"{invoice.money(account.paid)} of {invoice.money(account.total)} is paid so far.",
    ]
    if studio.payment_instructions:
        text += ["", "How to pay:", studio.payment_instructions]
    text += [
        "",
        "If you have paid already, thank you, and please ignore this e-mail.",
        "",
        studio.name,
    ]
    message.set_content("\n".join(text) + "\n")
    return message


class Reminders:
    """Looks for due reminders after an outbox round, at most every `every` seconds, in a
    thread of its own with its own Store (the look reads every unpaid order)."""

    def __init__(
        self,
        database: Path,
        *,
        clock: Callable[[], float] = time.time,
        every: float = CHECK_EVERY,
    ) -> None:
        self.database = Path(database)
        self.clock = clock
        self.every = every
        self._last = float("-inf")
        self._running = threading.Lock()

    def after_round(self, _report: object = None) -> None:
        now = self.clock()
        if now - self._last < self.every or not self._running.acquire(blocking=False):
            return
        self._last = now
        threading.Thread(target=self._look, args=(now,), name="reminders", daemon=True).start()

    def _look(self, now: float) -> None:
        try:
            store = Store(self.database)
            try:
                # What it queues goes out on the outbox's next round.
                queue_due_reminders(store, datetime.fromtimestamp(now).date())
            finally:
                store.close()
        except Exception:  # a bug here must not stop the outbox
            log.exception("Looking for payment reminders failed")
        finally:
            self._running.release()
