"""The rules of the studio's backups: what a backup is called, when the daily one is due, which
ones rotation keeps, and when the last one is too old.

What must stay true: the daily backup never runs while a client is deciding (no decision for
`QUIET` before it), runs once a day, and rotation only ever deletes daily backups: a backup the
photographer took by hand is theirs to delete.

    name = BackupName(datetime(2026, 12, 4, 3, 0), daily=True)
    str(name)                                   # 'reveal-daily-2026-12-04-030000'
    BackupName.parse("reveal-daily-2026-12-04-030000") == name      # True
    backup_due(now, last_daily=None, idle=timedelta(minutes=12))    # True: quiet, none today
    to_keep([...60 days of daily backups...])   # the newest of each of 7 days and of 4 weeks

Times are the kiosk's local wall-clock time without a zone, as a photographer reads them in
the folder's names; the caller converts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

QUIET = timedelta(minutes=10)  # no client decision for this long: the daily backup may run
STALE = timedelta(days=2)  # a last backup older than this is shown in red, and doctor says so
KEEP_DAILY = 7  # the newest daily backup of each of the last 7 days that have one...
KEEP_WEEKLY = 4  # ...and of each of the last 4 weeks that have one
_PREFIXES = {False: "reveal-backup-", True: "reveal-daily-"}
_STAMP = "%Y-%m-%d-%H%M%S"


@dataclass(frozen=True, order=True)
class BackupName:
    """A backup's folder name: when it was taken, and whether by the daily round (`daily`) or
    by hand (`main.py backup`)."""

    taken: datetime
    daily: bool = False

    def __str__(self) -> str:
        return _PREFIXES[self.daily] + self.taken.strftime(_STAMP)

    @classmethod
    def parse(cls, name: str) -> BackupName | None:
        """The backup a folder name stands for; None for any other name (a partial backup, a
        folder of the photographer's own)."""
        for daily, prefix in _PREFIXES.items():
            if name.startswith(prefix):
                try:
                    return cls(datetime.strptime(name.removeprefix(prefix), _STAMP), daily)
                except ValueError:
                    return None
        return None


def backup_due(now: datetime, *, last_daily: datetime | None, idle: timedelta | None) -> bool:
    """Whether the daily backup should run now: none yet today, and no client decision for
    `QUIET` (`idle` is the time since the last one; None when there has never been one)."""
    if last_daily is not None and last_daily.date() >= now.date():
        return False
    return idle is None or idle >= QUIET


def to_keep(taken: Iterable[datetime]) -> set[datetime]:
    """Which daily backups rotation keeps: the newest of each of the last `KEEP_DAILY` days that
    have one and the newest of each of the last `KEEP_WEEKLY` (ISO) weeks that have one. The
    others are deleted."""
    newest_first = sorted(set(taken), reverse=True)
    keep: set[datetime] = set()
    for period, count in ((_day, KEEP_DAILY), (_week, KEEP_WEEKLY)):
        seen: list[object] = []
        for when in newest_first:
            key = period(when)
            if key not in seen:
                if len(seen) == count:
                    break
                seen.append(key)
                keep.add(when)
    return keep


def is_stale(last: datetime | None, now: datetime) -> bool:
    """True when the last backup is older than `STALE`, or there is none."""
    return last is None or now - last > STALE


def _day(when: datetime) -> object:
    return when.date()


def _week(when: datetime) -> object:
    year, week, _ = when.isocalendar()
    return year, week
