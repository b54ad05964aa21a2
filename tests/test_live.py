"""The live session: decisions and cart changes share one event log and one undo."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.cart import AddLine, ChooseCollection, RemoveLine, SetQuantity
from kiosk.core.errors import CommandError
from kiosk.core.pricing import price
from kiosk.core.selection import Decide, Decision, Undo
from kiosk.live import LiveSession

TODAY = date(2026, 11, 25)


@pytest.fixture
def live(studio, session_factory):
    return LiveSession(studio.store, session_factory([(600, 400)] * 6), studio.pricelist)


def reopened(live):
    return LiveSession(live.store, live.session_id, live.pricelist)


def test_cart_changes_are_logged_and_survive_a_restart(live):
    first, second = live.images[0].id, live.images[1].id
    live.do(AddLine("canvas", "16x20", {"depth": "1.5"}, (first,)))
    live.do(AddLine("print", "8x10", {}, (second,), quantity=2))
    live.do(ChooseCollection("classic"))
    again = reopened(live)
    assert again.cart.cart == live.cart.cart
    assert [line.id for line in again.cart.cart.lines] == ["L1", "L2"]
    total, _ = again.breakdown(TODAY)
    assert total.total == live.breakdown(TODAY)[0].total > 0


def test_one_undo_steps_back_through_decisions_and_cart_in_order(live):
    image = live.images[0].id
    live.decide(image, "keep")
    live.do(AddLine("print", "8x10", {}, (image,)))
    live.do(Decide(live.images[1].id, Decision.MAYBE))
    live.undo()
    assert live.decision(live.images[1].id) is None and len(live.cart.cart.lines) == 1
    live.undo()
    assert live.cart.cart.lines == () and live.decision(image) == "keep"
    live.undo()
    assert live.decision(image) is None and not live.can_undo
    with pytest.raises(CommandError, match="nothing to undo"):
        live.do(Undo())
    assert reopened(live).cart.cart.lines == ()


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (AddLine("yacht", "big"), "does not offer 'yacht'"),
        (AddLine("canvas", "7x7"), "not '7x7'"),
        (AddLine("canvas", "16x20", {"depth": "9"}), "not offered"),
        (AddLine("print", "8x10", quantity=0), "quantity from 1"),
        (RemoveLine("L9"), "no longer in the order"),
        (SetQuantity("L9", 2), "no longer in the order"),
        (ChooseCollection("platinum-deluxe"), "no collection"),
    ],
)
def test_invalid_cart_commands_are_refused_and_nothing_is_written(live, command, message):
    with pytest.raises(CommandError, match=message):
        live.do(command)
    assert live.store.events(live.session_id) == []
    assert live.cart.cart.lines == () and not live.can_undo


def test_a_refused_command_in_a_batch_writes_none_of_the_batch(live):
    with pytest.raises(CommandError):
        live.do(AddLine("print", "8x10"), AddLine("print", "nope"))
    assert live.cart.cart.lines == () and live.store.events(live.session_id) == []


LINES = st.lists(
    st.tuples(
        st.sampled_from(
            [
                ("print", "8x10"),
                ("print", "11x14"),
                ("canvas", "16x20"),
                ("metal", "20x30"),
                ("digital", "single"),
            ]
        ),
        st.integers(1, 3),
    ),
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=LINES, collection=st.sampled_from([None, "classic", "signature"]))
def test_a_cart_round_trips_through_the_store_with_the_same_total(live, lines, collection):
    live.store.db.execute("delete from events")
    live = reopened(live)
    image = live.images[0].id
    for (product, variant), quantity in lines:
        live.do(AddLine(product, variant, {}, (image,), quantity))
    live.do(ChooseCollection(collection))
    expected = price(live.pricelist.current, live.cart.cart, today=TODAY).total
    assert reopened(live).breakdown(TODAY)[0].total == expected
