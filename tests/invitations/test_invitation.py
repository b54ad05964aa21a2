"""The invitation through a real SMTP server: its .ics parsed back as a calendar would, the
guide attached, the second person copied, a second invitation moving the same event."""

from __future__ import annotations

import io
from datetime import datetime

import icalendar
import pytest
from pypdf import PdfReader

import main
from kiosk.checkout import outbox
from kiosk.checkout.settings import save_studio_details
from kiosk.studio import open_studio
from tests.checkout.conftest import STUDIO, smtp_server  # noqa: F401


@pytest.fixture
def booked(studio):
    """A session with its viewing booked, and the studio's details saved."""
    save_studio_details(studio.store, STUDIO)
    session = studio.store.create_session("Ada Park", "ada@example.com")
    studio.store.db["sessions"].update(
        session.id, {"partner": "Sam Park", "viewing_at": "2026-05-08T14:00"}
    )
    return session.id


def test_the_invitation_reaches_a_real_server_with_its_calendar_event(
    studio,
    booked,
    smtp_server,  # noqa: F811
    capsys,
):
    data = str(studio.paths.root)
    studio.close()
    args = ["--data", data, "invite", str(booked), "--also", "sam@example.com"]
    assert main.main(args) == 0
    out = capsys.readouterr().out
    assert (
        "Queued the invitation to ada@example.com, sam@example.com for Fri 8 May 2026, 14:00" in out
    )
    assert main.main(args) == 0  # sent again: the same event, moved on
    assert "  2  Queued." in capsys.readouterr().out

    again = open_studio(data)
    try:
        smtp_server.start()
        assert outbox.send_due(again.store, smtp_server.settings).sent == 2
    finally:
        again.close()
    first, second = smtp_server.inbox.messages()
    assert smtp_server.inbox.envelopes[0].rcpt_tos == ["ada@example.com", "sam@example.com"]
    assert first["Subject"] == "Your photo viewing at Golden Hour Portraits: Fri 8 May 2026, 14:00"
    body = first.get_body(("plain",)).get_content()
    assert "We look forward to showing you and Sam Park your photographs" in body
    assert "/guide" in body and "studio's Wi-Fi" in body  # no public_url: said so

    parts = {p.get_filename(): p for p in first.iter_attachments()}
    assert set(parts) == {"viewing.ics", "pricing-guide.pdf"}
    assert parts["viewing.ics"].get_content_type() == "text/calendar"
    raw = parts["viewing.ics"].get_payload(decode=True)
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded as RFC 5545 asks
    calendar = icalendar.Calendar.from_ical(raw)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 5, 8, 14, 0)
    assert event.decoded("DTEND") == datetime(2026, 5, 8, 15, 30)
    assert str(event["SUMMARY"]) == "Your photo viewing at Golden Hour Portraits"
    assert str(event["LOCATION"]) == "88 Pearl Street, Studio 3, Portland, OR 97209"
    assert "photo of it taken straight on" in str(event["DESCRIPTION"])
    guide = PdfReader(io.BytesIO(parts["pricing-guide.pdf"].get_payload(decode=True)))
    assert "Heirloom" in guide.pages[0].extract_text()

    (moved,) = icalendar.Calendar.from_ical(
        next(p for p in second.iter_attachments() if p.get_filename() == "viewing.ics").get_payload(
            decode=True
        )
    ).walk("VEVENT")
    assert moved["UID"] == event["UID"] and int(moved["SEQUENCE"]) == 1
    assert first["Message-ID"] != second["Message-ID"]


def test_no_invitation_without_a_viewing_booked(studio, capsys):
    save_studio_details(studio.store, STUDIO)
    session = studio.store.create_session("Ada Park", "ada@example.com")
    data = str(studio.paths.root)
    studio.close()
    assert main.main(["--data", data, "invite", str(session.id)]) == 1
    assert "has no viewing booked" in capsys.readouterr().err
    assert main.main(["--data", data, "invite", "99"]) == 1
