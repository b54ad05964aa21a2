"""`main.py payment`, `payments` and `reminders` on a real studio."""

from __future__ import annotations

import main
from kiosk.checkout import outbox
from kiosk.checkout.invoice import get_invoice


def test_payment_from_the_terminal_records_refuses_and_refunds(studio, invoice, capsys):
    data = str(studio.paths.root)
    total = invoice.total
    studio.close()  # the command opens the studio itself, as from a terminal
    deposit = invoice.breakdown["instalments"]["deposit"]["amount"]
    typed = f"{deposit // 100:,}.{deposit % 100:02d}"  # "1,234.50", as a person types it

    args = ["--data", data, "payment", "1", typed, "--method", "card", "--note", "At the viewing"]
    assert main.main(args) == 0
    out = capsys.readouterr().out
    assert f"Recorded 0001-1: {invoice.money(deposit)} by card." in out
    assert f"{invoice.money(total - deposit)} left." in out
    assert "Receipt queued for eleanor@example.com." in out

    too_much = f"{(total - deposit + 1) / 100:.2f}"
    assert main.main(["payment", "#1", too_much, "--method", "cash", "--data", data]) == 1
    assert "more than is left to pay" in capsys.readouterr().err

    assert main.main(["--data", data, "payment", "1", "10", "--method", "cash", "--refund"]) == 1
    assert "needs its reason" in capsys.readouterr().err
    refund = ["payment", "1", "10", "--method", "cash", "--refund", "--reason", "Goodwill"]
    assert main.main(["--data", data, *refund, "--no-receipt"]) == 0
    assert "Refunded 0001-2: $10.00 by cash." in capsys.readouterr().out

    assert main.main(["--data", data, "payments", "1"]) == 0
    out = capsys.readouterr().out
    assert f"Paid {invoice.money(deposit - 1000)} of {invoice.money(total)}" in out
    assert "Cash refund" in out and "Goodwill" in out and "Payment 3" in out

    assert main.main(["--data", data, "payment", "7", "10", "--method", "cash"]) == 1
    assert "7" in capsys.readouterr().err

    assert main.main(["--data", data, "reminders"]) == 0
    assert "reminders queued." in capsys.readouterr().out

    from kiosk.studio import open_studio

    again = open_studio(studio.paths.root)
    try:
        assert get_invoice(again.store, 1).status == "confirmed"  # below the deposit again
        kinds = [e.kind for e in outbox.entries(again.store)]
        assert kinds.count("receipt") == 1  # the refund was recorded without one
    finally:
        again.close()
