"""The pricing guide's phone page and PDF through the real server, for anyone with the link."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from kiosk.core.guide import pricing_guide
from kiosk.core.pricelist import load
from tests.conftest import ROOT


def test_the_guide_phone_page_says_what_the_pdf_says(server):
    phone = server.client()
    page = phone.get("/guide")
    assert page.status_code == 200
    guide = pricing_guide(load(ROOT / "assets" / "pricelist.toml"), today=date.today())
    for c in guide.collections:
        assert c.name in page.text and c.price in page.text
    pdf = phone.get("/guide.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert guide.collections[0].price in text
