"""Each pricing rule, with totals worked out by hand from three studios' price lists.

tests/data/pricelists/simple.toml       Oak Street Photo: à la carte, 7.25 % sales tax on
                                        prints, canvas, albums and shipping; $150 minimum.
tests/data/pricelists/collections.toml  Willow & Pine: collections, 8.25 % on everything,
                                        $800 minimum, $150 session-fee credit.
tests/data/pricelists/vat.toml          Studio Lindenhof: EUR, prices include 19 % VAT.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.core.errors import CartError
from kiosk.core.pricelist import Currency, PaymentPlan, load, parse
from kiosk.core.pricing import (
    Cart,
    CartLine,
    advise,
    cart_from_dict,
    format_money,
    payment_schedule,
    price,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "pricelists"
DAY = date(2025, 5, 1)
USD = Currency("USD", "$")


@pytest.fixture(scope="module")
def simple():
    return load(DATA / "simple.toml")


@pytest.fixture(scope="module")
def willow():
    return load(DATA / "collections.toml")


@pytest.fixture(scope="module")
def lindenhof():
    return load(DATA / "vat.toml")


def amounts(breakdown) -> list[tuple[str, int]]:
    return [(line.kind, line.amount) for line in breakdown.lines]


# --- Money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "currency", "text"),
    [
        (240000, USD, "$2,400.00"),
        (5, USD, "$0.05"),
        (-1200, USD, "-$12.00"),
        (123456789, Currency("EUR", "€", "after", 2, ".", ",", True), "1.234.567,89 €"),
        (98000, Currency("JPY", "¥", decimals=0), "¥98,000"),
        (150000, Currency("CHF", "CHF", thousands="'", space=True), "CHF 1'500.00"),
    ],
)
def test_format_money_writes_amounts_the_way_the_studio_does(cents, currency, text) -> None:
    assert format_money(cents, currency) == text


def test_payment_schedule_adds_up_exactly_with_odd_cents_on_the_first_instalments() -> None:
    plan = PaymentPlan("three", "3 payments", 3, deposit_percent=Decimal("30"))
    schedule = payment_schedule(295678, plan)
    # 30 % of $2,956.78 = $887.034 -> $887.03; $2,069.75 / 3 = $689.91 and 2 cents over.
    assert schedule.deposit == 88703
    assert schedule.instalments == (68992, 68992, 68991)
    assert schedule.total == 295678


def test_a_fixed_deposit_larger_than_the_total_is_the_whole_total() -> None:
    plan = PaymentPlan("two", "2 payments", 2, deposit=30000)
    assert payment_schedule(12345, plan).deposit == 12345
    assert payment_schedule(12345, plan).instalments == (0, 0)


# --- À la carte (Oak Street Photo) -----------------------------------------------------------


def test_a_la_carte_tax_applies_only_to_taxable_kinds(simple) -> None:
    cart = Cart(
        lines=(
            CartLine("print", "8x10", images=(1,), quantity=2),
            CartLine("canvas", "16x20", {"depth": "1.5"}, images=(2,)),
            CartLine("digital", "single", images=(3, 4, 5)),
        )
    )
    b = price(simple, cart, today=DAY)
    # Prints 2 × $45 + canvas $295 + $40 deeper wrap; digital files 3 × $75 are not taxed.
    # Tax 7.25 % of $425.00 = $30.8125 -> $30.81.
    assert amounts(b) == [("item", 9000), ("item", 33500), ("item", 22500), ("tax", 3081)]
    assert b.tax.taxable == 42500
    assert b.total == 68081
    assert b.lines[1].label == "Canvas 16×20, 1.5″ gallery wrap"
    assert b.lines[2].quantity == 3 and b.lines[2].unit_price == 7500


def test_buy_two_prints_get_the_cheapest_of_three_free_but_upgrades_stay_charged(simple) -> None:
    cart = Cart(
        lines=(
            CartLine("print", "16x20", images=(1,)),
            CartLine("print", "8x10", {"paper": "metallic"}, images=(2,)),
            CartLine("print", "5x7", images=(3,)),
        )
    )
    b = price(simple, cart, today=DAY)
    # $150 + ($45 + $8 metallic) + $25; the 5×7 is free: $203.00, tax $14.7175 -> $14.72.
    assert amounts(b) == [
        ("item", 15000),
        ("item", 5300),
        ("item", 2500),
        ("discount", -2500),
        ("tax", 1472),
    ]
    assert b.lines[3].label == "Buy 2 prints, get 1 free"
    assert b.total == 21772


def test_tax_is_rounded_half_up_once_per_invoice_and_a_minimum_tops_up_the_order(simple) -> None:
    cart = Cart(
        lines=(CartLine("print", "5x7", images=(1,)), CartLine("print", "8x10", images=(2,)))
    )
    b = price(simple, cart, today=DAY)
    # Per line, $1.8125 + $3.2625 would round to $5.07; once on $70.00 it is $5.075 -> $5.08.
    # $70 is under the $150 minimum: an $80 top-up, untaxed because digital files are not taxed
    # in this list and the top-up cannot be attributed to taxable goods.
    assert amounts(b) == [("item", 2500), ("item", 4500), ("minimum", 8000), ("tax", 508)]
    assert b.lines[2].label == "Minimum order of $150.00"
    assert b.total == 15508


def test_an_amount_off_is_shared_in_proportion_before_the_one_tax_rounding(simple) -> None:
    cart = Cart(
        lines=(
            CartLine("print", "11x14", images=(1,)),
            CartLine("digital", "single", images=(2, 3)),
        ),
        promo_codes=("welcome50",),
        shipping="mail",
    )
    b = price(simple, cart, today=date(2025, 6, 1))
    # $85 print + $150 files = $235; $50 off, of which 85/235 reduces the taxable print:
    # taxable = 85 × 185/235 + $15 shipping = $81.9149; tax 7.25 % = $5.9388 -> $5.94.
    assert amounts(b) == [
        ("item", 8500),
        ("item", 15000),
        ("discount", -5000),
        ("shipping", 1500),
        ("tax", 594),
    ]
    assert b.lines[2].label == "Welcome offer (WELCOME50)"
    assert b.discounts == 5000 and b.total == 20594


def test_a_percent_then_an_amount_off_leave_the_exact_taxable_share(simple) -> None:
    cart = Cart(
        lines=(
            CartLine("print", "11x14", images=(1,)),
            CartLine("digital", "single", images=(2, 3)),
        ),
        promo_codes=("WELCOME50", "PRINTS20"),
        shipping="mail",
    )
    b = price(simple, cart, today=date(2025, 6, 1))
    # Percent first: 20 % of the $85 print = $17. Then $50 off the remaining $68 + $150, so
    # the print keeps 68 × 168/218 = $52.4037; taxable with $15 shipping $67.4037, tax
    # 7.25 % = $4.8868 -> $4.89. Goods $168, total $168 + $15 + $4.89.
    assert [(x.ref, x.amount) for x in b.lines if x.kind == "discount"] == [
        ("print-sale", -1700),
        ("welcome", -5000),
    ]
    assert b.tax.amount == 489 and b.tax.taxable == 6740
    assert b.total == 18789


def test_an_expired_or_unknown_code_is_not_applied_and_says_why(simple) -> None:
    cart = Cart(
        lines=(
            CartLine("print", "11x14", images=(1,)),
            CartLine("digital", "single", images=(2, 3)),
        ),
        promo_codes=("WELCOME50", "FREEBIE"),
    )
    b = price(simple, cart, today=date(2026, 1, 15))
    # $235, tax on the $85 print: $6.1625 -> $6.16.
    assert b.total == 24116
    assert b.notices == (
        "Code WELCOME50 expired on 2025-12-31; it was not applied.",
        "Code FREEBIE is not in this price list; it was not applied.",
    )


def test_an_empty_cart_costs_nothing_despite_the_minimum(simple) -> None:
    b = price(simple, Cart(shipping="mail"), today=DAY)
    assert b.total == 0 and b.lines == ()


# --- Collections (Willow & Pine) -------------------------------------------------------------


def heirloom_cart() -> Cart:
    return Cart(
        lines=(
            CartLine("canvas", "30x40", {"depth": "1.5"}, images=(1,), id="wall"),
            CartLine("album", "10x10", {"cover": "leather"}, images=tuple(range(30)), spreads=12),
            CartLine("digital", "single", images=tuple(range(100, 107)), id="files"),
            CartLine("print", "8x10", images=(3,), quantity=2),
        ),
        collection="heirloom",
        payment_plan="three",
    )


def test_heirloom_pays_for_what_it_includes_and_upgrades_are_charged(willow) -> None:
    b = price(willow, heirloom_cart(), today=DAY)
    # $2,400 + $90 deeper wrap + $150 leather and 2 extra spreads × $50 + 2 prints × $65:
    # $2,870.00, tax 8.25 % = $236.775 -> $236.78, less the $150 session fee: $2,956.78.
    assert amounts(b) == [
        ("collection", 240000),
        ("item", 9000),
        ("item", 25000),
        ("item", 0),
        ("item", 13000),
        ("tax", 23678),
        ("session_credit", -15000),
    ]
    assert b.total == 295678
    assert [c.text for c in b.credits] == [
        "30×40 canvas used",
        "10-spread album used",
        "7 of 15 digital files used",
    ]
    assert b.credits[2].refs == ("files",)
    assert b.lines[3].note == "included in Heirloom"
    assert b.lines[2].label == "Leather album 10×10, Italian leather, 12 spreads"
    assert b.schedule is not None
    assert (b.schedule.deposit, b.schedule.instalments) == (88703, (68992, 68992, 68991))


def test_credits_go_to_the_most_valuable_units_that_fit(willow) -> None:
    cart = Cart(
        lines=(
            CartLine("print", "8x10", images=(1,)),
            CartLine("print", "16x20", images=(2,), quantity=2),
            CartLine("canvas", "16x20", images=(3,)),
            CartLine("canvas", "30x40", images=(4,)),
            CartLine("canvas", "20x30", images=(5,)),
        ),
        collection="wall-trio",
    )
    b = price(willow, cart, today=DAY)
    # Three pieces up to 20×30: the $650 and $450 canvases and one $225 print. Charged:
    # $65 + one $225 print + the $950 30×40 (too big) = $1,240; with $1,500: $2,740.
    # Tax $226.05; less $150: $2,816.05.
    items = [x for x in b.lines if x.kind == "item"]
    assert [x.covered for x in items] == [0, 1, 1, 0, 1]
    assert items[1].note == "1 of 2 included in Wall trio"
    assert b.credits[0].text == "3 of 3 wall pieces up to 20×30 used"
    assert b.total == 281605


def test_allocation_moves_an_earlier_unit_to_make_room_for_a_later_one() -> None:
    # The $450 canvas is placed first (most valuable) and could take either credit; the $225
    # print only fits "any wall piece". The exact allocation covers both.
    pl = parse(
        (DATA / "collections.toml").read_text()
        + """
[[collection]]
id = "pair"
name = "Pair"
price = "500.00"
credits = [
  { kinds = ["canvas", "print"], label = "wall piece" },
  { kind = "canvas", size = "16x20" },
]
"""
    )
    cart = Cart(
        lines=(CartLine("canvas", "16x20", images=(1,)), CartLine("print", "16x20", images=(2,))),
        collection="pair",
    )
    b = price(pl, cart, today=DAY)
    assert [x.covered for x in b.lines if x.kind == "item"] == [1, 1]
    assert [c.refs for c in b.credits] == [("2",), ("1",)]


def test_a_percent_code_also_reduces_the_collection_when_it_names_no_products(willow) -> None:
    cart = Cart(
        lines=(
            CartLine("canvas", "30x40", images=(1,)),
            CartLine("digital", "single", images=(2,)),
        ),
        collection="keepsake",
        promo_codes=("FAMILY10",),
    )
    b = price(willow, cart, today=DAY)
    # Keepsake $1,200 + the 30×40 (its credit is for a 16×20) $950; the file is included.
    # 10 % of $2,150 = $215; $1,935 taxed $159.6375 -> $159.64; less $150: $1,944.64.
    assert amounts(b)[-3:] == [("discount", -21500), ("tax", 15964), ("session_credit", -15000)]
    assert b.total == 194464


def test_the_minimum_top_up_is_taxed_when_everything_is_taxable(willow) -> None:
    b = price(willow, Cart(lines=(CartLine("print", "8x10", images=(1,)),)), today=DAY)
    # $65 + $735 top-up = $800, taxed $66.00; less the $150 credit: $716.00.
    assert amounts(b) == [
        ("item", 6500),
        ("minimum", 73500),
        ("tax", 6600),
        ("session_credit", -15000),
    ]
    assert b.total == 71600


def test_a_plan_below_its_minimum_gives_no_schedule_and_says_so(willow) -> None:
    cart = Cart(lines=(CartLine("print", "8x10", images=(1,)),), payment_plan="three")
    b = price(willow, cart, today=DAY)
    assert b.schedule is None
    assert b.notices == ("Deposit and 3 monthly payments is for orders of $1,000.00 or more.",)


def test_session_fee_credit_can_require_a_collection(willow) -> None:
    pl = parse(
        (DATA / "collections.toml")
        .read_text()
        .replace(
            'session_fee_credit = "150.00"',
            'session_fee_credit = "150.00"\nsession_fee_credit_needs_collection = true',
        )
    )
    lines = (CartLine("canvas", "30x40", images=(1,)),)
    assert price(pl, Cart(lines=lines), today=DAY).lines[-1].kind == "tax"
    assert price(pl, Cart(lines=lines, collection="keepsake"), today=DAY).lines[-1].amount == -15000
    assert price(pl, Cart(lines=lines, session_fee_credit=False), today=DAY).total == 102838


# --- Advisor ---------------------------------------------------------------------------------


def test_the_advisor_finds_the_collection_that_covers_the_cart_for_less(willow) -> None:
    cart = Cart(
        lines=(
            CartLine("canvas", "30x40", images=(1,)),
            CartLine("album", "10x10", images=tuple(range(20))),
            CartLine("digital", "single", images=tuple(range(100, 112))),
        )
    )
    advice = advise(willow, cart, today=DAY)
    # À la carte: $950 + $900 + 12 × $95 = $2,990; tax $246.675 -> $246.68; less $150:
    # $3,086.68. Heirloom: $2,400 + tax $198.00 - $150 = $2,448.00. $638.68 less.
    assert advice.chosen.total == 308668
    assert advice.best.collection == "heirloom" and advice.best.total == 244800
    assert advice.savings == 63868
    assert advice.suggestion == "Heirloom covers all of this for $638.68 less."


def test_the_advisor_mentions_a_richer_collection_within_the_upgrade_threshold(willow) -> None:
    cart = Cart(
        lines=(
            CartLine("canvas", "16x20", images=(1,)),
            CartLine("digital", "single", images=tuple(range(10))),
        ),
        collection="keepsake",
    )
    # Keepsake covers it: $1,200 + $99 tax - $150 = $1,149.00, the cheapest choice. Wall trio
    # ($1,500 + the files $950 = $2,450, tax $202.125 -> $202.13, - $150) is $1,353.13 more.
    assert advise(willow, cart, today=DAY).suggestion is None  # the list says within $300
    advice = advise(willow, cart, today=DAY, upgrade_within=150000)
    assert advice.best.collection == "keepsake" and advice.best.total == 114900
    assert advice.suggested is not None and advice.suggested.collection == "wall-trio"
    assert advice.suggestion == "For $1,353.13 more, Wall trio adds 2 wall pieces up to 20×30."


def test_the_advisor_can_recommend_no_collection(willow) -> None:
    cart = Cart(lines=(CartLine("canvas", "30x40", images=(1,)),), collection="heirloom")
    advice = advise(willow, cart, today=DAY)
    # À la carte $950 + $78.375 -> $78.38 - $150 = $878.38; Heirloom $2,448.00.
    assert advice.best.collection is None and advice.best.total == 87838
    assert advice.suggestion == "Without a collection, this order comes to $1,569.62 less."


# --- Tax-inclusive VAT (Studio Lindenhof) ----------------------------------------------------


def lindenhof_cart(**changes) -> Cart:
    return Cart(
        lines=(
            CartLine("acrylic", "40x60", images=(1,)),
            CartLine("digital", "single", images=tuple(range(12))),
            CartLine("framed", "30x40", {"glass": "museum", "frame": "black"}, images=(2,)),
        ),
        collection="erinnerung",
        shipping="dhl",
        payment_plan="zwei",
        **changes,
    )


def test_vat_inclusive_prices_report_the_vat_contained_and_add_no_tax_line(lindenhof) -> None:
    b = price(lindenhof, lindenhof_cart(), today=DAY)
    # 990 € + 2 files beyond the 10 included (98 €) + framed 149 € + 40 € museum glass
    # + 9,90 € DHL = 1.286,90 €; VAT inside: 1.286,90 × 19/119 = 205,4689 -> 205,47 €.
    assert amounts(b) == [
        ("collection", 99000),
        ("item", 0),
        ("item", 9800),
        ("item", 18900),
        ("shipping", 990),
    ]
    assert b.total == 128690
    assert (b.tax.amount, b.tax.inclusive, b.tax.taxable) == (20547, True, 128690)
    assert format_money(b.total, b.currency) == "1.286,90 €"
    assert [c.text for c in b.credits] == ["40×60 cm acrylic used", "10 of 10 Dateien used"]
    assert b.lines[2].note == "10 of 12 included in Erinnerung"
    assert b.schedule is not None
    assert (b.schedule.deposit, b.schedule.instalments) == (30000, (49345, 49345))


def test_a_seasonal_code_applies_only_in_its_season(lindenhof) -> None:
    summer = price(lindenhof, lindenhof_cart(promo_codes=("sommer15",)), today=date(2025, 7, 15))
    # 15 % of 1.277 € (collection and items) = 191,55 €; 1.095,35 € with shipping;
    # VAT inside: 174,8893 -> 174,89 €.
    assert summer.discounts == 19155
    assert summer.total == 109535 and summer.tax.amount == 17489
    spring = price(lindenhof, lindenhof_cart(promo_codes=("SOMMER15",)), today=date(2025, 5, 31))
    assert spring.total == 128690
    assert spring.notices == ("Code SOMMER15 starts on 2025-06-01; it was not applied.",)


# --- Carts that do not fit the list ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (CartLine("poster", "8x10"), 'Cart line 1: there is no product "poster"'),
        (CartLine("print", "4x6"), 'Cart line 1: Print has no "4x6"; choose one of: 5x7, 8x10'),
        (
            CartLine("print", "5x7", {"paper": "fine-art"}),
            "Cart line 1: Fine art cotton is not offered for Print 5×7.",
        ),
        (CartLine("print", "5x7", {"paper": "silk"}), 'Paper has no choice "silk"'),
        (CartLine("print", "5x7", {"frame": "oak"}), "Print has no option frame"),
        (CartLine("digital", "single"), "Digital file is priced per image; add the images."),
        (CartLine("print", "5x7", quantity=0), "the quantity must be 1 or more"),
        (CartLine("print", "5x7", spreads=12), "only albums have spreads"),
    ],
)
def test_a_line_that_does_not_fit_the_list_is_a_cart_error(simple, line, message) -> None:
    with pytest.raises(CartError, match=message.replace("(", r"\(").replace(".", r"\.")):
        price(simple, Cart(lines=(line,)), today=DAY)


def test_an_album_cannot_go_beyond_its_spreads(willow) -> None:
    with pytest.raises(CartError, match="has at least 10 and at most 30 spreads, not 31"):
        price(willow, Cart(lines=(CartLine("album", "10x10", spreads=31),)), today=DAY)


@pytest.mark.parametrize(
    ("cart", "message"),
    [
        (Cart(collection="gold"), 'no collection "gold"; choose one of: keepsake, heirloom'),
        (Cart(shipping="drone"), 'no shipping method "drone"; choose one of: none'),
        (Cart(payment_plan="twelve"), 'no payment plan "twelve"; choose one of: three'),
    ],
)
def test_unknown_choices_in_the_cart_are_cart_errors(willow, cart, message) -> None:
    with pytest.raises(CartError, match=message):
        price(willow, cart, today=DAY)


# --- Cart JSON ------------------------------------------------------------------------------


def test_cart_json_round_trips_into_the_same_breakdown(willow) -> None:
    data = {
        "collection": "heirloom",
        "payment_plan": "three",
        "lines": [
            {
                "id": "wall",
                "product": "canvas",
                "variant": "30x40",
                "options": {"depth": "1.5"},
                "images": [1],
            },
            {
                "product": "album",
                "variant": "10x10",
                "options": {"cover": "leather"},
                "images": list(range(30)),
                "spreads": 12,
            },
            {
                "id": "files",
                "product": "digital",
                "variant": "single",
                "images": list(range(100, 107)),
            },
            {"product": "print", "variant": "8x10", "images": [3], "quantity": 2},
        ],
    }
    assert cart_from_dict(data) == heirloom_cart()
    out = price(willow, cart_from_dict(data), today=DAY).to_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["total"] == {"amount": 295678, "display": "$2,956.78"}
    assert out["credits"][2]["text"] == "7 of 15 digital files used"
    assert out["instalments"]["instalments"][0] == {"amount": 68992, "display": "$689.92"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        ({"lines": {}}, '"lines" must be a list'),
        ({"lines": [{"product": "print"}]}, 'Cart line 1 needs at least "product" and "variant"'),
        ({"lines": [{"product": "p", "variant": "v", "qty": 2}]}, "unknown keys: qty"),
        ({"lines": [{"product": "p", "variant": "v", "quantity": "2"}]}, "whole numbers"),
        ({"coupon": "X"}, "unknown keys: coupon; known: collection, date, lines"),
        ({"collection": 3}, '"collection" must be an id in quotes, or null'),
        ({"promo_codes": [10]}, '"promo_codes" must be a list of codes'),
        ({"session_fee_credit": "yes"}, '"session_fee_credit" must be true or false'),
    ],
)
def test_malformed_cart_json_is_a_cart_error(data, message) -> None:
    with pytest.raises(CartError, match=message):
        cart_from_dict(data)
