"""The upkeep round with a fake clock: the cache brought within budget every round, the logs
compacted and the database tidied once a day, and never while a client is deciding."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from kiosk.core.cart import AddLine
from kiosk.core.selection import Decide, Decision
from kiosk.live import LiveSession
from kiosk.store.upkeep import FIRST_FREE, last_tidy
from kiosk.upkeep.cache import cache_contents
from kiosk.upkeep.rounds import Upkeep

ZONE = timezone(timedelta(hours=1))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def cached(studio, tmp_path, name: str, size: int) -> int:
    session = studio.store.create_session(name)
    preview = studio.paths.cache / f"{name}.jpg"
    preview.write_bytes(b"p" * size)
    studio.store.add_image(
        session.id,
        file_name="a.jpg",
        source_path=str(tmp_path / "a.jpg"),
        content_hash=name,
        width=4,
        height=3,
        capture_time="2026-01-01T10:00:00",
        preview_path=str(preview),
        thumb_path="",
    )
    return session.id


def test_a_round_keeps_the_cache_within_budget_and_tidies_once_a_quiet_day(studio, tmp_path):
    small = replace(studio, settings=replace(studio.settings, cache_max_gb=0.000_001_5))  # 1500 B
    first = cached(studio, tmp_path, "first", 1000)
    tv = cached(studio, tmp_path, "tv", 1000)
    clock = Clock(datetime(2026, 12, 4, 3, 0, tzinfo=ZONE))
    upkeep = Upkeep(small, on_tv=lambda: tv, clock=clock)
    assert studio.store.setting(FIRST_FREE) is not None  # the free space at the first start

    done = upkeep.run_once()

    assert done.removed.plan.previews == (first,) and done.removed.files == 1
    assert cache_contents(studio.store, studio.paths.cache).size == 1000
    assert done.tidied and last_tidy(studio.store) == datetime(2026, 12, 4, 3, 0)
    clock.now += timedelta(hours=2)
    assert not upkeep.run_once().tidied  # once a day


def test_no_tidying_while_a_client_is_deciding(studio, session_factory):
    live = LiveSession(studio.store, session_factory([(60, 40)] * 2), studio.pricelist)
    live.do(Decide(live.images[0].id, Decision.KEEP))
    live.do(AddLine("print", "8x10", {}, (live.images[0].id,)))
    now = datetime.now().astimezone()
    upkeep = Upkeep(studio, clock=Clock(now + timedelta(minutes=2)))
    assert not upkeep.run_once().tidied
    upkeep.clock = Clock(now + timedelta(minutes=11))
    assert upkeep.run_once().tidied
