"""The studio's checkout settings, kept in the studio database's settings table as JSON: who the
studio is (name, address, phone, e-mail, website, payment instructions, logo) and the
outgoing-mail (SMTP) server.

What must stay true: the studio's identity has ONE source, these saved details, read by the
invoice, the e-mails, the phone pages and the TV; and an invoice never goes out in another
studio's name. The demo's details belong to the demo session (`mark_demo_session`): they are
used for it alone, and only until the studio has entered its own.

    details = details_for_session(store, session_id)   # the demo's for the demo session
    missing_details(details)                           # ("email", "address"): ask first

They live in the database rather than settings.toml because the tablet edits them. The SMTP
password is in neither: it is kept in the studio's secrets file, readable by the kiosk's user
only (kiosk/setup/secrets.py); a password an earlier version kept in the database is moved
there the first time the settings are read, and scrubbed from the database file."""

from __future__ import annotations

import json
import os
from dataclasses import fields

from kiosk.checkout.addresses import check_address
from kiosk.core.errors import BadAddress, CheckoutError, MailSettingsError
from kiosk.core.invoices import StudioDetails
from kiosk.core.mail import SmtpSettings
from kiosk.setup.secrets import SECRETS_FILE, Secrets
from kiosk.store import checkout as tables
from kiosk.store.db import Store
from kiosk.store.scrub import rewrite_setting

STUDIO_KEY = "checkout.studio"
SMTP_KEY = "checkout.smtp"
DEMO_SESSION_KEY = "demo.session"  # the demo session's number
DEMO_STUDIO_KEY = "demo.studio"  # the demo studio's details, for that session alone
SECURITY = ("starttls", "ssl", "none")
SMTP_PASSWORD = "smtp.password"  # its name in the secrets file
# What an invoice cannot go without: who sold it, where they are, how to reach them.
REQUIRED = {"name": "name", "email": "e-mail address", "address": "address"}
# Earlier versions saved the demo's details (kiosk.demo.DEMO_STUDIO) as the studio's on first
# start: such a copy is not the studio's identity, and is read as "not entered yet".
_OLD_DEMO_COPY = {
    "name": "Golden Hour Portraits",
    "email": "hello@goldenhour.example",
    "payment_instructions": "Pay the amount due today by card at the studio, or by bank "
    "transfer quoting the invoice number.",
}


def studio_details(store: Store) -> StudioDetails:
    """The studio's own details as entered; an empty name until they are."""
    saved = tables.json_setting(store, STUDIO_KEY) or {}
    if all(saved.get(key) == value for key, value in _OLD_DEMO_COPY.items()):
        saved = {}
    return _details(saved)


def _details(saved: dict) -> StudioDetails:
    known = {f.name for f in fields(StudioDetails)}
    values = {k: v for k, v in saved.items() if k in known}
    values.setdefault("name", "")
    return StudioDetails(**values)


def missing_details(details: StudioDetails) -> tuple[str, ...]:
    """The fields an invoice needs that `details` leaves empty, in form order."""
    return tuple(key for key in REQUIRED if not str(getattr(details, key)).strip())


def details_for_session(store: Store, session_id: int) -> StudioDetails:
    """Whose name a session's invoice carries: the studio's own; for the demo session, the
    demo studio's until the studio has entered its own."""
    own = studio_details(store)
    if missing_details(own) and store.setting(DEMO_SESSION_KEY) == str(session_id):
        demo = tables.json_setting(store, DEMO_STUDIO_KEY)
        if demo:
            return _details(demo)
    return own


def mark_demo_session(store: Store, session_id: int, details: StudioDetails) -> None:
    """Record `session_id` as the demo and `details` as its studio's (never the studio's)."""
    store.set_setting(DEMO_SESSION_KEY, str(session_id))
    tables.set_json_setting(store, DEMO_STUDIO_KEY, details.to_dict())


def save_studio_details(store: Store, details: StudioDetails) -> StudioDetails:
    if missing_details(details):
        wanted = [REQUIRED[key] for key in missing_details(details)]
        listed = " and ".join([", ".join(wanted[:-1]), wanted[-1]] if len(wanted) > 1 else wanted)
        raise MailSettingsError(
            f"Invoices need the studio's {listed}: fill in every field marked *."
        )
    if details.email:
        try:
            check_address(details.email)
        except BadAddress as exc:
            raise MailSettingsError(f"The studio's e-mail address: {exc}") from None
    tables.set_json_setting(store, STUDIO_KEY, details.to_dict())
    return details


def save_studio_logo(store: Store, logo: str) -> None:
    """Set (or, with "", remove) the logo's path alone: it may come before the rest of the
    details are entered, so the fields an invoice needs are not asked for here."""
    saved = tables.json_setting(store, STUDIO_KEY) or {}
    tables.set_json_setting(store, STUDIO_KEY, {**saved, "logo": logo})


def smtp_settings(store: Store) -> SmtpSettings | None:
    saved = tables.json_setting(store, SMTP_KEY)
    if not saved:
        return None
    secrets = studio_secrets(store)
    if saved.get("password"):  # kept in the database by an earlier version: moved out
        secrets.set(SMTP_PASSWORD, saved.pop("password"))
        rewrite_setting(store, SMTP_KEY, json.dumps(saved, sort_keys=True))
    known = {f.name for f in fields(SmtpSettings)}
    values = {k: v for k, v in saved.items() if k in known and k != "password"}
    return SmtpSettings(**values, password=secrets.get(SMTP_PASSWORD))


def studio_secrets(store: Store) -> Secrets:
    """The secrets file of the studio whose database `store` is."""
    return Secrets(store.path.parent / SECRETS_FILE)


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
    if settings.ca_file and not os.access(settings.ca_file, os.R_OK):
        raise MailSettingsError(
            f"The CA file {settings.ca_file} cannot be read: give the full path of the PEM "
            "file of the authority that signed the mail server's certificate."
        )
    return settings


def save_smtp_settings(store: Store, settings: SmtpSettings) -> SmtpSettings:
    check_smtp_settings(settings)
    studio_secrets(store).set(SMTP_PASSWORD, settings.password)
    saved = {k: v for k, v in settings.to_dict().items() if k != "password"}
    tables.set_json_setting(store, SMTP_KEY, saved)
    return settings


def set_first_invoice_number(store: Store, number: int) -> None:
    """Continue an older series: the studio's first invoice gets `number` (`main.py
    first-invoice 1043`). Refused once an invoice exists: numbers never jump or go back."""
    if not 1 <= number < 10**9:
        raise CheckoutError(f"{number} cannot be an invoice number; give a whole number from 1.")
    if tables.invoice_numbers(store):
        raise CheckoutError(
            "This studio has invoices already; their numbers carry on from the last one. The "
            "first number can be set only before the first invoice."
        )
    store.set_setting(tables.FIRST_NUMBER_KEY, str(number))
