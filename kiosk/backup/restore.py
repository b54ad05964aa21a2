"""Restoring a studio from a backup.

What must stay true: a backup is checked whole before anything of the studio is touched, and
nothing is lost by restoring. Every file is copied into the studio folder first and checked
there against the manifest (size and SHA-256: a truncated or altered file is refused), the
database copy passes SQLite's integrity check and has a schema version this Reveal knows; only
then is what it replaces moved aside, into `replaced/<time>/`, and the checked copies moved in
(renames on one disk). A refused backup changes nothing.

    kept = restore_backup(Path("/mnt/nas/reveal/reveal-daily-2026-12-03-030000"), studio_paths)
    kept       # <studio>/replaced/2026-12-04-154100: the database and files it replaced

The kiosk must not be running (its open database would be replaced under it): `main.py restore`
checks its port first.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from kiosk.backup.manifest import ELSEWHERE, Manifest, file_digest, read_manifest
from kiosk.backup.take import FILES, FOLDERS
from kiosk.config import StudioPaths
from kiosk.core.errors import BackupError
from kiosk.store.backups import check_database
from kiosk.store.db import DB_NAME

REPLACED = "replaced"
# What a restore replaces as a whole: the database with its WAL files, and what a backup takes.
_REPLACED_NAMES = (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", *FILES, *FOLDERS)


def restore_backup(backup: Path, paths: StudioPaths, *, now: datetime | None = None) -> Path:
    """Replace the studio's database and files with the backup's; the folder where what was
    replaced is kept. BackupError, and no change, when the backup cannot be trusted."""
    backup = Path(backup)
    manifest = read_manifest(backup)
    if DB_NAME not in manifest.files:
        raise BackupError(f"{backup} holds no {DB_NAME}: it cannot be restored.")
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    paths.root.mkdir(parents=True, exist_ok=True)
    staging = paths.root / f".restoring-{stamp}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _stage(backup, manifest, staging)
        check_database(staging / DB_NAME)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(
            f"The backup in {backup} cannot be read whole ({exc.strerror or exc}); nothing was "
            "changed. Check that its disk or share is reachable."
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # The backup's own files and folders (a logo kept in the studio folder too), in place of
    # the studio's; what a backup takes but this one has not is moved aside as well.
    restored = sorted({Path(name).parts[0] for name in manifest.files} - {ELSEWHERE})
    kept = paths.root / REPLACED / stamp
    kept.mkdir(parents=True, exist_ok=True)
    for name in dict.fromkeys([*_REPLACED_NAMES, *restored]):
        if (paths.root / name).exists():
            os.replace(paths.root / name, kept / name)
    for name in restored:
        os.replace(staging / name, paths.root / name)
    _put_back_elsewhere(staging, manifest)
    shutil.rmtree(staging, ignore_errors=True)
    return kept


def _stage(backup: Path, manifest: Manifest, staging: Path) -> None:
    """Copy every file of the manifest into `staging`, each checked as it arrives."""
    staging.mkdir(mode=0o700)
    for name, (size, digest) in manifest.files.items():
        source = backup / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise BackupError(f"The backup names a file outside itself ({name}): refused.")
        if not source.is_file():
            raise BackupError(
                f"The backup in {backup} is missing {name}: it cannot be restored whole. "
                "Choose an older backup."
            )
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        if file_digest(target) != (size, digest):
            raise BackupError(
                f"{name} in the backup {backup} is not the file that was backed up (it is "
                "truncated or altered): the backup is damaged and cannot be restored. Nothing "
                "was changed; choose an older backup."
            )


def _put_back_elsewhere(staging: Path, manifest: Manifest) -> None:
    """Files from outside the studio folder (logo, originals) go back where they were, only
    where nothing is there now: a file outside the studio folder is never overwritten."""
    for stored, original in manifest.elsewhere.items():
        target = Path(original)
        if stored.startswith(f"{ELSEWHERE}/") and not target.exists():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(staging / stored, target)
            except OSError:
                continue  # a card no longer mounted: the file stays in the backup
