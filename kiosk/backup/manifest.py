"""What a backup folder holds and how it proves it is whole: `manifest.json`, written last.

A backup is a folder named after when it was taken (kiosk.core.backups.BackupName) holding the
studio's files at their places in the studio folder (`studio.db`, `settings.toml`,
`walls/...`), files from elsewhere (a logo kept outside the studio folder, the originals with
`--with-originals`) under `elsewhere/`, and the manifest: each file's size and SHA-256, the
database's schema version, and where each file from elsewhere came from.

    backups = list_backups(folder)        # [Backup(name, path)], oldest first
    manifest = read_manifest(backups[-1].path)
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.backups import BackupName
from kiosk.core.errors import BackupError

MANIFEST = "manifest.json"
FORMAT = 1  # the manifest's own version; a newer one is refused
ELSEWHERE = "elsewhere"


@dataclass(frozen=True)
class Manifest:
    taken: str  # ISO 8601 with the zone
    schema_version: int
    files: dict[str, tuple[int, str]]  # path in the backup -> (size, sha256)
    elsewhere: dict[str, str] = field(default_factory=dict)  # path in the backup -> where from
    with_originals: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "reveal_backup": FORMAT,
                "taken": self.taken,
                "schema_version": self.schema_version,
                "with_originals": self.with_originals,
                "files": {path: list(entry) for path, entry in sorted(self.files.items())},
                "elsewhere": dict(sorted(self.elsewhere.items())),
            },
            indent=1,
        )


@dataclass(frozen=True)
class Backup:
    name: BackupName
    path: Path

    @property
    def size(self) -> int:
        """Bytes, every file counted: a walk of the folder, so only when it is shown (the
        daily round lists the backups every minute, perhaps on a network share)."""
        return folder_size(self.path)


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the backup in `folder`; BackupError when there is none to trust."""
    file = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise BackupError(f"{folder} is not a folder: give the backup's folder.")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("reveal_backup") != FORMAT:
            raise BackupError(
                f"{folder} was made by a different version of Reveal's backups "
                f"({data.get('reveal_backup')!r}); update Reveal, or choose another backup."
            )
        files = {str(p): (int(size), str(digest)) for p, (size, digest) in data["files"].items()}
        return Manifest(
            taken=str(data["taken"]),
            schema_version=int(data["schema_version"]),
            files=files,
            elsewhere={str(k): str(v) for k, v in data.get("elsewhere", {}).items()},
            with_originals=bool(data.get("with_originals", False)),
        )
    except FileNotFoundError:
        raise BackupError(
            f"{folder} is not a Reveal backup, or not a whole one (it has no {MANIFEST}). "
            "Choose a folder named reveal-backup-... or reveal-daily-..."
        ) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(
            f"The backup's {MANIFEST} in {folder} is damaged ({exc}): it cannot be restored. "
            "Choose an older backup."
        ) from exc


def list_backups(folder: Path) -> list[Backup]:
    """The whole backups in `folder` (those with a manifest), oldest first."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        name = BackupName.parse(entry.name)
        if name is not None and entry.is_dir() and (Path(entry.path) / MANIFEST).is_file():
            found.append(Backup(name, Path(entry.path)))
    return sorted(found, key=lambda backup: backup.name.taken)


def folder_size(folder: Path) -> int:
    return sum(
        (Path(top) / name).stat().st_size for top, _, names in os.walk(folder) for name in names
    )


def file_digest(path: Path) -> tuple[int, str]:
    """(size, SHA-256) of a file, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as source:
        while piece := source.read(1 << 20):
            digest.update(piece)
            size += len(piece)
    return size, digest.hexdigest()
