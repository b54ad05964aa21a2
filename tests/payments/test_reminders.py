from __future__ import annotations

from datetime import date, datetime

from kiosk.checkout import outbox
from kiosk.payments.ledger import record_payment
from kiosk.payments.reminders import Reminders, queue_due_reminders
from kiosk.studio import open_studio
from tests.checkout.conftest import TODAY, wait_for

# The plan's first instalment is due on 1 June 2026 (the invoice was issued on 1 May).
FOUR_DAYS_BEFORE = date(2026, 5, 28)
THREE_DAYS_BEFORE = date(2026, 5, 29)


def reminders(store):
    return [e for e in outbox.entries(store) if e.kind == "reminder"]


def test_an_instalment_due_in_three_days_gets_one_reminder_even_after_a_restart(
    studio, invoice, tmp_path, smtp_server
):
    deposit = invoice.breakdown["instalments"]["deposit"]["amount"]
    record_payment(studio.store, invoice.number, deposit, "card", today=TODAY)
    assert queue_due_reminders(studio.store, FOUR_DAYS_BEFORE) == []

    (entry,) = queue_due_reminders(studio.store, THREE_DAYS_BEFORE)
    assert entry.recipients == ("eleanor@example.com",)
    assert "Payment 1 of invoice 0001 is due on 1 June 2026" in entry.subject
    assert queue_due_reminders(studio.store, THREE_DAYS_BEFORE) == []
    assert queue_due_reminders(studio.store, date(2026, 5, 31)) == []

    studio.close()
    again = open_studio(tmp_path / "studio")
    try:
        assert queue_due_reminders(again.store, date(2026, 5, 30)) == []
        assert queue_due_reminders(again.store, date(2026, 6, 1)) == []
        assert len(reminders(again.store)) == 1

        smtp_server.start()
        assert outbox.send_due(again.store, smtp_server.settings).sent == 1
        (mail,) = smtp_server.inbox.messages()
        body = mail.get_body(("plain",)).get_content()
        amount = invoice.money(invoice.breakdown["instalments"]["instalments"][0]["amount"])
        assert f"{amount}, is due on 1 June 2026" in body
        assert queue_due_reminders(again.store, date(2026, 5, 31)) == []
        # The second instalment, a month later, gets its own one.
        (second,) = queue_due_reminders(again.store, date(2026, 6, 29))
        assert "Payment 2" in second.subject
    finally:
        again.close()


def test_a_reminder_lost_between_the_outbox_and_its_note_is_not_sent_twice(studio, invoice):
    """A restart after the e-mail was queued but before the reminder was noted: queueing the
    same reminder again finds its Message-ID in the outbox and stores nothing new."""
    (entry,) = queue_due_reminders(studio.store, THREE_DAYS_BEFORE)
    studio.store.db.execute("delete from payment_reminders")
    (again,) = queue_due_reminders(studio.store, THREE_DAYS_BEFORE)
    assert again.id == entry.id
    assert len(reminders(studio.store)) == 1


def test_paid_instalments_and_the_deposit_get_no_reminder(studio, invoice):
    assert queue_due_reminders(studio.store, date(2026, 4, 28)) == []  # the deposit: none
    plan = invoice.breakdown["instalments"]
    paid = plan["deposit"]["amount"] + plan["instalments"][0]["amount"]
    record_payment(studio.store, invoice.number, paid, "transfer", today=TODAY)
    assert queue_due_reminders(studio.store, THREE_DAYS_BEFORE) == []


def test_the_kiosk_looks_once_an_hour_on_its_fake_clock(studio, invoice, tmp_path):
    now = [datetime(2026, 5, 20, 9).timestamp()]
    looker = Reminders(studio.paths.database, clock=lambda: now[0], every=3600)
    looker.after_round()
    wait_for(lambda: not looker._running.locked())
    assert reminders(studio.store) == []

    now[0] = datetime(2026, 5, 29, 9).timestamp()
    looker.after_round()
    wait_for(lambda: len(reminders(studio.store)) == 1)
    wait_for(lambda: not looker._running.locked())
    now[0] += 1800  # within the hour: no look at all
    looker.after_round()
    assert not looker._running.locked()

    restarted = Reminders(studio.paths.database, clock=lambda: now[0], every=3600)
    restarted.after_round()
    wait_for(lambda: not restarted._running.locked())
    assert len(reminders(studio.store)) == 1
