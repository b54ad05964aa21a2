"""The invitation: an e-mail through the outbox to the client (and the second person, when an
address is given) with the viewing appointment as an `.ics` calendar event, what to prepare,
and the Product & Pricing Guide as a PDF and as a link.

    entry = queue_invitation(store, session, studio, guide_pdf=pdf, guide_url=url,
                             also=("sam@example.com",))
    invitations(store, session.id)    # every invitation of the session, oldest first: its state

Sending it again is a new message whose event has the same UID and a higher SEQUENCE, so the
client's calendar moves the appointment rather than adding a second one.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage

from kiosk.checkout import outbox
from kiosk.checkout.addresses import check_address
from kiosk.checkout.mailer import WIFI_ONLY, studio_message
from kiosk.core.clients import viewing_text
from kiosk.core.errors import CommandError, MailSettingsError
from kiosk.core.invitation import PREPARE, viewing_ics
from kiosk.core.invoices import StudioDetails
from kiosk.core.mail import OutboxEntry
from kiosk.core.models import Session
from kiosk.store.db import Store

KIND = "invitation"


def invitations(store: Store, session_id: int) -> list[OutboxEntry]:
    """The session's invitations in the outbox (their Message-IDs name the session)."""
    prefix = f"<{KIND}-{session_id}-"
    return [e for e in outbox.entries(store, kind=KIND) if e.message_id.startswith(prefix)]


def queue_invitation(
    store: Store,
    session: Session,
    studio: StudioDetails,
    *,
    guide_pdf: bytes,
    guide_url: str,
    also: Sequence[str] = (),
    wifi_only: bool = False,
) -> OutboxEntry:
    """Queue the invitation (CommandError without a viewing or an e-mail address;
    MailSettingsError without the studio's; BadAddress for a malformed one: nothing queued)."""
    if not session.viewing_at:
        raise CommandError(
            f"Session {session.id} has no viewing booked; set its viewing on the session's page "
            "first, then send the invitation."
        )
    if not session.email:
        raise CommandError(f"Session {session.id} has no e-mail address for {session.client}.")
    if not studio.email:
        raise MailSettingsError(
            "The studio has no e-mail address to send from; add it in the studio's details."
        )
    sent_before = len(invitations(store, session.id))
    message = compose_invitation(
        session, studio, guide_pdf, guide_url, also, sequence=sent_before, wifi_only=wifi_only
    )
    return outbox.enqueue(store, message, kind=KIND)


def compose_invitation(
    session: Session,
    studio: StudioDetails,
    guide_pdf: bytes,
    guide_url: str,
    also: Sequence[str] = (),
    *,
    sequence: int = 0,
    wifi_only: bool = False,
) -> EmailMessage:
    when = viewing_text(session.viewing_at)
    message, sender = studio_message(
        studio, session.client, session.email, f"Your photo viewing at {studio.name}: {when}"
    )
    domain = sender.rsplit("@", 1)[1]
    if also:
        message["Cc"] = ", ".join(check_address(a) for a in also)
    message["Message-ID"] = f"<{KIND}-{session.id}-{secrets.token_hex(6)}@{domain}>"
    first = session.client.split()[0]
    guests = f"you and {session.partner}" if session.partner else "you"
    intro = (
        f"We look forward to showing {guests} your photographs on {when}, at "
        f"{studio.name}{', ' + studio.address.replace(chr(10), ', ') if studio.address else ''}."
    )
    prepare = [f"- {p}" for p in PREPARE]
    guide = [f"The Product & Pricing Guide: {guide_url}"] + ([WIFI_ONLY] if wifi_only else [])
    text = [f"Dear {first},", "", intro, "", "To prepare:", *prepare, "", *guide, ""]
    text += ["The appointment is attached; add it to your calendar.", "", studio.name]
    message.set_content("\n".join(text) + "\n")
    e = html.escape
    message.add_alternative(
        '<!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;color:#1f1f1f">'
        f"<p>Dear {e(first)},</p><p>{e(intro)}</p><h3>To prepare</h3><ul>"
        + "".join(f"<li>{e(p)}</li>" for p in PREPARE)
        + f'</ul><p><a href="{e(guide_url)}">The Product &amp; Pricing Guide</a></p>'
        + f"<p>{e(studio.name)}</p></body></html>\n",
        subtype="html",
    )
    start = datetime.fromisoformat(session.viewing_at)
    ics = viewing_ics(
        uid=f"viewing-{session.id}@{domain}",
        start=start,
        studio=studio.name,
        address=studio.address.replace("\n", ", "),
        description="\n".join(PREPARE),
        sequence=sequence,
    )
    message.add_attachment(
        ics.encode(),
        maintype="text",
        subtype="calendar",
        filename="viewing.ics",
        params={"method": "PUBLISH"},
    )
    message.add_attachment(
        guide_pdf, maintype="application", subtype="pdf", filename="pricing-guide.pdf"
    )
    return message
