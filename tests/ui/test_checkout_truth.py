"""What the TV says at checkout is true: whose invoice it is, whether the e-mail is on its way,
which paper, which address the QR and the e-mail lead to, and the price list in force."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from email import message_from_bytes, policy

import pytest
from kivy.tests.common import UnitTestTouch
from PIL import Image
from pypdf import PdfReader

from kiosk.checkout import outbox
from kiosk.checkout.mailer import WIFI_ONLY
from kiosk.checkout.settings import save_smtp_settings, save_studio_details, studio_details
from kiosk.core.cart import AddLine
from kiosk.core.invoices import StudioDetails
from kiosk.demo import ensure_demo
from kiosk.imaging.importer import import_folder
from tests.checkout.conftest import smtp_server  # noqa: F401  (a fixture)
from tests.qr import read_qr
from tests.ui.conftest import pump, screenshot, show

pytestmark = pytest.mark.gui

PARKER = StudioDetails(
    name="Parker Light Studio",
    email="hello@parkerlight.example",
    phone="+1 971 555 0199",
    address="12 Alder Lane\nBend, OR 97701",
    payment_instructions="Pay by card at the studio.",
)
PUBLIC = "https://viewing.parkerlight.example"
LETTER, A4 = (612, 792), (595, 842)


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.05)


def shoot(folder, count: int = 3):
    folder.mkdir()
    for i in range(count):
        Image.new("RGB", (1200, 800), (60 * i, 110, 170)).save(folder / f"IMG_{i:04}.JPG")
    return folder


def to_checkout(app):
    image = app.images[0].id
    app.live.do(AddLine("canvas", "16x20", {"depth": "1.5"}, (image,)))
    show(app, "checkout")
    screen = app.checkout
    assert pump(lambda: screen.total_text != "", timeout=10)
    return screen


def confirm(screen):
    screen.ids.phone.text = "+1 503 555 0142"
    screen.ids.address.text = "1420 Alder Street\nPortland, OR 97205"
    tap(screen.ids.confirm)
    tap(screen.confirming.ids.confirm)
    assert screen.done, screen.message or screen.errors


def client_mail(store, invoice: int):
    entry = next(e for e in outbox.entries(store, invoice=invoice) if e.kind == "invoice")
    return message_from_bytes(outbox.message_bytes(store, entry.id), policy=policy.default)


def pdf_of(message) -> PdfReader:
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "application/pdf")
    return PdfReader(io.BytesIO(part.get_content()))


def page_size(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def qr_in(image) -> str:
    """The URL in the QR code on a screenshot or an image: the whole picture, then its left
    third (where the thank-you draws the code) on its own."""
    width, height = image.size
    return read_qr(image) or read_qr(image.crop((0, 0, width // 3, height)))


def test_a_new_studio_after_the_demo_is_asked_for_its_details_and_invoices_under_them(
    run_app, studio, window, tmp_path
):
    ensure_demo(studio, progress=False)
    assert studio_details(studio.store).name == "", "the demo's details are not the studio's"
    summary = import_folder(
        studio, shoot(tmp_path / "shoot"), "Test Family", "test@example.com", progress=False
    )
    app = run_app(summary.session.id)
    from kiosk.ui.screens.checkout import NO_STUDIO_DETAILS  # after the window is made

    screen = to_checkout(app)
    # No studio details: the TV says who must act, and will not confirm in anyone's name.
    assert pump(lambda: screen.message == NO_STUDIO_DETAILS, timeout=5)
    assert not screen.can_confirm
    screenshot(window, "checkout-needs-studio-details")

    # The photographer enters them on the tablet (the form saves them like this): the TV sees
    # them within a few seconds and lets the client confirm.
    save_studio_details(studio.store, PARKER)
    started = time.monotonic()
    assert pump(lambda: screen.can_confirm, timeout=5)
    assert time.monotonic() - started < 3
    confirm(screen)
    # No mail server: the thank-you says the studio will send it, not "on its way".
    assert pump(lambda: "ready on your phone" in screen.thanks.mail_status, timeout=20)
    assert screen.thanks.mail_status == (
        "Invoice 0001 is ready on your phone. The studio will send it to test@example.com by "
        "e-mail."
    )
    assert "on its way" not in screen.thanks.mail_status
    shot = screenshot(window, "checkout-thanks-no-mail-server")
    assert qr_in(shot).startswith(app.base_url() + "/i/")  # no public_url: the LAN address

    assert screen.invoice.studio == "Parker Light Studio"
    mail = client_mail(studio.store, 1)
    assert mail["From"].addresses[0].addr_spec == "hello@parkerlight.example"
    assert WIFI_ONLY in mail.get_body(("plain",)).get_content()
    reader = pdf_of(mail)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Parker Light Studio" in text and "12 Alder Lane" in text
    assert "Golden Hour" not in text
    assert "Scan to see your order" not in text  # a LAN QR would not open at home
    assert page_size(reader) == LETTER  # the demo list is in inches: a US studio


def test_the_demo_session_still_invoices_as_the_demo_studio_until_the_studio_has_its_own(
    run_app, studio, window
):
    ensure_demo(studio, progress=False)
    app = run_app(studio.store.sessions()[0].id)
    screen = to_checkout(app)
    assert pump(lambda: screen.can_confirm, timeout=5), screen.message
    confirm(screen)
    assert pump(lambda: "ready on your phone" in screen.thanks.mail_status, timeout=20)
    assert screen.invoice.studio == "Golden Hour Portraits"
    assert studio_details(studio.store).name == ""


def test_a_centimetre_studio_with_a_public_url_gets_a4_and_links_that_open_at_home(
    run_app,
    studio,
    window,
    session_factory,
    smtp_server,  # noqa: F811
):
    text = studio.pricelist_file.read_text(encoding="utf-8").replace(
        'units = "in"', 'units = "cm"', 1
    )
    assert studio.pricelist.replace(text) is None
    studio.settings = replace(studio.settings, public_url=PUBLIC + "/")
    save_studio_details(studio.store, PARKER)
    smtp_server.start()
    save_smtp_settings(studio.store, smtp_server.settings)
    app = run_app(session_factory([(3000, 2000)] * 2))
    screen = to_checkout(app)
    confirm(screen)
    assert pump(lambda: "on its way" in screen.thanks.mail_status, timeout=20)
    shot = screenshot(window, "checkout-thanks-public-url")
    assert qr_in(shot).startswith(PUBLIC + "/i/")

    report = outbox.send_due(studio.store, smtp_server.settings, time.time())
    assert report.sent == 2, report
    mail = next(m for m in smtp_server.inbox.messages() if "test@example.com" in m["To"])
    body = mail.get_body(("plain",)).get_content()
    assert f"{PUBLIC}/i/" in body and WIFI_ONLY not in body
    assert f'href="{PUBLIC}/i/' in mail.get_body(("html",)).get_content()
    reader = pdf_of(mail)
    assert page_size(reader) == A4
    found = [qr_in(Image.open(io.BytesIO(i.data))) for page in reader.pages for i in page.images]
    assert any(url.startswith(PUBLIC + "/i/") for url in found), found


def test_an_edit_to_the_price_list_reprices_the_tv_within_5_s_and_a_broken_one_keeps_it(
    run_app, studio, window, session_factory
):
    save_studio_details(studio.store, PARKER)
    app = run_app(session_factory([(3000, 2000)] * 2))
    screen = to_checkout(app)
    before = screen.total_text
    file = studio.pricelist_file
    good = file.read_text(encoding="utf-8")
    edited = good.replace(
        '{ size = "16x20", price = "495.00" }', '{ size = "16x20", price = "999.00" }'
    )
    assert edited != good
    file.write_text(edited, encoding="utf-8")
    started = time.monotonic()
    assert pump(lambda: screen.total_text != before, timeout=5), "the TV kept the old total"
    seconds = time.monotonic() - started
    print(f"price-list edit reached the TV's total in {seconds:.2f} s")
    canvas = app.live.breakdown()[0].lines[0]
    assert canvas.amount >= 99900, canvas
    repriced = screen.total_text

    # A broken edit: the last good list stays in force, and the error says where.
    broken = edited.replace("[studio]", '[studio\nname = "oops', 1)
    file.write_text(broken, encoding="utf-8")
    assert pump(lambda: app.live.pricelist.error is not None, timeout=5)
    assert "line" in str(app.live.pricelist.error)
    pump(timeout=0.3)
    assert screen.total_text == repriced
    assert app.live.breakdown()[0] is not None
    file.write_text(good, encoding="utf-8")
    assert pump(lambda: app.live.pricelist.error is None and screen.total_text == before, 5)
