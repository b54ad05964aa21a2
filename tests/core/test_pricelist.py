"""The price list file: what a good one parses into, and what each mistake says."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.core.errors import PriceListError
from kiosk.core.pricelist import PriceListHolder, Size, load, parse, parse_money
from kiosk.core.pricing import cart_from_dict, price

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "pricelists"

HEAD = """
[studio]
name = "Test Studio"

[currency]
code = "USD"
"""
PRINT = """
[[product]]
id = "print"
kind = "print"
name = "Print"
variants = [{ size = "8x10", price = "45.00" }]
"""


def error_of(text: str) -> str:
    with pytest.raises(PriceListError) as caught:
        parse(text, file="studio.toml")
    return str(caught.value)


# --- Good lists -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["simple.toml", "collections.toml", "vat.toml"])
def test_the_three_studios_lists_parse(name: str) -> None:
    pl = load(DATA / name)
    assert pl.file.endswith(name) and pl.products


def test_the_demo_studios_list_parses_with_every_kind_of_product() -> None:
    pl = load(ROOT / "assets" / "pricelist.toml")
    kinds = {p.kind for p in pl.products}
    assert kinds >= {"print", "canvas", "metal", "acrylic", "framed", "album", "digital", "retouch"}
    heirloom = pl.collection("heirloom")
    assert heirloom is not None and heirloom.price == 240000
    assert [(c.label, c.count) for c in heirloom.credits] == [
        ("30×40 canvas", 1),
        ("10-spread album", 1),
        ("digital file", 15),
    ]
    assert all(v.size for p in pl.products if p.is_wall_item for v in p.variants)


def test_a_simple_list_gives_prices_in_cents_options_and_defaults() -> None:
    pl = load(DATA / "simple.toml")
    assert (pl.currency.code, pl.currency.decimals, pl.minimum_order) == ("USD", 2, 15000)
    assert pl.tax.rate == Decimal("7.25") and not pl.tax.inclusive
    prints = pl.product("print")
    assert [(v.id, v.price) for v in prints.variants][:2] == [("5x7", 2500), ("8x10", 4500)]
    paper = prints.option("paper")
    assert paper.default == "lustre"
    assert paper.choice("metallic").price_for("5x7") == 800
    assert paper.choice("fine-art").price_for("16x20") == 3500
    assert paper.choice("fine-art").price_for("5x7") is None  # not offered for 5×7
    assert not pl.product("digital").taxable and pl.product("canvas").taxable
    assert pl.product("digital").per == "image"
    assert pl.default_shipping.id == "pickup"
    welcome = next(d for d in pl.discounts if d.code)
    assert (welcome.code, welcome.amount, str(welcome.expires)) == ("WELCOME50", 5000, "2025-12-31")


def test_sizes_in_centimetres_keep_their_unit_and_convert_for_the_wall() -> None:
    pl = load(DATA / "vat.toml")
    size = pl.product("acrylic").variant("40x60").size
    assert size == Size(Decimal(40), Decimal(60), "cm") and size.label == "40×60 cm"
    width, height = size.inches()
    assert width == pytest.approx(15.748, abs=1e-3) and height == pytest.approx(23.622, abs=1e-3)
    assert pl.currency.decimal_mark == "," and pl.currency.position == "after"
    assert pl.tax.inclusive and pl.tax.taxable is None


def test_sizes_match_in_either_orientation_and_across_units() -> None:
    a = Size(Decimal(30), Decimal(40))
    assert a.same_as(Size(Decimal(40), Decimal(30)))
    assert Size(Decimal("76.2"), Decimal("101.6"), "cm").same_as(a)
    assert Size(Decimal(16), Decimal(20)).fits_within(Size(Decimal(30), Decimal(20)))
    assert not Size(Decimal(16), Decimal(24)).fits_within(Size(Decimal(20), Decimal(20)))


def test_album_variants_carry_spreads_and_the_extra_spread_price() -> None:
    album = load(DATA / "collections.toml").product("album").variant("10x10")
    assert (album.spreads, album.extra_spread, album.max_spreads, album.price) == (
        10,
        5000,
        30,
        90000,
    )


@pytest.mark.parametrize(
    ("value", "decimals", "cents"),
    [("45.00", 2, 4500), ("45", 2, 4500), ("45.5", 2, 4550), (4500, 2, 4500), ("1500", 0, 1500)],
)
def test_money_is_a_decimal_string_or_whole_minor_units(value, decimals, cents) -> None:
    assert parse_money(value, decimals) == cents


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            45.5,
            "is a float (45.5); floats cannot hold money exactly. "
            'Write it as a string such as "45.50"',
        ),
        ("-5.00", "is negative"),
        (-500, "is negative"),
        ("$45", "expected a plain decimal"),
        ("2,400.00", "no currency symbol or thousands separator"),
        ("45.005", "this currency has 2 decimals"),
        (True, "is bool"),
    ],
)
def test_money_that_is_not_exact_or_not_a_price_is_refused(value, message) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_money(value, 2)


# --- Malformed files: each names the file, the line and key, and what is expected ----------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "bad_syntax.toml",
            "bad_syntax.toml: line 2, column 28: not valid TOML: Illegal character '\\n'. "
            "Check the quotes, brackets and '=' there",
        ),
        (
            "bad_unknown_product.toml",
            'bad_unknown_product.toml: line 19, collection "heirloom" → credits #2 → product: '
            'names "albun", which is not a product in this list; products: canvas',
        ),
        (
            "bad_negative_price.toml",
            'bad_negative_price.toml: line 13, product "print" → variants "11x14" → price: '
            'is negative ("-85.00"); expected zero or more (reductions are written as a '
            "[[discount]])",
        ),
        (
            "bad_missing_size.toml",
            'bad_missing_size.toml: line 12, product "metal" → variants "large" → size: missing; '
            'a metal print hangs on a wall, so it needs its real size, such as size = "16x20"',
        ),
        (
            "bad_duplicate_id.toml",
            'bad_duplicate_id.toml: line 14, product "print" → id: duplicate id "print"; '
            "every id must be unique here",
        ),
        (
            "bad_float_price.toml",
            'bad_float_price.toml: line 15, product "digital" → variants "single" → price: '
            "is a float (75.5); floats cannot hold money exactly. Write it as a string such as "
            '"75.50" or in minor units (cents) such as 7550',
        ),
    ],
)
def test_each_malformed_file_says_where_and_what_is_expected(name: str, message: str) -> None:
    with pytest.raises(PriceListError) as caught:
        load(DATA / name)
    assert str(caught.value) == str(DATA / message)
    assert caught.value.file == str(DATA / name)
    assert caught.value.where.startswith("line ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEAD + PRINT.replace('name = "Print"', 'name = "Print"\nprcie = 3'),
            'line 12, product "print" → prcie: unknown key',
        ),
        (
            HEAD + PRINT.replace('kind = "print"', 'kind = "poster"'),
            'kind: is "poster"; expected one of: print, canvas',
        ),
        (HEAD + PRINT.replace('"45.00"', "true"), 'is bool; expected a price such as "45.00"'),
        (HEAD + PRINT.replace('size = "8x10", ', ""), "size: missing; a print hangs on a wall"),
        (HEAD + PRINT.replace('"8x10"', '"8 by 10"'), 'expected width×height such as "16x20"'),
        (HEAD + PRINT.replace('"8x10"', '"0x10"'), "width and height must be more than 0"),
        (HEAD, "no products; add at least one [[product]] table"),
        (PRINT, "studio.toml: [studio] → name: missing; expected text in quotes"),
        (HEAD.replace('"USD"', '"usd"'), 'code: is "usd"; expected an ISO 4217 code'),
        (
            HEAD + "[tax]\nrate = 8.25\n" + PRINT,
            'line 8, [tax] → rate: is a float (8.25); write it as a string such as "8.25"',
        ),
        (HEAD + '[tax]\nrate = "108"\n' + PRINT, "expected a percentage from 0 to 100"),
        (
            HEAD + '[tax]\nrate = "8"\ntaxable = ["prints"]\n' + PRINT,
            'names "prints"; expected "all" or a list of: print,',
        ),
        (
            HEAD + '[order]\nminimun = "500.00"\n' + PRINT,
            "unknown key (known here: minimum, session_fee_credit, "
            'session_fee_credit_needs_collection); did you mean "minimum"?',
        ),
    ],
)
def test_common_mistakes_name_the_key_and_what_is_expected(text: str, message: str) -> None:
    assert message in error_of(text)


OPTION = """
[[product.options]]
id = "paper"
name = "Paper"
choices = [
  { id = "lustre", name = "Lustre" },
  { id = "cotton", name = "Cotton", prices = { "8x10" = "12.00" } },
]
"""


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (
            OPTION.replace('"8x10" = "12.00"', '"11x14" = "12.00"'),
            'line 19, product "print" → options "paper" → choices "cotton" → [prices] → 11x14: '
            "names a variant this product does not have; expected one of: 8x10",
        ),
        (
            OPTION.replace("prices = {", 'price = "1.00", prices = {'),
            "has both price and prices; keep one",
        ),
        (
            OPTION.replace('name = "Paper"', 'name = "Paper"\ndefault = "silk"'),
            'default: is "silk"; expected one of the choices: lustre, cotton',
        ),
        (
            OPTION.replace('id = "cotton"', 'id = "lustre"'),
            'choices "lustre" → id: duplicate id "lustre"',
        ),
        (
            OPTION.replace("choices = [", 'choices = ["lustre", "cotton"]\nx = ['),
            "expected a list of choices tables",
        ),
    ],
)
def test_option_mistakes_name_the_choice(tail: str, message: str) -> None:
    assert message in error_of(HEAD + PRINT + tail)


def collection(credits: str, price: str = '"500.00"') -> str:
    return f"""
[[collection]]
id = "duo"
name = "Duo"
price = {price}
credits = [
{credits}
]
"""


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (
            collection('  { kind = "print", size = "30x40" },'),
            'line 19, collection "duo" → credits #1: matches no product and size in this list',
        ),
        (
            collection("  { count = 2 },"),
            'says neither kind nor product; expected e.g. kind = "canvas"',
        ),
        (
            collection('  { product = "prnt" },'),
            'names "prnt", which is not a product in this list; did you mean "print"?',
        ),
        (
            collection('  { kind = "print", variant = "4x6" },'),
            'variant: names "4x6", which none of its products offers',
        ),
        (
            collection('  { kind = "print", count = 0 },'),
            "count: is 0; expected a whole number of at least 1",
        ),
        (collection('  { kind = "print" },', price="499.99"), "price: is a float (499.99)"),
        (collection(""), "has no credits; list what the collection includes"),
        (
            collection('  { kind = "print" },') * 2,
            'line 23, collection "duo" → id: duplicate id "duo"',
        ),
    ],
)
def test_collection_mistakes_name_the_credit(tail: str, message: str) -> None:
    assert message in error_of(HEAD + PRINT + tail)


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (
            '[[discount]]\nid = "d"\nname = "D"\npercent = "10"\namount = "5.00"\n',
            "needs exactly one of percent, amount or buy (found percent, amount)",
        ),
        (
            '[[discount]]\nid = "d"\nname = "D"\npercent = "10"\n'
            "starts = 2025-06-01\nexpires = 2025-05-01\n",
            "expires: is before starts",
        ),
        (
            '[[discount]]\nid = "d"\nname = "D"\nbuy = 2\nproducts = ["canvas"]\n',
            'names "canvas", which is not a product',
        ),
        (
            '[[discount]]\nid = "d"\nname = "D"\nbuy = 2\ncollection = true\n',
            "cannot apply to a collection",
        ),
        (
            '[[discount]]\nid = "a"\nname = "A"\ncode = "X"\npercent = "5"\n'
            '[[discount]]\nid = "b"\nname = "B"\ncode = "x"\npercent = "5"\n',
            'line 21, discount "b" → code: repeats the code of discount "a"',
        ),
        (
            '[[shipping]]\nid = "a"\nname = "A"\nprice = 0\ndefault = true\n'
            '[[shipping]]\nid = "b"\nname = "B"\nprice = 0\ndefault = true\n',
            "more than one shipping method says default = true",
        ),
        (
            '[[payment_plan]]\nid = "p"\nname = "P"\ninstalments = 3\n',
            "needs exactly one of deposit_percent",
        ),
        (
            '[[payment_plan]]\nid = "p"\nname = "P"\ninstalments = 0\ndeposit = "100"\n',
            "instalments: is 0; expected a whole number of at least 1",
        ),
    ],
)
def test_discount_shipping_and_plan_mistakes(tail: str, message: str) -> None:
    assert message in error_of(HEAD + PRINT + tail)


def test_an_album_needs_its_included_spreads() -> None:
    album = PRINT.replace('"print"', '"album"').replace('size = "8x10", ', 'id = "a", ')
    assert 'variants "a" → spreads: missing; expected a whole number of at least 1' in error_of(
        HEAD + album
    )


def test_an_integer_price_is_in_minor_units() -> None:
    pl = parse(HEAD + PRINT.replace('"45.00"', "4500"))
    assert pl.product("print").variant("8x10").price == 4500


# --- Loading and keeping the last good list --------------------------------------------------


def test_a_missing_file_is_a_price_list_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(PriceListError, match="cannot be read") as caught:
        load(tmp_path / "nope.toml")
    assert caught.value.file == str(tmp_path / "nope.toml")


def test_the_holder_keeps_the_last_good_list_when_an_edit_breaks_the_file(tmp_path: Path) -> None:
    path = tmp_path / "studio.toml"
    path.write_text(HEAD + PRINT, encoding="utf-8")
    holder = PriceListHolder(path)
    assert holder.reload() is None
    good = holder.current
    assert good is not None and good.product("print").variant("8x10").price == 4500

    path.write_text(HEAD + PRINT.replace('"45.00"', "45.0"), encoding="utf-8")
    error = holder.reload()
    assert isinstance(error, PriceListError) and "is a float" in str(error)
    assert holder.current is good and holder.error is error

    path.write_text(HEAD + PRINT.replace('"45.00"', '"49.00"'), encoding="utf-8")
    assert holder.reload() is None and holder.error is None
    assert holder.current.product("print").variant("8x10").price == 4900


def test_the_holder_also_takes_text_from_the_database() -> None:
    holder = PriceListHolder()
    assert holder.replace(HEAD + PRINT, file="price_lists#3") is None
    error = holder.replace("[studio", file="price_lists#4")
    assert error is not None and str(error).startswith("price_lists#4: end of the file: not valid")
    assert holder.current is not None and holder.current.studio == "Test Studio"


def test_the_documented_example_parses_and_prices_as_the_docs_say() -> None:
    text = (ROOT / "docs" / "pricelist.md").read_text(encoding="utf-8")
    example = re.findall(r"```toml\n(.*?)```", text, re.S)[0]
    cart = json.loads(re.findall(r"```json\n(.*?)```", text, re.S)[0])
    pl = parse(example, file="docs/pricelist.md")
    breakdown = price(pl, cart_from_dict(cart), today=date(2026, 5, 1))
    assert breakdown.total == 280847 and breakdown.tax.amount == 22547
    assert breakdown.schedule is not None and breakdown.schedule.deposit == 84254


FILES = """
[[product]]
id = "digital"
kind = "digital"
name = "Digital file"
per = "image"
variants = [{ id = "single", price = "95.00" }]
"""


def bundle(covers: str, per: str = "") -> str:
    return f"""
[[product]]
id = "digital-all"
kind = "digital"
name = "All digital files"
{per}
covers = {covers}
variants = [{{ id = "all", price = "1200.00" }}]
"""


def test_a_bundle_knows_what_it_covers_and_names_it_for_the_advisor() -> None:
    pl = parse(HEAD + PRINT + bundle('{ kind = "digital" }') + FILES)  # covered after the bundle
    covers = pl.product("digital-all").covers
    assert covers is not None and (covers.one, covers.plural) == ("digital file", "digital files")
    assert covers.matches(pl.product("digital"), pl.product("digital").variant("single"))
    assert pl.product("digital").covers is None
    assert load(ROOT / "assets" / "pricelist.toml").product("digital-all").covers is not None


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (
            bundle('{ product = "digitl" }'),
            'line 26, product "digital-all" → [covers] → product: names "digitl", which is not '
            'a product in this list; did you mean "digital"?',
        ),
        (
            bundle('{ kind = "print" }'),
            'product "digital-all" → [covers]: matches no product priced per image; a bundle '
            'covers per-image lines such as digital files (products with per = "image" in '
            "this list: digital)",
        ),
        (
            bundle('{ kind = "digital" }', per='per = "image"'),
            'product "digital-all" → covers: is a bundle (it covers other products), bought '
            'once for the whole session; remove per = "image"',
        ),
        (
            bundle('{ kind = "digtal" }'),
            'kind: is "digtal"; expected one of: print, canvas',
        ),
        (
            bundle('{ kinds = ["digital"], sizes = "8x10" }'),
            "[covers] → sizes: unknown key (known here: kind, kinds, product, products, variant, "
            "variants)",
        ),
        (
            bundle("{ count = 3 }"),
            '[covers]: says neither kind nor product; expected e.g. covers = { kind = "digital" }',
        ),
        (
            bundle('{ product = "digital-all" }'),
            'names "digital-all" itself; a bundle covers other products',
        ),
        (bundle('"digital"'), 'covers: is "digital"; expected a [covers] table'),
    ],
)
def test_bundle_mistakes_say_what_a_bundle_covers(tail: str, message: str) -> None:
    assert message in error_of(HEAD + PRINT + FILES + tail)


@pytest.mark.parametrize(
    ("credit", "message"),
    [
        (
            '  { kind = "digital", count = "every" },',
            'count: is "every"; expected a whole number of at least 1, or "all"',
        ),
        (
            '  { kind = "print", count = "all" },',
            'count: is "all": every image of the session, for products priced per image; none '
            'of this credit\'s products is (per = "image"), so give a number such as count = 2',
        ),
        ('  { kind = "digital", count = 2.5 },', "count: is 2.5; expected a whole number"),
    ],
)
def test_a_credit_count_is_a_number_or_all_for_per_image_products(credit, message) -> None:
    assert message in error_of(HEAD + PRINT + FILES + collection(credit))


def test_a_credit_for_all_parses_to_no_count() -> None:
    pl = parse(HEAD + PRINT + FILES + collection('  { kind = "digital", count = "all" },'))
    assert [c.count for c in pl.collection("duo").credits] == [None]
