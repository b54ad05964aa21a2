"""The price-list editor's core: a draft written back through tomlkit changes only what changed,
is checked by the kiosk's own reader (its message, the field's path), prices a test cart as the
engine does, and saving keeps the 20 lists it replaced."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest

from kiosk.core.errors import CommandError, PriceListError
from kiosk.core.pricelist import parse
from kiosk.core.pricing import Cart, CartLine, advise, price
from kiosk.setup.pricelist_draft import check_draft, draft_of, money_text, write_draft
from kiosk.setup.pricelist_trial import price_trial
from kiosk.setup.pricelist_versions import (
    KEEP,
    restore_version,
    save_pricelist,
    versions,
    versions_folder,
)
from tests.conftest import ROOT

DEMO = (ROOT / "assets" / "pricelist.toml").read_text(encoding="utf-8")
DOCS = re.findall(r"```toml\n(.*?)```", (ROOT / "docs" / "pricelist.md").read_text(), re.S)[0]
TODAY = date(2026, 5, 1)


def through_json(draft):
    """The draft as the browser sends it back."""
    return json.loads(json.dumps(draft))


@pytest.mark.parametrize("text", [DEMO, DOCS], ids=["assets", "docs"])
def test_a_draft_saved_unchanged_gives_the_same_bytes(text):
    assert write_draft(text, through_json(draft_of(text))) == text
    checked = check_draft(text, through_json(draft_of(text)))
    assert checked.problem is None and checked.text == text


@pytest.mark.parametrize("text", [DEMO, DOCS], ids=["assets", "docs"])
def test_one_price_changed_changes_that_line_alone(text):
    draft = through_json(draft_of(text))
    variant = draft["product"][0]["variants"][1]
    before = variant["price"]
    variant["price"] = "71"  # typed without cents: written as the file spells money
    written = write_draft(text, draft)
    old, new = text.splitlines(), written.splitlines()
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][1] == changed[0][0].replace(f'"{before}"', '"71.00"')
    assert parse(written).products[0].variants[1].price == 7100


def test_a_product_with_per_size_option_prices_is_added_after_the_last_and_reads_back():
    draft = through_json(draft_of(DEMO))
    draft["product"].append(
        {
            "id": "mini",
            "kind": "print",
            "name": "Mini print",
            "variants": [{"size": "4x6", "price": "19"}, {"size": "5x5", "price": "24.50"}],
            "options": [
                {
                    "id": "coating",
                    "name": "Coating",
                    "choices": [
                        {"id": "none", "name": "None"},
                        {"id": "uv", "name": "UV varnish", "prices": {"4x6": "3", "5x5": "4"}},
                    ],
                }
            ],
        }
    )
    checked = check_draft(DEMO, draft)
    assert checked.problem is None, checked.problem
    mini = checked.pricelist.product("mini")
    assert [v.price for v in mini.variants] == [1900, 2450]
    assert mini.options[0].choices[1].variant_prices == (("4x6", 300), ("5x5", 400))
    assert '{ id = "uv", name = "UV varnish", prices = { "4x6" = "3.00", "5x5" = "4.00" } }' in (
        checked.text
    )
    # Everything before the new product is as it was; the next section's heading follows it.
    head = DEMO[: DEMO.index("# --- Collections")]
    assert checked.text.startswith(head.rstrip("\n"))
    assert checked.text.index('[[product]]\nid = "mini"') < checked.text.index("# --- Collections")
    assert checked.text.count("\n") - DEMO.count("\n") < 25


def test_a_collection_with_credits_and_a_promo_code_are_added():
    draft = through_json(draft_of(DEMO))
    draft["collection"].append(
        {
            "id": "starter",
            "name": "Starter",
            "price": "750",
            "credits": [
                {"kind": "print", "size": "8x10", "count": 3},
                {"kind": "digital", "variant": "single", "count": 5},
            ],
        }
    )
    draft["discount"].append(
        {
            "id": "spring",
            "name": "Spring minis",
            "code": "spring26",
            "amount": "50",
            "starts": "2026-03-01",
        }
    )
    checked = check_draft(DEMO, draft)
    assert checked.problem is None, checked.problem
    starter = checked.pricelist.collection("starter")
    assert starter.price == 75000 and [c.count for c in starter.credits] == [3, 5]
    spring = next(d for d in checked.pricelist.discounts if d.id == "spring")
    assert spring.code == "SPRING26" and spring.amount == 5000 and spring.starts == date(2026, 3, 1)
    assert "starts = 2026-03-01\n" in checked.text  # a TOML date, as the studio writes one


def test_a_removed_discount_takes_its_lines_only():
    draft = through_json(draft_of(DEMO))
    draft["discount"] = [d for d in draft["discount"] if d["id"] != "holiday"]
    written = write_draft(DEMO, draft)
    assert "HOLIDAY15" not in written and "# --- Delivery" in written
    assert len(DEMO.splitlines()) - len(written.splitlines()) == 9


def test_a_wrong_value_gets_the_checkers_message_and_the_fields_path():
    draft = through_json(draft_of(DEMO))
    draft["product"][1]["variants"][2]["price"] = "$895"
    checked = check_draft(DEMO, draft, file="pricelist.toml")
    assert checked.pricelist is None
    assert checked.problem.path == ("product", 1, "variants", 2, "price")
    bad = DEMO.replace('{ size = "24x36", price = "895.00" }', '{ size = "24x36", price = "$895" }')
    with pytest.raises(PriceListError) as checker:  # what `main.py pricelist check` says
        parse(bad, file="pricelist.toml")
    assert checked.problem.message == checker.value.message
    assert checked.problem.where == checker.value.where

    draft = through_json(draft_of(DEMO))
    draft["discount"][1]["code"] = "VIEWING100"  # the code of another discount
    assert check_draft(DEMO, draft).problem.path == ("discount", 2, "code")
    draft = through_json(draft_of(DEMO))
    draft["product"][0]["options"][0]["choices"][2]["prices"]["9x9"] = "5.00"
    problem = check_draft(DEMO, draft).problem
    assert problem.path == ("product", 0, "options", 0, "choices", 2, "prices", "9x9")
    assert problem.message.startswith("names a variant this product does not have")


def test_the_test_cart_is_priced_as_the_engine_prices_it_by_hand():
    draft = through_json(draft_of(DEMO))
    draft["product"][0]["variants"][1]["price"] = "80.00"  # 8x10 prints, unsaved
    pricelist = check_draft(DEMO, draft).pricelist
    cart = {
        "lines": [
            {
                "id": "a",
                "product": "print",
                "variant": "8x10",
                "options": {"paper": "cotton"},
                "quantity": 4,
            },
            {"id": "b", "product": "canvas", "variant": "16x20", "images": [3]},
            {"id": "c", "product": "digital", "variant": "single", "images": [1, 2, 3, 4, 5]},
        ],
        "collection": "classic",
        "promo_codes": ["VIEWING100"],
    }
    priced = price_trial(pricelist, cart, today=TODAY)
    by_hand = Cart(
        lines=(
            CartLine("print", "8x10", {"paper": "cotton"}, quantity=4, id="a"),
            CartLine("canvas", "16x20", images=(3,), id="b"),
            CartLine("digital", "single", images=(1, 2, 3, 4, 5), id="c"),
        ),
        collection="classic",
        promo_codes=("VIEWING100",),
    )
    expected = price(pricelist, by_hand, today=TODAY)
    assert priced["breakdown"] == expected.to_dict()
    assert priced["breakdown"]["total"]["amount"] == expected.total
    assert priced["advice"]["suggestion"] == (
        advise(pricelist, by_hand, today=TODAY).suggestion or ""
    )
    # The draft's price, not the file's: 4 × (80.00 + 15.00 cotton) without a collection.
    alone = price_trial(pricelist, {"lines": cart["lines"][:1]}, today=TODAY)
    assert alone["breakdown"]["subtotal"]["amount"] == 4 * (8000 + 1500)
    assert "cartError" in price_trial(
        pricelist, {"lines": [{"product": "x", "variant": "y"}]}, today=TODAY
    )


def test_saving_keeps_the_replaced_list_and_restoring_brings_it_back(tmp_path):
    file = tmp_path / "pricelist.toml"
    file.write_text(DEMO)
    clock = iter(datetime(2026, 12, 4, 9, 0) + timedelta(minutes=n) for n in range(100))
    edited = DEMO.replace('price = "245.00"', 'price = "255.00"')
    kept = save_pricelist(file, edited, now=lambda: next(clock))
    assert file.read_text() == edited
    assert kept is not None and (versions_folder(file) / kept.name).read_text() == DEMO
    assert save_pricelist(file, edited) is None  # nothing changed: no version, same file
    assert [v.name for v in versions(file)] == [kept.name]

    text, restored = restore_version(file, kept.name, now=lambda: next(clock))
    assert file.read_text() == DEMO == text
    assert restored.product("print").variant("16x20").price == 24500
    names = [v.name for v in versions(file)]
    assert len(names) == 2 and (versions_folder(file) / names[0]).read_text() == edited
    with pytest.raises(CommandError):
        restore_version(file, "../pricelist.toml")


def test_a_broken_list_is_never_saved(tmp_path):
    file = tmp_path / "pricelist.toml"
    file.write_text(DEMO)
    with pytest.raises(PriceListError):
        save_pricelist(file, DEMO.replace('rate = "8.25"', "rate = 8.25"))
    assert file.read_text() == DEMO and not versions_folder(file).exists()


def test_the_last_20_replaced_lists_are_kept(tmp_path):
    file = tmp_path / "pricelist.toml"
    file.write_text(DEMO)
    start = datetime(2026, 12, 4, 9, 0)
    for n in range(KEEP + 5):
        text = DEMO.replace('minimum = "500.00"', f'minimum = "{money_text(50000 + n * 100, 2)}"')
        save_pricelist(file, text, now=lambda n=n: start + timedelta(seconds=n))
    kept = versions(file)
    assert len(kept) == KEEP == len(list(versions_folder(file).iterdir()))
    assert kept[0].replaced == start + timedelta(seconds=KEEP + 4)  # newest first
    assert kept[-1].replaced == start + timedelta(seconds=5)
    assert 'minimum = "523.00"' in (versions_folder(file) / kept[0].name).read_text()
