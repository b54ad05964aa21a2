"""Years of sessions come to the tablet a page at a time, with how many there are in all,
through the real server; a page's rows are the same rows the whole list has."""

from __future__ import annotations

from kiosk.core.clients import ClientDetails
from kiosk.store.sessions import count_sessions, create_session, session_summaries


def test_the_sessions_list_comes_a_page_at_a_time_with_the_total(server, studio):
    def many() -> list[int]:
        names = ["Ada Park", "Lee Chan", "Noor Haddad"]
        made = [create_session(studio.store, ClientDetails(names[i % 3])).id for i in range(70)]
        return made

    made = server.call(many)
    tablet = server.paired_client()

    first = tablet.get("/api/sessions").json()
    assert first["total"] == 71  # the TV's own session, and the seventy
    assert [s["id"] for s in first["sessions"]] == made[::-1][:60]

    everything = tablet.get("/api/sessions", params={"limit": "120"}).json()
    assert len(everything["sessions"]) == 71 and everything["total"] == 71

    parks = tablet.get("/api/sessions", params={"q": "park", "limit": "10"}).json()
    assert parks["total"] == 24 and len(parks["sessions"]) == 10
    assert {s["client"] for s in parks["sessions"]} == {"Ada Park"}
    assert tablet.get("/api/sessions", params={"limit": "-5"}).json()["total"] == 71


def test_a_page_holds_the_rows_of_the_whole_list(studio):
    for i in range(9):
        create_session(studio.store, ClientDetails(f"Client {i}"))
    whole = session_summaries(studio.store)
    pages = [session_summaries(studio.store, limit=4, offset=o) for o in (0, 4, 8)]
    assert [row for page in pages for row in page] == whole
    assert count_sessions(studio.store) == 9 and count_sessions(studio.store, search="7") == 1
