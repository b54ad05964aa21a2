"""The client's phone pages for real: uvicorn on 127.0.0.1, httpx and chromium as the phone.

The invoice at /i/<token> and the wall-photo upload at /wall/<token> need no pairing: the
token is the key, it opens one invoice (or one session's upload) and nothing else. Screenshots
go to build/screenshots/ (phone-invoice.png, phone-invoice-full.png, phone-wall-form.png,
phone-wall-error.png, phone-wall.png).
"""

from __future__ import annotations

import hashlib
import http.client
import io
import struct
import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from PIL import Image, ImageDraw
from pypdf import PdfReader

import tests.web.conftest as web_conftest
from kiosk.checkout.invoice import Client, Invoice, confirm_order, issue_phone_token, phone_url
from kiosk.checkout.settings import save_studio_details
from kiosk.core.invoices import StudioDetails
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine
from kiosk.store.walls import issue_wall_token, list_wall_photos
from kiosk.web.app import create_app
from kiosk.web.walls import WallLimits, wall_url
from tests.conftest import ROOT

SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
STUDIO = StudioDetails(
    name="Golden Hour Portraits",
    email="hello@goldenhour.example",
    phone="+1 503 555 0100",
    address="88 Pearl Street, Studio 3\nPortland, OR 97209",
    website="goldenhour.example",
    payment_instructions=(
        "Pay the deposit today by card at the studio, or by bank transfer to Golden Hour "
        "Portraits LLC, account 0123 4567 89, with the invoice number."
    ),
    terms="Orders go into production once the deposit is received.",
)
CLIENT = Client("Eleanor Whitfield", "eleanor@example.com", "+1 503 555 0142", "1420 Alder St")
EXPIRED_PAGE = "This link has expired"


@dataclass
class Phone:
    server: web_conftest.RunningServer
    api: FastAPI
    session_id: int
    invoice: Invoice
    token: str
    other: Invoice  # a second invoice of the same session, with its own token
    other_token: str
    wall_token: str
    arrived: list[tuple[int, str]] = field(default_factory=list)

    def client(self, **headers: str):
        return self.server.client(**headers)

    @property
    def walls(self) -> Path:
        return self.server.studio.paths.root / "walls"


@pytest.fixture
def apps(monkeypatch) -> list[FastAPI]:
    """Every app the server fixtures make, so a test can set what the TV would set."""
    made: list[FastAPI] = []

    def recording(*args, **kwargs) -> FastAPI:
        made.append(create_app(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(web_conftest, "create_app", recording)
    return made


@pytest.fixture
def phone(apps, demo_server, studio) -> Phone:
    """Two invoices on the demo session (the first with retouch notes and a payment plan), a
    wall-upload token for the session, and the TV's callback recording what arrives."""
    session_id = demo_server.live.session_id
    ids = [image.id for image in studio.store.images(session_id)]
    studio.store.append_events(
        session_id,
        [
            {"kind": "note", "image": ids[1], "text": "Soften the chin shadow", "tags": []},
            {"kind": "note", "image": ids[4], "text": "", "tags": ["black_and_white"]},
        ],
    )
    save_studio_details(studio.store, STUDIO)
    pricelist = load(ROOT / "assets" / "pricelist.toml")
    cart = Cart(
        lines=(
            CartLine("canvas", "30x40", {"depth": "1.5"}, images=(ids[1],), id="wall"),
            CartLine("album", "10x10", {"cover": "leather"}, spreads=12, images=tuple(ids[:10])),
            CartLine("digital", "single", images=tuple(ids[1:10])),
            CartLine("print", "8x10", {"paper": "metallic"}, images=(ids[4],), quantity=2),
            CartLine("framed", "16x20", {"frame": "gold", "mat": "cream"}, images=(ids[7],)),
        ),
        collection="heirloom",
        shipping="install",
        payment_plan="three",
        promo_codes=("VIEWING100",),
    )
    today = date(2026, 5, 1)
    invoice = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=today)
    other = confirm_order(
        studio.store,
        session_id,
        pricelist,
        Cart(lines=(CartLine("print", "8x10", images=(ids[11],)),)),
        Client("Someone Else", "else@example.com"),
        today=today,
    )
    phone = Phone(
        server=demo_server,
        api=apps[-1],
        session_id=session_id,
        invoice=invoice,
        token=invoice.phone_token,
        other=other,
        other_token=other.phone_token,
        wall_token=issue_wall_token(studio.store, session_id),
    )
    phone.api.state.on_wall_photo = lambda sid, path: phone.arrived.append((sid, path))
    return phone


def raw_get(server, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    """GET `path` exactly as written: no client-side normalising of `..` or escapes."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    if cookie:
        conn.putheader("Cookie", cookie)
    conn.endheaders()
    response = conn.getresponse()
    try:
        return response.status, response.read()
    finally:
        conn.close()


# images to send --------------------------------------------------------------------------------
def jpeg(size: tuple[int, int], colour=(40, 90, 210), *, orientation: int = 1, mark=None) -> bytes:
    """A flat JPEG; `mark` paints a red square in the stored top-left corner."""
    im = Image.new("RGB", size, colour)
    if mark:
        ImageDraw.Draw(im).rectangle((0, 0, mark, mark), fill=(230, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims `width` × `height` pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def send(phone: Phone, data: bytes, name: str = "wall.jpg", token: str | None = None, **headers):
    client = phone.client(**{"Origin": phone.server.url, **headers})
    files = {"photo": (name, data, "image/jpeg")}
    return client.post(f"/wall/{token or phone.wall_token}", files=files)


def nothing_stored(phone: Phone) -> bool:
    files = [p for p in phone.walls.rglob("*") if p.is_file()] if phone.walls.exists() else []
    photos = phone.server.call(list_wall_photos, phone.server.studio.store, phone.session_id)
    return not files and not photos and not phone.arrived


# the invoice -----------------------------------------------------------------------------------
def test_the_invoice_link_shows_the_invoice_without_pairing_and_sets_no_cookie(phone):
    url = phone_url(phone.server.url, phone.token)
    assert url == f"{phone.server.url}/i/{phone.token}"
    page = phone.client().get(url)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store" and "set-cookie" not in page.headers
    text = page.text
    invoice = phone.invoice
    for shown in (
        "Golden Hour Portraits",
        f"Invoice {invoice.reference}",
        "1 May 2026",
        invoice.breakdown["total"]["display"],  # the total
        invoice.money(invoice.due_now),  # the deposit due now
        "Heirloom collection",
        "10-spread album used",  # a collection credit
        "Ordered at the viewing (VIEWING100)",  # a discount
        "Sales tax 8.25%",
        "Payment 3, 1 August 2026",  # the instalment schedule
        "Soften the chin shadow",  # a retouching request
        "Black &amp; white",
        "bank transfer to Golden Hour",  # payment instructions
        f'href="/i/{phone.token}/invoice.pdf"',
    ):
        assert shown in text, shown
    assert phone.other.reference not in text and "Someone Else" not in text


def test_the_pdf_downloads_as_an_attachment_and_reads_back_with_the_invoice_number(phone):
    client = phone.client()
    response = client.get(f"/i/{phone.token}/invoice.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="invoice-{phone.invoice.reference}.pdf"'
    assert response.headers["cache-control"] == "no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Invoice {phone.invoice.reference}" in text and "Eleanor Whitfield" in text
    again = client.get(f"/i/{phone.token}/invoice.pdf")
    assert again.content == response.content  # made once, then kept


def test_a_wrong_an_expired_and_a_malformed_token_all_get_the_same_404(phone):
    store = phone.server.studio.store
    month_ago = time.time() - 31 * 86400
    expired = phone.server.call(issue_phone_token, store, phone.invoice.number, now=month_ago)
    wrong = phone.token[:-4] + ("AAAA" if not phone.token.endswith("AAAA") else "BBBB")
    client = phone.client()
    first = client.get(f"/i/{wrong}")
    assert first.status_code == 404 and EXPIRED_PAGE in first.text
    assert first.headers["cache-control"] == "no-store"
    assert phone.invoice.reference not in first.text and "Golden Hour" not in first.text
    for token in (expired, "short", "x" * 129):
        for suffix in ("", "/invoice.pdf", f"/img/{phone.invoice.images[0].id}"):
            response = client.get(f"/i/{token}{suffix}")
            assert (response.status_code, response.content) == (404, first.content), token


@pytest.mark.parametrize(
    "path",
    [
        "/i/..%2f..%2fetc%2fpasswd",
        "/i/..%2F..%2Fstudio.db",
        "/i/%00",
        "/i/{token}%00",
        "/i/{token}/..%2f..%2fetc%2fpasswd",
        "/i/{token}/img/..%2f..%2fstudio.db",
        "/i/{token}/invoice.pdf%00",
        "/i/" + "A" * 4000,
        "/i/",
        "/wall/..%2f..%2fetc%2fpasswd",
        "/wall/{wall}%00",
        "/wall/" + "A" * 4000,
    ],
)
def test_a_path_traversal_or_odd_token_is_a_404_and_reveals_nothing(phone, path):
    status, body = raw_get(phone.server, path.format(token=phone.token, wall=phone.wall_token))
    assert status == 404, path
    assert EXPIRED_PAGE.encode() in body
    assert b"root:" not in body and b"SQLite" not in body and b"Eleanor" not in body


def test_an_invoice_token_opens_only_its_own_invoice_and_images_and_no_remote(phone):
    client = phone.client(Origin=phone.server.url)
    ids = [image.id for image in phone.invoice.images]
    elsewhere = phone.other.images[0].id  # on the other invoice only
    assert elsewhere not in ids
    thumb = client.get(f"/i/{phone.token}/img/{ids[0]}")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert client.get(f"/i/{phone.token}/img/{elsewhere}").status_code == 404
    assert client.get(f"/i/{phone.other_token}/img/{elsewhere}").status_code == 200
    page = client.get(f"/i/{phone.other_token}")
    assert phone.other.reference in page.text and phone.invoice.reference not in page.text

    # Neither as a cookie nor as a mirror token does it open anything of the remote's.
    for cookie in (None, phone.token):
        tablet = phone.client(Origin=phone.server.url)
        if cookie:
            tablet.cookies.set("reveal_session", cookie)
        assert tablet.get("/remote").status_code == 401
        for method, path in [
            ("GET", "/api/state"),
            ("POST", "/api/command"),
            ("GET", f"/img/thumb/{ids[0]}"),
            ("GET", f"/img/preview/{ids[0]}"),
            ("POST", "/unpair"),
        ]:
            response = tablet.request(method, path, json={"kind": "undo"})
            assert response.status_code == 401, (cookie, path)
    assert client.get(f"/mirror/{phone.token}").status_code == 401
    assert client.get(f"/wall/{phone.token}").status_code == 404  # not a wall token either
    assert client.get(f"/i/{phone.wall_token}").status_code == 404  # nor the other way round


# the wall photo --------------------------------------------------------------------------------
def test_the_wall_page_offers_the_camera(phone):
    url = wall_url(phone.server.url, phone.wall_token)
    page = phone.client().get(url)
    assert page.status_code == 200 and "set-cookie" not in page.headers
    assert 'accept="image/*" capture="environment"' in page.text
    assert f'action="/wall/{phone.wall_token}"' in page.text


def test_a_photo_with_exif_orientation_6_is_stored_upright_as_srgb_jpeg_and_the_tv_told(phone):
    data = jpeg((1600, 1000), orientation=6, mark=200)  # the red mark is stored top-left
    response = send(phone, data)
    assert response.status_code == 200, response.text
    assert "Thanks! Your wall is on the TV now." in response.text

    photos = phone.server.call(list_wall_photos, phone.server.studio.store, phone.session_id)
    assert len(photos) == 1
    photo = photos[0]
    path = Path(photo.path)
    digest = hashlib.sha256(data).hexdigest()
    assert path == phone.walls / str(phone.session_id) / f"{digest}.jpg"
    assert (photo.width, photo.height) == (1000, 1600)
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.mode == "RGB" and stored.size == (1000, 1600)
        assert not stored.getexif()  # nothing from the phone: no orientation, no location
        red, blue = stored.getpixel((1000 - 60, 60)), stored.getpixel((60, 60))
    # Orientation 6 turns the picture a quarter clockwise: the mark is now top-right.
    assert red[0] > 200 and red[2] < 60, red
    assert blue[2] > 180 and blue[0] < 80, blue
    assert phone.arrived == [(phone.session_id, str(path))]

    again = send(phone, data)  # the same photo again: one file, one row
    assert again.status_code == 200
    assert (
        len(phone.server.call(list_wall_photos, phone.server.studio.store, phone.session_id)) == 1
    )


def test_a_heic_photo_from_an_iphone_is_stored_as_jpeg(phone):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (40, 90, 210)).save(out, "HEIF", quality=60)
    response = send(phone, out.getvalue(), name="IMG_0001.HEIC")
    assert response.status_code == 200, response.text
    [photo] = phone.server.call(list_wall_photos, phone.server.studio.store, phone.session_id)
    with Image.open(photo.path) as stored:
        assert stored.format == "JPEG" and stored.size == (1600, 1200)


def test_a_text_file_named_jpg_is_refused_with_a_clear_message(phone):
    response = send(phone, b"Dear studio, this is not a photo.\n" * 100, name="wall.jpg")
    assert response.status_code == 422
    assert "This file is not a photo we can read" in response.text
    assert nothing_stored(phone)


def test_a_file_over_the_cap_is_refused_with_413_before_it_is_read_and_nothing_stored(phone):
    phone.api.state.wall_limits = WallLimits(max_bytes=1_000_000)
    big = jpeg((400, 300)) + b"\0" * 2_000_000  # 2 MB
    response = send(phone, big)
    assert response.status_code == 413
    assert "This photo is larger than 0.954 MB" in response.text
    assert nothing_stored(phone)

    # Sent without a length (chunked, as a proxy might): counted as it arrives, and cut off.
    client = phone.client(Origin=phone.server.url)
    boundary = "reveal-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="w.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()

    def body():
        yield head
        for _ in range(40):  # 2.5 MB in 64 KB pieces
            yield b"\0" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        f"/wall/{phone.wall_token}",
        content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert nothing_stored(phone)


def test_a_photo_too_small_to_hang_art_on_is_refused_with_the_sizes(phone):
    response = send(phone, jpeg((800, 600)))
    assert response.status_code == 422
    assert "only 800×600 pixels" in response.text and "at least 1024×640" in response.text
    assert nothing_stored(phone)


def test_a_decompression_bomb_is_refused_from_its_header_before_decoding(phone):
    started = time.monotonic()
    response = send(phone, png_claiming(60000, 60000), name="wall.png")
    assert response.status_code == 422
    assert "60000 × 60000 pixels" in response.text and "was not opened" in response.text
    assert time.monotonic() - started < 2  # decoding 3.6 gigapixels would take far longer
    assert nothing_stored(phone)


def test_an_upload_from_another_site_or_with_a_dead_token_is_refused_and_stores_nothing(phone):
    data = jpeg((1600, 1000))
    response = send(phone, data, Origin="http://evil.example")
    assert response.status_code == 403 and "not sent from the studio" in response.text
    store = phone.server.studio.store
    day_ago = time.time() - 25 * 3600
    expired = phone.server.call(issue_wall_token, store, phone.session_id, now=day_ago)
    unknown = send(phone, data, token="A" * 43)
    assert unknown.status_code == 404 and EXPIRED_PAGE in unknown.text
    assert send(phone, data, token=expired).content == unknown.content
    assert phone.client().get(f"/wall/{expired}").content == unknown.content
    assert send(phone, data, token=phone.token).status_code == 404  # an invoice token
    assert nothing_stored(phone)


# in a real browser ---------------------------------------------------------------------------
def room_photo(path: Path) -> Path:
    """A drawn room: a warm wall, a door for scale, a sofa and a wooden floor."""
    w, h = 2000, 1500
    im = Image.new("RGB", (w, h), (214, 204, 188))
    draw = ImageDraw.Draw(im)
    for y in range(0, 1100):  # light from above: the wall darkens towards the floor
        shade = int(18 * y / 1100)
        draw.line((0, y, w, y), fill=(222 - shade, 212 - shade, 196 - shade))
    draw.rectangle((0, 1100, w, h), fill=(142, 104, 70))
    for x in range(0, w, 160):
        draw.line((x, 1100, x - 120, h), fill=(126, 90, 60), width=3)
    draw.rectangle((0, 1090, w, 1110), fill=(245, 242, 235))  # skirting board
    draw.rectangle((1620, 330, 1900, 1100), fill=(236, 232, 224))  # a door
    draw.ellipse((1640, 700, 1664, 724), fill=(170, 150, 110))
    draw.rounded_rectangle((420, 760, 1380, 1080), radius=40, fill=(86, 98, 92))  # a sofa
    draw.rounded_rectangle((460, 690, 1340, 860), radius=36, fill=(98, 112, 105))
    im.save(path, quality=90)
    return path


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield launched
        launched.close()


def test_on_a_phone_the_invoice_reads_and_a_wall_photo_reaches_the_tv(phone, browser, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.goto(phone_url(phone.server.url, phone.token))
    assert page.inner_text("#invoice-title") == f"Invoice {phone.invoice.reference}"
    assert page.inner_text("#due-now") == phone.invoice.money(phone.invoice.due_now)
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete && img.naturalWidth > 0)"
    )
    download = page.locator("#download-pdf").bounding_box()
    assert download["height"] >= 56 and download["width"] >= 300  # a thumb's target
    page.screenshot(path=SHOTS / "phone-invoice.png")
    page.screenshot(path=SHOTS / "phone-invoice-full.png", full_page=True)

    page.goto(wall_url(phone.server.url, phone.wall_token))
    assert page.locator("label[for=camera]").bounding_box()["height"] >= 56
    page.screenshot(path=SHOTS / "phone-wall-form.png")
    small = tmp_path / "screenshot.png"
    Image.new("RGB", (750, 500), (200, 190, 170)).save(small)
    page.set_input_files("#library", small)
    page.wait_for_selector("#wall-error:not([hidden])")
    assert "only 750×500 pixels" in page.inner_text("#wall-error")
    page.screenshot(path=SHOTS / "phone-wall-error.png")
    page.set_input_files("#camera", room_photo(tmp_path / "IMG_2041.jpg"))
    page.wait_for_selector("#thanks")
    page.wait_for_function("() => document.querySelector('.sent').complete")
    assert "Your wall is on the TV now" in page.inner_text("h1")
    assert len(phone.arrived) == 1
    page.screenshot(path=SHOTS / "phone-wall.png")
    page.close()
