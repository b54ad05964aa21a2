"""`python main.py quote FILE CART.json` with the photographer's studio discount in the cart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "pricelist.toml"


def quote(tmp_path: Path, cart: dict) -> subprocess.CompletedProcess:
    path = tmp_path / "cart.json"
    path.write_text(json.dumps(cart), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "main.py", "quote", str(DEMO), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_quote_prices_a_studio_discount_as_its_own_line(tmp_path: Path) -> None:
    done = quote(
        tmp_path,
        {
            "date": "2026-11-25",
            "promo_codes": ["VIEWING100"],
            "studio_discount": {"percent": 10, "reason": "loyal client"},
            "lines": [{"product": "canvas", "variant": "20x30", "images": [1]}],
        },
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    # $695 - $100 (VIEWING100) = $595; 10 % of it $59.50; $535.50 + tax $44.17875 -> $44.18,
    # less the $250 session-fee credit: $329.68.
    assert out["discounts"] == [
        {
            "id": "preview",
            "label": "Ordered at the viewing (VIEWING100)",
            "amount": 10000,
            "display": "$100.00",
        },
        {
            "id": "studio",
            "label": "Studio discount — loyal client −10%",
            "amount": 5950,
            "display": "$59.50",
        },
    ]
    assert out["total"] == {"amount": 32968, "display": "$329.68"}


def test_quote_refuses_a_studio_discount_with_both_a_percent_and_an_amount(tmp_path) -> None:
    done = quote(
        tmp_path,
        {"studio_discount": {"percent": 10, "amount": 500}, "lines": []},
    )
    assert done.returncode == 1 and done.stdout == ""
    assert "A studio discount is a percent or an amount: give one of the two." in done.stderr
