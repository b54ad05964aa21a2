"""A session whose previews were removed to keep the cache within its budget gets them back
when it is opened again, through the tablet's import runner (kiosk.imports.runner): the same
pipeline, off the loop's thread, with its progress on /ws/imports, and the TV takes in each
batch of rebuilt previews as it lands (the runner's `images_added`).

What must stay true: nothing about the session but its cache is touched. Its images keep their
ids, so its decisions, favourites and orders are as they were; an original that cannot be read
(a removed USB stick) is named in words, and the session keeps its thumbnails meanwhile.

    outcome = rebuild_previews(store.images(3), queue=runner.files)
    outcome.queued, outcome.missing       # originals sent to the runner, originals not found
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.models import Image
from kiosk.core.upkeep import missing_originals_message


@dataclass(frozen=True)
class Rebuild:
    queued: int = 0
    missing: list[str] = field(default_factory=list)  # file names whose original is gone
    message: str = ""  # what the tablet shows; empty when every original was found


def without_previews(images: list[Image]) -> list[Image]:
    """The images whose preview or thumbnail is not in the cache."""
    return [
        i
        for i in images
        if not (i.preview_path and Path(i.preview_path).is_file())
        or not (i.thumb_path and Path(i.thumb_path).is_file())
    ]


def rebuild_previews(
    client: str,
    images: list[Image],
    queue: Callable[[int, Path, list[Path]], None],
) -> Rebuild:
    """Queue the originals of the images that lost their previews, one job per folder
    (`queue(session_id, folder, files)`, the runner's `files`); say which cannot be found."""
    lost = without_previews(images)
    if not lost:
        return Rebuild()
    by_folder: dict[Path, list[Path]] = {}
    missing = []
    for image in lost:
        source = Path(image.source_path)
        if source.is_file():
            by_folder.setdefault(source.parent, []).append(source)
        else:
            missing.append(image.file_name)
    for folder, files in by_folder.items():
        queue(lost[0].session_id, folder, files)
    message = missing_originals_message(client, len(missing), len(lost)) if missing else ""
    return Rebuild(len(lost) - len(missing), missing, message)


def rebuild_when_shown(store, session_id: int, queue: Callable[[int, Path, list[Path]], None]):
    """The session the TV now shows gets back what the budget took from its cache: a Rebuild
    to answer the tablet with (the count queued, the words for missing originals)."""
    session = store.session(session_id)
    return rebuild_previews(session.client, store.images(session_id), queue)
