"""The processes that decode pictures and make their previews.

Spawned, not forked (libvips in a forked child deadlocks once the parent has used it), started
only when a file needs them, replaced when one dies; temporary files a killed import left
behind are removed, those of a running one are not.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from kiosk.core.errors import ImportFolderError
from kiosk.imaging.previews import init_worker, temp_folder, warm_up


def start_pool(workers: int | None = None, max_pixels: int = 250_000_000) -> ProcessPoolExecutor:
    """A process pool for `make_previews`, its processes started and imported before it returns.

    Spawn, not fork: libvips in a forked child deadlocks once the parent has used it.
    """
    count = workers or usable_cores()
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        initargs=(max_pixels,),
    )
    for future in [pool.submit(warm_up) for _ in range(count)]:
        future.result()
    return pool


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may use, not what the host has
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Workers:
    """The pool `import_folder` uses: started on first need (a re-run of an unchanged folder
    starts none), replaced if a worker dies, shut down at the end unless the caller owns it."""

    def __init__(self, pool: ProcessPoolExecutor | None, workers: int | None, max_pixels: int):
        self.pool, self.owned = pool, pool is None
        self.workers, self.max_pixels = workers, max_pixels
        self.broken = False

    def submit(self, *call) -> Future:
        if self.pool is None:
            self.pool = self._new()
        try:
            return self.pool.submit(*call)
        except BrokenProcessPool:
            self._close()
            self.pool, self.owned = self._new(), True
            return self.pool.submit(*call)

    def one_at_a_time(self, call: tuple) -> Future:
        """Run one call with nothing else in the pool, so a crash can be pinned on it."""
        if self.pool is None or self.broken:
            self._close()
            self.pool, self.owned, self.broken = self._new(), True, False
            try:
                self.pool.submit(warm_up).result()
            except BrokenProcessPool as exc:
                # Not a file's fault: no worker starts at all (e.g. a script that spawns
                # workers without an `if __name__ == "__main__":` guard).
                raise ImportFolderError(
                    "Reveal could not start its image worker processes, so nothing more can "
                    "be imported; run the import again, and report it if it keeps happening."
                ) from exc
        future = self.pool.submit(*call)
        wait([future])
        self.broken = isinstance(future.exception(), BrokenProcessPool)
        return future

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers or usable_cores(),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(self.max_pixels,),
        )

    def _close(self) -> None:
        if self.pool is not None and self.owned:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()


def pool_size(pool: ProcessPoolExecutor | None) -> int:
    return getattr(pool, "_max_workers", 0) if pool is not None else 0


def remove_stale_temp_files(cache: Path) -> None:
    """Temporary files left by a killed import; those of a running one (its pid) stay."""
    folder = temp_folder(cache)
    if not folder.is_dir():
        return
    for tmp in folder.iterdir():
        pid = tmp.name.rsplit(".", 2)[-2] if tmp.name.count(".") >= 2 else ""
        if pid.isdigit() and _alive(int(pid)):
            continue
        tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    # A killed import's workers, orphaned, stay zombies until something reaps them (in a
    # container PID 1 may never do it): a zombie answers kill(0) but writes nothing more.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"
