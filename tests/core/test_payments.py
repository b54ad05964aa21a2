"""The money's rules in plain Python: amounts as typed, due dates, the schedule's states and
the status the money gives an order."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.core.errors import PaymentRefused
from kiosk.core.payments import (
    Payment,
    check_payment,
    due_date,
    next_status,
    order_account,
    parse_amount,
    reminders_due,
)
from kiosk.core.pricelist import Currency

USD = Currency("USD", "$")
EUR = Currency("EUR", "€", position="after", thousands=".", decimal_mark=",", space=True)
PLAN = {
    "deposit": {"amount": 25_000},
    "instalments": [{"amount": 25_000}, {"amount": 25_000}, {"amount": 25_000}],
    "interval": "month",
}
ISSUED = date(2026, 1, 31)


def paid(*amounts: int) -> list[Payment]:
    return [Payment(n, 1, "", ISSUED, a, "card") for n, a in enumerate(amounts, 1)]


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("250", 25_000), ("250.5", 25_050), ("1,250.50", 125_050), ("$ 3.07", 307), ("0.07", 7)],
)
def test_amounts_are_read_as_a_person_types_them(typed, cents):
    assert parse_amount(typed, USD) == cents


@pytest.mark.parametrize("typed", ["", "-3", "12.345", "1e3", "abc", "٣", "²", "3.4.5"])
def test_what_is_not_an_amount_is_refused_in_words(typed):
    with pytest.raises(PaymentRefused, match="not an amount"):
        parse_amount(typed, USD)


def test_a_european_amount_uses_the_studios_marks():
    assert parse_amount("1.250,50 €", EUR) == 125_050


def test_monthly_instalments_fall_on_the_months_last_day_when_it_is_shorter():
    assert [due_date(ISSUED, "month", n) for n in (1, 2, 3)] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert due_date(ISSUED, "week", 2) == date(2026, 2, 14)


def test_payments_cover_the_schedule_in_order_and_late_steps_are_overdue():
    account = order_account(100_000, PLAN, ISSUED, paid(30_000), today=date(2026, 3, 1))
    assert account.balance == 70_000
    states = [(s.label, s.paid, s.state) for s in account.schedule]
    assert states == [
        ("Deposit", 25_000, "paid"),
        ("Payment 1", 5_000, "overdue"),  # due 28 February, partly paid
        ("Payment 2", 0, "due"),
        ("Payment 3", 0, "due"),
    ]
    assert [s.label for s in reminders_due(account, date(2026, 3, 28))] == ["Payment 2"]
    assert reminders_due(account, date(2026, 3, 27)) == []


def test_the_money_moves_the_status_but_never_a_delivered_order():
    plan_paid = order_account(100_000, PLAN, ISSUED, paid(25_000), today=ISSUED)
    assert next_status("emailed", ["confirmed", "emailed"], plan_paid, True) == "deposit"
    full = order_account(100_000, PLAN, ISSUED, paid(25_000, 75_000), today=ISSUED)
    assert next_status("deposit", [], full, True) == "paid"
    assert next_status("delivered", [], full, True) == "delivered"
    refunded = order_account(100_000, PLAN, ISSUED, paid(25_000, -25_000), today=ISSUED)
    history = ["confirmed", "emailed", "deposit"]
    assert next_status("deposit", history, refunded, True) == "emailed"


def test_overpaying_by_a_cent_is_refused():
    account = order_account(100_000, None, ISSUED, paid(99_000), today=ISSUED)
    check_payment(account, 1_000)
    with pytest.raises(PaymentRefused, match="more than is left"):
        check_payment(account, 1_001)
