from __future__ import annotations

import asyncio
import io
import os
import signal
import threading
import time
from dataclasses import replace
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses

import pytest
from PIL import Image
from pypdf import PdfReader

from kiosk.checkout import mailer, outbox
from kiosk.checkout.invoice import get_invoice, phone_url
from kiosk.checkout.mailer import queue_invoice_email
from kiosk.checkout.pdf import render_invoice_pdf
from kiosk.core.errors import BadAddress
from kiosk.core.mail import SmtpSettings
from kiosk.store.db import Store
from tests.checkout.conftest import DEMO, STUDIO, run_python, wait_for

URL = "http://192.168.1.20:8470"


def queue(studio, invoice, **kw):
    url = phone_url(URL, invoice.phone_token)
    pdf = render_invoice_pdf(invoice, STUDIO, phone_url=url)
    return queue_invoice_email(studio.store, invoice, STUDIO, pdf, phone_url=url, **kw), pdf


def plain_message(to: str = "client@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Studio <hello@goldenhour.example>"
    message["To"] = to
    message["Subject"] = "Hello"
    message.set_content("Hi")
    return message


def test_the_invoice_email_reaches_a_real_smtp_server(studio, invoice, smtp_server):
    smtp_server.start()
    mockup = DEMO / "07-mountain-meadow.jpg"
    entries, pdf = queue(studio, invoice, mockups=[mockup])
    assert [e.status for e in entries] == ["queued", "queued"]

    report = outbox.send_due(studio.store, smtp_server.settings)
    assert (report.sent, report.retrying, report.error) == (2, 0, "")

    to_client, to_studio = smtp_server.inbox.envelopes
    assert to_client.mail_from == "hello@goldenhour.example"
    assert to_client.rcpt_tos == ["eleanor@example.com"]
    assert to_studio.rcpt_tos == ["hello@goldenhour.example"]
    client_mail, studio_mail = smtp_server.inbox.messages()
    assert client_mail["Subject"] == "Your invoice 0001 from Golden Hour Portraits"
    assert studio_mail["Subject"] == "Copy: invoice 0001 for Eleanor Whitfield"
    assert client_mail["Message-ID"] == entries[0].message_id
    plain = client_mail.get_body(("plain",)).get_content()
    html = client_mail.get_body(("html",)).get_content()
    for body in (plain, html):
        assert "Dear Eleanor" in body
        assert invoice.money(invoice.total) in body
        assert invoice.phone_token in body
    assert "<table" in html
    attachments = {a.get_filename(): a for a in client_mail.iter_attachments()}
    assert set(attachments) == {"invoice-0001.pdf", "07-mountain-meadow.jpg"}
    attached = attachments["invoice-0001.pdf"].get_content()
    assert attached == pdf
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(attached)).pages)
    assert "0001" in text and invoice.money(invoice.total) in text
    assert attachments["07-mountain-meadow.jpg"].get_content() == mockup.read_bytes()

    assert [e.status for e in outbox.entries(studio.store)] == ["sent", "sent"]
    assert get_invoice(studio.store, invoice.number).status == "emailed"
    assert outbox.send_due(studio.store, smtp_server.settings).sent == 0  # delivered once


def test_the_sessions_wall_art_mockups_travel_with_the_invoice_each_under_2_mb(
    studio, invoice, smtp_server
):
    folder = studio.paths.mockups(invoice.session_id)
    folder.mkdir(parents=True)
    small = DEMO / "07-mountain-meadow.jpg"
    (folder / "1-living-room.jpg").write_bytes(small.read_bytes())
    # A full-resolution render of noise: far over 2 MB as a JPEG, as a raw mock-up can be.
    noise = Image.frombytes("RGB", (3000, 2000), os.urandom(3000 * 2000 * 3))
    noise.save(folder / "2-gallery-wall.jpg", quality=95)
    assert (folder / "2-gallery-wall.jpg").stat().st_size > mailer.MOCKUP_BYTES
    (folder / "3-broken.jpg").write_bytes(b"not a jpeg")  # left out, not fatal
    (folder / "notes.txt").write_text("not a mock-up")

    mockups = mailer.mail_mockups(folder)
    assert [name for name, _ in mockups] == ["1-living-room.jpg", "2-gallery-wall.jpg"]
    smtp_server.start()
    queue(studio, invoice, mockups=mockups)
    assert outbox.send_due(studio.store, smtp_server.settings).sent == 2

    client_mail, studio_mail = smtp_server.inbox.messages()
    for mail in (client_mail, studio_mail):
        attachments = {a.get_filename(): a for a in mail.iter_attachments()}
        assert set(attachments) == {"invoice-0001.pdf", "1-living-room.jpg", "2-gallery-wall.jpg"}
        assert attachments["1-living-room.jpg"].get_content() == small.read_bytes()  # as it is
        big = attachments["2-gallery-wall.jpg"]
        assert big.get_content_type() == "image/jpeg"
        data = big.get_content()
        assert len(data) <= mailer.MOCKUP_BYTES
        with Image.open(io.BytesIO(data)) as shrunk:
            assert shrunk.format == "JPEG" and max(shrunk.size) <= mailer.MOCKUP_EDGE
            assert abs(shrunk.width / shrunk.height - 1.5) < 0.01  # the same picture, smaller


def test_mockups_stop_at_the_total_budget_and_a_missing_folder_gives_none(studio, tmp_path):
    assert mailer.mail_mockups(tmp_path / "no-such-folder") == []
    for n in range(4):
        (tmp_path / f"{n}.jpg").write_bytes((DEMO / "07-mountain-meadow.jpg").read_bytes())
    size = (DEMO / "07-mountain-meadow.jpg").stat().st_size
    kept = mailer.mail_mockups(tmp_path, total_bytes=size * 2 + 10)
    assert [name for name, _ in kept] == ["0.jpg", "1.jpg"]


def test_server_down_leaves_the_mail_queued_then_delivers_it_once(studio, invoice, smtp_server):
    queue(studio, invoice)
    now = time.time()
    report = outbox.send_due(studio.store, smtp_server.settings, now)  # nothing listens yet
    assert report.sent == 0 and "refused the connection" in report.error

    first, copy = outbox.entries(studio.store)
    assert (first.status, first.attempts) == ("queued", 1)
    assert "refused the connection" in first.last_error and first.next_attempt == now + 30
    assert "refused the connection" in copy.last_error  # everything waiting says why
    assert outbox.describe(first, now).startswith("Queued: 1 attempt; next in 30 s.")
    assert get_invoice(studio.store, invoice.number).status == "confirmed"
    # Not due yet: nothing is tried before the backoff has passed.
    assert outbox.send_due(studio.store, smtp_server.settings, now + 10) == outbox.SendReport()

    smtp_server.start()
    report = outbox.send_due(studio.store, smtp_server.settings, now + 31)
    assert report.sent == 2
    assert outbox.send_due(studio.store, smtp_server.settings, now + 5000).sent == 0
    assert len(smtp_server.inbox.envelopes) == 2
    sent = outbox.entries(studio.store)[0]
    assert (sent.status, sent.attempts, sent.in_doubt, sent.last_error) == ("sent", 2, 0, "")


def test_backoff_doubles_up_to_an_hour():
    assert [outbox.backoff(n) for n in (1, 2, 3, 4, 8, 20)] == [30, 60, 120, 240, 3600, 3600]


def test_a_permanent_refusal_fails_with_the_reason_and_a_temporary_one_retries(studio, smtp_server):
    smtp_server.inbox.refuse = {
        "gone@example.com": "550 5.1.1 No such user here",
        "full@example.com": "452 4.2.2 Mailbox full, try later",
    }
    smtp_server.start()
    gone = outbox.enqueue(studio.store, plain_message("gone@example.com"))
    full = outbox.enqueue(studio.store, plain_message("full@example.com"))
    now = time.time()
    report = outbox.send_due(studio.store, smtp_server.settings, now)
    assert (report.failed, report.retrying) == (1, 1)

    gone, full = outbox.entries(studio.store)
    assert gone.status == "failed"
    assert "550 gone@example.com: 5.1.1 No such user here" in gone.last_error
    assert full.status == "queued" and "452" in full.last_error
    assert full.next_attempt == now + 30
    assert smtp_server.inbox.envelopes == []
    assert outbox.requeue(studio.store, gone.id) and not outbox.requeue(studio.store, full.id)


def test_mail_prepared_in_a_worker_is_stored_whole_on_the_callers_thread(
    studio, invoice, smtp_server
):
    """The kiosk's split: compose and serialise in a worker thread (no database), then one
    short transaction on the UI thread stores both messages."""
    url = phone_url(URL, invoice.phone_token)
    pdf = render_invoice_pdf(invoice, STUDIO, phone_url=url)
    box: dict = {}
    worker = threading.Thread(
        target=lambda: box.update(mail=mailer.prepare_invoice_email(invoice, STUDIO, pdf))
    )
    worker.start()
    worker.join()
    mail = box["mail"]
    assert [(m.kind, m.recipients) for m in mail] == [
        ("invoice", ("eleanor@example.com",)),
        ("copy", ("hello@goldenhour.example",)),
    ]
    assert outbox.entries(studio.store) == []  # nothing stored until queued

    entries = mailer.queue_prepared(studio.store, mail)
    assert [e.message_id for e in entries] == [m.message_id for m in mail]
    assert mailer.queue_prepared(studio.store, mail) == entries  # the same Message-IDs: kept
    smtp_server.start()
    assert outbox.send_due(studio.store, smtp_server.settings).sent == 2
    assert [e.original_content for e in smtp_server.inbox.envelopes] == [m.data for m in mail]


def test_a_malformed_address_is_refused_before_anything_is_queued(studio):
    for bad in ("client@@example.com", "client@example", "<script>@example.com", ""):
        with pytest.raises(BadAddress):
            outbox.enqueue(studio.store, plain_message(bad))
    with pytest.raises(BadAddress, match="exactly one @"):
        outbox.enqueue(studio.store, plain_message("Client <client.example.com>"))
    assert outbox.entries(studio.store) == []
    entry = outbox.enqueue(studio.store, plain_message("Client Name <client@Example.COM>"))
    assert entry.recipients == ("client@example.com",)
    assert outbox.enqueue(studio.store, outbox.message_bytes(studio.store, entry.id)) == entry


SENDER = """
from pathlib import Path
from kiosk.checkout import mailer, outbox
from kiosk.core.mail import SmtpSettings
from kiosk.store.db import Store

store = Store(Path({db!r}))
settings = SmtpSettings("127.0.0.1", {port}, security="none", timeout=30)
outbox.send_due(store, settings, lease={lease})
"""


def kill_sender_during_data(studio, smtp_server, lease: float = outbox.LEASE) -> None:
    """Run the sender in a process, let the server take the message, kill -9 the sender before
    it can record that."""
    inbox = smtp_server.inbox
    inbox.hold, inbox.received = threading.Event(), threading.Event()
    child = run_python(SENDER.format(db=str(studio.store.path), port=smtp_server.port, lease=lease))
    try:
        wait_for(inbox.received.is_set, timeout=20)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
        inbox.hold.set()
    inbox.hold = None


def test_killed_between_acceptance_and_marking_repeats_at_most_once(studio, smtp_server):
    smtp_server.start()
    outbox.enqueue(studio.store, plain_message())
    kill_sender_during_data(studio, smtp_server)
    (entry,) = outbox.entries(studio.store)
    assert (entry.status, entry.in_doubt) == ("sending", 1)

    later = time.time() + outbox.LEASE + 1  # the dead sender's lease has run out
    assert outbox.send_due(studio.store, smtp_server.settings, later).sent == 1
    assert outbox.send_due(studio.store, smtp_server.settings, later + 9999).sent == 0

    first, repeat = smtp_server.inbox.messages()
    assert first["Message-ID"] == repeat["Message-ID"] == entry.message_id
    assert bytes(first) == bytes(repeat)
    (entry,) = outbox.entries(studio.store)
    assert entry.status == "sent" and entry.may_have_repeated


def test_a_second_cut_off_attempt_is_held_rather_than_sent_a_third_time(studio, smtp_server):
    smtp_server.start()
    outbox.enqueue(studio.store, plain_message())
    kill_sender_during_data(studio, smtp_server, lease=0.1)
    time.sleep(0.15)  # the dead sender's lease runs out; the next sender takes the message
    kill_sender_during_data(studio, smtp_server, lease=0.1)
    time.sleep(0.15)
    store = studio.store

    report = outbox.send_due(store, smtp_server.settings)
    assert report.held == 1 and report.sent == 0
    assert len(smtp_server.inbox.envelopes) == 2  # never a third copy on its own
    (entry,) = outbox.entries(store)
    assert entry.status == "held" and "cut off twice" in entry.last_error
    assert outbox.requeue(store, entry.id)  # a person checked with the client
    assert outbox.send_due(store, smtp_server.settings).sent == 1


def test_the_sender_task_sends_when_woken(studio, invoice, smtp_server):
    smtp_server.start()
    reports = []

    async def main() -> None:
        sender = outbox.OutboxSender(studio.store.path, smtp=smtp_server.settings, interval=3600)
        sender.subscribe(reports.append)
        sender.start()
        await asyncio.sleep(0.05)  # the first round finds nothing
        queue(studio, invoice)
        sender.wake()
        for _ in range(200):
            if len(smtp_server.inbox.envelopes) == 2 and len(reports) >= 2:
                break
            await asyncio.sleep(0.02)
        await sender.stop()

    asyncio.run(main())
    assert len(smtp_server.inbox.envelopes) == 2
    assert sum(r.sent for r in reports) == 2


def test_without_mail_settings_the_sender_waits(studio, invoice):
    queue(studio, invoice)

    async def main():
        sender = outbox.OutboxSender(studio.store.path)
        report = await sender.send_now()
        await sender.stop()
        return report

    report = asyncio.run(main())
    assert report.retrying == 2 and "No mail server" in report.error


def test_smtp_settings_are_checked_and_kept_in_the_studio(studio):
    from kiosk.checkout.settings import save_smtp_settings, smtp_settings
    from kiosk.core.errors import MailSettingsError

    with pytest.raises(MailSettingsError, match="port"):
        save_smtp_settings(studio.store, SmtpSettings("smtp.example.com", 0))
    with pytest.raises(MailSettingsError, match="Security"):
        save_smtp_settings(studio.store, SmtpSettings("smtp.example.com", security="tls"))
    saved = SmtpSettings("smtp.example.com", 465, "ssl", "studio", "secret")
    save_smtp_settings(studio.store, saved)
    reopened = Store(studio.store.path)
    try:
        assert smtp_settings(reopened) == saved
    finally:
        reopened.close()


@pytest.mark.parametrize(
    "name",
    [
        "Ève <evil@evil.example>, Bob",
        'Eve "Bob" <evil@evil.example>',
        "Ève\r\nBcc: evil@evil.example",
        "Ève; evil@evil.example",
        "Ève\\ <evil@evil.example>",
        "Ève\u202e\u0000 evil@evil.example:;",
    ],
)
def test_a_clients_name_cannot_add_a_recipient_in_the_mail_program(invoice, name):

    tricky = replace(invoice, client=replace(invoice.client, name=name))
    studio = replace(STUDIO, name='Golden "Hour", <studio@evil.example>')
    message = mailer.compose_invoice_email(tricky, studio, b"%PDF-1.4 stand-in")
    sent = message.as_bytes(policy=policy.SMTP)
    read = message_from_bytes(sent, policy=policy.default)
    assert [a.addr_spec for a in read["To"].addresses] == ["eleanor@example.com"]
    assert [a.addr_spec for a in read["From"].addresses] == ["hello@goldenhour.example"]
    assert [a.addr_spec for a in read["Reply-To"].addresses] == ["hello@goldenhour.example"]
    assert "Bcc" not in read
    # As a simpler mail program does: decode the encoded words first, then split the list.
    raw = read.get_all("To", failobj=[])
    [to] = raw
    decoded = str(make_header(decode_header(str(to))))
    assert [addr for _, addr in getaddresses([decoded])] == ["eleanor@example.com"]
    # The name is still there for a person to read, without its punctuation.
    shown = read["To"].addresses[0].display_name
    assert shown.startswith("Ève") or shown.startswith("Eve")


def test_an_ordinary_name_keeps_its_accents_hyphens_and_apostrophes(invoice):

    tricky = replace(invoice, client=replace(invoice.client, name="Zoë O'Brien-Núñez"))
    message = mailer.compose_invoice_email(tricky, STUDIO, b"%PDF-1.4 stand-in")
    read = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert read["To"].addresses[0].display_name == "Zoë O'Brien-Núñez"
