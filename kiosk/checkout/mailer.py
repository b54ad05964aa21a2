"""The invoice e-mail: composed once, stored whole in the outbox, sent by the outbox's sender.

    pdf = render_invoice_pdf(invoice, studio, phone_url=url)          # off the UI thread
    entries = queue_invoice_email(store, invoice, studio, pdf, phone_url=url,
                                  mockups=[Path("wall.jpg")])
    # the client's message and the studio's copy are now in the outbox; OutboxSender sends them

    # On the UI thread, only the store's write: compose and serialise in a worker first.
    mail = prepare_invoice_email(invoice, studio, pdf, phone_url=url,   # worker thread
                                 mockups=mail_mockups(studio_paths.mockups(session_id)))
    entries = queue_prepared(store, mail)                             # UI thread: one insert

Each message has a plain-text and an HTML body (the same words), the invoice PDF and any
wall-art mock-ups attached, and a Message-ID made once, when it is queued.

The link to the phone page must work where the client reads the e-mail: it is made from the
studio's `public_url` when one is set. Without one, the page is only reachable on the studio's
network, so the e-mail says so (`wifi_only=True`) and the PDF carries everything.

The mock-ups come from the session's mock-up folder (`studio.paths.mockups(session_id)`);
`mail_mockups(folder)` reads them for the e-mail, each at most 2 MB (larger ones are sent as
smaller copies) and at most 6 MB in all, so the message stays under common mail servers'
limits. It reads and re-encodes JPEGs: call it off the UI thread, with the PDF.
"""

from __future__ import annotations

import html
import io
import logging
import secrets
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from kiosk.checkout import outbox
from kiosk.checkout.addresses import check_address
from kiosk.checkout.export import session_mockups
from kiosk.core.errors import MailSettingsError
from kiosk.core.invoices import Invoice, StudioDetails
from kiosk.core.mail import OutboxEntry
from kiosk.store.db import Store

log = logging.getLogger(__name__)

Mockup = Path | tuple[str, bytes]  # a JPEG file, or (file name, JPEG bytes)
Link = tuple[str | None, bool]  # the phone page's address; whether it opens only at the studio

MOCKUP_BYTES = 2_000_000  # one attachment; base64 makes it 2.7 MB on the wire
MOCKUPS_BYTES = 6_000_000  # all of them: with the PDF, well under a 10 MB server limit
# What separates, quotes or delimits addresses in a header: never part of a display name.
ADDRESS_SPECIALS = frozenset('"<>,;:@\\()[]')
MOCKUP_EDGE = 2400  # long edge of a shrunk copy: sharp on any screen the client reads mail on


def queue_invoice_email(
    store: Store,
    invoice: Invoice,
    studio: StudioDetails,
    pdf: bytes,
    *,
    phone_url: str | None = None,
    mockups: Sequence[Mockup] = (),
    now: float | None = None,
    wifi_only: bool = False,
) -> list[OutboxEntry]:
    """Put the invoice e-mail to the client, and the studio's copy, in the outbox; BadAddress
    (nothing queued) when an address is malformed, MailSettingsError without a studio address.
    On the UI thread, split it: `prepare_invoice_email` in a worker, then `queue_prepared`."""
    mail = prepare_invoice_email(
        invoice, studio, pdf, phone_url=phone_url, mockups=mockups, wifi_only=wifi_only
    )
    return queue_prepared(store, mail, now=now)


def prepare_invoice_email(
    invoice: Invoice,
    studio: StudioDetails,
    pdf: bytes,
    *,
    phone_url: str | None = None,
    mockups: Sequence[Mockup] = (),
    wifi_only: bool = False,
) -> list[outbox.Prepared]:
    """The invoice e-mail (and the studio's copy) composed, checked and serialised: the slow
    part of queueing it, with no database, for a worker thread. Raises as queue_invoice_email."""
    if not studio.email:
        raise MailSettingsError(
            "The studio has no e-mail address to send invoices from; add it in the studio's "
            "invoice settings."
        )
    mockups = [(m.name, m.read_bytes()) if isinstance(m, Path) else m for m in mockups]
    link = (phone_url, wifi_only)
    messages = [("invoice", compose_invoice_email(invoice, studio, pdf, link, mockups))]
    if studio.copy_to_studio:
        copy = compose_invoice_email(invoice, studio, pdf, link, mockups, studio_copy=True)
        messages.append(("copy", copy))
    # Every address is checked here, before any message is stored.
    return [outbox.prepare(m, kind=kind, invoice=invoice.number) for kind, m in messages]


def queue_prepared(
    store: Store, mail: Sequence[outbox.Prepared], *, now: float | None = None
) -> list[OutboxEntry]:
    """Store prepared messages in the outbox, in one transaction: quick enough for the UI
    thread (bench/checkout_bench.py). The outbox's sender takes them from there."""
    return outbox.enqueue_all(store, mail, now=now)


def compose_invoice_email(
    invoice: Invoice,
    studio: StudioDetails,
    pdf: bytes,
    phone_url: str | tuple[str | None, bool] | None = None,
    mockups: Sequence[Mockup] = (),
    *,
    studio_copy: bool = False,
) -> EmailMessage:
    """One message; `phone_url` may be (url, wifi_only) when the link opens only at the
    studio."""
    sender = check_address(studio.email)
    message = EmailMessage()
    studio_name = display_name(studio.name)
    message["From"] = formataddr((studio_name, sender))
    subject = f"Your invoice {invoice.reference} from {studio.name}"
    if studio_copy:
        message["To"] = formataddr((studio_name, sender))
        message["Subject"] = f"Copy: invoice {invoice.reference} for {invoice.client.name}"
    else:
        client = display_name(invoice.client.name)
        message["To"] = formataddr((client, check_address(invoice.client.email)))
        message["Reply-To"] = formataddr((studio_name, sender))
        message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = sender.rsplit("@", 1)[1]
    # Short enough to stay on one header line; random so a resend is a new message.
    kind = "copy" if studio_copy else "invoice"
    message["Message-ID"] = f"<{kind}-{invoice.reference}.{secrets.token_hex(8)}@{domain}>"
    link = phone_url if isinstance(phone_url, tuple) else (phone_url, False)
    message.set_content(_plain(invoice, studio, link, studio_copy))
    message.add_alternative(_html(invoice, studio, link, studio_copy), subtype="html")
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=f"invoice-{invoice.reference}.pdf"
    )
    for n, mockup in enumerate(mockups, 1):
        name, data = (mockup.name, mockup.read_bytes()) if isinstance(mockup, Path) else mockup
        message.add_attachment(
            data, maintype="image", subtype="jpeg", filename=name or f"wall-{n}.jpg"
        )
    return message


def studio_message(
    studio: StudioDetails, to_name: str, to_address: str, subject: str
) -> tuple[EmailMessage, str]:
    """A message from the studio to one client: From and Reply-To the studio, To the client
    (names made safe, addresses checked: BadAddress), the subject and the date; and the
    studio's address, for the Message-ID's domain."""
    sender = check_address(studio.email)
    message = EmailMessage()
    message["From"] = formataddr((display_name(studio.name), sender))
    message["To"] = formataddr((display_name(to_name), check_address(to_address)))
    message["Reply-To"] = formataddr((display_name(studio.name), sender))
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    return message, sender


def display_name(name: str) -> str:
    """A name as it may stand before an address in From or To. `formataddr` leaves a
    non-ASCII name unquoted (an encoded word), and a mail program decodes it before it reads
    the addresses: "Ève <evil@evil.example>, Bob" would add evil@ as a recipient (reply-all
    goes there). So the characters that mean something in an address list, and control
    characters, become spaces."""
    cleaned = "".join(
        " " if c in ADDRESS_SPECIALS or unicodedata.category(c)[0] in "CZ" else c for c in name
    )
    return " ".join(cleaned.split())


def _summary(invoice: Invoice) -> list[tuple[str, str]]:
    rows = []
    for line in invoice.breakdown["lines"]:
        label = line["label"]
        if line["kind"] == "collection":
            label += " collection"
        if line.get("note"):
            label += f" ({line['note']})"
        rows.append((label, line["display"]))
    rows.append(("Total", invoice.breakdown["total"]["display"]))
    if invoice.breakdown.get("instalments"):
        rows.append(("Due now (deposit)", invoice.money(invoice.due_now)))
    return rows


def _greeting(invoice: Invoice, studio: StudioDetails, studio_copy: bool) -> list[str]:
    if studio_copy:
        return [
            f"The studio's copy of invoice {invoice.reference}, sent to "
            f"{invoice.client.name} <{invoice.client.email}>.",
        ]
    first = invoice.client.name.split()[0]
    return [
        f"Dear {first},",
        f"Thank you for choosing {studio.name}. Your invoice {invoice.reference} is attached "
        "as a PDF; here is a summary.",
    ]


# Said with a link that opens only on the studio's network (no public_url is set).
WIFI_ONLY = (
    "This page opens on your phone while you are on the studio's Wi-Fi; the PDF attached has "
    "everything on it."
)


def _plain(invoice: Invoice, studio: StudioDetails, link: Link, studio_copy: bool) -> str:
    url, wifi_only = link
    out = [p + "\n" for p in _greeting(invoice, studio, studio_copy)]
    width = max(len(label) for label, _ in _summary(invoice))
    for label, amount in _summary(invoice):
        out.append(f"  {label.ljust(min(width, 60))}  {amount.rjust(12)}")
    out.append("")
    if url:
        out += ["See your order, images and payments on your phone:", url]
        out += [WIFI_ONLY, ""] if wifi_only else [""]
    if studio.payment_instructions:
        out += ["How to pay", studio.payment_instructions, ""]
    contact = [studio.name, studio.address, studio.phone, studio.email, studio.website]
    out += [line for line in contact if line]
    return "\n".join(out) + "\n"


def _html(invoice: Invoice, studio: StudioDetails, link: Link, studio_copy: bool) -> str:
    url, wifi_only = link
    e = html.escape
    cell = "padding:6px 0;border-bottom:1px solid #e4dfd6"
    rows = []
    for label, amount in _summary(invoice):
        bold = "font-weight:bold;" if label.startswith(("Total", "Due now")) else ""
        rows.append(
            f'<tr><td style="{cell};{bold}">{e(label)}</td>'
            f'<td style="{cell};{bold}text-align:right;white-space:nowrap">{e(amount)}</td></tr>'
        )
    parts = [f"<p>{e(p)}</p>" for p in _greeting(invoice, studio, studio_copy)]
    parts.append(
        '<table style="border-collapse:collapse;width:100%;max-width:560px">'
        + "".join(rows)
        + "</table>"
    )
    if url:
        parts.append(f'<p><a href="{e(url)}">See your order, images and payments</a></p>')
        if wifi_only:
            parts.append(f"<p>{e(WIFI_ONLY)}</p>")
    if studio.payment_instructions:
        parts.append(f"<h3>How to pay</h3><p>{e(studio.payment_instructions)}</p>")
    contact = [studio.address, studio.phone, studio.email, studio.website]
    footer = "<br>".join(e(x).replace("\n", "<br>") for x in contact if x)
    parts.append(f'<p style="color:#6b6b6b"><b>{e(studio.name)}</b><br>{footer}</p>')
    body = "\n".join(parts)
    return (
        '<!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;'
        f'color:#1f1f1f;font-size:15px">\n{body}\n</body></html>\n'
    )


def mail_mockups(
    folder: Path | str,
    *,
    most_bytes: int = MOCKUP_BYTES,
    total_bytes: int = MOCKUPS_BYTES,
    edge: int = MOCKUP_EDGE,
) -> list[tuple[str, bytes]]:
    """The session's mock-ups as (file name, JPEG bytes) for `queue_invoice_email`: a file
    within `most_bytes` as it is, a larger one re-encoded smaller until it fits; in name order
    until `total_bytes` is spent (the rest are in the order export). Unreadable files are
    skipped: a missing mock-up must not stop the invoice."""
    out: list[tuple[str, bytes]] = []
    spent = 0
    for path in session_mockups(folder):
        try:
            data = path.read_bytes()
            if len(data) > most_bytes or not data.startswith(b"\xff\xd8"):
                data = _smaller_jpeg(data, most_bytes, edge)
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
            log.warning("Mock-up %s left out of the e-mail: %s", path, exc)
            continue
        if spent + len(data) > total_bytes:
            break
        out.append((path.name, data))
        spent += len(data)
    return out


def _smaller_jpeg(data: bytes, most_bytes: int, edge: int) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (edge, edge))  # JPEG: decode at 1/2, 1/4 or 1/8 scale when it can
        image = image.convert("RGB")
    while True:
        copy = image.copy()
        copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
        if buffer.tell() <= most_bytes or edge <= 400:
            return buffer.getvalue()
        edge = int(edge * 0.75)
