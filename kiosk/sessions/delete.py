"""Deleting a session: its rows first, all or none, then the files only it named and the photos
uploaded to it from the tablet (a drive's photos are the photographer's and stay).

What must stay true: a file is removed only when it is inside the studio's folder (a preview may
name the photographer's own original elsewhere, which is never touched) and no row of another
session still names it (the cache is by content: the same photo in two sessions shares its
preview). A file that cannot be removed stays and is counted; the session is gone either way.

    deleted = delete_session(studio, session_id, showing=live.session_id)
    deleted.client, deleted.removed, deleted.left     # "Ada Park", 246, 0
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from kiosk.imports.uploads import Uploads
from kiosk.store import sessions as rows
from kiosk.studio import Studio


@dataclass(frozen=True)
class Deleted:
    client: str
    removed: int  # files removed from the studio folder
    left: int  # files that could not be removed (the disk refused): they stay


def delete_session(studio: Studio, session_id: int, showing: int | None) -> Deleted:
    """Delete the session (SessionKept, and nothing changed, when it has an invoice or is
    `showing` on the TV) and the studio's files that only it named."""
    client = studio.store.session(session_id).client
    named = rows.delete_session(studio.store, session_id, showing)
    root = studio.paths.root.resolve()
    removed = left = 0
    for name in named:
        path = Path(name)
        if not _inside(path, root) or not path.is_file():
            continue
        try:
            path.unlink()
            removed += 1
        except OSError:
            left += 1
    uploaded = Uploads(studio.paths.originals).folder(session_id)  # its photos sent from a laptop
    for folder in (studio.paths.mockups(session_id), root / "walls" / str(session_id), uploaded):
        if folder.is_dir() and _inside(folder, root):
            shutil.rmtree(folder, ignore_errors=True)
    return Deleted(client, removed, left)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root) and path.resolve() != root
    except OSError:
        return False
