"""Order exports running in the background, their progress readable from any thread.

What must stay true: an export never runs on the loop the TV draws on, nor twice at once for
the same order (the two would race to rename into one folder); its progress, files made of
files to make and the one being made, can be asked for at any moment, and an export that
failed says why in words.

    jobs = ExportJobs()
    job = jobs.start(42, lambda progress: write_order(invoice, dest, lab=lab, progress=progress))
    jobs.get(42).view()   # {"state": "running", "done": 3, "total": 20, "current": "0042-…"}

The production files are made in a process of their own (`production_process`), at a lower
priority than the kiosk's: libvips's threads and memory then never compete with the TV's
frames, and whatever memory they held goes back to the system when the export ends.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from kiosk.checkout.production import Progress
from kiosk.core.errors import RevealError

Work = Callable[[Callable[[Progress], None]], Path]
NICENESS = 10  # below the TV and the web server, above nothing else the kiosk runs


class ExportJob:
    """One order's export: `running`, then `done` (its folder and files) or `failed`."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.state = "running"
        self.progress = Progress(0, 0)
        self.folder: Path | None = None
        self.files: list[str] = []
        self.error = ""
        self._lock = threading.Lock()

    def update(self, progress: Progress) -> None:
        with self._lock:
            self.progress = progress

    def finish(self, folder: Path) -> None:
        files = sorted(p.name for p in folder.iterdir())
        with self._lock:
            self.state, self.folder, self.files = "done", folder, files

    def fail(self, error: str) -> None:
        with self._lock:
            self.state, self.error = "failed", error

    def view(self) -> dict[str, Any]:
        """The job as the Orders page shows it."""
        with self._lock:
            p = self.progress
            return {
                "number": self.number,
                "state": self.state,
                "done": p.done,
                "total": p.total,
                "current": p.current,
                "problems": list(p.problems),
                "folder": str(self.folder) if self.folder else None,
                "files": list(self.files),
                "error": self.error,
            }


class ExportJobs:
    """The studio's exports, one worker thread each, the latest of each order kept."""

    def __init__(self) -> None:
        self._jobs: dict[int, ExportJob] = {}
        self._lock = threading.Lock()

    def start(self, number: int, work: Work) -> ExportJob:
        """Run `work(progress)` in a thread for order `number`; the order's running export
        instead, when there is one."""
        with self._lock:
            running = self._jobs.get(number)
            if running is not None and running.state == "running":
                return running
            job = self._jobs[number] = ExportJob(number)
        name = f"reveal-export-{number}"
        threading.Thread(target=_run, args=(job, work), name=name, daemon=True).start()
        return job

    def get(self, number: int) -> ExportJob | None:
        with self._lock:
            return self._jobs.get(number)

    def running(self) -> list[ExportJob]:
        with self._lock:
            return [job for job in self._jobs.values() if job.state == "running"]


def production_process() -> Executor:
    """One worker process for the production files, spawned (libvips in a forked child can
    deadlock) and niced below the kiosk. Shut it down when the export is over."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker)


def _start_worker() -> None:
    """Below the kiosk's priority, and no libvips operation cache: each original is read
    once, and a cached pipeline would keep its buffers from one file to the next. Only the
    loaders the kiosk trusts, as in the kiosk itself (photographs keep theirs)."""
    import pyvips

    pyvips.cache_set_max(0)
    pyvips.block_untrusted_set(True)
    try:
        os.nice(NICENESS)
    except OSError:  # pragma: no cover - a system that refuses: the export runs all the same
        pass


def _run(job: ExportJob, work: Work) -> None:
    try:
        job.finish(work(job.update))
    except RevealError as exc:  # the folder cannot be written: the reason, in words
        job.fail(str(exc))
    except Exception as exc:  # a worker that died (out of memory): said, never a silent stop
        job.fail(f"The export stopped ({type(exc).__name__}: {exc}); try it again.")
