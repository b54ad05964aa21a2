"""The rules of an order's products on their way: which lines are shipped, which moves are
allowed, the summary in words and the order status the products give a paid order."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.core.errors import LineMoveRefused
from kiosk.core.fulfilment import (
    LineEvent,
    check_moves,
    line_states,
    not_shipped,
    order_status_after,
    product_name,
    progress_text,
)
from kiosk.core.invoices import Client, Invoice, OrderLine
from kiosk.core.pricelist import Currency


def line(ref: str, kind: str, label: str, size: str = "", units: int = 1) -> OrderLine:
    return OrderLine(
        ref=ref, label=label, product=kind, product_name=label, kind=kind, variant="v",
        variant_name="v", size=size, options=(), images=(1,), quantity=units, units=units,
        spreads=0, unit_price=100, list_amount=100 * units, amount=100 * units, covered=0,
        note="",
    )  # fmt: skip


INVOICE = Invoice(
    number=7,
    session_id=1,
    issued=date(2026, 5, 1),
    created="2026-05-01T10:00:00+00:00",
    client=Client("Eleanor Whitfield", "eleanor@example.com"),
    studio="Golden Hour",
    currency=Currency("USD", "$"),
    cart={},
    breakdown={"total": {"amount": 100}},
    lines=(
        line("wall", "canvas", "Gallery canvas 16×20", "16×20"),
        line("2", "album", "Heirloom album 10×10", "10×10"),
        line("3", "digital", "Digital file"),
        line("4", "print", "Archival print 8×10", "8×10", units=2),
        line("5", "retouch", "Skin retouching"),
        line("6", "framed", "Framed print 11×14", "11×14"),
        line("7", "metal", "Metal print 20×30", "20×30"),
    ),
    images=(),
    status="paid",
    status_changed="",
)


def events(*moves: tuple[str, str]) -> list[LineEvent]:
    return [LineEvent(i, 7, ref, state, "", f"t{i}") for i, (ref, state) in enumerate(moves, 1)]


def test_only_physical_lines_have_a_state_and_the_newest_event_wins():
    states = line_states(INVOICE, events(("wall", "lab"), ("wall", "shipped"), ("4", "lab")))
    assert [s.line.ref for s in states] == ["wall", "2", "4", "6", "7"]  # no files, no retouch
    assert [s.state for s in states] == ["shipped", "ordered", "lab", "ordered", "ordered"]
    assert states[0].time == "t2" and states[1].time is None


def test_moves_go_forward_any_steps_and_back_only_one():
    states = line_states(INVOICE, events(("wall", "delivered"), ("4", "lab")))
    assert [s.line.ref for s in check_moves(states, ["2", "4"], "shipped")] == ["2", "4"]
    assert check_moves(states, ["wall"], "shipped")[0].state == "delivered"  # one step back
    with pytest.raises(LineMoveRefused, match="one step at a time, to shipped"):
        check_moves(states, ["wall"], "lab")
    with pytest.raises(LineMoveRefused, match="already at the lab"):
        check_moves(states, ["2", "4"], "lab")
    with pytest.raises(LineMoveRefused, match='"3" is not a product of this order that is shipped'):
        check_moves(states, ["3"], "shipped")  # the digital files
    with pytest.raises(LineMoveRefused, match="not a state"):
        check_moves(states, ["2"], "lost")
    with pytest.raises(LineMoveRefused, match="none were given"):
        check_moves(states, [], "lab")


def test_the_summary_says_what_is_left_in_words():
    states = line_states(
        INVOICE,
        events(("wall", "delivered"), ("2", "delivered"), ("4", "delivered"), ("6", "lab")),
    )
    assert progress_text(states) == "3 of 5 products delivered · 1 at the lab · 1 to send"
    assert not_shipped(states) == 2
    states = line_states(INVOICE, events(*((r, "delivered") for r in ("wall", "2", "4", "6", "7"))))
    assert progress_text(states) == "All 5 products delivered"
    assert progress_text(()) == "No products to ship"
    assert progress_text(line_states(INVOICE, [])) == "0 of 5 products delivered · 5 to send"


def test_a_paid_order_follows_its_products_and_the_money_keeps_its_own():
    every = ("wall", "2", "4", "6", "7")
    shipped = line_states(INVOICE, events(*((r, "shipped") for r in every)))
    some = line_states(INVOICE, events(("wall", "shipped")))
    delivered = line_states(INVOICE, events(*((r, "delivered") for r in every)))
    assert order_status_after("paid", some, back=False) == "paid"
    assert order_status_after("paid", shipped, back=False) == "shipped"
    assert order_status_after("shipped", delivered, back=False) == "delivered"
    assert order_status_after("paid", delivered, back=False) == "delivered"
    assert order_status_after("deposit", delivered, back=False) == "deposit"  # money first
    assert order_status_after("emailed", shipped, back=False) == "emailed"
    assert order_status_after("delivered", shipped, back=True) == "shipped"
    assert order_status_after("shipped", some, back=True) == "paid"
    # A status set by hand ahead of the products stays when another line moves forward.
    assert order_status_after("delivered", some, back=False) == "delivered"


def test_products_are_named_as_a_client_says_them():
    names = [product_name(s.line) for s in line_states(INVOICE, [])]
    assert names == ["16×20 canvas", "10×10 album", "8×10 prints", "11×14 framed print",
                     "20×30 metal print"]  # fmt: skip
