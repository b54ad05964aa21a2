"""A client's details as the studio keeps them, checked before they are stored.

What must stay true: details are stored only once every field has passed its rule, and each
problem names its field, so the tablet's form says it beside that field and keeps the rest.

    details = client_details({"client": "Ada Park", "email": "ada@example.com",
                              "shoot_date": "2026-05-01", "viewing_at": "2026-05-08T14:00"})
    changes(before, details)      # [Change("email", "ada@exmple.com", "ada@example.com")]
    viewing_text(details.viewing_at)                       # "Fri 8 May 2026, 14:00"

Dates stay text in one spelling (`YYYY-MM-DD`, and `YYYY-MM-DDTHH:MM` in the studio's local
time for the viewing), "" when not known: what the browser's date and time fields send.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from kiosk.core.errors import ClientDetailsInvalid

LABELS = {
    "client": "Client",
    "email": "E-mail",
    "phone": "Phone",
    "partner": "Second person",
    "notes": "Notes",
    "shoot_date": "Shoot date",
    "viewing_at": "Viewing",
}
MAX_CHARS = {
    "client": 120,
    "email": 254,  # RFC 5321's longest address
    "phone": 40,
    "partner": 120,
    "notes": 2000,
    "shoot_date": 10,
    "viewing_at": 19,  # seconds, when a browser sends them, are dropped
}
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a year outside these is a typo, not a shoot

_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\]+\.[^@\s<>()\[\],;:\".\\]{2,}")
_PHONE = re.compile(r"[0-9+()\-./ ]+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
# Marks that reorder text on screen: a name with one reads differently on the invoice.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class ClientDetails:
    client: str
    email: str = ""
    phone: str = ""
    partner: str = ""  # a second person: the client's partner, a parent
    notes: str = ""
    shoot_date: str = ""  # YYYY-MM-DD or ""
    viewing_at: str = ""  # YYYY-MM-DDTHH:MM or ""


FIELDS = tuple(f.name for f in fields(ClientDetails))


@dataclass(frozen=True)
class Change:
    """One field changed: what it was and what it became (as stored)."""

    field: str
    old: str
    new: str


def client_details(data: Mapping[str, Any]) -> ClientDetails:
    """`data` (a form's fields; a missing one is empty) checked and put in one spelling, or
    ClientDetailsInvalid with every problem found, keyed by field."""
    problems: dict[str, str] = {}
    unknown = sorted(str(key) for key in data if key not in FIELDS)
    if unknown:
        problems["form"] = (
            f"Unknown field {', '.join(unknown)[:80]}; the client's details are "
            f"{', '.join(FIELDS)}."
        )
    values: dict[str, str] = {}
    for name in FIELDS:
        raw = data.get(name, "")
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            problems[name] = f"{LABELS[name]} must be text."
            continue
        value = raw.replace("\r\n", "\n").strip()
        if any(unicodedata.category(c) == "Cs" for c in value):  # half of a character
            problems[name] = f"{LABELS[name]} has a character that is not text; type it again."
            continue
        if len(value) > MAX_CHARS[name]:
            problems[name] = (
                f"{LABELS[name]} is {len(value)} characters long; at most {MAX_CHARS[name]}."
            )
            continue
        problem = _CHECKS[name](value)
        if isinstance(problem, _Problem):
            problems[name] = problem.text
        else:
            values[name] = problem
    if "shoot_date" in values and "viewing_at" in values:
        shoot, viewing = values["shoot_date"], values["viewing_at"]
        if shoot and viewing and viewing[:10] < shoot:
            problems["viewing_at"] = (
                f"The viewing ({day_text(viewing[:10])}) is before the shoot "
                f"({day_text(shoot)}): check both dates."
            )
    if problems:
        raise ClientDetailsInvalid(problems)
    return ClientDetails(**values)


def changes(before: ClientDetails, after: ClientDetails) -> list[Change]:
    """The fields that differ, in the form's order."""
    return [
        Change(name, getattr(before, name), getattr(after, name))
        for name in FIELDS
        if getattr(before, name) != getattr(after, name)
    ]


def day_text(day: str) -> str:
    """ "2026-05-01" as "Fri 1 May 2026"; "" stays ""."""
    if not day:
        return ""
    when = date.fromisoformat(day)
    return f"{when:%a} {when.day} {when:%B %Y}"


def viewing_text(viewing_at: str) -> str:
    """ "2026-05-08T14:00" as "Fri 8 May 2026, 14:00"; "" stays ""."""
    if not viewing_at:
        return ""
    return f"{day_text(viewing_at[:10])}, {viewing_at[11:16]}"


@dataclass(frozen=True)
class _Problem:
    text: str


def _name(label: str, required: bool):
    def check(value: str) -> str | _Problem:
        if not value:
            return _Problem("Enter the client's name.") if required else ""
        if any(unicodedata.category(c) == "Cc" or c in _BIDI for c in value):
            return _Problem(f"{label} has a line break or an invisible character; type it again.")
        return " ".join(value.split())

    return check


def _email(value: str) -> str | _Problem:
    if not value or _EMAIL.fullmatch(value):
        return value
    return _Problem(
        f'"{value[:60]}" is not an e-mail address: it needs a name, an @ and a domain, '
        "like ada@example.com."
    )


def _phone(value: str) -> str | _Problem:
    if not value:
        return value
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.fullmatch(value) or not 5 <= digits <= 20:
        return _Problem(
            "A phone number has 5 to 20 digits, with spaces and + ( ) - . / between them, "
            "like +44 20 7946 0958."
        )
    return " ".join(value.split())


def _notes(value: str) -> str | _Problem:
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
        return _Problem("Notes have an invisible control character; type them again.")
    return value


def _day(value: str, what: str) -> str | _Problem:
    example = "like 2026-05-01"
    if not _DAY.fullmatch(value):
        return _Problem(f'"{value[:20]}" is not a date; pick the {what} or type it {example}.')
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return _Problem(f"{value} is not a day of the calendar; check the {what}.")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return _Problem(f"{day.year} is not a likely year for the {what}; check it.")
    return value


def _shoot_date(value: str) -> str | _Problem:
    return _day(value, "shoot date") if value else ""


def _viewing_at(value: str) -> str | _Problem:
    if not value:
        return ""
    day, _, clock = value.replace(" ", "T", 1).partition("T")
    if not day:
        return _Problem("Pick the viewing's date as well as its time.")
    if not clock:
        return _Problem("Pick the viewing's time as well as its date.")
    checked = _day(day, "viewing's date")
    if isinstance(checked, _Problem):
        return checked
    if not _TIME.fullmatch(clock):
        return _Problem(f'"{clock[:20]}" is not a time; pick it or type it like 14:30.')
    try:
        datetime.strptime(clock[:5], "%H:%M")
    except ValueError:
        return _Problem(f"{clock[:5]} is not a time of day; check the viewing's time.")
    return f"{day}T{clock[:5]}"


_CHECKS = {
    "client": _name("The client's name", required=True),
    "email": _email,
    "phone": _phone,
    "partner": _name("The second person's name", required=False),
    "notes": _notes,
    "shoot_date": _shoot_date,
    "viewing_at": _viewing_at,
}
