"""Imports started from the tablet, run beside the session on the TV.

What must stay true: the loop's thread (the TV's frames, the tablet's answers) never waits for
an import. Imports run one at a time on a thread of their own, through `import_folder` (the
pipeline `main.py import` uses: the same process pool, the same reasons for bad files), with a
store connection of that thread's own; their worker processes run at a lower priority, so the
TV's process gets a core first whenever it wants one, and the pool stops after a quiet minute.
What the thread learns reaches the loop through `deliver`, as one copied snapshot at a time.

    imports = ImportRunner(studio, deliver=loop.call_soon_threadsafe, changed=broadcaster.changed,
                           images_added=app.images_added)
    imports.folder(3, folder, base)          # a drive's folder: everything in it
    imports.files(3, originals, [path])      # uploaded files as they arrive whole
    imports.progress(3)                      # {"running", "done", "total", "current", ...}
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.core.errors import RevealError
from kiosk.imaging.importer import ImportSummary, find_files, import_folder, usable_cores
from kiosk.imaging.previews import init_worker, warm_up
from kiosk.imports.roots import files_inside
from kiosk.store.db import Store
from kiosk.studio import Studio

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0  # the pool's processes stop after this long without an import
REPORT_SECONDS = 0.1  # progress reaches the loop at most this often (and at each skipped file)
RELOAD_SECONDS = 3.0  # the TV takes in new photos at most this often, and the last ones at once
NICENESS = 10
OUTSIDE = (
    "This is a link to a file outside the drives and folders Reveal may import from, so it "
    "was not imported: copy the file itself into the folder."
)


def lower_priority_worker(max_pixels: int) -> None:
    """The pool's initializer: the TV's process comes first, then the preview workers."""
    try:
        os.nice(NICENESS)
    except OSError:  # pragma: no cover - not allowed: run at the same priority
        pass
    init_worker(max_pixels)


@dataclass
class Progress:
    """One session's imports as the tablet shows them: counts over every import since the last
    one that ended, the file being imported, each skipped file with its reason."""

    session: int
    running: bool = False
    done: int = 0
    total: int = 0
    current: str = ""
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # already in the session
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""

    def as_json(self) -> dict:
        return {
            "session": self.session,
            "running": self.running,
            "done": self.done,
            "total": self.total,
            "current": self.current,
            "imported": list(self.imported),
            "unchanged": list(self.unchanged),
            "skipped": [list(s) for s in self.skipped],
            "notes": [list(n) for n in self.notes],
            "error": self.error,
        }


@dataclass(frozen=True)
class _Job:
    session_id: int
    folder: Path
    files: tuple[Path, ...] | None  # None: everything under the folder
    base: Path | None  # the import root the folder must stay inside
    queued: int = 1  # the jobs this one stands for: uploads that arrived while one ran

    def joins(self, other: _Job) -> bool:
        return (
            self.files is not None
            and other.files is not None
            and (self.session_id, self.folder) == (other.session_id, other.folder)
        )


def _gathered(first: _Job, jobs: queue.Queue[_Job | None]) -> tuple[_Job, list[_Job | None]]:
    """`first` with the uploaded files queued behind it for the same session and folder, as
    one job: one file a job left every worker but one idle while a shoot streamed in. What was
    taken from the queue and does not join it (another job, or the stop) comes back to run
    next."""
    files, queued = list(first.files or ()), first.queued
    while True:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            return replace(first, files=tuple(files), queued=queued), []
        if job is None or not first.joins(job):
            return replace(first, files=tuple(files), queued=queued), [job]
        files += job.files or ()
        queued += 1


class ImportRunner:
    def __init__(
        self,
        studio: Studio,
        *,
        deliver: Callable[[Callable[[], None]], None],
        changed: Callable[[], None] = lambda: None,
        images_added: Callable[[int], None] | None = None,
        workers: int | None = None,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.studio = studio
        self.deliver = deliver
        self.changed = changed
        self.images_added = images_added
        self.workers = workers or usable_cores()
        self.idle_seconds = idle_seconds
        self._progress: dict[int, Progress] = {}  # read and written on the loop's thread
        self._pending: dict[int, int] = {}  # session -> jobs queued and not finished
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._last_reload = 0.0  # these two on the loop's thread
        self._reload_due: set[int] = set()

    # on the loop's thread --------------------------------------------------------------
    def folder(self, session_id: int, folder: Path, base: Path) -> None:
        self._queue(_Job(session_id, folder, None, base), count=0)

    def files(self, session_id: int, folder: Path, files: list[Path]) -> None:
        self._queue(_Job(session_id, folder, tuple(files), None), count=len(files))

    def progress(self, session_id: int) -> dict:
        return (self._progress.get(session_id) or Progress(session_id)).as_json()

    def every_progress(self) -> dict:
        return {str(k): p.as_json() for k, p in self._progress.items()}

    def busy(self, session_id: int) -> bool:
        found = self._progress.get(session_id)
        return found is not None and found.running

    def _queue(self, job: _Job, count: int) -> None:
        shown = self._progress.get(job.session_id)
        if shown is None or not shown.running:  # a new round of imports: counts from zero
            shown = Progress(job.session_id)
        self._pending[job.session_id] = self._pending.get(job.session_id, 0) + 1
        self._progress[job.session_id] = replace(shown, running=True, total=shown.total + count)
        self.changed()
        self._jobs.put(job)
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="reveal-import", daemon=True)
            self._thread.start()

    def _apply(self, session_id: int, update: Callable[[Progress], Progress]) -> None:
        shown = self._progress.get(session_id) or Progress(session_id, running=True)
        self._progress[session_id] = update(shown)
        self.changed()

    def _finished(
        self, session_id: int, update: Callable[[Progress], Progress], jobs: int = 1
    ) -> None:
        """Jobs of the session are over: the round ends with the last one queued."""
        self._pending[session_id] = max(0, self._pending.get(session_id, jobs) - jobs)
        running = self._pending[session_id] > 0

        def end(p: Progress) -> Progress:
            p = update(p)
            if running:
                return p
            return replace(p, running=False, current="", total=max(p.total, p.done))

        self._apply(session_id, end)

    def _reload_soon(self, session_id: int) -> None:
        """New photos for the TV, at most one reload every RELOAD_SECONDS: a slow upload's
        files, imported one by one, do not each replay the session on the TV's thread."""
        if session_id in self._reload_due:
            return
        self._reload_due.add(session_id)
        wait = max(0.0, self._last_reload + RELOAD_SECONDS - time.monotonic())
        asyncio.get_running_loop().call_later(wait, self._reload, session_id)

    def _reload(self, session_id: int) -> None:
        self._reload_due.discard(session_id)
        self._last_reload = time.monotonic()
        if self.images_added is not None:
            self.images_added(session_id)

    # on the import thread --------------------------------------------------------------
    def _run(self) -> None:
        store = Store(self.studio.paths.database)
        studio = replace(self.studio, store=store)
        waiting: list[_Job | None] = []  # taken from the queue while gathering, not yet run
        try:
            while True:
                if waiting:
                    job = waiting.pop()
                else:
                    try:
                        job = self._jobs.get(timeout=self.idle_seconds)
                    except queue.Empty:
                        self._stop_pool()
                        continue
                if job is None:
                    break
                if job.files is not None:
                    job, waiting = _gathered(job, self._jobs)
                self._one(studio, job)
        finally:
            self._stop_pool()
            store.close()

    def close(self) -> None:
        self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _one(self, studio: Studio, job: _Job) -> None:
        sid = job.session_id
        files = list(job.files) if job.files is not None else None
        try:
            session = studio.store.session(sid)
            if files is None:
                found, unreadable = find_files(job.folder)
                files, links = files_inside(found, job.base or job.folder)
                outside = [(p.relative_to(job.folder).as_posix(), OUTSIDE) for p in links]
                self.deliver(lambda: self._apply(sid, _found(len(found), outside + unreadable)))
        except (RevealError, OSError) as exc:
            failure = str(exc)
            self.deliver(lambda: self._finished(sid, _failed(failure), job.queued))
            return
        start: list[Progress] = []  # the round's progress before this job, once known
        last = [0.0, 0]  # when progress was last sent, and how many skipped files it carried

        def report(summary: ImportSummary, done: int, total: int, name: str) -> None:
            now = time.monotonic()
            if now - last[0] < REPORT_SECONDS and len(summary.skipped) == last[1] and done < total:
                return
            last[0], last[1] = now, len(summary.skipped)
            snapshot = _snapshot(summary, done, name)
            self.deliver(lambda: self._apply(sid, _merge(start, snapshot)))

        try:
            summary = import_folder(
                studio,
                job.folder,
                session.client,
                progress=False,
                pool=self._ensure_pool(),
                session=session,
                only=files,
                on_progress=report,
            )
        except RevealError as exc:
            error = str(exc)
            self.deliver(lambda: self._finished(sid, _failed(error), job.queued))
            return
        except Exception as exc:  # an import must never take the runner down with it
            log.exception("An import from the tablet failed")
            error = f"The import stopped ({type(exc).__name__}: {exc}); please try again."
            self.deliver(lambda: self._finished(sid, _failed(error), job.queued))
            return
        final = _snapshot(summary, len(files), "")
        self.deliver(lambda: self._finished(sid, _merge(start, final), job.queued))
        if summary.imported and self.images_added is not None:
            self.deliver(lambda: self._reload_soon(sid))

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            max_pixels = self.studio.settings.max_pixels
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=lower_priority_worker,
                initargs=(max_pixels,),
            )
            for future in [self._pool.submit(warm_up) for _ in range(self.workers)]:
                future.result()
        return self._pool

    def _stop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _snapshot(summary: ImportSummary, done: int, name: str) -> dict:
    return {
        "done": done,
        "current": name,
        "imported": list(summary.imported),
        "unchanged": list(summary.unchanged),
        "skipped": list(summary.skipped),
        "notes": list(summary.notes),
    }


def _found(count: int, skipped: list[tuple[str, str]]) -> Callable[[Progress], Progress]:
    """A folder's files were found: these many to import, and these skipped already."""
    return lambda p: replace(
        p, total=p.total + count, done=p.done + len(skipped), skipped=[*p.skipped, *skipped]
    )


def _merge(start: list[Progress], snapshot: dict) -> Callable[[Progress], Progress]:
    """This import's counts so far, on top of what the round's earlier imports did."""

    def update(p: Progress) -> Progress:
        if not start:
            start.append(replace(p))
        before = start[0]
        return replace(
            p,
            done=before.done + snapshot["done"],
            current=snapshot["current"],
            imported=[*before.imported, *snapshot["imported"]],
            unchanged=[*before.unchanged, *snapshot["unchanged"]],
            skipped=[*before.skipped, *snapshot["skipped"]],
            notes=[*before.notes, *snapshot["notes"]],
        )

    return update


def _failed(error: str) -> Callable[[Progress], Progress]:
    return lambda p: replace(p, current="", error=error)
