"""The pricing guide's product pictures: one per product of the demo list, made once and kept,
in the PDF beside each product and on the phone page."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from pypdf import PdfReader

from kiosk.core.guide import pricing_guide
from kiosk.core.invoices import StudioDetails
from kiosk.core.pricelist import load
from kiosk.guide.pdf import render_guide_pdf
from kiosk.guide.pictures import guide_pictures
from tests.conftest import ROOT


def test_every_product_has_a_picture_made_once_and_shown_in_the_pdf(tmp_path):
    pricelist = load(ROOT / "assets" / "pricelist.toml")
    pictures = guide_pictures(pricelist, tmp_path / "cache")
    assert set(pictures) == {p.id for p in pricelist.products}
    for path in pictures.values():
        with Image.open(path) as image:
            assert image.format == "JPEG" and image.size[0] == image.size[1] >= 300
    made = {path: path.stat().st_mtime_ns for path in pictures.values()}
    again = guide_pictures(pricelist, tmp_path / "cache")
    assert {p: p.stat().st_mtime_ns for p in again.values()} == made  # kept, not redrawn

    guide = pricing_guide(pricelist, today=date(2026, 5, 1))
    studio = StudioDetails("Golden Hour Portraits", "hello@goldenhour.example")
    pdf = PdfReader(io.BytesIO(render_guide_pdf(guide, studio, pictures=pictures)))
    shown = sum(len(page.images) for page in pdf.pages)
    assert shown == len(pricelist.products)
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Gallery canvas" in text and "$495.00" in text  # the prices stay beside them
    bare = PdfReader(io.BytesIO(render_guide_pdf(guide, studio)))
    assert sum(len(page.images) for page in bare.pages) == 0
