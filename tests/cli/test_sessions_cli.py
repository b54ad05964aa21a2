"""`main.py sessions [SEARCH] [--archived]`: the sessions, newest first, on a real studio."""

from __future__ import annotations

import main
from kiosk.core.clients import ClientDetails
from kiosk.store.sessions import create_session, set_archived
from kiosk.studio import open_studio


def test_sessions_are_listed_newest_first_searched_and_archived_on_request(tmp_path, capsys):
    data = tmp_path / "studio"
    studio = open_studio(data)
    old = create_session(studio.store, ClientDetails("Harper Lee", shoot_date="2025-10-04"))
    ada = create_session(
        studio.store,
        ClientDetails(
            "Ada Park", partner="Sam Park", shoot_date="2026-05-01", viewing_at="2026-05-08T14:00"
        ),
    )
    newest = create_session(studio.store, ClientDetails("Noor Haddad", email="noor@example.com"))
    set_archived(studio.store, old.id, True)
    studio.close()

    assert main.main(["--data", str(data), "sessions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["#", "Client", "Shoot"]
    assert [line.split()[0] for line in lines[1:]] == [str(newest.id), str(ada.id)]
    assert "Ada Park & Sam Park  2026-05-01  2026-05-08 14:00" in lines[2]
    assert lines[2].rstrip().endswith("never opened")

    assert main.main(["sessions", "sam", "--data", str(data)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == [str(ada.id)]

    assert main.main(["--data", str(data), "sessions", "--archived"]) == 0
    out = capsys.readouterr().out
    assert "Harper Lee (archived)" in out and len(out.splitlines()) == 4

    assert main.main(["--data", str(data), "sessions", "nobody"]) == 0
    assert capsys.readouterr().out == "No sessions matching 'nobody'.\n"
