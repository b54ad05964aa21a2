""" "Your 16×20 canvas is on its way": the e-mail to the client when products are shipped, with
the tracking note (a web address in it becomes a link). Lines shipped together in one action
get one e-mail listing them all; its Message-ID is made from the action's first event, so
queueing it twice stores it once.

    message = compose_shipped_email(invoice, states, "UPS https://ups.example/t/1Z", studio)
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from kiosk.checkout import outbox
from kiosk.checkout.mailer import studio_message
from kiosk.core.errors import MailSettingsError
from kiosk.core.fulfilment import LineState, product_name
from kiosk.core.invoices import Invoice, StudioDetails
from kiosk.core.mail import OutboxEntry
from kiosk.store.db import Store

KIND = "shipped"
URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
LOGO_TYPES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
LOGO_BYTES = 512 * 1024  # a larger logo stays out of the e-mail rather than weigh it down


def queue_shipped(
    store: Store,
    invoice: Invoice,
    states: Sequence[LineState],
    note: str,
    studio: StudioDetails,
    *,
    event: int,
) -> OutboxEntry:
    """The e-mail in the outbox (BadAddress, MailSettingsError)."""
    message = compose_shipped_email(invoice, states, note, studio, event=event)
    return outbox.enqueue(store, message, kind=KIND, invoice=invoice.number)


def subject_of(states: Sequence[LineState]) -> str:
    names = [product_name(s.line) for s in states]
    plural = len(states) > 1 or states[0].line.units > 1
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Your {listed} {'are on their' if plural else 'is on its'} way"


def compose_shipped_email(
    invoice: Invoice,
    states: Sequence[LineState],
    note: str,
    studio: StudioDetails,
    *,
    event: int = 0,
) -> EmailMessage:
    if not studio.email:
        raise MailSettingsError(
            "The studio has no e-mail address to send from; add it in the studio's details on "
            "the Orders page."
        )
    subject = subject_of(states)
    message, sender = studio_message(studio, invoice.client.name, invoice.client.email, subject)
    message["Message-ID"] = f"<{KIND}-{invoice.reference}-{event}@{sender.rsplit('@', 1)[1]}>"
    first = invoice.client.name.split()[0]
    intro = f"{subject} from {studio.name} (order {invoice.reference})."
    items = [_item(s) for s in states]
    contact = [studio.address, studio.phone, studio.email, studio.website]
    text = [f"Dear {first},", "", intro, "", *[f"- {i}" for i in items], ""]
    if note:
        text += ["Tracking:", note, ""]
    text += [studio.name, *[c for c in contact if c]]
    message.set_content("\n".join(text) + "\n")
    e = html.escape
    logo = _logo(studio)
    parts = []
    if logo:
        parts.append(f'<p><img src="cid:studio-logo" alt="{e(studio.name)}" height="56"></p>')
    parts += [f"<p>Dear {e(first)},</p>", f"<p>{e(intro)}</p>"]
    parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>")
    if note:
        parts.append(f"<p><b>Tracking:</b> {_linked(note)}</p>")
    footer = "<br>".join(e(x).replace("\n", "<br>") for x in contact if x)
    parts.append(f'<p style="color:#6b6b6b"><b>{e(studio.name)}</b><br>{footer}</p>')
    message.add_alternative(
        '<!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;'
        'color:#1f1f1f;font-size:15px">\n' + "\n".join(parts) + "\n</body></html>\n",
        subtype="html",
    )
    if logo:
        data, subtype = logo
        html_part = message.get_payload()[1]
        html_part.add_related(data, maintype="image", subtype=subtype, cid="<studio-logo>")
    return message


def _item(state: LineState) -> str:
    line = state.line
    return f"{line.quantity} × {line.label}" if line.quantity > 1 else line.label


def _linked(note: str) -> str:
    """The note escaped, each web address in it a link."""
    out, at = [], 0
    for match in URL.finditer(note):
        url = match.group(0).rstrip(".,;:)")
        end = match.start() + len(url)
        out.append(html.escape(note[at : match.start()]))
        out.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        at = end
    out.append(html.escape(note[at:]))
    return "".join(out)


def _logo(studio: StudioDetails) -> tuple[bytes, str] | None:
    if not studio.logo:
        return None
    path = Path(studio.logo)
    subtype = LOGO_TYPES.get(path.suffix.lower())
    try:
        if subtype is None or path.stat().st_size > LOGO_BYTES:
            return None
        return path.read_bytes(), subtype
    except OSError:
        return None
