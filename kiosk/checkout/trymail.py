"""The test e-mail: one short message sent now through the studio's mail server, not through
the outbox, so the photographer learns at once whether the mail settings work.

What must stay true: a failure says in plain words what the server answered and what to do
(wrong password, certificate not trusted, cannot connect, relay refused); the password is
never part of what is said.

    answer = send_test_email(settings, sender="hello@studio.example", to="me@studio.example",
                             studio_name="Golden Hour")
    # 'The test e-mail went to me@studio.example through smtp.example.com:587.'
"""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from kiosk.checkout.addresses import check_address
from kiosk.checkout.mailer import display_name
from kiosk.checkout.settings import smtp_settings, studio_details
from kiosk.checkout.smtp import SmtpTransport, connection_error_text
from kiosk.core.errors import BadAddress, MailSettingsError
from kiosk.core.mail import SmtpSettings
from kiosk.store.db import Store


def send_test_email(settings: SmtpSettings, *, sender: str, to: str, studio_name: str) -> str:
    """Send the test message; a sentence saying where it went. MailSettingsError in plain
    words when it could not be sent."""
    try:
        sender, to = check_address(sender), check_address(to)
    except BadAddress as exc:
        raise MailSettingsError(f"The test e-mail cannot be sent: {exc}") from None
    message = EmailMessage()
    message["From"] = formataddr((display_name(studio_name or "Reveal"), sender))
    message["To"] = to
    message["Subject"] = "Reveal: test e-mail"
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(
        "This is a test e-mail from the Reveal kiosk.\n\n"
        f"It went out through {settings.host}:{settings.port} ({settings.security}): the "
        "studio's invoices and receipts will go out the same way.\n"
    )
    transport = SmtpTransport(settings)
    try:
        transport.open()
        assert transport.smtp is not None
        refused = transport.smtp.send_message(message)
        if refused:  # some recipients refused: with one, it raises instead
            raise smtplib.SMTPRecipientsRefused(refused)
    except (OSError, smtplib.SMTPException) as exc:
        transport.abandon()
        words = connection_error_text(exc, settings).removesuffix(" Retrying.")
        raise MailSettingsError(f"The test e-mail was not sent. {words}") from None
    transport.close()
    return f"The test e-mail went to {to} through {settings.host}:{settings.port}."


def send_studio_test_email(store: Store, to: str) -> str:
    """The test e-mail through the studio's own mail server, from the studio's address (or
    `to` itself until the studio's details are entered)."""
    settings = smtp_settings(store)
    if settings is None:
        raise MailSettingsError(
            "No mail server is set up: enter it under Settings → E-mail "
            "(or main.py mail --host ...)."
        )
    details = studio_details(store)
    return send_test_email(settings, sender=details.email or to, to=to, studio_name=details.name)
