"""The studio's sessions as the photographer's list shows them: one row each, in one query.

    for row in session_summaries(store, search="park"):
        print(row.id, row.client, row.images, row.decided, row.last_activity, row.invoices)
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.store.db import Store


@dataclass(frozen=True)
class SessionSummary:
    id: int
    client: str
    email: str
    created: str
    images: int
    decided: int  # decide steps logged, undone ones included: a sense of progress, not a count
    last_activity: str | None  # the newest logged step, or None for a session never opened
    invoices: int
    total: int | None  # the newest invoice's total in cents, None without an invoice
    status: str | None  # the newest invoice's status


_SUMMARY = """
select s.id, s.client, s.email, s.created,
    (select count(*) from images i where i.session_id = s.id),
    (select count(*) from events e where e.session_id = s.id
        and json_extract(e.command, '$.kind') = 'decide'),
    (select max(e.time) from events e where e.session_id = s.id),
    (select count(*) from invoices v where v.session_id = s.id),
    (select v.total from invoices v where v.session_id = s.id order by v.number desc limit 1),
    (select v.status from invoices v where v.session_id = s.id order by v.number desc limit 1)
from sessions s
"""


def session_summaries(store: Store, search: str = "") -> list[SessionSummary]:
    """Every session, newest first; `search` keeps those whose client or e-mail contains it."""
    where, args = "", []
    if search.strip():
        where = "where s.client like ? escape '\\' or s.email like ? escape '\\'"
        pattern = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args = [pattern + "%", pattern + "%"]
    rows = store.db.execute(f"{_SUMMARY} {where} order by s.id desc", args).fetchall()
    return [SessionSummary(*row) for row in rows]


def has_invoice(store: Store, session_id: int) -> bool:
    row = store.db.execute("select 1 from invoices where session_id = ? limit 1", [session_id])
    return row.fetchone() is not None
