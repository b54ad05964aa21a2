"""What a studio holds after years, read and tidied: each session's cached files and when the TV
last showed it (the cache budget's input), the studio's counts for `main.py studio-stats`, the
closed sessions whose logs may be compacted, and ANALYZE/VACUUM.

    for row in cached_files(store):   # (session_id, shown, preview_path, thumb_path)
        ...
    stats = studio_counts(store)      # {"sessions": 3000, "images": 120000, ...}
    tidy(store)                       # ANALYZE, then VACUUM: only at a quiet moment
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.core.upkeep import CLOSED_STATUSES
from kiosk.store.db import Store

LAST_TIDY = "upkeep_last_tidy"  # settings key: when the database was last tidied (local ISO)
FIRST_FREE = "cache_first_free_bytes"  # settings key: the disk's free space at first start


@dataclass(frozen=True)
class CachedFile:
    session_id: int
    shown: datetime | None  # aware, UTC; None: never shown on the TV
    preview_path: str
    thumb_path: str


def cached_files(store: Store) -> list[CachedFile]:
    """Every image's cache files, with its session's last showing on the TV."""
    rows = store.db.execute(
        "select i.session_id, v.updated, i.preview_path, i.thumb_path from images i "
        "left join session_views v on v.session_id = i.session_id"
    )
    return [CachedFile(sid, _aware(shown), p or "", t or "") for sid, shown, p, t in rows]


def _aware(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    when = datetime.fromisoformat(stamp)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def studio_counts(store: Store) -> dict[str, int]:
    """Rows of what a studio accumulates: sessions, images, events, invoices, e-mails."""
    tables = {
        "sessions": "sessions",
        "images": "images",
        "events": "events",
        "invoices": "invoices",
        "emails": "outbox",
        "snapshots": "event_snapshots",
    }
    return {
        name: store.db.execute(f"select count(*) from [{table}]").fetchone()[0]
        for name, table in tables.items()
    }


def database_bytes(store: Store) -> int:
    """The database's size on disk, its write-ahead log included."""
    total = 0
    for suffix in ("", "-wal"):
        path = store.path.with_name(store.path.name + suffix)
        if path.exists():
            total += path.stat().st_size
    return total


def closed_sessions(store: Store) -> list[tuple[int, datetime | None]]:
    """Sessions with a confirmed invoice, each with its newest logged step (aware)."""
    marks = ", ".join("?" for _ in CLOSED_STATUSES)
    rows = store.db.execute(
        "select s.id, (select max(e.time) from events e where e.session_id = s.id) "
        f"from sessions s where exists (select 1 from invoices v where v.session_id = s.id "
        f"and v.status in ({marks}))",
        list(CLOSED_STATUSES),
    )
    return [(sid, _aware(last)) for sid, last in rows]


def last_tidy(store: Store) -> datetime | None:
    stamp = store.setting(LAST_TIDY)
    return datetime.fromisoformat(stamp) if stamp else None


def refresh_indexes(store: Store) -> None:
    """Merge the client search's index into one piece (each session added wrote a small one,
    and a search reads every piece) and refresh the planner's statistics."""
    store.db.execute("insert into sessions_search(sessions_search) values ('optimize')")
    store.db.execute("ANALYZE")


def tidy(store: Store, when: datetime) -> None:
    """Refresh the indexes and give back the space of deleted rows. VACUUM rewrites the whole
    file and holds the write lock while it does: only at a quiet moment."""
    refresh_indexes(store)
    store.db.execute("VACUUM")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.set_setting(LAST_TIDY, when.isoformat(timespec="seconds"))
