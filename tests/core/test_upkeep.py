"""The cache budget's rules, compaction's and the quiet moment's, with a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.core.upkeep import (
    GB,
    CachedSession,
    budget_from_setting,
    compactable,
    default_budget,
    missing_originals_message,
    plan_eviction,
    tidy_due,
)

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_least_recently_shown_previews_go_first_and_never_shown_before_any_shown():
    sessions = [
        CachedSession(1, days_ago(300), previews=100, thumbs=10),
        CachedSession(2, days_ago(30), previews=100, thumbs=10),
        CachedSession(3, None, previews=100, thumbs=10),
        CachedSession(4, days_ago(400), previews=100, thumbs=10),
    ]
    plan = plan_eviction(sessions, budget=240, now=NOW, on_tv=None)
    assert plan.previews == (3, 4)  # 440 -> 240: the never-shown one, then the oldest shown
    assert plan.thumbs == ()
    assert plan.size_after == 240 and not plan.over


def test_the_session_on_the_tv_and_those_shown_in_the_last_14_days_keep_their_cache():
    sessions = [
        CachedSession(1, days_ago(13.9), previews=500, thumbs=10),
        CachedSession(2, days_ago(900), previews=500, thumbs=10),  # on the TV
        CachedSession(3, days_ago(14.1), previews=500, thumbs=10),
    ]
    plan = plan_eviction(sessions, budget=100, now=NOW, on_tv=2)
    assert plan.previews == (3,)
    assert plan.thumbs == (3,)  # previews were not enough: the evictable thumbnails next
    assert plan.over  # what is left belongs to protected sessions


def test_thumbnails_go_only_when_every_evictable_preview_is_not_enough():
    sessions = [
        CachedSession(1, days_ago(100), previews=50, thumbs=40),
        CachedSession(2, days_ago(200), previews=50, thumbs=40),
    ]
    assert plan_eviction(sessions, budget=90, now=NOW, on_tv=None).thumbs == ()
    plan = plan_eviction(sessions, budget=60, now=NOW, on_tv=None)
    assert plan.previews == (2, 1) and plan.thumbs == (2,)
    assert plan.size_after == 40


def test_within_budget_nothing_is_removed():
    sessions = [CachedSession(1, None, previews=50, thumbs=5)]
    plan = plan_eviction(sessions, budget=55, now=NOW, on_tv=None)
    assert plan.previews == () and plan.thumbs == () and plan.size_after == 55


def test_the_default_budget_is_a_fifth_of_the_free_space_at_first_start():
    assert default_budget(500 * GB) == 100 * GB
    assert budget_from_setting(0.0, first_start_free=500 * GB) == 100 * GB
    assert budget_from_setting(12.5, first_start_free=500 * GB) == 12_500_000_000


def test_only_a_closed_session_quiet_for_30_days_is_compacted():
    assert compactable(True, days_ago(31), NOW)
    assert not compactable(True, days_ago(29), NOW)
    assert not compactable(False, days_ago(400), NOW)
    assert not compactable(True, None, NOW)


def test_the_tidying_waits_for_the_backups_quiet_moment_once_a_day():
    now = datetime(2026, 12, 4, 3, 0)
    assert tidy_due(now, last_tidy=None, idle=timedelta(minutes=11))
    assert not tidy_due(now, last_tidy=None, idle=timedelta(minutes=2))  # a client deciding
    assert not tidy_due(now, last_tidy=datetime(2026, 12, 4, 1, 0), idle=None)
    assert tidy_due(now, last_tidy=datetime(2026, 12, 3, 1, 0), idle=None)


def test_missing_originals_are_said_in_words():
    text = missing_originals_message("Ada Park", 3, 40)
    assert "3 of its 40 originals" in text and "thumbnails" in text
    assert "its originals cannot be found" in missing_originals_message("Ada Park", 40, 40)
