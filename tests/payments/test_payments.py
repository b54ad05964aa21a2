from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from kiosk.checkout import outbox
from kiosk.checkout.invoice import get_invoice, set_status
from kiosk.core.errors import PaymentRefused
from kiosk.payments.ledger import account_for, record_payment, record_refund
from kiosk.store import payments as rows
from kiosk.studio import open_studio
from tests.checkout.conftest import STUDIO, TODAY


def pdf_text(data: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_deposit_and_three_instalments_reach_paid_in_full(studio, invoice):
    plan = invoice.breakdown["instalments"]
    deposit = plan["deposit"]["amount"]
    steps = [p["amount"] for p in plan["instalments"]]
    assert deposit + sum(steps) == invoice.total and len(steps) == 3

    first = record_payment(studio.store, invoice.number, deposit, "card", today=TODAY)
    assert get_invoice(studio.store, invoice.number).status == "deposit"
    assert first.account.balance == invoice.total - deposit
    states = [s.state for s in first.account.schedule]
    assert states == ["paid", "due", "due", "due"]
    assert [s.due for s in first.account.schedule] == [
        date(2026, 5, 1),
        date(2026, 6, 1),
        date(2026, 7, 1),
        date(2026, 8, 1),
    ]

    late = date(2026, 6, 10)  # the first instalment was due on 1 June
    assert [s.state for s in account_for(studio.store, invoice, late).schedule][1] == "overdue"
    for amount in steps:
        done = record_payment(studio.store, invoice.number, amount, "transfer", today=late)
    assert done.account.balance == 0 and done.account.paid_in_full
    assert {s.state for s in done.account.schedule} == {"paid"}
    assert get_invoice(studio.store, invoice.number).status == "paid"
    assert [p.amount for p in rows.payments(studio.store, invoice.number)] == [deposit, *steps]


def test_overpaying_is_refused_and_nothing_is_recorded(studio, invoice):
    with pytest.raises(PaymentRefused, match="more than is left to pay.*\\$"):
        record_payment(studio.store, invoice.number, invoice.total + 1, "cash", today=TODAY)
    with pytest.raises(PaymentRefused, match="more than zero"):
        record_payment(studio.store, invoice.number, 0, "cash", today=TODAY)
    with pytest.raises(PaymentRefused, match="not a payment method"):
        record_payment(studio.store, invoice.number, 100, "bitcoin", today=TODAY)
    record_payment(studio.store, invoice.number, invoice.total, "cash", today=TODAY)
    with pytest.raises(PaymentRefused, match="paid in full"):
        record_payment(studio.store, invoice.number, 1, "cash", today=TODAY)
    assert len(rows.payments(studio.store, invoice.number)) == 1


def test_a_refund_needs_a_reason_and_moves_the_status_back(studio, invoice):
    set_status(studio.store, invoice.number, "emailed")
    record_payment(studio.store, invoice.number, invoice.total, "card", today=TODAY)
    assert get_invoice(studio.store, invoice.number).status == "paid"
    with pytest.raises(PaymentRefused, match="reason"):
        record_refund(studio.store, invoice.number, 5_000, "card", reason="  ", today=TODAY)
    with pytest.raises(PaymentRefused, match="more than was paid"):
        record_refund(studio.store, invoice.number, invoice.total + 1, "card", reason="x")

    refund = record_refund(
        studio.store, invoice.number, 5_000, "card", reason="Frame cancelled", today=TODAY
    )
    assert refund.payment.amount == -5_000 and refund.payment.note == "Frame cancelled"
    assert refund.account.balance == 5_000
    assert get_invoice(studio.store, invoice.number).status == "deposit"
    everything = record_refund(
        studio.store, invoice.number, invoice.total - 5_000, "card", reason="Order cancelled"
    )
    assert everything.account.paid == 0
    # Back to what it was before the money: e-mailed.
    assert get_invoice(studio.store, invoice.number).status == "emailed"


def test_a_delivered_order_stays_delivered_when_paid(studio, invoice):
    set_status(studio.store, invoice.number, "delivered")
    record_payment(studio.store, invoice.number, invoice.total, "cash", today=TODAY)
    assert get_invoice(studio.store, invoice.number).status == "delivered"


def test_payments_survive_a_restart_and_are_append_only(studio, invoice, tmp_path):
    record_payment(studio.store, invoice.number, 10_000, "cash", note="At the viewing", today=TODAY)
    studio.close()
    again = open_studio(tmp_path / "studio")
    try:
        (payment,) = rows.payments(again.store, invoice.number)
        assert (payment.amount, payment.method, payment.note) == (10_000, "cash", "At the viewing")
        with pytest.raises(Exception, match="FOREIGN KEY"):
            again.store.db["payments"].insert(
                {"invoice": 999, "time": "t", "day": "2026-05-01", "amount": 1, "method": "cash"}
            )
    finally:
        again.close()


def test_each_payment_emails_a_receipt_pdf_to_a_real_server(studio, invoice, smtp_server):
    smtp_server.start()
    deposit = invoice.breakdown["instalments"]["deposit"]["amount"]
    done = record_payment(
        studio.store, invoice.number, deposit, "card", studio=STUDIO, paper="letter", today=TODAY
    )
    assert done.receipt is not None and done.receipt.kind == "receipt"
    refund = record_refund(
        studio.store, invoice.number, 1_000, "card", reason="Promo applied late", studio=STUDIO
    )
    report = outbox.send_due(studio.store, smtp_server.settings)
    assert (report.sent, report.error) == (2, "")

    receipt, refunded = smtp_server.inbox.messages()
    assert receipt["To"].addresses[0].addr_spec == "eleanor@example.com"
    reference = f"{invoice.reference}-{done.payment.id}"
    assert receipt["Subject"] == f"Your receipt {reference} from Golden Hour Portraits"
    (attachment,) = list(receipt.iter_attachments())
    assert attachment.get_filename() == f"receipt-{reference}.pdf"
    text = pdf_text(attachment.get_content())
    assert "RECEIPT" in text and reference in text
    assert invoice.money(deposit) in text
    assert invoice.money(invoice.total - deposit) in text  # left to pay
    assert "May 1, 2026" in text  # letter paper: US dates
    assert "Deposit and 3 monthly payments" in text and "Overdue" not in text

    assert refunded["Subject"].startswith("Your refund")
    body = refunded.get_body(("plain",)).get_content()
    assert invoice.money(1_000) in body
    refund_pdf = pdf_text(next(refunded.iter_attachments()).get_content())
    assert "Promo applied late" in refund_pdf and "REFUND" in refund_pdf
    assert refund.receipt.id != done.receipt.id


def test_a_receipt_that_cannot_be_sent_leaves_the_payment_recorded(studio, invoice):
    from dataclasses import replace

    done = record_payment(
        studio.store, invoice.number, 100, "cash", studio=replace(STUDIO, email=""), today=TODAY
    )
    assert done.receipt is None and "no e-mail address" in done.receipt_problem
    assert len(rows.payments(studio.store, invoice.number)) == 1
