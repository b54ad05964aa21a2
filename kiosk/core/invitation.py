"""The viewing appointment as a calendar event (RFC 5545), and what the invitation says.

    text = viewing_ics(uid="viewing-12@goldenhour.example", start=datetime(2026, 5, 8, 14, 0),
                       minutes=90, studio="Golden Hour Portraits", address="88 Pearl St",
                       stamp=datetime(2026, 5, 1, 9, 0, tzinfo=UTC))
    # "BEGIN:VCALENDAR\r\n...DTSTART:20260508T140000\r\n..."

The start is the studio's local time, written as a "floating" time (no zone): a calendar shows
it at that hour wherever the client is, which is the hour they must be at the studio. The UID
is the session's, so an invitation sent again updates the same event instead of adding one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

VIEWING_MINUTES = 90
PREPARE = (
    "Bring whoever decides with you: the viewing is where you choose together.",
    "If you would like to see prints on your own wall, bring a photo of it taken straight on, "
    "with a sheet of A4 or letter paper taped to it for scale.",
    "Think about where the photos will live: which walls, an album, gifts for family.",
    "Read the Product & Pricing Guide before you come; it is attached.",
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets go on continuation lines starting with a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def viewing_ics(
    *,
    uid: str,
    start: datetime,
    minutes: int = VIEWING_MINUTES,
    studio: str,
    address: str = "",
    description: str = "",
    stamp: datetime | None = None,
    sequence: int = 0,
) -> str:
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    end = start + timedelta(minutes=minutes)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Reveal//Viewing invitation//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start:%Y%m%dT%H%M%S}",
        f"DTEND:{end:%Y%m%dT%H%M%S}",
        f"SUMMARY:{_escape(f'Your photo viewing at {studio}')}",
    ]
    if address:
        lines.append(f"LOCATION:{_escape(address)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-P1D",
        f"DESCRIPTION:{_escape('Your photo viewing is tomorrow')}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
