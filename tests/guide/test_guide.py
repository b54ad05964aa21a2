"""The pricing guide: its PDF's text (read back with pypdf) holds every collection and every
price exactly as `main.py quote` prices them, for the demo list and the docs' example list;
the CLI writes it; the phone page says the same."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import date

import pytest
from pypdf import PdfReader

import main
from kiosk.core.guide import pricing_guide
from kiosk.core.invoices import StudioDetails
from kiosk.core.pricelist import load
from kiosk.guide.pdf import render_guide_pdf
from tests.conftest import ROOT

TODAY = date(2026, 5, 1)
STUDIO = StudioDetails("Golden Hour Portraits", "hello@goldenhour.example", "+1 503 555 0100")


def docs_example(tmp_path):
    text = (ROOT / "docs" / "pricelist.md").read_text(encoding="utf-8")
    path = tmp_path / "example.toml"
    path.write_text(re.findall(r"```toml\n(.*?)```", text, re.S)[0], encoding="utf-8")
    return path


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def quoted(capsys, pricelist_file, tmp_path, cart: dict) -> dict:
    """What `main.py quote` answers for `cart`."""
    path = tmp_path / "cart.json"
    path.write_text(json.dumps({**cart, "date": TODAY.isoformat()}), encoding="utf-8")
    assert main.main(["quote", str(pricelist_file), str(path)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("which", ["demo", "docs"])
def test_the_guide_pdf_holds_every_collection_and_price_as_quote_prices_them(
    which, tmp_path, capsys
):
    file = ROOT / "assets" / "pricelist.toml" if which == "demo" else docs_example(tmp_path)
    pricelist = load(file)
    text = pdf_text(render_guide_pdf(pricing_guide(pricelist, today=TODAY), STUDIO))
    assert "PRODUCT & PRICING GUIDE" in text and "Golden Hour Portraits" in text
    assert pricelist.collections, "both lists have collections"
    for collection in pricelist.collections:
        answer = quoted(capsys, file, tmp_path, {"collection": collection.id, "lines": []})
        (line,) = [x for x in answer["lines"] if x["kind"] == "collection"]
        assert collection.name in text
        assert line["display"] in text, (collection.name, line["display"])
    for product in pricelist.products:
        assert product.name in text
        for variant in product.variants:
            line = {"product": product.id, "variant": variant.id, "id": "one"}
            if product.per == "image" or product.covers is None:
                line["images"] = ["a"]
            answer = quoted(capsys, file, tmp_path, {"lines": [line]})
            (item,) = [x for x in answer["lines"] if x["kind"] == "item"]
            assert item["display"] in text, (product.name, variant.id, item["display"])
    for plan in pricelist.payment_plans:
        assert plan.name in text


def test_the_demo_guide_renders_within_a_second():
    pricelist = load(ROOT / "assets" / "pricelist.toml")
    start = time.perf_counter()
    pdf = render_guide_pdf(pricing_guide(pricelist, today=TODAY), STUDIO, paper="letter")
    assert time.perf_counter() - start < 1.0
    width, height = PdfReader(io.BytesIO(pdf)).pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (612, 792)  # Letter


def test_main_py_guide_writes_the_pdf(tmp_path, capsys):
    out = tmp_path / "guide.pdf"
    assert main.main(["--data", str(tmp_path / "studio"), "guide", "--to", str(out)]) == 0
    assert "Wrote the pricing guide (4 collections" in capsys.readouterr().out
    assert "Heirloom" in pdf_text(out.read_bytes())
    bad = tmp_path / "bad.toml"
    bad.write_text("[[product]]\nid = 3\n", encoding="utf-8")
    args = ["--data", str(tmp_path / "studio"), "guide", "--to", str(out), "--pricelist", str(bad)]
    assert main.main(args) == 1
    assert capsys.readouterr().err
