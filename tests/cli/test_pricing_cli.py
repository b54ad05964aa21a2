"""`pricelist check FILE` and `quote FILE CART.json`, called the way main.py calls them."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import pricing as cli_pricing

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "pricelists"

HEIRLOOM_CART = {
    "collection": "heirloom",
    "payment_plan": "three",
    "date": "2025-05-01",
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
            "spreads": 12,
            "images": list(range(30)),
        },
        {"id": "files", "product": "digital", "variant": "single", "images": list(range(100, 107))},
        {"product": "print", "variant": "8x10", "images": [3], "quantity": 2},
    ],
}


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="main.py")
    cli_pricing.add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


def write_cart(tmp_path: Path, cart: object) -> Path:
    path = tmp_path / "cart.json"
    path.write_text(json.dumps(cart), encoding="utf-8")
    return path


def test_check_prints_a_summary_of_a_good_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("pricelist", "check", DATA / "collections.toml") == 0
    out = capsys.readouterr().out
    assert out.startswith("Willow & Pine Portraits: price list OK")
    assert "Tax: Sales tax 8.25%, added to prices; on everything" in out
    assert "Order: minimum order $800.00; session fee credit $150.00" in out
    assert (
        "  heirloom       Heirloom $2,400.00: 30×40 canvas, 10-spread album, 15 digital files"
        in out
    )
    assert "  three          Deposit and 3 monthly payments: 30% deposit + 3 instalments" in out


def test_check_of_the_demo_list_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("pricelist", "check", ROOT / "assets" / "pricelist.toml") == 0
    assert "Golden Hour Portraits" in capsys.readouterr().out


def test_check_of_a_bad_list_exits_1_with_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("pricelist", "check", DATA / "bad_float_price.toml") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "bad_float_price.toml: line 15" in captured.err
    assert "is a float (75.5)" in captured.err


def test_quote_prints_the_breakdown_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cart = write_cart(tmp_path, HEIRLOOM_CART)
    assert run("quote", DATA / "collections.toml", cart) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(x["kind"], x["amount"]) for x in out["lines"]] == [
        ("collection", 240000),
        ("item", 9000),
        ("item", 25000),
        ("item", 0),
        ("item", 13000),
        ("tax", 23678),
        ("session_credit", -15000),
    ]
    assert out["total"] == {"amount": 295678, "display": "$2,956.78"}
    assert out["credits"][2] == {
        "label": "digital file",
        "plural": "digital files",
        "used": 7,
        "count": 15,
        "text": "7 of 15 digital files used",
        "lines": ["files"],
    }
    assert out["tax"]["amount"] == 23678 and out["tax"]["rate"] == "8.25"
    assert out["instalments"]["deposit"]["amount"] == 88703
    assert [x["amount"] for x in out["instalments"]["instalments"]] == [68992, 68992, 68991]


def test_quote_with_advice_names_the_cheapest_choice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cart = write_cart(tmp_path, {**HEIRLOOM_CART, "collection": None})
    assert run("quote", DATA / "collections.toml", cart, "--advise") == 0
    advice = json.loads(capsys.readouterr().out)["advice"]
    assert advice["best"] == "heirloom"
    assert advice["suggestion"] == "With Heirloom, this order comes to $124.48 less."


def test_quote_checks_promo_codes_against_the_given_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = {"product": "print", "variant": "11x14", "images": [1]}
    cart = write_cart(tmp_path, {"lines": [line], "promo_codes": ["WELCOME50"]})
    assert run("quote", DATA / "simple.toml", cart, "--date", "2025-06-01") == 0
    assert json.loads(capsys.readouterr().out)["discounts"][0]["amount"] == 5000
    assert run("quote", DATA / "simple.toml", cart, "--date", "2026-01-02") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["discounts"] == []
    assert out["notices"] == ["Code WELCOME50 expired on 2025-12-31; it was not applied."]


@pytest.mark.parametrize(
    ("cart", "message"),
    [
        ("{not json", "cart.json: not valid JSON"),
        (
            json.dumps({"lines": [{"product": "poster", "variant": "8x10"}]}),
            'Cart line 1: there is no product "poster"',
        ),
        (json.dumps({"lines": [], "date": "May 1st"}), "expected YYYY-MM-DD"),
    ],
)
def test_quote_of_a_bad_cart_exits_1_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cart: str, message: str
) -> None:
    path = tmp_path / "cart.json"
    path.write_text(cart, encoding="utf-8")
    assert run("quote", DATA / "collections.toml", path) == 1
    assert message in capsys.readouterr().err


def test_quote_of_a_bad_price_list_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cart = write_cart(tmp_path, {"lines": []})
    assert run("quote", DATA / "bad_syntax.toml", cart) == 1
    assert "bad_syntax.toml: line 2, column 28: not valid TOML" in capsys.readouterr().err


def test_the_module_runs_on_its_own() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli.pricing", "pricelist", "check", DATA / "vat.toml"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Currency: EUR, written 2.400,00 €" in done.stdout
