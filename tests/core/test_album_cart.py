"""The album design as a cart command: checked in words, logged as JSON, undone whole, priced
by spreads, and carried by the frozen invoice cart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.cart import (
    AddLine,
    CartState,
    SetAlbumDesign,
    apply,
    command_from_json,
    undo,
    validate,
)
from kiosk.core.errors import CommandError
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine, cart_from_dict, price

ROOT = Path(__file__).resolve().parents[2]
PRICES = load(ROOT / "assets/pricelist.toml")  # the 8×8 album: 10 spreads, 35.00 each more, 30
TODAY = date(2026, 5, 1)


def album_cart() -> CartState:
    return apply(CartState(), AddLine("album", "8x8", {}, (1,)))


def design(spreads: int, per: int = 1) -> tuple:
    return tuple(
        ("single" if per == 1 else "two-up", tuple(range(n * per + 1, n * per + per + 1)))
        for n in range(spreads)
    )


def test_a_design_sets_the_albums_images_and_spreads_and_undo_brings_the_last_one_back():
    state = album_cart()
    first = SetAlbumDesign("L1", design(10))
    validate(state, first, PRICES)
    state = apply(state, first)
    line = state.line("L1")
    assert line.spreads == 10 and line.images == tuple(range(1, 11))
    second = SetAlbumDesign("L1", design(12, per=2))
    validate(state, second, PRICES)
    state = apply(state, second)
    assert state.line("L1").spreads == 12 and len(state.line("L1").images) == 24
    state = undo(state)
    assert state.line("L1").design == first.spreads


def test_extra_spreads_cost_what_the_pricing_engine_says_for_the_same_cart():
    state = apply(album_cart(), SetAlbumDesign("L1", design(13)))
    designed = price(PRICES, state.cart, today=TODAY)
    by_hand = Cart(lines=(CartLine("album", "8x8", images=(1,), spreads=13, id="L1"),))
    assert designed.total == price(PRICES, by_hand, today=TODAY).total
    included = price(
        PRICES, apply(album_cart(), SetAlbumDesign("L1", design(10))).cart, today=TODAY
    )
    item = next(li for li in designed.lines if li.kind == "item")
    before = next(li for li in included.lines if li.kind == "item")
    assert item.amount - before.amount == 3 * 3500  # three spreads beyond the ten, 35.00 each


def test_more_than_max_spreads_or_fewer_than_included_is_refused_in_words():
    state = album_cart()
    with pytest.raises(CommandError, match="holds at most 30 spreads; this design has 31"):
        validate(state, SetAlbumDesign("L1", design(31)), PRICES)
    with pytest.raises(CommandError, match="has 10 spreads included: it cannot have fewer"):
        validate(state, SetAlbumDesign("L1", design(9)), PRICES)


@pytest.mark.parametrize(
    ("spreads", "message"),
    [
        ((("single", (1,)), ("single", (1,))) + design(8)[2:], "A photo is in the album twice"),
        ((("single", ()),) + design(10)[1:], "Spread 1 has no photos"),
        ((("", (1,)),) + design(10)[1:], "Spread 1 needs a layout"),
    ],
)
def test_malformed_designs_are_refused_in_words(spreads, message):
    with pytest.raises(CommandError, match=message):
        validate(album_cart(), SetAlbumDesign("L1", spreads), PRICES)


def test_only_an_album_line_takes_a_design():
    state = apply(CartState(), AddLine("print", "8x10", {}, (1,)))
    with pytest.raises(CommandError, match="Only an album has spreads"):
        validate(state, SetAlbumDesign("L1", design(10)), PRICES)
    with pytest.raises(CommandError, match="no longer in the order"):
        validate(state, SetAlbumDesign("L9", design(10)), PRICES)


def test_the_command_survives_the_event_logs_json():
    command = SetAlbumDesign("L1", (("three-up", (4, 5, 6)), ("single", (7,))))
    assert command_from_json(command.to_json()) == command
    with pytest.raises(CommandError, match="spreads must be"):
        command_from_json({"kind": "set_album_design", "line": "L1", "spreads": [["x", "y"]]})


spreads = st.lists(
    st.tuples(
        st.sampled_from(["single", "two-up", "three-up", "panorama"]),
        st.lists(st.integers(1, 500), min_size=1, max_size=4).map(tuple),
    ),
    max_size=12,
).map(tuple)


@settings(max_examples=150, deadline=None)
@given(spreads, st.integers(1, 3))
def test_the_frozen_invoice_cart_carries_the_design(design_, quantity):
    line = CartLine("album", "8x8", images=(1,), quantity=quantity, id="L1", design=design_)
    cart = Cart(lines=(line, CartLine("print", "8x10", images=(2,), id="L2")))
    assert cart_from_dict(cart.to_dict()) == cart
    assert cart_from_dict(cart.to_dict()).lines[0].design == design_
