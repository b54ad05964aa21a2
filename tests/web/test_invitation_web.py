"""The viewing's invitation from the tablet for real: uvicorn on 127.0.0.1, httpx as the tablet,
and a real SMTP server (aiosmtpd) receiving it with its calendar event."""

# ruff: noqa: F811  (the smtp_server fixture is imported, then asked for by name)
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import icalendar
import pytest

from kiosk.checkout import outbox
from kiosk.checkout.settings import save_studio_details
from tests.checkout.conftest import STUDIO, smtp_server  # noqa: F401
from tests.web.tablet import tablet_page

CHROMIUM = Path("/usr/bin/chromium")


def booked(studio, viewing: str = "2026-05-08T14:00", email: str = "ada@example.com") -> int:
    save_studio_details(studio.store, STUDIO)
    session = studio.store.create_session("Ada Park", email)
    studio.store.db["sessions"].update(session.id, {"partner": "Sam Park", "viewing_at": viewing})
    return session.id


def test_the_tablet_sends_the_invitation_and_asks_before_sending_it_again(
    server_factory, studio, smtp_server
):
    sid = booked(studio)
    server = server_factory(sid)
    tablet = server.paired_client()
    state = tablet.get(f"/api/sessions/{sid}").json()["session"]["invitation"]
    assert state["status"] == "none" and state["canSend"] and not state["why"]

    answer = tablet.post(f"/api/sessions/{sid}/invite", json={"again": False})
    assert answer.status_code == 200, answer.text
    state = answer.json()["session"]["invitation"]
    assert state["status"] == "queued" and state["to"] == "ada@example.com"
    assert state["text"].startswith("Queued") and state["when"]
    listed = tablet.get("/api/sessions").json()["sessions"]
    assert next(s for s in listed if s["id"] == sid)["invitation"]["status"] == "queued"

    asked = tablet.post(f"/api/sessions/{sid}/invite", json={"again": False})
    assert asked.status_code == 409
    assert "was invited on" in asked.json()["error"] and "again" in asked.json()["confirm"]
    assert len([e for e in outbox.entries(studio.store) if e.kind == "invitation"]) == 1
    again = tablet.post(f"/api/sessions/{sid}/invite", json={"again": True})
    assert again.status_code == 200 and again.json()["session"]["invitation"]["count"] == 2

    smtp_server.start()
    assert outbox.send_due(studio.store, smtp_server.settings).sent == 2
    first, second = smtp_server.inbox.messages()
    assert first["Subject"] == "Your photo viewing at Golden Hour Portraits: Fri 8 May 2026, 14:00"
    body = first.get_body(("plain",)).get_content()
    assert f"{server.url.split('//')[1]}/guide" in body  # the link: where the tablet reached it
    ics = next(p for p in second.iter_attachments() if p.get_filename() == "viewing.ics")
    (event,) = icalendar.Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 5, 8, 14, 0)
    assert int(event["SEQUENCE"]) == 1  # the same event, moved on: not a second one

    state = tablet.get(f"/api/sessions/{sid}").json()["session"]["invitation"]
    assert state["status"] == "sent" and state["text"] == "Sent" and state["count"] == 2
    listed = tablet.get("/api/sessions").json()["sessions"]
    assert next(s for s in listed if s["id"] == sid)["invitation"]["status"] == "sent"


def test_the_invitation_says_why_it_cannot_be_sent_and_a_failure_is_shown(server_factory, studio):
    no_viewing = booked(studio, viewing="")
    no_email = booked(studio, email="")
    server = server_factory(no_viewing)
    stranger = server.client(Origin=server.url)
    assert stranger.post(f"/api/sessions/{no_viewing}/invite", json={}).status_code == 401
    tablet = server.paired_client()
    state = tablet.get(f"/api/sessions/{no_viewing}").json()["session"]["invitation"]
    assert not state["canSend"] and "viewing appointment" in state["why"]
    refused = tablet.post(f"/api/sessions/{no_viewing}/invite", json={"again": False})
    assert refused.status_code == 422 and "no viewing booked" in refused.json()["error"]
    state = tablet.get(f"/api/sessions/{no_email}").json()["session"]["invitation"]
    assert not state["canSend"] and "e-mail" in state["why"]
    assert tablet.post(f"/api/sessions/{no_email}/invite", json={}).status_code == 422
    assert tablet.post(f"/api/sessions/{no_email}/invite", json={"again": 1}).status_code == 422
    assert outbox.entries(studio.store) == []

    sid = booked(studio)
    assert tablet.post(f"/api/sessions/{sid}/invite", json={}).status_code == 200
    (entry,) = outbox.entries(studio.store)
    with studio.store.transaction():
        studio.store.db["outbox"].update(
            entry.id, {"status": "failed", "last_error": "550 mailbox unknown"}
        )
    state = tablet.get(f"/api/sessions/{sid}").json()["session"]["invitation"]
    assert state["status"] == "failed" and state["text"] == "Failed: 550 mailbox unknown"
    listed = tablet.get("/api/sessions").json()["sessions"]
    assert next(s for s in listed if s["id"] == sid)["invitation"]["status"] == "failed"


def test_the_session_page_sends_the_invitation_and_asks_before_again(server_factory, studio):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed")
    expect = sync_api.expect
    sid = booked(studio)
    no_viewing = booked(studio, viewing="")
    server = server_factory(sid)
    with tablet_page(server) as page:
        page.goto(f"{server.url}/remote/sessions/{no_viewing}")
        expect(page.locator("#invite-why")).to_have_text(
            "Set the viewing appointment to send the invitation."
        )
        expect(page.locator("#invite")).to_be_disabled()

        page.goto(f"{server.url}/remote/sessions/{sid}")
        expect(page.locator("#invite-state")).to_have_text("Not sent yet.")
        page.locator("#invite").click()
        expect(page.locator("#toast")).to_contain_text("The invitation is queued for ada@example")
        expect(page.locator("#invite-state")).to_contain_text("Queued")
        expect(page.locator("#invite")).to_have_text("Send it again…")

        page.locator("#invite").click()  # asks first: Cancel sends nothing
        expect(page.locator("#ask")).to_be_visible()
        expect(page.locator("#ask-title")).to_contain_text("Ada Park was invited on")
        page.locator("#ask").get_by_role("button", name="Cancel").click()
        expect(page.locator("#ask")).to_be_hidden()
        assert len(outbox.entries(studio.store)) == 1
        page.locator("#invite").click()
        page.locator("#ask").get_by_role("button", name="Send again").click()
        expect(page.locator("#invite-state")).to_contain_text("Sent 2 times")

        page.goto(f"{server.url}/remote/sessions")
        badge = page.locator(f'[data-id="{sid}"] .invite-badge')
        expect(badge).to_have_text("Queued")
    assert len(outbox.entries(studio.store)) == 2
