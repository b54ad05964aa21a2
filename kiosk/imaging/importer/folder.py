"""`import_folder`: one import from start to summary, and every store write it makes."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from kiosk.core.errors import ImageRejected
from kiosk.core.models import Session
from kiosk.imaging.importer.files import (
    FileRead,
    find_files,
    read_file,
    reader_thread,
    usable_folder,
)
from kiosk.imaging.importer.reasons import crashed, duplicate, unexpected
from kiosk.imaging.importer.workers import Workers, pool_size, remove_stale_temp_files, usable_cores
from kiosk.imaging.previews import PreviewResult, cache_paths, make_previews
from kiosk.studio import Studio


@dataclass
class ImportSummary:
    """What one import did, file by file (names relative to the imported folder)."""

    session: Session
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # already in the session, same content
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # imported, worth knowing
    ignored: list[str] = field(default_factory=list)  # neither named nor made like a picture
    seconds: float = 0.0


def import_folder(
    studio: Studio,
    folder: Path | str,
    client: str,
    email: str = "",
    *,
    progress: bool = True,
    workers: int | None = None,
    pool: ProcessPoolExecutor | None = None,
    session: Session | None = None,
    only: list[Path] | None = None,
    on_progress: Callable[[ImportSummary, int, int, str], None] | None = None,
) -> ImportSummary:
    """Import every picture under `folder` into `session`, or else the client's newest session
    (made if there is none). `main.py import` decides which (a new shoot: a new session).

    Raises ImportFolderError when the folder itself cannot be used; a bad file only lands in
    `summary.skipped` with its reason. `workers` defaults to the usable cores; pass a warmed
    `pool` from `start_pool` to reuse one across imports (it is left running). `only` imports
    just these files under `folder`; `on_progress(summary, done, total, name)` hears of each
    file as it is settled (on this thread), for a progress bar other than the terminal's.
    """
    started = time.perf_counter()
    folder = usable_folder(folder)
    session = (
        session or studio.store.find_session(client) or studio.store.create_session(client, email)
    )
    run = _Run(studio, ImportSummary(session))
    files, unreadable = find_files(folder) if only is None else (only, [])
    run.summary.skipped.extend(unreadable)
    remove_stale_temp_files(studio.paths.cache)
    with (
        _progress_bar(progress, len(files), run.summary, on_progress) as bar,
        Workers(pool, workers, studio.settings.max_pixels) as workers_,
        reader_thread() as reader,
    ):
        # Only a few jobs wait in the pool at a time: if a worker dies, every job queued in the
        # pool fails with it and has to be retried alone. Reading stays a little ahead of the
        # workers, so the file is still in the page cache when a worker decodes it.
        capacity = 2 * (workers or pool_size(pool) or usable_cores())
        unread = iter(files)
        # Reads finish in file order (one reader thread) and are taken in that order, so which
        # of two identical files counts as the duplicate does not depend on timing.
        reads: deque[Future] = deque()
        ready: deque[FileRead] = deque()
        jobs: dict[Future, FileRead] = {}
        suspects: list[FileRead] = []  # in the pool when a worker process died

        def read_ahead() -> None:
            while len(reads) + len(ready) < 2 * capacity and (path := next(unread, None)):
                reads.append(reader.submit(read_file, path, folder))

        while True:
            read_ahead()
            if not (reads or ready or jobs):
                break
            while reads and reads[0].done():
                read = reads.popleft().result()
                if run.needs_previews(read):
                    ready.append(read)
                else:
                    bar.advance(read.name)
            while ready and len(jobs) < capacity:
                read = ready.popleft()
                jobs[workers_.submit(*run.job(read))] = read
            for future in [f for f in jobs if f.done()]:
                read = jobs.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    suspects.append(read)
                else:
                    run.settle(read, future)
                    bar.advance(read.name)
            read_ahead()
            waiting = [*jobs, reads[0]] if reads else list(jobs)
            if waiting and not (ready and len(jobs) < capacity):
                wait(waiting, return_when=FIRST_COMPLETED)
        # A file that kills its worker (a decoder crash, the OOM killer) takes the jobs queued
        # with it: run those again one at a time in one process, so a crash names its file.
        if suspects:
            with Workers(None, 1, studio.settings.max_pixels) as alone:
                for read in suspects:
                    future = alone.one_at_a_time(run.job(read))
                    if isinstance(future.exception(), BrokenProcessPool):
                        run.summary.skipped.append((read.name, crashed()))
                    else:
                        run.settle(read, future)
                    bar.advance(read.name)
    summary = run.summary
    for names in (summary.imported, summary.unchanged, summary.ignored):
        names.sort()
    summary.skipped.sort()
    summary.notes.sort()
    summary.seconds = time.perf_counter() - started
    return summary


class _Run:
    """One import's bookkeeping; every store write happens here, in the parent process."""

    def __init__(self, studio: Studio, summary: ImportSummary) -> None:
        self.store, self.settings, self.cache = studio.store, studio.settings, studio.paths.cache
        self.summary = summary
        self.done_before = {i.content_hash: i for i in self.store.images(summary.session.id)}
        self.seen: dict[str, str] = {}  # content hash -> first file name in this run

    def needs_previews(self, read: FileRead) -> bool:
        """Sort a file that was read: skipped, ignored, unchanged, or (True) to be decoded."""
        if read.ignore:
            self.summary.ignored.append(read.name)
        elif read.reason:
            self.summary.skipped.append((read.name, read.reason))
        elif read.content_hash in self.seen:
            self.summary.skipped.append((read.name, duplicate(self.seen[read.content_hash])))
        else:
            self.seen[read.content_hash] = read.name
            if not self._cached(read.content_hash):
                return True
            self.summary.unchanged.append(read.name)
        return False

    def job(self, read: FileRead) -> tuple:
        s = self.settings
        args = (read.path, self.cache, read.content_hash, s.preview_edge, s.thumb_edge)
        return (make_previews, *args, s.max_pixels)

    def settle(self, read: FileRead, future: Future) -> None:
        """Record a finished image at once, or the reason it was refused."""
        try:
            result: PreviewResult = future.result()
        except ImageRejected as exc:
            self.summary.skipped.append((read.name, str(exc)))
            return
        except Exception as exc:  # one file must never stop the import
            self.summary.skipped.append((read.name, unexpected(exc)))
            return
        self.store.add_image(
            self.summary.session.id,
            file_name=read.name,
            source_path=str(read.path),
            content_hash=read.content_hash,
            width=result.width,
            height=result.height,
            capture_time=result.capture_time,
            preview_path=result.preview_path,
            thumb_path=result.thumb_path,
        )
        self.summary.imported.append(read.name)
        if read.note:
            self.summary.notes.append((read.name, read.note))

    def _cached(self, content_hash: str) -> bool:
        """Already in the session, with both cache files where the current settings put them."""
        earlier = self.done_before.get(content_hash)
        if earlier is None:
            return False
        edges = (self.settings.preview_edge, self.settings.thumb_edge)
        preview, thumb = cache_paths(self.cache, content_hash, *edges)
        return (
            Path(earlier.preview_path) == preview
            and Path(earlier.thumb_path) == thumb
            and preview.is_file()
            and thumb.is_file()
        )


class _Bar:
    def __init__(self, progress: Progress | None, total: int, summary, on_progress) -> None:
        self.progress = progress
        self.task = progress.add_task("Importing", total=total) if progress else None
        self.done, self.total, self.summary, self.on_progress = 0, total, summary, on_progress

    def advance(self, name: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=_short(name))
        if self.on_progress is not None:
            self.on_progress(self.summary, self.done, self.total, name)


@contextmanager
def _progress_bar(show: bool, total: int, summary=None, on_progress=None) -> Iterator[_Bar]:
    if not show:
        yield _Bar(None, total, summary, on_progress)
        return
    columns = (
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        yield _Bar(progress, total, summary, on_progress)


def _short(name: str, width: int = 28) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]
