"""Discounts in the cart: promo codes from either screen, the photographer's studio discount
from the paired remote only; totals worked out by hand from the test and demo price lists.

tests/data/pricelists/simple.toml   Oak Street Photo: 7.25 % on prints, canvas, albums and
                                    shipping; $150 minimum; WELCOME50 ($50 off, until
                                    2025-12-31), PRINTS20 (20 % off prints).
tests/data/pricelists/vat.toml      Studio Lindenhof: prices include 19 % VAT; SOMMER15 from
                                    2025-06-01 to 2025-08-31.
assets/pricelist.toml               Golden Hour (the demo): 8.25 % on goods, $500 minimum,
                                    $250 session-fee credit; VIEWING100 ($100 off).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kiosk.core.cart import (
    AddLine,
    ApplyPromo,
    CartState,
    RemovePromo,
    SetStudioDiscount,
    apply,
    command_from_json,
    undo,
    validate,
)
from kiosk.core.errors import CartError, CommandError
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine, StudioDiscount, cart_from_dict, price
from kiosk.core.selection import Undo
from kiosk.live import LiveSession

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "pricelists"
DAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def simple():
    return load(DATA / "simple.toml")


@pytest.fixture(scope="module")
def lindenhof():
    return load(DATA / "vat.toml")


@pytest.fixture(scope="module")
def demo():
    return load(ROOT / "assets" / "pricelist.toml")


def amounts(breakdown) -> list[tuple[str, int]]:
    return [(line.kind, line.amount) for line in breakdown.lines]


# --- The pricing engine ------------------------------------------------------------------------


def test_a_studio_percent_is_its_own_line_with_the_reason_and_reduces_the_tax(demo) -> None:
    cart = Cart(
        lines=(CartLine("canvas", "20x30", images=(1,)),),
        studio_discount=StudioDiscount(percent=10, reason="  loyal   client "),
    )
    b = price(demo, cart, today=DAY)
    # $695 canvas, 10 % off = $69.50; tax 8.25 % of $625.50 = $51.60375 -> $51.60;
    # less the $250 session-fee credit: $427.10.
    assert amounts(b) == [
        ("item", 69500),
        ("discount", -6950),
        ("tax", 5160),
        ("session_credit", -25000),
    ]
    assert b.lines[1].label == "Studio discount — loyal client −10%"
    assert b.lines[1].ref == "studio"
    assert b.discounts == 6950 and b.total == 42710
    shown = b.to_dict()["discounts"]
    assert shown == [
        {
            "id": "studio",
            "label": "Studio discount — loyal client −10%",
            "amount": 6950,
            "display": "$69.50",
        }
    ]


def test_a_studio_amount_has_no_percent_in_its_label(demo) -> None:
    cart = Cart(
        lines=(CartLine("canvas", "20x30", images=(1,)),),
        studio_discount=StudioDiscount(amount=5000, reason="friends"),
    )
    b = price(demo, cart, today=DAY)
    # $695 - $50 = $645; tax $53.2125 -> $53.21; less $250: $448.21.
    assert amounts(b)[1] == ("discount", -5000)
    assert b.lines[1].label == "Studio discount — friends"
    assert b.total == 44821
    assert StudioDiscount(percent=15).label == "Studio discount −15%"


def test_the_studio_discount_comes_after_the_price_lists_discounts(simple) -> None:
    cart = Cart(
        lines=(
            CartLine("print", "11x14", images=(1,)),
            CartLine("digital", "single", images=(2, 3)),
        ),
        promo_codes=("WELCOME50", "PRINTS20"),
        shipping="mail",
        studio_discount=StudioDiscount(percent=10, reason="loyal client"),
    )
    b = price(simple, cart, today=DAY)
    # $85 print + $150 files = $235. PRINTS20: $17 off the print; WELCOME50: $50 off the
    # $218 left; then 10 % of the $168 left = $16.80. The print's taxable share:
    # 68 × 168/218 × 0.9 = $47.1633; with $15 shipping $62.1633, tax 7.25 % = $4.5068 -> $4.51.
    # Goods $151.20 (over the $150 minimum) + $15 + $4.51 = $170.71.
    assert [(x.ref, x.amount) for x in b.lines if x.kind == "discount"] == [
        ("print-sale", -1700),
        ("welcome", -5000),
        ("studio", -1680),
    ]
    assert b.tax.amount == 451
    assert b.total == 17071
    assert sum(x.amount for x in b.lines) == b.total


def test_a_studio_amount_is_capped_so_the_total_never_goes_negative(lindenhof) -> None:
    cart = Cart(
        lines=(CartLine("acrylic", "40x60", images=(1,)),),
        shipping="dhl",
        studio_discount=StudioDiscount(amount=100000, reason="Gewinnspiel"),
    )
    b = price(lindenhof, cart, today=DAY)
    # €1,000 off a €349 acrylic takes €349 only; the €9.90 delivery stays, with its VAT
    # included: 9.90 × 19/119 = €1.5807 -> €1.58.
    assert amounts(b) == [("item", 34900), ("discount", -34900), ("shipping", 990)]
    assert b.total == 990 and b.tax.amount == 158


def test_a_studio_discount_does_not_undercut_the_minimum_order(simple) -> None:
    cart = Cart(
        lines=(CartLine("canvas", "16x20", images=(1,)),),
        studio_discount=StudioDiscount(percent=50, reason="sample sale"),
    )
    b = price(simple, cart, today=DAY)
    # $295 canvas, half off = $147.50: $2.50 under the $150 minimum, topped up untaxed (the
    # list does not tax everything); tax 7.25 % of $147.50 = $10.69375 -> $10.69.
    assert amounts(b) == [("item", 29500), ("discount", -14750), ("minimum", 250), ("tax", 1069)]
    assert b.total == 16069


@pytest.mark.parametrize(
    ("percent", "amount", "reason", "message"),
    [
        (None, None, "", "a percent or an amount"),
        (10, 500, "", "a percent or an amount"),
        (0, None, "", "from 1 to 100, not 0"),
        (101, None, "", "from 1 to 100, not 101"),
        (True, None, "", "from 1 to 100, not True"),
        (None, 0, "", "1 or more, not 0"),
        (None, 12.5, "", "whole number of cents"),
        (5, None, "x" * 61, "61 characters; keep it to 60"),
    ],
)
def test_a_studio_discount_that_makes_no_sense_is_refused(percent, amount, reason, message):
    with pytest.raises(CartError, match=message):
        StudioDiscount(percent, amount, reason)


def test_the_cart_json_carries_a_studio_discount(demo) -> None:
    data = {
        "lines": [{"product": "canvas", "variant": "20x30", "images": [1]}],
        "studio_discount": {"percent": 10, "reason": "loyal client"},
    }
    cart = cart_from_dict(data)
    assert cart.studio_discount == StudioDiscount(percent=10, reason="loyal client")
    assert price(demo, cart, today=DAY).total == 42710
    with pytest.raises(CartError, match='"studio_discount" must be null or an object'):
        cart_from_dict({"lines": [], "studio_discount": {"percent": 10, "why": "x"}})
    with pytest.raises(CartError, match="from 1 to 100"):
        cart_from_dict({"lines": [], "studio_discount": {"percent": "10"}})


# --- Cart commands -----------------------------------------------------------------------------


def with_canvas() -> CartState:
    return apply(CartState(), AddLine("canvas", "16x20", {}, (1,)))


@pytest.mark.parametrize(
    ("code", "today", "message"),
    [
        ("FREEBIE", DAY, "The code FREEBIE is not one of the studio's promo codes"),
        ("welcome50", date(2026, 1, 15), "The code WELCOME50 expired on 2025-12-31."),
        ("   ", DAY, "Type the promo code"),
    ],
)
def test_an_unknown_or_expired_promo_code_is_refused_by_name(simple, code, today, message):
    with pytest.raises(CommandError, match=message):
        validate(with_canvas(), ApplyPromo(code), simple, today=today)


def test_a_code_not_started_yet_is_refused_with_its_first_day(lindenhof) -> None:
    with pytest.raises(CommandError, match="SOMMER15 can be used from 2025-06-01, not yet"):
        validate(CartState(), ApplyPromo("sommer15"), lindenhof, today=date(2025, 5, 31))
    validate(CartState(), ApplyPromo("sommer15"), lindenhof, today=date(2025, 6, 1))


def test_a_code_is_applied_once_in_any_case_and_removed_by_name(simple) -> None:
    state = apply(with_canvas(), ApplyPromo(" prints20 "))
    assert state.cart.promo_codes == ("PRINTS20",)
    with pytest.raises(CommandError, match="The code PRINTS20 is already applied"):
        validate(state, ApplyPromo("Prints20"), simple, today=DAY)
    with pytest.raises(CommandError, match="The code WELCOME50 is not applied to this order"):
        validate(state, RemovePromo("WELCOME50"), simple, today=DAY)
    validate(state, RemovePromo("prints20"), simple, today=DAY)
    assert apply(state, RemovePromo("prints20")).cart.promo_codes == ()


def test_only_the_remote_may_give_a_studio_discount(simple) -> None:
    command = SetStudioDiscount(percent=10, reason="loyal client")
    with pytest.raises(CommandError, match="Only the photographer can give a studio discount"):
        validate(with_canvas(), command, simple, actor="touch")
    validate(with_canvas(), command, simple, actor="remote")
    # A promo code may be typed on the TV.
    validate(with_canvas(), ApplyPromo("PRINTS20"), simple, today=DAY, actor="touch")


def test_a_studio_discount_replaces_the_last_one_and_two_nones_take_it_off(simple) -> None:
    state = apply(with_canvas(), SetStudioDiscount(percent=10, reason="loyal client"))
    state = apply(state, SetStudioDiscount(amount=2500, reason="friends"))
    assert state.cart.studio_discount == StudioDiscount(amount=2500, reason="friends")
    cleared = apply(state, SetStudioDiscount(None, None))
    assert cleared.cart.studio_discount is None
    with pytest.raises(CommandError, match="There is no studio discount to take off"):
        validate(cleared, SetStudioDiscount(None, None), simple, actor="remote")
    assert undo(cleared).cart.studio_discount == StudioDiscount(amount=2500, reason="friends")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "set_studio_discount", "percent": "10"}, "percent must be a whole number"),
        ({"kind": "set_studio_discount", "amount": 9.5}, "amount must be a whole number"),
        ({"kind": "set_studio_discount", "percent": 5, "amount": 5}, "a percent or an amount"),
        ({"kind": "set_studio_discount", "percent": 120}, "from 1 to 100"),
        ({"kind": "set_studio_discount", "percent": 5, "reason": 7}, "reason must be text"),
        ({"kind": "apply_promo", "code": 10}, "Type the promo code"),
    ],
)
def test_malformed_discount_commands_are_refused(simple, data, message) -> None:
    with pytest.raises(CommandError, match=message):
        validate(with_canvas(), command_from_json(data), simple, today=DAY, actor="remote")


def test_discount_commands_missing_a_field_are_malformed() -> None:
    with pytest.raises(CommandError, match="The apply_promo command needs code"):
        command_from_json({"kind": "apply_promo"})
    with pytest.raises(CommandError, match="The set_studio_discount command has no 'note'"):
        command_from_json({"kind": "set_studio_discount", "percent": 5, "note": "x"})


def test_discount_commands_round_trip_through_json() -> None:
    for command in (
        ApplyPromo("FAMILY10"),
        RemovePromo("FAMILY10"),
        SetStudioDiscount(percent=10, reason="loyal client"),
        SetStudioDiscount(amount=2500, reason=""),
        SetStudioDiscount(),
    ):
        assert command_from_json(command.to_json()) == command


# --- Through the live session: logged, undoable, replayed ----------------------------------------


@pytest.fixture
def live(studio, session_factory):
    session = LiveSession(studio.store, session_factory([(600, 400)] * 3), studio.pricelist)
    session.today = lambda: date(2026, 11, 25)
    return session


def total(live: LiveSession) -> int:
    breakdown, problem = live.breakdown()
    assert breakdown is not None, problem
    return breakdown.total


def test_a_promo_code_and_a_studio_discount_change_the_total_and_undo_restores_it(live) -> None:
    image = live.images[0].id
    live.do(AddLine("canvas", "20x30", {}, (image,)))
    # $695 + tax $57.33375 -> $57.34, less $250: $502.34.
    assert total(live) == 50234
    live.do(ApplyPromo("viewing100"))  # from the touch screen
    # $595, tax $49.08750 -> $49.09 (half-up), less $250: $394.09.
    assert total(live) == 39409
    live.do(SetStudioDiscount(percent=10, reason="loyal client"), actor="remote")
    # 10 % of $595 = $59.50; $535.50, tax $44.17875 -> $44.18, less $250: $329.68.
    assert total(live) == 32968
    breakdown, _ = live.breakdown()
    assert [x.label for x in breakdown.lines if x.kind == "discount"] == [
        "Ordered at the viewing (VIEWING100)",
        "Studio discount — loyal client −10%",
    ]

    reopened = LiveSession(live.store, live.session_id, live.pricelist)
    assert reopened.cart.cart == live.cart.cart  # the log replays both

    live.do(Undo())
    assert total(live) == 39409
    live.do(Undo())
    assert total(live) == 50234 and live.cart.cart.promo_codes == ()


def test_refused_discounts_write_nothing(live) -> None:
    live.do(AddLine("canvas", "20x30", {}, (live.images[0].id,)))
    events = len(live.store.events(live.session_id))
    before = live.cart.cart
    for command, actor, message in [
        (SetStudioDiscount(percent=10, reason="x"), "touch", "Only the photographer"),
        (ApplyPromo("NOPE"), "touch", "The code NOPE is not one"),
        (ApplyPromo("HOLIDAY15"), "remote", None),
    ]:
        if message is None:
            live.today = lambda: date(2027, 1, 5)  # after the holiday season
            message = "The code HOLIDAY15 expired on 2026-12-24."
        with pytest.raises(CommandError, match=message):
            live.do(command, actor=actor)
    assert live.cart.cart == before
    assert len(live.store.events(live.session_id)) == events


def test_a_code_applied_in_season_stops_counting_when_it_expires(live) -> None:
    live.do(AddLine("print", "8x10", {}, (live.images[0].id,)))
    live.do(ApplyPromo("HOLIDAY15"))  # in force on 2026-11-25
    in_season = total(live)
    live.today = lambda: date(2027, 1, 5)
    breakdown, _ = live.breakdown()
    assert breakdown.total > in_season
    assert "Code HOLIDAY15 expired on 2026-12-24; it was not applied." in breakdown.notices


def test_the_documented_studio_discount_example_prices_as_the_docs_say(simple) -> None:
    text = (ROOT / "docs" / "pricelist.md").read_text(encoding="utf-8")
    section = text.split("## The studio discount")[1]
    cart = json.loads(re.findall(r"```json\n(.*?)```", section, re.S)[0])
    b = price(simple, cart_from_dict(cart), today=DAY)
    assert amounts(b) == [("item", 29500), ("discount", -2950), ("tax", 1925)]
    assert b.total == 28475 and "$284.75" in section


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "set_studio_discount", "percent": 5, "why": "x"},
            "The set_studio_discount command has no 'why'; its fields: percent, amount, reason.",
        ),
        ({"kind": "remove_line"}, "The remove_line command needs line; its fields: line."),
    ],
)
def test_a_malformed_cart_command_names_its_fields_not_python_internals(data, message) -> None:
    with pytest.raises(CommandError) as caught:
        command_from_json(data)
    assert str(caught.value) == message
