"""The backup rules: names, when the daily backup is due, which backups rotation keeps."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.core.backups import QUIET, BackupName, backup_due, is_stale, to_keep

NOW = datetime(2026, 12, 4, 15, 41)  # a Friday


def test_a_backup_name_reads_back_as_the_same_time_and_kind():
    for daily in (False, True):
        name = BackupName(datetime(2026, 12, 4, 3, 0, 7), daily)
        assert BackupName.parse(str(name)) == name
    assert str(BackupName(datetime(2026, 12, 4, 3, 0, 7), True)) == "reveal-daily-2026-12-04-030007"
    for other in (".partial-reveal-daily-2026-12-04-030007", "reveal-daily-yesterday", "photos"):
        assert BackupName.parse(other) is None


def test_the_daily_backup_waits_for_ten_quiet_minutes_and_runs_once_a_day():
    yesterday = NOW - timedelta(days=1)
    assert backup_due(NOW, last_daily=None, idle=None)
    assert backup_due(NOW, last_daily=yesterday, idle=QUIET)
    assert not backup_due(NOW, last_daily=yesterday, idle=QUIET - timedelta(seconds=1))
    assert not backup_due(NOW, last_daily=NOW.replace(hour=0, minute=1), idle=timedelta(hours=9))
    # Past midnight a new day's backup is due, even an hour after the last one.
    late = datetime(2026, 12, 4, 23, 30)
    assert backup_due(late + timedelta(hours=1), last_daily=late, idle=timedelta(hours=1))


def test_rotation_keeps_the_newest_of_seven_days_and_of_four_weeks():
    # Sixty days with a backup at 03:00, and a second one at 14:00 on the last three days.
    days = [NOW.replace(hour=3, minute=0) - timedelta(days=n) for n in range(60)]
    extra = [NOW.replace(hour=14, minute=0) - timedelta(days=n) for n in range(1, 3)]
    kept = to_keep(days + extra)
    # Dec 4 (03:00), Dec 3 and 2 (14:00), Dec 1, Nov 30, 29, 28: the last seven days...
    dailies = {days[0], extra[0], extra[1], *days[3:7]}
    # ...and the newest of this ISO week (Dec 4) and of the three before: the Sundays.
    sundays = {datetime(2026, 11, d, 3, 0) for d in (29, 22, 15)}
    assert kept == dailies | sundays
    assert len(kept) == 9


def test_rotation_with_gaps_counts_days_that_have_a_backup():
    taken = [datetime(2026, 1, 1) + timedelta(days=10 * n) for n in range(9)]
    assert to_keep(taken) == set(taken[-7:]) | set(taken[-4:])
    assert to_keep([]) == set()


def test_a_last_backup_older_than_two_days_is_stale():
    assert is_stale(None, NOW)
    assert not is_stale(NOW - timedelta(days=2), NOW)
    assert is_stale(NOW - timedelta(days=2, minutes=1), NOW)
