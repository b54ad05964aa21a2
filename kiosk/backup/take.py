"""Taking a backup of a studio, while the kiosk runs or not.

What must stay true: a folder with a backup's name is a whole backup. It is built under a
hidden `.partial` name and renamed when its manifest is written, so a backup cut short (a power
cut, a full disk, a share that went away) never looks like one; the next round removes it.

    backup = take_backup(studio.paths, Path("/mnt/nas/reveal"))
    backup.path        # /mnt/nas/reveal/reveal-backup-2026-12-04-154100
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from kiosk.backup.manifest import (
    ELSEWHERE,
    MANIFEST,
    Backup,
    Manifest,
    file_digest,
)
from kiosk.checkout.settings import studio_details
from kiosk.config import StudioPaths
from kiosk.core.backups import BackupName
from kiosk.core.errors import BackupError
from kiosk.setup.secrets import SECRETS_FILE
from kiosk.store.backups import copy_database
from kiosk.store.db import DB_NAME, Store

# What of the studio folder a backup takes, beside the database (the cache is made again by
# import; exports can be made again from the orders).
FILES = ("settings.toml", "pricelist.toml", SECRETS_FILE)  # the secrets keep their 0600
FOLDERS = ("walls", "mockups")
PARTIAL = ".partial-"


def take_backup(
    paths: StudioPaths,
    folder: Path,
    *,
    daily: bool = False,
    with_originals: bool = False,
    now: datetime | None = None,
) -> Backup:
    """Back the studio up into a new folder inside `folder`; the backup taken."""
    when = (now or datetime.now().astimezone()).replace(microsecond=0)
    name = BackupName(when.replace(tzinfo=None), daily)
    folder = Path(folder)
    final = folder / str(name)
    work = folder / f"{PARTIAL}{name}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if final.exists():
            raise BackupError(f"{final} already exists; wait a second and try again.")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(mode=0o700)  # it holds the clients' details and the studio's database
        manifest = _fill(paths, work, when, with_originals)
        (work / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        _sync(work)
        os.replace(work, final)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(
            f"The backup into {folder} failed ({exc.strerror or exc}). Check that the folder "
            "is reachable (a network share mounted, a disk plugged in) and has free space."
        ) from exc
    return Backup(name, final)


def remove_partial(folder: Path) -> None:
    """Remove backups that were cut short (see the module docstring)."""
    for leftover in Path(folder).glob(f"{PARTIAL}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _fill(paths: StudioPaths, work: Path, when: datetime, with_originals: bool) -> Manifest:
    version = copy_database(paths.database, work / DB_NAME)
    for name in FILES:
        if (paths.root / name).is_file():
            shutil.copy2(paths.root / name, work / name)
    for name in FOLDERS:
        if (paths.root / name).is_dir():
            shutil.copytree(paths.root / name, work / name)
    elsewhere: dict[str, str] = {}
    for source, stored in _from_elsewhere(paths, with_originals):
        target = work / stored
        if source.resolve().is_relative_to(paths.root.resolve()):
            stored = source.resolve().relative_to(paths.root.resolve()).as_posix()
            target = work / stored
        else:
            elsewhere[stored] = str(source)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    files = {
        path.relative_to(work).as_posix(): file_digest(path)
        for path in sorted(work.rglob("*"))
        if path.is_file()
    }
    return Manifest(when.isoformat(), version, files, elsewhere, with_originals)


def _from_elsewhere(paths: StudioPaths, with_originals: bool) -> Iterator[tuple[Path, str]]:
    """(file, its path in the backup) for the logo and, when asked, every session's originals."""
    store = Store(paths.database)
    try:
        logo_path = studio_details(store).logo
        logo = Path(logo_path) if logo_path else None
        if logo is not None and logo.is_file():
            yield logo, f"{ELSEWHERE}/logo/{logo.name}"
        if with_originals:
            for session in store.sessions():
                for image in store.images(session.id):
                    source = Path(image.source_path)
                    if source.is_file():
                        yield source, f"{ELSEWHERE}/originals/{session.id}/{image.id}-{source.name}"
    finally:
        store.close()


def _sync(folder: Path) -> None:
    """Every file of the backup on the disk before its name says it is whole."""
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as written:
                os.fsync(written.fileno())
