""" "Your photos are ready" through a real SMTP server, queued once when the gallery opens."""

from __future__ import annotations

from kiosk.checkout import outbox
from kiosk.delivery.announce import announce_if_open
from kiosk.delivery.finals import add_finals
from kiosk.delivery.gallery import gallery_for_token
from kiosk.payments.ledger import record_payment
from tests.checkout.conftest import smtp_server  # noqa: F401
from tests.delivery.conftest import export

BASE = "https://viewing.goldenhour.example"


def test_the_ready_email_goes_once_when_the_gallery_opens(studio, order, tmp_path, smtp_server):  # noqa: F811
    assert announce_if_open(studio.store, order.number, base_url=BASE) is None  # locked
    folder = export(tmp_path / "exports", {"IMG_1001.jpg": 0, "IMG_1002.jpg": 1, "IMG_1003.jpg": 2})
    add_finals(studio.store, studio.paths.root / "finals", order, folder)
    assert announce_if_open(studio.store, order.number, base_url=BASE) is None  # unpaid
    record_payment(studio.store, order.number, order.total, "cash")
    entry = announce_if_open(studio.store, order.number, base_url=BASE)
    assert entry is not None and entry.kind == "gallery"
    assert announce_if_open(studio.store, order.number, base_url=BASE) is None  # never twice

    smtp_server.start()
    assert outbox.send_due(studio.store, smtp_server.settings).sent == 1
    (mail,) = smtp_server.inbox.messages()
    assert mail["Subject"] == "Your photos are ready: Golden Hour Portraits"
    assert mail["To"].addresses[0].addr_spec == "eleanor@example.com"
    text = mail.get_body(("plain",)).get_content()
    link = next(line for line in text.splitlines() if line.startswith(BASE))
    token = link.removeprefix(f"{BASE}/g/")
    assert gallery_for_token(studio.store, token) == order.number
    html = mail.get_body(("html",))
    assert 'src="cid:gallery-qr"' in html.get_content()
    (qr,) = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert qr.get_content().startswith(b"\x89PNG")
