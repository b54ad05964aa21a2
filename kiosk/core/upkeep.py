"""The rules that keep a studio of many years as quick and as small as its first month: which
sessions' cached previews go when the cache is over its budget, which sessions' event logs may
be compacted, and when the database is tidied.

What must stay true: the session on the TV, and every session shown in the last `RECENT`, keep
their cache; the least recently shown sessions lose theirs first; thumbnails go only when
removing every other session's previews still leaves the cache over budget (a session whose
previews are gone still shows its thumbnails on the tablet, its contact sheet and its order
lines, so they are the last thing to give up); and the tidying runs only at a quiet moment, the
one the daily backup waits for (kiosk.core.backups), once a day.

    sessions = [CachedSession(1, shown=datetime(2025, 3, 1, tzinfo=UTC), previews=900, thumbs=50),
                CachedSession(2, shown=None, previews=800, thumbs=40)]
    plan = plan_eviction(sessions, budget=1000, now=datetime(2026, 1, 1, tzinfo=UTC), on_tv=None)
    plan.previews        # (2, 1): never shown first, then the oldest shown; thumbnails kept
    default_budget(free_bytes=500 * GB)     # 100 GB: 20% of the disk's free space
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.core.backups import backup_due
from kiosk.core.invoices import STATUSES

GB = 1_000_000_000
RECENT = timedelta(days=14)  # a session shown this recently keeps its cache
FREE_SHARE = 0.2  # the default budget: this share of the disk's free space at first start
CLOSED_AFTER = timedelta(days=30)  # an invoiced session untouched this long may be compacted
CLOSED_STATUSES = STATUSES  # an invoice in any status was confirmed: the session is closed


@dataclass(frozen=True)
class CachedSession:
    """What one session holds in the cache, in bytes, and when the TV last showed it (aware;
    None: never shown)."""

    session_id: int
    shown: datetime | None
    previews: int
    thumbs: int


@dataclass(frozen=True)
class Eviction:
    """Whose previews and whose thumbnails to remove, in that order, and the cache's size
    after it. `over` is True when even that leaves it over budget (only protected sessions
    are left)."""

    previews: tuple[int, ...] = ()
    thumbs: tuple[int, ...] = ()
    size_after: int = 0
    over: bool = False


def default_budget(free_bytes: int) -> int:
    """The cache's budget when the studio gives none: `FREE_SHARE` of the free space."""
    return int(free_bytes * FREE_SHARE)


def budget_from_setting(cache_max_gb: float, first_start_free: int) -> int:
    """The budget in bytes: `cache_max_gb` when set (> 0), else the default measured once, at
    the studio's first start, so the budget does not shrink as the cache itself fills the
    disk."""
    if cache_max_gb > 0:
        return int(cache_max_gb * GB)
    return default_budget(first_start_free)


def protected(session: CachedSession, now: datetime, on_tv: int | None) -> bool:
    """The session on the TV, or one shown in the last `RECENT`, keeps its cache."""
    if session.session_id == on_tv:
        return True
    return session.shown is not None and now - session.shown < RECENT


def eviction_order(
    sessions: Iterable[CachedSession], now: datetime, on_tv: int | None
) -> list[CachedSession]:
    """The sessions that may lose their cache, least recently shown first (never shown before
    any shown; then the older session first)."""
    candidates = [s for s in sessions if not protected(s, now, on_tv)]
    return sorted(
        candidates,
        key=lambda s: (s.shown is not None, s.shown or datetime.min, s.session_id),
    )


def plan_eviction(
    sessions: Iterable[CachedSession], budget: int, now: datetime, on_tv: int | None
) -> Eviction:
    """What to remove so the cache fits `budget`: previews of the least recently shown sessions
    first, and thumbnails (the same order) only if every evictable preview is not enough."""
    sessions = list(sessions)
    size = sum(s.previews + s.thumbs for s in sessions)
    if size <= budget:
        return Eviction(size_after=size)
    order = eviction_order(sessions, now, on_tv)
    previews: list[int] = []
    thumbs: list[int] = []
    for session in order:
        if size <= budget:
            break
        if session.previews:
            previews.append(session.session_id)
            size -= session.previews
    for session in order:
        if size <= budget:
            break
        if session.thumbs:
            thumbs.append(session.session_id)
            size -= session.thumbs
    return Eviction(tuple(previews), tuple(thumbs), size, size > budget)


def compactable(closed: bool, last_activity: datetime | None, now: datetime) -> bool:
    """A session's event log may be compacted into a snapshot plus its tail once it is closed
    (an invoice was confirmed) and nothing happened in it for `CLOSED_AFTER`."""
    return closed and last_activity is not None and now - last_activity >= CLOSED_AFTER


def tidy_due(now: datetime, *, last_tidy: datetime | None, idle: timedelta | None) -> bool:
    """Whether to compact, ANALYZE and VACUUM now: once a day, at the daily backup's kind of
    quiet moment (no client decision for `kiosk.core.backups.QUIET`). Local naive times, as
    `backup_due` takes them."""
    return backup_due(now, last_daily=last_tidy, idle=idle)


def missing_originals_message(client: str, missing: int, total: int) -> str:
    """What the tablet and the TV say when a session's previews were removed to keep the cache
    within its budget and its originals cannot be read (a removed USB stick)."""
    which = "its originals" if missing == total else f"{missing} of its {total} originals"
    return (
        f"{client}'s full-size previews were removed to keep the cache within its budget, and "
        f"{which} cannot be found to rebuild them. Plug in the drive that holds them and open "
        "the session again; its thumbnails, decisions and orders are all still here."
    )
