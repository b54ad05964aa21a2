"""The studio's sessions as the photographer runs them from the tablet: the list, one row each
in one query; a new session with its client's details; every change to those details logged
with the change; archiving; and deleting a session's rows, never one with an invoice.

    session = create_session(store, ClientDetails("Ada Park", "ada@example.com"))
    update_details(store, session.id, replace(details_of(session), email="ada@example.org"))
    for row in session_summaries(store, search="park"):
        print(row.id, row.client, row.images, row.decided, row.last_activity, row.invoices)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.core.clients import FIELDS, Change, ClientDetails, changes
from kiosk.core.errors import SessionKept
from kiosk.core.models import Session
from kiosk.core.sessions import kept_because
from kiosk.store.db import Store


@dataclass(frozen=True)
class SessionSummary:
    id: int
    client: str
    email: str
    created: str
    images: int
    # Images with a decision logged (an undone one too): a sense of progress read from the log
    # alone; the session on the TV has exact counts (LiveSession.counts).
    decided: int
    last_activity: str | None  # the newest logged step, or None for a session never opened
    invoices: int
    total: int | None  # the newest invoice's total in cents, None without an invoice
    status: str | None  # the newest invoice's status
    partner: str
    shoot_date: str
    viewing_at: str
    archived: str | None


@dataclass(frozen=True)
class LoggedChange:
    time: str  # ISO-8601, UTC
    field: str
    old: str
    new: str


_SUMMARY = """
select s.id, s.client, s.email, s.created,
    (select count(*) from images i where i.session_id = s.id),
    coalesce((select p.decided from session_progress p where p.session_id = s.id), 0),
    (select max(e.time) from events e where e.session_id = s.id),
    (select count(*) from invoices v where v.session_id = s.id),
    (select v.total from invoices v where v.session_id = s.id order by v.number desc limit 1),
    (select v.status from invoices v where v.session_id = s.id order by v.number desc limit 1),
    s.partner, s.shoot_date, s.viewing_at, s.archived
from sessions s
"""
SEARCHED = ("client", "partner", "email", "phone")  # indexed in sessions_search
# A word as the index splits them: letters and digits, and an e-mail address kept whole.
WORD = re.compile(r"[\w@.+]+")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def session_summaries(
    store: Store,
    search: str = "",
    archived: bool = False,
    showing: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[SessionSummary]:
    """Every session, newest first; `search` keeps those whose client, second person, e-mail or
    phone contains it; archived ones only with `archived`, except the one `showing` on the TV,
    which is always there to be seen marked. `limit` rows from `offset` for a page of them:
    each row's counts are worked out for the rows of the page only, so the first page of a
    studio's five years costs what its first month does (bench/studio_years_bench.py)."""
    where, args = _filter(search, archived, showing)
    page = ""
    if limit is not None:
        page, args = " limit ? offset ?", [*args, limit, offset]
    # The page's ids first: the counts are then worked out for its rows only, not for every
    # match of a search before the sort keeps 60 of them.
    ids = f"select s.id from sessions s {where} order by s.id desc{page}"
    rows = store.db.execute(f"{_SUMMARY} where s.id in ({ids}) order by s.id desc", args).fetchall()
    return [SessionSummary(*row) for row in rows]


def count_sessions(
    store: Store, search: str = "", archived: bool = False, showing: int | None = None
) -> int:
    """How many sessions `session_summaries` lists with the same filter, all pages."""
    where, args = _filter(search, archived, showing)
    return store.db.execute(f"select count(*) from sessions s {where}", args).fetchone()[0]


def _filter(search: str, archived: bool, showing: int | None) -> tuple[str, list]:
    conditions, args = [], []
    if not archived:
        conditions.append("(s.archived is null or s.id = ?)")
        args.append(-1 if showing is None else showing)
    words = WORD.findall(search.lower())
    if words:
        # Every typed word starts a word of the client's details, in any order: "park ada"
        # finds "Ada Park". Each is quoted, so nothing typed is read as the index's syntax.
        query = " AND ".join('"' + w.replace('"', '""') + '"*' for w in words)
        conditions.append(
            "s.id in (select rowid from sessions_search where sessions_search match ?)"
        )
        args.append(query)
    elif search.strip():  # punctuation alone: the rows are read, as a contains-match
        text = search.strip()
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            "(" + " or ".join(f"s.{column} like ? escape '\\'" for column in SEARCHED) + ")"
        )
        args += [pattern] * len(SEARCHED)
    return (f"where {' and '.join(conditions)}" if conditions else ""), args


def has_invoice(store: Store, session_id: int) -> bool:
    row = store.db.execute("select 1 from invoices where session_id = ? limit 1", [session_id])
    return row.fetchone() is not None


def details_of(session: Session) -> ClientDetails:
    return ClientDetails(**{name: getattr(session, name) for name in FIELDS})


def create_session(store: Store, details: ClientDetails) -> Session:
    """A new session for this client, with no photos yet."""
    row = {name: getattr(details, name) for name in FIELDS}
    with store.transaction():
        session_id = store.db["sessions"].insert({**row, "created": _now()}).last_pk
    return store.session(session_id)


def update_details(store: Store, session_id: int, details: ClientDetails) -> list[Change]:
    """Store the client's details as given; each field that changed is logged with the change,
    in the same transaction. The changes (none when nothing changed)."""
    with store.transaction():
        changed = changes(details_of(store.session(session_id)), details)
        if changed:
            time = _now()
            store.db["sessions"].update(session_id, {c.field: c.new for c in changed})
            store.db["session_changes"].insert_all(
                {
                    "session_id": session_id,
                    "time": time,
                    "field": c.field,
                    "old": c.old,
                    "new": c.new,
                }
                for c in changed
            )
    return changed


def session_changes(store: Store, session_id: int) -> list[LoggedChange]:
    """Every logged change to the session's details, the newest edit first, and the fields of
    one edit in the form's order."""
    rows = store.db.execute(
        "select time, field, old, new from session_changes where session_id = ? "
        "order by time desc, id",
        [session_id],
    )
    return [LoggedChange(*row) for row in rows]


def set_archived(store: Store, session_id: int, archived: bool) -> Session:
    """Archive the session (hidden from the default list, every row kept) or bring it back."""
    with store.transaction():
        store.session(session_id)  # StudioError for a wrong id
        store.db["sessions"].update(session_id, {"archived": _now() if archived else None})
    return store.session(session_id)


def delete_session(store: Store, session_id: int, showing: int | None) -> list[str]:
    """Delete the session and every row that hangs on it (images, events, notes, wall photos,
    …), found through the database's foreign keys so a table added later goes too; all or
    nothing. Refused (SessionKept) for a session with an invoice or the one on the TV, checked
    in the same transaction. The files its rows named that no other row names: the caller
    removes those it owns."""
    with store.transaction():
        session = store.session(session_id)
        reason = kept_because(session.client, has_invoice(store, session_id), session_id == showing)
        if reason:
            raise SessionKept(reason)
        named = _files_of(store, session_id)
        _delete_rows(store, "sessions", "id", "?", [session_id])
        still = {path for (path,) in store.db.execute(_FILES_IN_USE)}
    return sorted(named - still)


_FILES = """
select preview_path from images where session_id = ?1
union select thumb_path from images where session_id = ?1
union select path from wall_photos where session_id = ?1
"""
_FILES_IN_USE = """
select preview_path from images union select thumb_path from images
union select path from wall_photos
"""


def _files_of(store: Store, session_id: int) -> set[str]:
    return {path for (path,) in store.db.execute(_FILES, [session_id]) if path}


def _delete_rows(store: Store, table: str, column: str, selected: str, args: list) -> None:
    """Delete the rows of `table` whose `column` is in `selected` (SQL), the rows that point at
    them first, depth first: foreign keys are on, so a row left pointing refuses the delete."""
    for other in store.db.table_names():
        for key in store.db.conn.execute(f"pragma foreign_key_list([{other}])").fetchall():
            target, source, target_column = key[2], key[3], key[4]
            if target == table:
                rows = f"select [{target_column or 'rowid'}] from [{table}] where [{column}] in "
                _delete_rows(store, other, source, f"{rows}({selected})", args)
    store.db.conn.execute(f"delete from [{table}] where [{column}] in ({selected})", args)
