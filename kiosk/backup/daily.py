"""The daily backup: taken by itself at the first quiet moment of each day, then rotated.

What must stay true: it never runs while a client is deciding (the rules are
kiosk.core.backups), never on the loop's thread (the copy and the hashing run in a worker
thread), and a failure (a share that is down, a full disk) is kept for the settings page and
doctor to show, and tried again later rather than every minute.

    daily = DailyBackups.of(studio)   # into the studio's backup folder
    daily.run_once()          # a backup when one is due, then rotation; else None
    asyncio.ensure_future(keep_backing_up(daily))     # beside the outbox, in the kiosk
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.backup import backup_folder
from kiosk.backup.manifest import Backup, list_backups
from kiosk.backup.take import remove_partial, take_backup
from kiosk.config import StudioPaths
from kiosk.core.backups import backup_due, to_keep
from kiosk.core.errors import BackupError
from kiosk.store.backups import last_event_time
from kiosk.studio import Studio

log = logging.getLogger(__name__)

LOOK_EVERY = 60.0  # seconds between two looks at whether the backup is due
RETRY_AFTER = timedelta(minutes=30)  # after a failed backup


def local_now() -> datetime:
    return datetime.now().astimezone()


class DailyBackups:
    def __init__(
        self, paths: StudioPaths, folder: Path, *, clock: Callable[[], datetime] = local_now
    ) -> None:
        self.paths = paths
        self.folder = Path(folder)
        self.clock = clock  # an aware datetime: tests pass a fake one
        self.last_error: str = ""
        self._failed_at: datetime | None = None

    @classmethod
    def of(cls, studio: Studio) -> DailyBackups:
        """The daily round of a studio, into its backup folder."""
        return cls(studio.paths, backup_folder(studio.paths, studio.settings))

    def due(self) -> bool:
        now = self.clock()
        if self._failed_at is not None and now - self._failed_at < RETRY_AFTER:
            return False
        last_event = last_event_time(self.paths.database)
        idle = now - last_event if last_event is not None else None
        if idle is not None and not backup_due(now, last_daily=None, idle=idle):
            return False  # a client is deciding: not even a look at the backup folder
        dailies = [b.name.taken for b in list_backups(self.folder) if b.name.daily]
        return backup_due(
            now.replace(tzinfo=None), last_daily=max(dailies, default=None), idle=idle
        )

    def run_once(self) -> Backup | None:
        """Take the daily backup if it is due and rotate; the backup taken, or None."""
        if not self.due():
            return None
        remove_partial(self.folder)
        try:
            backup = take_backup(self.paths, self.folder, daily=True, now=self.clock())
        except BackupError as exc:
            self.last_error, self._failed_at = str(exc), self.clock()
            raise
        self.last_error, self._failed_at = "", None
        self.rotate()
        return backup

    def rotate(self) -> list[Path]:
        """Delete the daily backups rotation does not keep; the folders deleted."""
        dailies = [b for b in list_backups(self.folder) if b.name.daily]
        keep = to_keep(b.name.taken for b in dailies)
        gone = [b.path for b in dailies if b.name.taken not in keep]
        for path in gone:
            shutil.rmtree(path, ignore_errors=True)
        return gone


async def keep_backing_up(daily: DailyBackups, interval: float = LOOK_EVERY) -> None:
    """Look every `interval` seconds, until cancelled; the work runs in a thread."""
    while True:
        await asyncio.sleep(interval)
        try:
            backup = await asyncio.to_thread(daily.run_once)
        except BackupError as exc:
            log.warning("The daily backup failed: %s", exc)
        except Exception:  # the round must outlive any one failure
            log.exception("The daily backup failed")
        else:
            if backup is not None:
                log.info("Daily backup taken: %s (%d bytes)", backup.path, backup.size)
