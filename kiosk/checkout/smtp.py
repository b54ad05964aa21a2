"""The SMTP session the outbox sends through (smtplib), and what its failures mean to a person.

Security: "ssl" connects with TLS from the start (port 465); "starttls" upgrades a plain
connection (port 587) and fails if the server does not offer it, rather than sending the
password in clear; "none" is for a relay on the studio's own machine or network.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence

from kiosk.core.mail import SmtpSettings


class SmtpTransport:
    """One SMTP session with the studio's server. `outbox.send_due` drives it."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        """Connect, secure and log in; raises OSError or smtplib.SMTPException."""
        s = self.settings
        # The system's authorities; or, when the studio names a CA file (a server with a
        # certificate of its own), that authority alone.
        context = ssl.create_default_context(cafile=s.ca_file or None)
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password)
        except BaseException:
            smtp.close()
            raise
        self.smtp = smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def abandon(self) -> None:
        """Drop a connection that broke mid-conversation."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def envelope(self, sender: str, recipients: Sequence[str]) -> tuple[int, str] | None:
        """MAIL FROM and RCPT TO. None when all are accepted, else the refusing reply (after
        which the envelope is reset)."""
        assert self.smtp is not None
        code, reply = self.smtp.mail(sender)
        if code == 250:
            for recipient in recipients:
                code, reply = self.smtp.rcpt(recipient)
                if code not in (250, 251):
                    reply = recipient.encode() + b": " + reply
                    break
            else:
                return None
        try:
            self.smtp.rset()
        except (OSError, smtplib.SMTPException):
            pass
        return code, reply.decode(errors="replace")

    def data(self, message: bytes) -> tuple[int, str]:
        """Send the message; the server's reply. Raises SMTPServerDisconnected or OSError when
        the connection breaks, in which case the server may or may not have it."""
        assert self.smtp is not None
        try:
            code, reply = self.smtp.data(message)
        except smtplib.SMTPDataError as exc:  # DATA itself refused: the message was not sent
            code, reply = exc.smtp_code, exc.smtp_error
        return code, reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def connection_error_text(exc: BaseException, settings: SmtpSettings) -> str:
    """What the photographer reads under a queued message when the server cannot be used."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"The mail server {where} refused the login ({exc.smtp_code}). Check the user name "
            "and password in the mail settings."
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "AUTH" in str(exc):
        return (
            f"The mail server {where} offers no login on this connection; check the security "
            "(STARTTLS or SSL) and the port, or leave the user name empty for a relay that "
            "needs none."
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f'The mail server {where} does not offer STARTTLS; try security "ssl" (port 465).'
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"The mail server {where}'s certificate is not trusted ({exc.verify_message}). If "
            "the server has a certificate of its own, name its CA file in the e-mail settings "
            "(Settings → E-mail, or main.py mail --ca-file FILE); otherwise check the server's "
            "name."
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return (
            f"The mail server {where} refused to send it ({_refusal(exc)}): it relays only for "
            "its own users or addresses. Check the sender address matches the login."
        )
    if isinstance(exc, ssl.SSLError):
        return f"A secure connection to {where} failed ({exc.reason}). Check the port and security."
    if isinstance(exc, ConnectionRefusedError):
        return f"The mail server {where} refused the connection; it may be down. Retrying."
    if isinstance(exc, TimeoutError | smtplib.SMTPServerDisconnected):
        return f"The mail server {where} did not answer in time. Retrying."
    if isinstance(exc, OSError):
        return f"Cannot reach the mail server {where} ({exc.strerror or exc}). Retrying."
    return f"The mail server {where} failed: {exc}. Retrying."


def _refusal(exc: smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused) -> str:
    if isinstance(exc, smtplib.SMTPSenderRefused):
        code, reply = exc.smtp_code, exc.smtp_error
    else:
        code, reply = next(iter(exc.recipients.values()))
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {text}"
