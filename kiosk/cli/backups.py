"""Backups from a terminal: take one now, or restore one.

    python main.py backup                          # into the backup folder (settings.toml)
    python main.py backup --to /media/usb/reveal --with-originals
    python main.py restore /media/usb/reveal/reveal-backup-2026-12-04-154100

`backup` prints the backup's path as its last line, for scripts. `restore` checks the backup
whole before it changes anything, keeps what it replaces under `replaced/` in the studio
folder, and refuses while the kiosk is running. The kiosk also takes a backup by itself every
day (kiosk/backup/daily.py).
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

from kiosk.backup import backup_folder
from kiosk.backup.manifest import read_manifest
from kiosk.backup.restore import restore_backup
from kiosk.backup.take import take_backup
from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.config import Settings, StudioPaths, default_data_dir, load_settings
from kiosk.core.errors import BackupError, RevealError, StudioError
from kiosk.studio import Studio

FAILED = 1


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    backup = subparsers.add_parser(
        "backup",
        help="back the studio up now",
        description=(
            "Back the studio up: its database (copied safely while the kiosk runs), settings, "
            "price list, wall photos, mock-ups and logo. The last line printed is the backup's "
            "folder."
        ),
    )
    backup.add_argument(
        "--to", type=Path, metavar="DIR", help="folder to back up into (default: backup_folder)"
    )
    backup.add_argument(
        "--with-originals",
        action="store_true",
        help="take the sessions' original photos too (large)",
    )
    backup.set_defaults(func=run_backup)
    restore = subparsers.add_parser(
        "restore",
        help="put a backup in place of the studio's files",
        description=(
            "Check a backup whole (every file, the database's integrity and schema version), "
            "then put it in place of the studio's database and files. What it replaces is kept "
            "in the studio folder's replaced/ folder. Quit the kiosk first."
        ),
    )
    restore.add_argument("backup", type=Path, help="the backup's folder (reveal-backup-...)")
    restore.set_defaults(func=run_restore)
    return [backup, restore]


@with_studio
def run_backup(args: argparse.Namespace, studio: Studio) -> int:
    folder = args.to or backup_folder(studio.paths, studio.settings)
    try:
        backup = take_backup(studio.paths, folder, with_originals=args.with_originals)
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return FAILED
    originals = " with the originals" if args.with_originals else ""
    print(f"Backup taken{originals}: {megabytes(backup.size)}.")
    print(backup.path)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    paths = StudioPaths(Path(args.data) if getattr(args, "data", None) else default_data_dir())
    try:
        manifest = read_manifest(args.backup)
        port = kiosk_port(paths)
        if answers(port):
            raise BackupError(
                f"The kiosk seems to be running (port {port} answers): quit it first, "
                "then restore. Nothing was changed."
            )
        kept = restore_backup(args.backup, paths)
    except RevealError as exc:
        print(exc, file=sys.stderr)
        return FAILED
    print(f"Restored the studio in {paths.root} from the backup taken {manifest.taken}.")
    print(f"What it replaced is kept in {kept}.")
    return 0


def kiosk_port(paths: StudioPaths) -> int:
    """The port the studio's kiosk listens on; the default one when settings.toml is missing
    or broken (a reason to restore)."""
    try:
        return load_settings(paths).web_port if paths.settings.exists() else Settings().web_port
    except StudioError:
        return Settings().web_port


def answers(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something listens on `port` of this machine (the kiosk, most likely)."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.backups", argv)


if __name__ == "__main__":
    sys.exit(main())
