from __future__ import annotations

import io
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.checkout.invoice import confirm_order, phone_url
from kiosk.checkout.pdf import render_invoice_pdf
from kiosk.checkout.qr import qr_png
from kiosk.core.pricing import Cart, CartLine
from kiosk.store.db import Store
from tests.checkout.conftest import CLIENT, DEMO, ROOT, STUDIO, TODAY, sample_cart
from tests.qr import read_qr

URL = "http://192.168.1.20:8470/order/"


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_qr_png_decodes_back_to_the_url():
    url = URL + "Zx9v2K4mQ8rT1wYb6nHc3LpA0sDfGhJk5uVeIoPq7aE"
    png = qr_png(url)
    assert png.startswith(b"\x89PNG")
    assert read_qr(png) == url


def test_the_invoice_pdf_shows_number_lines_totals_and_a_working_qr(invoice):
    url = phone_url("http://192.168.1.20:8470", invoice.phone_token)
    pdf = render_invoice_pdf(invoice, STUDIO, phone_url=url)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page_texts(pdf))
    for expected in (
        "INVOICE",
        "0001",
        "1 May 2026",
        "Golden Hour Portraits",
        "Eleanor Whitfield",
        "1420 Alder Street",
        "Heirloom collection",
        "15 of 15 digital files used",
        "Ordered at the viewing (VIEWING100)",
        "Sales tax 8.25%",
        "Session fee credit",
        "Deposit and 3 monthly payments",
        "Payment 3, due 1 August 2026",
        "Retouching notes",
        "Soften the chin shadow; keep freckles",
        "Skin smoothing, Remove stray hair",
        "How to pay",
        "Terms",
    ):
        assert expected in text, expected
    for line in invoice.breakdown["lines"]:
        assert line["label"] in text.replace("\n", " "), line["label"]
        assert line["display"] in text
    assert invoice.money(invoice.total) in text
    assert invoice.money(invoice.due_now) in text
    # Fonts are embedded (TrueType subsets), so it prints the same everywhere.
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = (
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/DescendantFonts" in font
            else font["/FontDescriptor"]
        )
        assert "/FontFile2" in descriptor
    # The QR code on the PDF opens the phone page.
    found = [
        read_qr(image.image)
        for page in reader.pages
        for image in page.images
        if image.image.width == image.image.height
        and image.image.mode in ("1", "L", "RGB")
        and image.image.convert("L").getcolors(2) is not None  # black and white only
    ]
    assert url in found


def test_a_long_order_paginates_with_the_table_header_on_every_page(
    studio, session_images, pricelist
):
    session_id, ids = session_images
    cart = sample_cart(ids, extra_prints=35)  # 40 lines
    invoice = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=TODAY)
    started = time.perf_counter()
    pdf = render_invoice_pdf(invoice, STUDIO, paper="letter")
    seconds = time.perf_counter() - started
    pages = page_texts(pdf)
    assert len(invoice.lines) == 40
    assert len(pages) >= 2
    table_pages = [p for p in pages if "Archival print 5×7" in p]
    assert len(table_pages) >= 2
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page and "Invoice 0001" in page
    for page in table_pages:
        assert "UNIT PRICE" in page and "AMOUNT" in page
    assert sum(p.count("Archival print 5×7") for p in pages) == 35
    width, height = PdfReader(io.BytesIO(pdf)).pages[0].mediabox[2:]
    assert (round(float(width)), round(float(height))) == (612, 792)  # US Letter
    assert "May 1, 2026" in pages[0]
    assert seconds < 5, f"rendering took {seconds:.2f} s"


def test_a4_and_a_tax_inclusive_list_with_a_missing_thumbnail(studio, session_factory):
    from kiosk.core.pricelist import load

    vat = load(ROOT / "tests" / "data" / "pricelists" / "vat.toml")
    session_id = session_factory([(300, 200)])
    (image,) = studio.store.images(session_id)
    Path(image.thumb_path).unlink()  # moved away since: a grey square, not a failure
    cart = Cart(lines=(CartLine("print", "20x30", images=(image.id,), quantity=2),))
    client = CLIENT.__class__("Jörg Müller", "joerg@example.de")
    invoice = confirm_order(
        studio.store, session_id, vat, cart, client, today=TODAY, need_address=False
    )
    pdf = render_invoice_pdf(invoice, STUDIO, paper="A4")
    (page,) = PdfReader(io.BytesIO(pdf)).pages
    assert (round(float(page.mediabox[2])), round(float(page.mediabox[3]))) == (595, 842)
    text = page.extract_text()
    assert "Jörg Müller" in text and "78,00 €" in text and "Includes MwSt. 19%" in text


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_render_the_invoice_screenshot(studio, pricelist, tmp_path):
    """The picture to look at: build/screenshots/invoice-p1.png, with the demo photographs."""
    store: Store = studio.store
    session = store.create_session("Eleanor Whitfield", "eleanor@example.com")
    for n, photo in enumerate(sorted(DEMO.glob("*.jpg"))):
        store.add_image(
            session.id,
            file_name=photo.name,
            source_path=str(photo),
            content_hash=str(n),
            width=1000,
            height=1000,
            capture_time="",
            preview_path=str(photo),
            thumb_path=str(photo),
        )
    ids = [image.id for image in store.images(session.id)]
    store.append_events(
        session.id,
        [
            {
                "kind": "note",
                "image": ids[1],
                "text": "Soften the shadow under the chin",
                "tags": ["skin_smoothing", "remove_stray_hair"],
            },
            {"kind": "note", "image": ids[4], "text": "", "tags": ["black_and_white"]},
        ],
    )
    invoice = confirm_order(store, session.id, pricelist, sample_cart(ids), CLIENT, today=TODAY)
    url = phone_url("http://192.168.1.20:8470", invoice.phone_token)
    pdf = render_invoice_pdf(invoice, STUDIO, phone_url=url, paper="letter")
    out = ROOT / "build" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    (tmp_path / "invoice.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "2",
            str(tmp_path / "invoice.pdf"),
            str(tmp_path / "invoice"),
        ],
        check=True,
    )
    pages = sorted(tmp_path.glob("invoice-*.png"))
    for n, page in enumerate(pages, 1):
        shutil.copy(page, out / f"invoice-p{n}.png")
    assert (out / "invoice-p1.png").stat().st_size > 10_000
