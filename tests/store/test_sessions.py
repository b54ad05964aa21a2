"""Sessions as the tablet runs them, on a real studio database in tmp_path: the list, new
sessions with their client's details, the logged changes, archiving and deleting."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest
import sqlite_utils

from kiosk.core.calibration import WallCalibration
from kiosk.core.clients import Change, ClientDetails
from kiosk.core.errors import SessionKept
from kiosk.core.pricelist import load
from kiosk.store.db import MIGRATIONS, Store, connect
from kiosk.store.private_notes import PrivateNotes
from kiosk.store.sessions import (
    count_sessions,
    create_session,
    delete_session,
    details_of,
    session_changes,
    session_summaries,
    set_archived,
    update_details,
)
from kiosk.store.upkeep import refresh_indexes
from kiosk.store.walls import add_wall_photo, issue_wall_token, save_wall_calibration
from tests.conftest import ROOT
from tests.web.test_orders import confirm

ADA = ClientDetails(
    "Ada Park",
    email="ada@example.com",
    phone="+44 20 7946 0958",
    partner="Sam Park",
    notes="Black and white",
    shoot_date="2026-05-01",
    viewing_at="2026-05-08T14:00",
)


def older_studio(path, version: int) -> sqlite_utils.Database:
    """A studio's database as the kiosk left it at schema `version`, with one session, 'Old'."""
    db = sqlite_utils.Database(connect(path))
    for number, migration in enumerate(MIGRATIONS[:version], 1):
        migration(db)
        db.conn.execute(f"PRAGMA user_version={number}")
    db.conn.execute("insert into sessions (client, email, created) values ('Old', 'o@x.io', 't')")
    return db


def test_a_studio_from_before_keeps_its_sessions_and_gains_the_details(tmp_path):
    path = tmp_path / "studio.db"
    older_studio(path, 7).conn.close()

    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    old = store.session(1)
    assert (old.client, old.email, old.phone, old.viewing_at, old.archived) == (
        "Old",
        "o@x.io",
        "",
        "",
        None,
    )
    store.close()


def test_a_studio_from_before_counts_its_logged_decisions_once_and_then_as_they_come(tmp_path):
    path = tmp_path / "studio.db"
    db = older_studio(path, 13)
    logged = [("decide", 7, "keep"), ("decide", 7, "drop"), ("show", 8, ""), ("decide", 9, "maybe")]
    for seq, (kind, image, decision) in enumerate(logged, 1):
        command = json.dumps({"kind": kind, "image": image, "decision": decision})
        db.conn.execute(
            "insert into events (session_id, seq, time, actor, command) "
            "values (1, ?, 't', 'touch', ?)",
            [seq, command],
        )
    db.conn.commit()
    db.conn.close()

    store = Store(path)
    assert [r.decided for r in session_summaries(store)] == [2]  # images 7 and 9
    store.append_events(1, [{"kind": "decide", "image": 8, "decision": "keep"}])
    store.append_events(1, [{"kind": "decide", "image": 9, "decision": "keep"}])
    assert [r.decided for r in session_summaries(store)] == [3]
    store.close()


def test_a_new_session_keeps_every_detail(studio):
    session = create_session(studio.store, ADA)
    again = studio.store.session(session.id)
    assert details_of(again) == ADA and again.archived is None and again.created
    assert studio.store.images(session.id) == []


def test_the_list_is_newest_first_searchable_and_hides_the_archived(studio, session_factory):
    first = session_factory([(300, 200)] * 3, client="Bea Lund")
    second = create_session(studio.store, ADA).id
    third = create_session(studio.store, ClientDetails("Cy_Ro", email="cy@example.com")).id
    images = [i.id for i in studio.store.images(first)]
    studio.store.append_events(
        first,
        [
            {"kind": "decide", "image": images[0], "decision": "keep"},
            {"kind": "decide", "image": images[0], "decision": "drop"},
            {"kind": "decide", "image": images[1], "decision": "maybe"},
            {"kind": "show", "image": images[2]},
        ],
    )
    rows = session_summaries(studio.store)
    assert [r.id for r in rows] == [third, second, first]
    bea = rows[-1]
    assert (bea.images, bea.decided, bea.invoices, bea.total) == (3, 2, 0, None)
    assert bea.last_activity is not None and rows[1].last_activity is None
    assert (rows[1].partner, rows[1].shoot_date, rows[1].viewing_at) == (
        "Sam Park",
        "2026-05-01",
        "2026-05-08T14:00",
    )

    # The second person, the e-mail and the phone are searched too; % and _ are plain text.
    assert [r.id for r in session_summaries(studio.store, search="sam")] == [second]
    assert [r.id for r in session_summaries(studio.store, search="7946")] == [second]
    assert [r.id for r in session_summaries(studio.store, search="cy_")] == [third]
    assert session_summaries(studio.store, search="%") == []

    archived = set_archived(studio.store, second, True)
    assert archived.archived is not None
    assert [r.id for r in session_summaries(studio.store)] == [third, first]
    shown = session_summaries(studio.store, archived=True)
    assert [(r.id, r.archived is not None) for r in shown] == [
        (third, False),
        (second, True),
        (first, False),
    ]
    # The session on the TV is listed, archived or not: it is the one marked.
    assert [r.id for r in session_summaries(studio.store, showing=second)] == [third, second, first]
    assert [r.id for r in session_summaries(studio.store, search="cy", showing=second)] == [third]
    set_archived(studio.store, second, False)
    assert [r.id for r in session_summaries(studio.store)] == [third, second, first]


def test_each_changed_field_is_logged_with_what_it_was(studio):
    session = create_session(studio.store, replace(ADA, email="ada@exmple.com"))
    fixed = replace(ADA, phone="")
    assert update_details(studio.store, session.id, fixed) == [
        Change("email", "ada@exmple.com", "ada@example.com"),
        Change("phone", "+44 20 7946 0958", ""),
    ]
    assert details_of(studio.store.session(session.id)) == fixed
    assert update_details(studio.store, session.id, fixed) == []  # nothing changed, nothing logged
    logged = session_changes(studio.store, session.id)
    assert [(c.field, c.old, c.new) for c in logged] == [
        ("email", "ada@exmple.com", "ada@example.com"),
        ("phone", "+44 20 7946 0958", ""),
    ]
    assert all(c.time.endswith("+00:00") for c in logged)


def test_deleting_a_session_removes_every_row_of_it_and_names_only_its_own_files(
    studio, session_factory, tmp_path
):
    store = studio.store
    doomed = session_factory([(300, 200)] * 3, client="Gone Family")
    kept = session_factory([(300, 200)], client="Kept Family")
    images = store.images(doomed)
    # The same photo in both sessions: its cached preview is shared and must stay.
    shared = store.images(kept)[0]
    store.add_image(
        doomed,
        file_name="shared.jpg",
        source_path=shared.source_path,
        content_hash="shared",
        width=300,
        height=200,
        capture_time="2026-05-01T11:00:00",
        preview_path=shared.preview_path,
        thumb_path=shared.thumb_path,
    )
    store.append_events(doomed, [{"kind": "decide", "image": images[0].id, "decision": "keep"}])
    PrivateNotes(store).set(images[0].id, "Grandma's favourite")
    issue_wall_token(store, doomed)
    photo = add_wall_photo(store, doomed, str(tmp_path / "wall.jpg"), 4000, 3000)
    save_wall_calibration(store, photo.id, WallCalibration((0, 0), (0, 800), 80))
    update_details(store, doomed, ClientDetails("Gone Family", email="g@example.com"))
    with store.transaction():
        store.db.conn.execute(
            "insert into session_views (session_id, screen, updated) values (?, 'select', 't')",
            [doomed],
        )

    files = delete_session(store, doomed, showing=kept)

    assert files == sorted(
        {i.preview_path for i in images} | {i.thumb_path for i in images} | {photo.path}
    )
    assert shared.preview_path not in files
    for table in store.db.table_names():
        columns = {c.name for c in store.db[table].columns}
        if "session_id" in columns:
            left = store.db.execute(
                f"select count(*) from [{table}] where session_id = ?", [doomed]
            ).fetchone()[0]
            assert left == 0, table
    assert store.db.execute("select count(*) from private_notes").fetchone()[0] == 0
    assert [s.id for s in store.sessions()] == [kept]
    assert len(store.images(kept)) == 1
    assert store.db.execute("pragma foreign_key_check").fetchall() == []


def test_a_session_with_an_invoice_or_on_the_tv_is_never_deleted(studio, session_factory):
    from kiosk.checkout.settings import save_studio_details
    from tests.checkout.conftest import STUDIO

    sold = session_factory([(300, 200)] * 2, client="Sold Family")
    on_tv = session_factory([(300, 200)], client="Watching Family")
    save_studio_details(studio.store, STUDIO)
    confirm(studio, sold, load(ROOT / "assets" / "pricelist.toml"))

    with pytest.raises(SessionKept, match="Sold Family's session has an invoice.*Archive"):
        delete_session(studio.store, sold, showing=on_tv)
    with pytest.raises(SessionKept, match="Watching Family's session is on the TV now"):
        delete_session(studio.store, on_tv, showing=on_tv)
    assert {s.id for s in studio.store.sessions()} == {sold, on_tv}
    assert len(studio.store.images(sold)) == 2
    assert not studio.store.db.conn.in_transaction


def test_a_delete_that_fails_half_way_changes_nothing(studio, session_factory):
    doomed = session_factory([(300, 200)] * 2, client="Gone Family")
    # A table added later, by someone who forgot its foreign key's rows: the delete must not
    # leave the session half gone.
    with studio.store.transaction():
        studio.store.db.conn.execute(
            "create table later (id integer primary key, image_id integer not null "
            "references images(id))"
        )
        studio.store.db.conn.execute(
            "create trigger refuse before delete on later begin "
            "select raise(abort, 'kept on purpose'); end"
        )
        studio.store.db.conn.execute(
            "insert into later (image_id) values (?)", [studio.store.images(doomed)[0].id]
        )
    with pytest.raises(sqlite3.IntegrityError):
        delete_session(studio.store, doomed, showing=None)
    assert len(studio.store.images(doomed)) == 2
    assert studio.store.session(doomed).client == "Gone Family"


def test_a_search_finds_words_starting_with_what_was_typed_and_follows_every_change(studio):
    ada = create_session(studio.store, ADA).id
    zoe = create_session(
        studio.store,
        ClientDetails("Zoë Ó Briain", email="zoe.ob@example.ie", phone="+353 (1) 555-0199"),
    ).id
    ids = lambda text: [r.id for r in session_summaries(studio.store, search=text)]  # noqa: E731

    assert ids("park ADA") == [ada] and ids("pa") == [ada]  # any order, any case, a word's start
    assert ids("zoe") == [zoe] and ids("ZOË ó") == [zoe] and ids("brIAIN") == [zoe]
    assert ids("zoe.ob@ex") == [zoe] and ids("zoe.ob@example.ie") == [zoe]
    assert ids("555-0199") == [zoe] and ids("35315550199") == [zoe] and ids("0199") == [zoe]
    assert ids("ark") == []  # the middle of a word is not the start of one
    # Whatever is typed is text, never the index's own syntax.
    for typed in ('"', 'Ada" OR "Zo', "Ada*x", "NEAR(a b)", "ada AND x", "''", "a\\b"):
        assert ids(typed) == [], typed
    assert ids("-ada") == [ada]  # a dash is not the index's "not"
    assert count_sessions(studio.store, search="a") == 1

    assert ids("Lovelace") == []
    update_details(studio.store, ada, replace(ADA, client="Ada Lovelace", partner=""))
    assert ids("Lovelace") == [ada] and ids("Park") == []
    studio.store.db.execute("delete from sessions where id = ?", [zoe])
    assert ids("Briain") == []

    # The count the Sessions page asks for reads the index, not every session's row.
    asked: list[str] = []
    studio.store.db.conn.set_trace_callback(asked.append)
    assert count_sessions(studio.store, search="Lovelace") == 1
    studio.store.db.conn.set_trace_callback(None)
    query = next(q for q in asked if "sessions_search" in q)
    plan = [row[-1] for row in studio.store.db.execute("explain query plan " + query)]
    assert any("VIRTUAL TABLE INDEX" in step for step in plan), plan
    assert any(step.startswith("SEARCH s USING INTEGER PRIMARY KEY") for step in plan), plan


def test_the_quiet_moment_merges_the_search_index_and_every_client_is_still_found(studio):
    clients = [ClientDetails(f"Client {n:03d} Park") for n in range(40)]
    made = [create_session(studio.store, client).id for client in clients]
    pieces = "select count(*) from sessions_search_data"
    before = studio.store.db.execute(pieces).fetchone()[0]
    refresh_indexes(studio.store)
    assert studio.store.db.execute(pieces).fetchone()[0] < before
    assert [r.id for r in session_summaries(studio.store, search="park")] == made[::-1]
    assert [r.id for r in session_summaries(studio.store, search="client 007")] == [made[7]]
