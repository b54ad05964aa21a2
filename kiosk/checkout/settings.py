"""The studio's checkout settings, kept in the studio database's settings table as JSON: the
details printed on invoices and the outgoing-mail (SMTP) server.

They live in the database rather than settings.toml because the kiosk's settings screen and
the remote edit them, and the SMTP password should not sit in a hand-edited text file that gets
copied around. Anyone who can read studio.db can read that password: keep the studio folder
private (it also holds the clients' details)."""

from __future__ import annotations

from dataclasses import fields

from kiosk.checkout.addresses import check_address
from kiosk.core.errors import BadAddress, MailSettingsError
from kiosk.core.invoices import StudioDetails
from kiosk.core.mail import SmtpSettings
from kiosk.store import checkout as tables
from kiosk.store.db import Store

STUDIO_KEY = "checkout.studio"
SMTP_KEY = "checkout.smtp"
SECURITY = ("starttls", "ssl", "none")


def studio_details(store: Store, default_name: str = "") -> StudioDetails:
    """The saved details, or just `default_name` (Settings.studio_name) before any are saved."""
    saved = tables.json_setting(store, STUDIO_KEY) or {}
    known = {f.name for f in fields(StudioDetails)}
    values = {k: v for k, v in saved.items() if k in known}
    values.setdefault("name", default_name or "Reveal")
    return StudioDetails(**values)


def save_studio_details(store: Store, details: StudioDetails) -> StudioDetails:
    if not details.name.strip():
        raise MailSettingsError("The studio needs a name for its invoices.")
    if details.email:
        try:
            check_address(details.email)
        except BadAddress as exc:
            raise MailSettingsError(f"The studio's e-mail address: {exc}") from None
    tables.set_json_setting(store, STUDIO_KEY, details.to_dict())
    return details


def smtp_settings(store: Store) -> SmtpSettings | None:
    saved = tables.json_setting(store, SMTP_KEY)
    return SmtpSettings(**saved) if saved else None


def check_smtp_settings(settings: SmtpSettings) -> SmtpSettings:
    if not settings.host.strip():
        raise MailSettingsError(
            "The mail server's name is missing; it is in your e-mail provider's SMTP settings "
            "(for example smtp.example.com)."
        )
    if not 0 < settings.port < 65536:
        raise MailSettingsError(
            f"The mail server's port {settings.port} is not a port; usually 587 (STARTTLS) or "
            "465 (SSL)."
        )
    if settings.security not in SECURITY:
        raise MailSettingsError(
            f'Security "{settings.security}" is not known; use one of: {", ".join(SECURITY)}.'
        )
    if settings.password and not settings.username:
        raise MailSettingsError("A password is set but no user name; enter both or neither.")
    return settings


def save_smtp_settings(store: Store, settings: SmtpSettings) -> SmtpSettings:
    check_smtp_settings(settings)
    tables.set_json_setting(store, SMTP_KEY, settings.to_dict())
    return settings
