"""Bundles ("All digital files" covering the files chosen one by one), credits for "all", and
the advisor's one-tap switch to a bundle, priced exactly.

The studio of the issue: digital files $95 each, "All digital files" $1,200, nothing taxed on
them, no minimum and no session credit, so totals are easy to check by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kiosk.core.cart import (
    AddLine,
    ApplyPromo,
    CartState,
    ChooseCollection,
    RemoveLine,
    Switch,
    apply,
    command_from_json,
    switch_for,
    undo,
    validate,
)
from kiosk.core.errors import CommandError
from kiosk.core.pricelist import parse
from kiosk.core.pricing import Cart, CartLine, advise, cart_from_dict, price

DAY = date(2026, 5, 1)
LIST = """
[studio]
name = "Bundle Studio"

[currency]
code = "USD"
symbol = "$"

[tax]
rate = "8.25"
taxable = ["print"]

[advisor]
upgrade_within = "{upgrade}"

[[product]]
id = "print"
kind = "print"
name = "Print"
variants = [{{ size = "8x10", price = "65.00" }}]

[[product]]
id = "digital"
kind = "digital"
name = "Digital file"
per = "image"
variants = [
  {{ id = "single", name = "high resolution", price = "95.00" }},
  {{ id = "web", name = "web size", price = "40.00" }},
]

[[product]]
id = "digital-all"
kind = "digital"
name = "All digital files"
covers = {{ kind = "digital" }}
variants = [{{ id = "all", name = "of the session", price = "1200.00" }}]

[[collection]]
id = "files"
name = "Files and a print"
price = "900.00"
credits = [
  {{ kind = "digital", variant = "single", count = 10 }},
  {{ kind = "print" }},
]

[[collection]]
id = "everything"
name = "Everything"
price = "1500.00"
credits = [
  {{ kind = "digital", count = "all" }},
  {{ kind = "print", count = 2 }},
]
"""


def studio(upgrade: str = "0"):
    return parse(LIST.format(upgrade=upgrade), file="bundles.toml")


def files(n: int, *, first: int = 1, variant: str = "single") -> tuple[CartLine, ...]:
    """n single-file lines, one image each, with the kiosk's line ids L1, L2..."""
    return tuple(
        CartLine("digital", variant, images=(100 + i,), id=f"L{i}") for i in range(first, first + n)
    )


BUNDLE = CartLine("digital-all", "all", id="B")


# --- Pricing ---------------------------------------------------------------------------------


def test_the_bundle_includes_every_single_file_so_nothing_is_charged_twice() -> None:
    pl = studio()
    alone = price(pl, Cart(lines=(BUNDLE,)), today=DAY)
    assert alone.total == 120000
    for n in (1, 5, 14, 30):
        both = price(pl, Cart(lines=(*files(n), BUNDLE)), today=DAY)
        assert both.total == 120000, n
        singles = [line for line in both.lines if line.ref.startswith("L")]
        assert [line.amount for line in singles] == [0] * n
        assert {line.note for line in singles} == {"included in All digital files"}
        assert {line.list_amount for line in singles} == {9500}  # still shows what it was worth


def test_the_bundle_covers_files_whatever_their_variant_and_leaves_other_products_charged() -> None:
    pl = studio()
    cart = Cart(lines=(*files(2, variant="web"), CartLine("print", "8x10", images=(7,)), BUNDLE))
    b = price(pl, cart, today=DAY)
    # $1,200 + $65 print + 8.25 % tax on the print ($5.3625 -> $5.36); the web files are free.
    assert [(line.ref, line.amount) for line in b.lines] == [
        ("L1", 0),
        ("L2", 0),
        ("3", 6500),
        ("B", 120000),
        ("", 536),
    ]
    assert b.total == 127036


def test_a_count_of_files_credit_does_not_pay_for_the_bundle_and_the_bundle_frees_its_credits() -> (
    None
):
    pl = studio()
    # "Files and a print": 10 single files. With the bundle in the cart the files are already
    # included, so the credits are not spent on them, and the bundle itself is charged.
    cart = Cart(lines=(*files(4), BUNDLE), collection="files")
    b = price(pl, cart, today=DAY)
    assert [(line.kind, line.amount) for line in b.lines] == [
        ("collection", 90000),
        ("item", 0),
        ("item", 0),
        ("item", 0),
        ("item", 0),
        ("item", 120000),
    ]
    assert b.credits[0].used == 0 and b.credits[0].text == "0 of 10 digital files used"


def test_a_credit_for_all_pays_for_every_file_of_its_kind() -> None:
    pl = studio()
    cart = Cart(lines=(*files(23), CartLine("print", "8x10", images=(1,))), collection="everything")
    b = price(pl, cart, today=DAY)
    items = [line for line in b.lines if line.kind == "item"]
    assert all(line.amount == 0 for line in items)
    assert b.total == 150000  # the collection only: the print it includes was the taxed part
    assert b.credits[0].count is None
    assert b.credits[0].text == "All digital files included (23 chosen)"
    assert b.credits[1].text == "1 of 2 prints used"


# --- Advice ----------------------------------------------------------------------------------


def test_fourteen_single_files_are_told_the_bundle_costs_130_dollars_less() -> None:
    pl = studio()
    cart = Cart(lines=files(14))
    assert price(pl, cart, today=DAY).total == 133000  # 14 × $95
    advice = advise(pl, cart, today=DAY, images=48)
    assert advice.suggestion == "All digital files: $130.00 less than 14 single files."
    assert advice.chosen.total == 133000
    assert advice.suggested is not None and advice.suggested.total == 120000
    assert advice.suggested.bundle == "digital-all"
    change = advice.change
    assert change is not None
    assert change.remove == tuple(f"L{i}" for i in range(1, 15))
    assert change.add == (CartLine("digital-all", "all"),)
    assert not change.choose_collection


def test_a_bundle_a_little_dearer_is_offered_within_upgrade_within() -> None:
    cart = Cart(lines=files(29, variant="web"))  # 29 × $40 = $1,160; no collection is near
    assert advise(studio("30.00"), cart, today=DAY, images=48).suggestion is None
    advice = advise(studio("65.00"), cart, today=DAY, images=48)
    assert advice.suggestion == "For $40.00 more, all 48 digital files."
    assert advice.suggested is not None and advice.suggested.total == 120000
    assert advice.change is not None and len(advice.change.remove) == 29
    # Not knowing the session's size, it does not make one up.
    unsized = advise(studio("65.00"), cart, today=DAY)
    assert unsized.suggestion == "For $40.00 more, all digital files."


def test_no_bundle_advice_once_the_bundle_is_in_the_cart() -> None:
    advice = advise(studio("500.00"), Cart(lines=(*files(3), BUNDLE)), today=DAY, images=48)
    assert advice.suggested is None or advice.suggested.bundle is None
    assert advice.chosen.total == 120000


def test_a_cheaper_collection_still_wins_over_a_dearer_bundle() -> None:
    # 11 single files: $1,045 à la carte; the "files" collection pays for 10 of them: $995.
    advice = advise(studio(), Cart(lines=files(11)), today=DAY)
    assert advice.suggested is not None and advice.suggested.collection == "files"
    assert advice.suggestion == "With Files and a print, this order comes to $50.00 less."
    assert advice.change is not None
    assert (advice.change.choose_collection, advice.change.collection) == (True, "files")


# --- The one-tap switch ---------------------------------------------------------------------


def state_with(pl, n: int) -> CartState:
    state = CartState()
    for i in range(n):
        command = AddLine("digital", "single", {}, (100 + i,))
        validate(state, command, pl, today=DAY)
        state = apply(state, command)
    return state


def test_the_switch_swaps_the_files_for_the_bundle_and_one_undo_brings_them_back() -> None:
    pl = studio()
    before = state_with(pl, 14)
    switch = switch_for(advise(pl, before.cart, today=DAY, images=48))
    assert switch is not None
    assert switch.commands[:2] == (RemoveLine("L1"), RemoveLine("L2"))
    assert switch.commands[-1] == AddLine("digital-all", "all", {}, (), 1)
    validate(before, switch, pl, today=DAY)
    after = apply(before, switch)
    assert [(line.product, line.id) for line in after.cart.lines] == [("digital-all", "L15")]
    assert price(pl, after.cart, today=DAY).total == 120000
    assert undo(after).cart == before.cart  # one step back, all 14 files again
    # The log keeps it as one event that reads back to the same command.
    assert command_from_json(switch.to_json()) == switch


def test_a_switch_is_checked_command_by_command_and_holds_only_cart_lines_and_collections() -> None:
    pl = studio()
    state = state_with(pl, 2)
    stale = Switch((RemoveLine("L1"), RemoveLine("L1")))  # the second one is gone by then
    with pytest.raises(CommandError, match="no longer in the order"):
        validate(state, stale, pl, today=DAY)
    with pytest.raises(CommandError, match="A switch holds only add_line, remove_line"):
        command_from_json({"kind": "switch", "commands": [ApplyPromo("X").to_json()]})
    with pytest.raises(CommandError, match="needs a list of commands"):
        command_from_json({"kind": "switch", "commands": []})
    collection = Switch.taking(advise(pl, Cart(lines=files(11)), today=DAY).change)
    assert collection.commands == (ChooseCollection("files"),)


# --- The documented example ------------------------------------------------------------------


def test_the_documented_bundle_example_prices_and_advises_as_the_docs_say() -> None:
    root = Path(__file__).resolve().parents[2]
    text = (root / "docs" / "pricelist.md").read_text(encoding="utf-8")
    pl = parse(re.findall(r"```toml\n(.*?)```", text, re.S)[0], file="docs/pricelist.md")
    section = text.split("## Bundles and credits for all")[1].split("\n## ")[0]
    cart = cart_from_dict(json.loads(re.findall(r"```json\n(.*?)```", section, re.S)[0]))
    assert price(pl, cart, today=DAY).total == 118000 and "**$1,180.00**" in section
    advice = advise(pl, cart, today=DAY, images=48)
    assert advice.suggested is not None and advice.suggested.total == 105000
    assert advice.suggestion == "All digital files: $130.00 less than 14 single files."
    assert advice.suggestion in section
    twelve = replace(cart.lines[0], images=cart.lines[0].images[:12])
    advice = advise(pl, replace(cart, lines=(twelve,)), today=DAY, images=48)
    assert advice.chosen.total == 99000 and advice.suggestion == (
        "For $60.00 more, all 48 digital files."
    )
    assert "For $60.00 more, all 48 digital\nfiles." in section
    # The example's "all" credit: every file included, the print too.
    every = replace(cart, collection="all-files")
    b = price(pl, every, today=DAY)
    assert b.credits[0].text == "All digital files included (14 chosen)"
    assert b.total == 145000 + 11963 - 15000  # the collection, its 8.25 % tax, the credit


def test_a_bundle_is_bought_once() -> None:
    """Two "All digital files" would charge the same files twice: refused, with why."""
    from kiosk.core.cart import SetQuantity, apply, validate
    from kiosk.core.errors import CommandError

    pl = studio()
    add = AddLine("digital-all", "all")
    state = CartState()
    validate(state, add, pl)
    state = apply(state, add)
    for refused in (add, AddLine("digital-all", "all", quantity=2)):
        with pytest.raises(CommandError, match="once"):
            validate(state, refused, pl)
    with pytest.raises(CommandError, match="once"):
        validate(state, SetQuantity(state.cart.lines[0].id, 2), pl)
    with pytest.raises(CommandError, match="once"):
        validate(CartState(), AddLine("digital-all", "all", quantity=3), pl)
