"""The upkeep round, beside the daily backup in the kiosk's loop: the cache kept within its
budget every `LOOK_EVERY`, and once a day, at the daily backup's kind of quiet moment, closed
sessions compacted and the database analysed and vacuumed.

What must stay true: none of it runs on the loop's thread (the round's work runs in a worker
thread with a connection of its own), and the tidying never while a client is deciding.

    upkeep = Upkeep(studio, on_tv=lambda: app.session.id)
    upkeep.run_once()                                    # what it did, for the log
    asyncio.ensure_future(keep_tidy(upkeep))             # in the kiosk
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from kiosk.core.upkeep import tidy_due
from kiosk.store.backups import last_event_time
from kiosk.store.db import Store
from kiosk.store.upkeep import last_tidy, tidy
from kiosk.studio import Studio
from kiosk.upkeep.cache import Removed, cache_budget, keep_within_budget
from kiosk.upkeep.compact import compact_closed

log = logging.getLogger(__name__)

LOOK_EVERY = 600.0  # seconds between two rounds


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Round:
    removed: Removed
    compacted: list[int]
    tidied: bool


class Upkeep:
    def __init__(
        self,
        studio: Studio,
        on_tv: Callable[[], int | None] = lambda: None,
        *,
        clock: Callable[[], datetime] = local_now,
    ) -> None:
        self.studio = studio
        self.on_tv = on_tv
        self.clock = clock  # aware: tests pass a fake one
        cache_budget(studio)  # the free space at the first start is measured now, if never before

    def run_once(self) -> Round:
        """One round, with a connection of this thread's own."""
        store = Store(self.studio.paths.database)
        try:
            return self._round(store)
        finally:
            store.close()

    def _round(self, store: Store) -> Round:
        now = self.clock()
        studio = replace(self.studio, store=store)
        budget, cache = cache_budget(studio), self.studio.paths.cache
        removed = keep_within_budget(store, cache, budget, now.astimezone(UTC), self.on_tv())
        last_event = last_event_time(self.studio.paths.database)
        idle = now - last_event if last_event is not None else None
        local = now.replace(tzinfo=None)
        if not tidy_due(local, last_tidy=last_tidy(store), idle=idle):
            return Round(removed, [], False)
        compacted = compact_closed(store, now.astimezone(UTC))
        tidy(store, local)
        return Round(removed, compacted, True)


async def keep_tidy(upkeep: Upkeep, interval: float = LOOK_EVERY) -> None:
    """A round every `interval` seconds, until cancelled; the work runs in a thread."""
    while True:
        await asyncio.sleep(interval)
        try:
            done = await asyncio.to_thread(upkeep.run_once)
        except Exception:  # the round must outlive any one failure
            log.exception("The studio's upkeep round failed")
        else:
            if done.removed.files or done.tidied:
                log.info(
                    "Upkeep: %d cache files removed (%d bytes), %d logs compacted%s",
                    done.removed.files,
                    done.removed.freed,
                    len(done.compacted),
                    ", database tidied" if done.tidied else "",
                )
