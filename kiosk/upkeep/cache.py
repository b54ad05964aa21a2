"""The cache within its budget: what each session's previews and thumbnails weigh on disk, and
the files of the sessions kiosk.core.upkeep chooses, removed.

What must stay true: a file is removed only when no kept session names it (two sessions may
hold the same photo: the cache is addressed by content), so each file is counted once, for the
most recently shown session that names it. Removing a cache file is always safe: the import
rebuilds it from the original (kiosk/upkeep/rebuild.py), as it did for a file deleted by hand.

    budget = cache_budget(studio)                   # bytes, from cache_max_gb or first start
    removed = keep_within_budget(studio.store, studio.paths.cache, budget, now, on_tv=3)
    removed.plan.previews, removed.files, removed.freed
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.core.upkeep import CachedSession, Eviction, budget_from_setting, plan_eviction
from kiosk.store.db import Store
from kiosk.store.upkeep import FIRST_FREE, cached_files
from kiosk.studio import Studio


@dataclass(frozen=True)
class Removed:
    plan: Eviction
    files: int
    freed: int  # bytes


@dataclass(frozen=True)
class CacheContents:
    sessions: list[CachedSession]
    previews: dict[int, list[Path]]  # session -> the preview files counted for it
    thumbs: dict[int, list[Path]]

    @property
    def size(self) -> int:
        return sum(s.previews + s.thumbs for s in self.sessions)

    def oldest(self) -> CachedSession | None:
        """The least recently shown session that still has previews in the cache."""
        held = [s for s in self.sessions if s.previews]
        never = [s for s in held if s.shown is None]
        if never:
            return min(never, key=lambda s: s.session_id)
        return min(held, key=lambda s: s.shown, default=None)  # type: ignore[arg-type,return-value]


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # removed by hand, or never written: nothing to count
        return 0


def cache_contents(store: Store, cache_dir: Path) -> CacheContents:
    """Each session's files in `cache_dir` and their sizes; a shared file counts for the most
    recently shown session that names it. A file elsewhere (a preview recorded where the
    picture itself lives) is not the cache's: never counted, never removed."""
    rows = cached_files(store)
    inside = os.path.abspath(cache_dir) + os.sep
    shown = {row.session_id: row.shown for row in rows}
    recent_first = sorted(rows, key=lambda r: (r.shown is not None, r.shown), reverse=True)
    owner: dict[str, int] = {}
    previews: dict[int, list[Path]] = {sid: [] for sid in shown}
    thumbs: dict[int, list[Path]] = {sid: [] for sid in shown}
    for row in recent_first:
        for path, kind in ((row.preview_path, previews), (row.thumb_path, thumbs)):
            if path and path not in owner and os.path.abspath(path).startswith(inside):
                owner[path] = row.session_id
                kind[row.session_id].append(Path(path))
    sessions = []
    for sid in sorted(shown):
        preview_bytes = sum(_size(p) for p in previews[sid])
        thumb_bytes = sum(_size(p) for p in thumbs[sid])
        sessions.append(CachedSession(sid, shown[sid], preview_bytes, thumb_bytes))
    return CacheContents(sessions, previews, thumbs)


def keep_within_budget(
    store: Store, cache_dir: Path, budget: int, now: datetime, on_tv: int | None
) -> Removed:
    """Remove the files in `cache_dir` of the sessions the budget's rules choose; what was
    removed."""
    contents = cache_contents(store, cache_dir)
    plan = plan_eviction(contents.sessions, budget, now, on_tv)
    files = freed = 0
    doomed = [p for sid in plan.previews for p in contents.previews[sid]]
    doomed += [p for sid in plan.thumbs for p in contents.thumbs[sid]]
    for path in doomed:
        size = _size(path)
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:  # a file that will not go is counted again next round
            continue
        files, freed = files + 1, freed + size
    return Removed(plan, files, freed)


def cache_budget(studio: Studio) -> int:
    """The studio's cache budget in bytes: `cache_max_gb`, or 20% of the disk's free space as
    measured at the first start (kept in the database, so it does not shrink as the cache
    grows)."""
    first = studio.store.setting(FIRST_FREE)
    if first is None:
        studio.paths.cache.mkdir(parents=True, exist_ok=True)
        first = str(shutil.disk_usage(studio.paths.cache).free)
        studio.store.set_setting(FIRST_FREE, first)
    return budget_from_setting(getattr(studio.settings, "cache_max_gb", 0.0), int(first))


def folder_bytes(folder: Path) -> int:
    """Every file's size under `folder` (the cache as the disk sees it)."""
    total = 0
    for root, _dirs, names in os.walk(folder):
        total += sum(_size(Path(root) / name) for name in names)
    return total
