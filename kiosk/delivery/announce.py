""" "Your photos are ready": the e-mail with the gallery's link and its QR code, queued once, when
the gallery opens (the last payment is in and the last final added, whichever comes last).

    entry = announce_if_open(store, 42, base_url="https://viewing.studio.example")
    # None: still locked, or already announced; else the outbox entry

Why only once: the message's Message-ID is made from the order, and the outbox keeps one message
per Message-ID; a second call finds it there and makes no new link either.
"""

from __future__ import annotations

import html
import time
from email.message import EmailMessage

from kiosk.checkout import outbox
from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.mailer import studio_message
from kiosk.checkout.qr import qr_png
from kiosk.checkout.settings import details_for_session
from kiosk.core.errors import BadAddress
from kiosk.core.gallery import GALLERY_DAYS
from kiosk.core.invoices import Invoice, StudioDetails
from kiosk.core.mail import OutboxEntry
from kiosk.delivery.gallery import gallery_url, issue_gallery_link, load_gallery
from kiosk.store.db import Store

KIND = "gallery"


def announce_if_open(store: Store, number: int, *, base_url: str) -> OutboxEntry | None:
    invoice = get_invoice(store, number)
    if any(e.kind == KIND for e in outbox.entries(store, invoice=number)):
        return None
    if not load_gallery(store, invoice).state.open:
        return None
    studio = details_for_session(store, invoice.session_id)
    if not studio.email:
        return None  # no address to send from: the photographer sends the link by hand
    token = issue_gallery_link(store, number, now=time.time())
    url = gallery_url(base_url, token)
    try:
        message = compose_ready_email(invoice, studio, url)
    except BadAddress:
        return None
    return outbox.enqueue(store, message, kind=KIND, invoice=number)


def compose_ready_email(invoice: Invoice, studio: StudioDetails, url: str) -> EmailMessage:
    message, sender = studio_message(
        studio,
        invoice.client.name,
        invoice.client.email,
        f"Your photos are ready: {studio.name}",
    )
    message["Message-ID"] = f"<gallery-{invoice.reference}@{sender.rsplit('@', 1)[1]}>"
    first = invoice.client.name.split()[0]
    lines = [
        f"Dear {first},",
        "",
        "Your retouched photos are ready. Open your gallery to see them and download them at "
        "full resolution, one by one or all at once:",
        url,
        "",
        f"The link works for {GALLERY_DAYS} days; please download your photos before then.",
        "",
        studio.name,
    ]
    message.set_content("\n".join(lines) + "\n")
    e = html.escape
    message.add_alternative(
        '<!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;color:#1f1f1f">'
        f"<p>Dear {e(first)},</p><p>Your retouched photos are ready.</p>"
        f'<p><a href="{e(url)}" style="font-size:18px">Open your gallery</a></p>'
        '<p><img src="cid:gallery-qr" alt="" width="180" height="180"></p>'
        f"<p>The link works for {GALLERY_DAYS} days; please download your photos before "
        f"then.</p><p>{e(studio.name)}</p></body></html>\n",
        subtype="html",
    )
    html_part = message.get_payload()[1]
    html_part.add_related(
        qr_png(url, box_size=6, border=2), maintype="image", subtype="png", cid="<gallery-qr>"
    )
    return message
