"""The album's spreads small on the invoice, as designed: in the PDF under the album's line and
on the client's phone page, whose images load through the invoice's own token."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from kiosk.albums.library import load_shapes
from kiosk.checkout.invoice import Client, confirm_order
from kiosk.checkout.pdf import render_invoice_pdf
from kiosk.checkout.settings import save_studio_details
from kiosk.core.album import lay_out
from kiosk.core.invoices import StudioDetails
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine
from tests.conftest import ROOT

STUDIO = StudioDetails(
    name="Golden Hour Portraits",
    email="hello@goldenhour.example",
    phone="+1 503 555 0100",
    address="88 Pearl Street\nPortland, OR 97209",
)
CLIENT = Client("Eleanor Whitfield", "eleanor@example.com", "+1 503 555 0142", "1420 Alder St")


def album_invoice(studio, session_id, design=True):
    images = studio.store.images(session_id)
    pricelist = load(ROOT / "assets" / "pricelist.toml")
    spreads = lay_out(
        [i.id for i in images],
        {i.id: i.aspect for i in images},
        load_shapes()["square"],
        fewest=10,
        most=30,
    )
    line = CartLine(
        "album",
        "8x8",
        images=tuple(i for s in spreads for i in s.images),
        spreads=len(spreads),
        id="L1",
        design=tuple(spreads) if design else (),
    )
    cart = Cart(lines=(line, CartLine("print", "8x10", images=(images[0].id,), id="L2")))
    save_studio_details(studio.store, STUDIO)
    invoice = confirm_order(
        studio.store, session_id, pricelist, cart, CLIENT, today=date(2026, 5, 1)
    )
    return invoice, spreads


def pictures_on(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image")
    return count


def test_the_pdf_shows_each_spread_under_the_album_line(demo_server, studio):
    session_id = demo_server.live.session_id
    designed, spreads = album_invoice(studio, session_id)
    plain, _ = album_invoice(studio, session_id, design=False)
    with_spreads = pictures_on(render_invoice_pdf(designed, STUDIO, phone_url="https://x/i/t"))
    without = pictures_on(render_invoice_pdf(plain, STUDIO, phone_url="https://x/i/t"))
    assert len(spreads) == 10
    assert with_spreads - without == len(spreads)


def test_the_phone_page_draws_the_spreads_with_the_invoices_own_images(demo_server, studio):
    session_id = demo_server.live.session_id
    invoice, spreads = album_invoice(studio, session_id)
    client = demo_server.client()
    page = client.get(f"/i/{invoice.phone_token}")
    assert page.status_code == 200
    drawn = re.findall(r'<svg class="spread".*?</svg>', page.text, flags=re.S)
    assert len(drawn) == len(spreads)
    for svg, spread in zip(drawn, spreads, strict=True):
        hrefs = re.findall(r'<image href="/i/[^/]+/img/(\d+)"', svg)
        assert [int(h) for h in hrefs] == list(spread.images)
    first = re.search(r'<image href="(/i/[^"]+)"', drawn[0]).group(1)
    image = client.get(first)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
