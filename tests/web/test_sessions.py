"""The Sessions page's API for real: uvicorn on 127.0.0.1, httpx as the paired tablet.

Showing a session on the TV needs the TV (tests/ui/test_switch_session.py and the browser test
in test_sessions_browser.py); here: listing, a new session, its details and their log,
archiving, deleting, and every refusal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.checkout.settings import save_studio_details
from kiosk.core.pricelist import load
from tests.checkout.conftest import STUDIO
from tests.conftest import ROOT
from tests.web.test_orders import confirm

ADA = {
    "client": "Ada Park",
    "email": "ada@exmple.com",
    "phone": "+44 20 7946 0958",
    "partner": "Sam Park",
    "notes": "Black and white, please.",
    "shoot_date": "2026-05-01",
    "viewing_at": "2026-05-08T14:00",
}


def created(tablet, **fields) -> int:
    answer = tablet.post("/api/sessions", json={**ADA, **fields})
    assert answer.status_code == 201, answer.text
    assert answer.json()["url"] == f"/remote/sessions/{answer.json()['id']}"
    return answer.json()["id"]


def listed(tablet, **params) -> list[dict]:
    answer = tablet.get("/api/sessions", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["sessions"]


def test_a_new_session_is_listed_first_with_its_details_and_found_by_search(server):
    tablet = server.paired_client()
    ada = created(tablet)
    rows = listed(tablet)
    assert [row["id"] for row in rows] == [ada, server.live.session_id]
    row = rows[0]
    assert (row["client"], row["partner"], row["images"], row["decided"]) == (
        "Ada Park",
        "Sam Park",
        0,
        0,
    )
    assert row["shootText"] == "Fri 1 May 2026"
    assert row["viewingText"] == "Fri 8 May 2026, 14:00"
    assert row["lastText"] == "never opened" and not row["onTv"]
    assert rows[1]["onTv"] and rows[1]["images"] == 5
    assert [row["id"] for row in listed(tablet, q="sam")] == [ada]
    assert listed(tablet, q="nobody") == []

    # Its page comes next: the photos are added there.
    page = tablet.get(f"/remote/sessions/{ada}")
    assert page.status_code == 200 and 'id="photos"' in page.text
    one = tablet.get(f"/api/sessions/{ada}").json()
    assert one["session"]["details"] == ADA and one["session"]["photos"] == 0
    assert one["session"]["deletable"] and one["changes"] == []


def test_the_tv_sessions_decisions_are_its_exact_counts(server):
    tablet = server.paired_client()
    ids = [image.id for image in server.live.images]
    server.call(server.live.decide, ids[0], "keep")
    server.call(server.live.decide, ids[1], "drop")
    server.call(server.live.undo)
    row = listed(tablet)[0]
    assert row["onTv"] and row["decided"] == 1
    assert row["lastText"].startswith("today")


def test_a_form_with_mistakes_is_answered_field_by_field_and_nothing_is_made(server):
    tablet = server.paired_client()
    answer = tablet.post(
        "/api/sessions",
        json={**ADA, "email": "ada@example", "shoot_date": "2026-02-30", "client": " "},
    )
    assert answer.status_code == 422
    fields = answer.json()["fields"]
    assert set(fields) == {"client", "email", "shoot_date"}
    assert "ada@example.com" in fields["email"] and "calendar" in fields["shoot_date"]
    assert answer.json()["error"].startswith("Check the client's details")
    assert len(listed(tablet)) == 1
    # Half of a character (a lone surrogate, which JSON can carry) is refused, not stored.
    half = tablet.post(
        "/api/sessions",
        content=b'{"client": "Ada \\ud83d"}',
        headers={"Content-Type": "application/json"},
    )
    assert half.status_code == 422 and list(half.json()["fields"]) == ["client"]


def test_a_corrected_email_is_saved_and_each_change_logged(server):
    tablet = server.paired_client()
    ada = created(tablet)
    answer = tablet.post(
        f"/api/sessions/{ada}/details", json={**ADA, "email": "ada@example.com", "phone": ""}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["changed"] == ["email", "phone"]
    assert body["session"]["details"]["email"] == "ada@example.com"
    assert [(c["label"], c["old"], c["new"]) for c in body["changes"]] == [
        ("E-mail", "ada@exmple.com", "ada@example.com"),
        ("Phone", "+44 20 7946 0958", ""),
    ]
    assert server.call(server.studio.store.session, ada).email == "ada@example.com"
    again = tablet.post(f"/api/sessions/{ada}/details", json={**ADA, "client": ""})
    assert again.status_code == 422 and list(again.json()["fields"]) == ["client"]
    assert len(tablet.get(f"/api/sessions/{ada}").json()["changes"]) == 2


def test_renaming_the_client_on_the_tv_renames_it_on_the_remote(server):
    tablet = server.paired_client()
    tv = server.live.session_id
    answer = tablet.post(f"/api/sessions/{tv}/details", json={"client": "The Parkers"})
    assert answer.status_code == 200, answer.text
    assert tablet.get("/api/state").json()["client"] == "The Parkers"


def test_an_archived_session_is_hidden_until_asked_for_and_comes_back(server):
    tablet = server.paired_client()
    ada = created(tablet)
    answer = tablet.post(f"/api/sessions/{ada}/archive", json={"archived": True})
    assert answer.status_code == 200 and answer.json()["session"]["archived"]
    assert [row["id"] for row in listed(tablet)] == [server.live.session_id]
    assert [row["id"] for row in listed(tablet, archived="1")] == [ada, server.live.session_id]
    tablet.post(f"/api/sessions/{ada}/archive", json={"archived": False})
    assert [row["id"] for row in listed(tablet)] == [ada, server.live.session_id]
    assert tablet.post(f"/api/sessions/{ada}/archive", json={}).status_code == 422
    assert tablet.get("/api/sessions", params={"archived": "yes"}).status_code == 422


def test_deleting_asks_for_confirmation_and_removes_the_sessions_cache_files(
    server, session_factory
):
    tablet = server.paired_client()
    doomed = server.call(session_factory, [(300, 200)] * 2, "Gone Family")
    images = server.call(server.studio.store.images, doomed)
    # Its previews in the studio's cache, as the import writes them.
    cached = []
    for image in images:
        path = server.studio.paths.cache / f"{image.content_hash}.jpg"
        path.write_bytes(b"jpeg")
        cached.append(path)
        server.call(server.studio.store.db["images"].update, image.id, {"preview_path": str(path)})
    # Photos uploaded to it from the laptop, and another session's, which stay.
    uploaded = server.studio.paths.originals / f"session-{doomed}" / "Shoot" / "IMG_1.JPG"
    kept = server.studio.paths.originals / f"session-{doomed + 1000}" / "IMG_2.JPG"
    for path in (uploaded, kept):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"jpeg")
    assert tablet.post(f"/api/sessions/{doomed}/delete", json={}).status_code == 422
    assert uploaded.exists()
    answer = tablet.post(f"/api/sessions/{doomed}/delete", json={"confirm": True})
    assert answer.status_code == 200, answer.text
    assert answer.json()["removed"] == 2 and "Gone Family" in answer.json()["message"]
    assert not any(path.exists() for path in cached)
    assert not uploaded.parent.parent.exists() and kept.exists()
    # The thumbnails were the test's own files, outside the studio folder: left alone.
    assert all(Path(image.thumb_path).exists() for image in images)
    assert doomed not in [row["id"] for row in listed(tablet, archived="1")]
    assert tablet.get(f"/api/sessions/{doomed}").status_code == 404
    assert tablet.get(f"/remote/sessions/{doomed}").status_code == 404


def test_a_session_with_an_invoice_or_on_the_tv_is_not_deleted_and_says_why(
    server, studio, session_factory
):
    tablet = server.paired_client()
    sold = server.call(session_factory, [(300, 200)] * 2, "Sold Family")

    def invoice() -> None:
        save_studio_details(studio.store, STUDIO)
        confirm(studio, sold, load(ROOT / "assets" / "pricelist.toml"))

    server.call(invoice)
    answer = tablet.post(f"/api/sessions/{sold}/delete", json={"confirm": True})
    assert answer.status_code == 409 and "has an invoice" in answer.json()["error"]
    tv = server.live.session_id
    answer = tablet.post(f"/api/sessions/{tv}/delete", json={"confirm": True})
    assert answer.status_code == 409 and "on the TV now" in answer.json()["error"]
    rows = {row["id"]: row for row in listed(tablet)}
    assert set(rows) == {sold, tv}
    assert rows[sold]["invoices"] == 1 and rows[sold]["totalText"].startswith("$")
    assert rows[sold]["statusText"] == "Confirmed"
    one = tablet.get(f"/api/sessions/{sold}").json()["session"]
    assert not one["deletable"] and one["invoices"]


@pytest.mark.parametrize("number", ["abc", "0", "-1", "²", "1.0", "9" * 16])
def test_a_session_number_that_is_not_one_is_a_422_with_a_sentence(server, number):
    tablet = server.paired_client()
    for method, path in [
        ("get", f"/api/sessions/{number}"),
        ("get", f"/remote/sessions/{number}"),
        ("post", f"/api/sessions/{number}/details"),
        ("post", f"/api/sessions/{number}/archive"),
        ("post", f"/api/sessions/{number}/delete"),
        ("post", f"/api/sessions/{number}/show"),
    ]:
        answer = getattr(tablet, method)(path, **({"json": {}} if method == "post" else {}))
        assert answer.status_code == 422, (path, answer.text)
        assert "is not a session number" in answer.json()["error"]
    assert tablet.get("/api/sessions/424242").status_code == 404


def test_every_session_route_needs_the_pairing_and_every_change_the_page(server):
    tv = server.live.session_id
    stranger = server.client(Origin=server.url)
    for path in ["/api/sessions", f"/api/sessions/{tv}"]:
        assert stranger.get(path).status_code == 401
    for path in ["/remote/sessions", "/remote/sessions/new", f"/remote/sessions/{tv}"]:
        page = stranger.get(path)
        assert page.status_code == 401 and "code" in page.text.lower()
    writes = [
        ("/api/sessions", ADA),
        (f"/api/sessions/{tv}/details", ADA),
        (f"/api/sessions/{tv}/archive", {"archived": True}),
        (f"/api/sessions/{tv}/delete", {"confirm": True}),
        (f"/api/sessions/{tv}/show", {"confirm": True}),
    ]
    for path, body in writes:
        assert stranger.post(path, json=body).status_code == 401
    tablet = server.paired_client()
    elsewhere = {"Origin": "http://evil.example", "X-CSRF-Token": tablet.headers["X-CSRF-Token"]}
    no_csrf = {"X-CSRF-Token": "0" * 64}
    for path, body in writes:
        assert tablet.post(path, json=body, headers=elsewhere).status_code == 403
        assert tablet.post(path, json=body, headers=no_csrf).status_code == 403
    assert len(listed(tablet)) == 1
    assert server.call(server.studio.store.session, tv).archived is None


def test_a_body_longer_than_the_cap_is_refused_before_it_is_read(server):
    tablet = server.paired_client()
    answer = tablet.post("/api/sessions", json={**ADA, "notes": "x" * 20_000})
    assert answer.status_code == 413
    long_notes = tablet.post("/api/sessions", json={**ADA, "notes": "é" * 2001})
    assert long_notes.status_code == 422 and "at most 2000" in long_notes.json()["fields"]["notes"]
