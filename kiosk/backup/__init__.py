"""The studio's backups: taken by hand (`main.py backup`) or daily by the kiosk, restored with
`main.py restore`. Their rules (names, when the daily one is due, rotation) are
kiosk.core.backups; the database copy and its checks are kiosk.store.backups.

- `take.py`: one backup into a folder (SQLite's online backup API, then the files)
- `restore.py`: a backup checked whole, then put in place of the studio's files
- `daily.py`: the daily round and its rotation
- `manifest.py`: what a backup holds and how it proves it is whole
"""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Settings, StudioPaths


def backup_folder(paths: StudioPaths, settings: Settings) -> Path:
    """Where backups go: the `backup_folder` setting (another disk, a network share), else
    `backups/` inside the studio folder."""
    if settings.backup_folder:
        return Path(paths.named(settings.backup_folder))
    return paths.root / "backups"
