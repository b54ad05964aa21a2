"""Durable without waiting: the event log written by one thread, acknowledged on the loop's.

The UI thread hands each write to `Writer.submit` and goes on (the card's fly-off, the next
frame); a writer thread commits what has queued up as one transaction (group commit: the writes
that arrive during an fsync share the next one) and hands the outcome back through `deliver`,
a function that runs its argument on the loop's thread. Writes are committed and reported in
the order they were submitted, from every source.

    writer = Writer(store.path, deliver=loop.call_soon_threadsafe)
    writer.submit(lambda conn: insert_events(conn, 1, [{"kind": "undo"}], "touch"),
                  done=lambda error: print("durable" if error is None else error))

After a failed commit (disk full, read-only disk) every write that was queued behind it is
refused with the same error, and so is every later one until `resume()`: the caller first
returns its state to the last durable one, then resumes. `InlineWriter` does the same work in
the caller's thread, for the CLI and scripts, which have no loop to come back to.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from kiosk.core.errors import StudioError
from kiosk.store.db import connect, transaction

Write = Callable[[sqlite3.Connection], None]
Done = Callable[[BaseException | None], None]
Deliver = Callable[[Callable[[], None]], None]


class WriteFailed(StudioError):
    """A command could not be made durable; nothing of it is kept."""


def commit_all(conn: sqlite3.Connection, writes: list[Write], *, delay: float = 0.0) -> None:
    """Run `writes` in one transaction, all or none. `delay` stands in for a slow disk's fsync
    (tests and benches); it is spent inside the transaction, where a real fsync is."""
    with transaction(conn):
        for write in writes:
            write(conn)
        if delay:
            time.sleep(delay)


def _failure(exc: BaseException) -> WriteFailed:
    return WriteFailed(
        f"The last change could not be saved ({exc}). Nothing after the last saved change was "
        "kept. Check the kiosk's disk, then try again."
    )


class Writer:
    def __init__(self, path: Path, deliver: Deliver, *, commit_delay: float = 0.0) -> None:
        self.conn = connect(path)
        self.deliver = deliver
        self.commit_delay = commit_delay
        self.batches = 0  # commits made: a bench reads how well writes were grouped
        self._queue: deque[tuple[Write, Done]] = deque()
        self._failed: BaseException | None = None
        self._closing = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="reveal-writer", daemon=True)
        self._thread.start()

    def submit(self, write: Write, done: Done) -> None:
        with self._wake:
            if self._closing:
                raise WriteFailed("The kiosk is closing; the change was not saved.")
            if self._failed is not None:
                error = self._failed
                self.deliver(lambda: done(error))
                return
            self._queue.append((write, done))
            self._wake.notify()

    def resume(self) -> None:
        """The caller has returned to its last durable state: accept writes again."""
        with self._wake:
            self._failed = None

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait (in the calling thread) until everything submitted so far is committed or
        refused. For shutting down and for tests, never for the UI thread's everyday work."""
        marker = threading.Event()
        with self._wake:
            if self._closing and not self._thread.is_alive():
                return True
            self._queue.append((_NOTHING, lambda _error: marker.set()))
            self._wake.notify()
        return marker.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Commit what is queued, then stop the thread and close the connection."""
        with self._wake:
            self._closing = True
            self._wake.notify()
        self._thread.join(timeout)
        self.conn.close()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._queue and not self._closing:
                    self._wake.wait()
                if not self._queue:
                    return
                batch = list(self._queue)
                self._queue.clear()
            self._commit(batch)

    def _commit(self, batch: list[tuple[Write, Done]]) -> None:
        marks = [done for write, done in batch if write is _NOTHING]
        batch = [(write, done) for write, done in batch if write is not _NOTHING]
        error: BaseException | None = None
        if batch:
            try:
                commit_all(self.conn, [write for write, _done in batch], delay=self.commit_delay)
                self.batches += 1
            except Exception as exc:  # sqlite3 errors, OSError: the disk said no
                error = _failure(exc)
                with self._wake:
                    # Everything queued behind was checked against a state that is now gone.
                    self._failed = error
                    batch += list(self._queue)
                    self._queue.clear()
        dones = [done for _write, done in batch]
        if dones:
            self.deliver(lambda: _call_all(dones, error))
        for mark in marks:
            mark(None)


def _NOTHING(_conn: sqlite3.Connection) -> None:  # noqa: N802  a flush marker, never committed
    return None


def _call_all(dones: list[Done], error: BaseException | None) -> None:
    for done in dones:
        done(error)


class InlineWriter:
    """The same contract in the caller's thread: `submit` returns once the write is durable
    (or has failed) and `done` has run. For the CLI, scripts and tests of the domain."""

    def __init__(self, conn: sqlite3.Connection, *, commit_delay: float = 0.0) -> None:
        self.conn = conn
        self.commit_delay = commit_delay
        self.batches = 0

    def submit(self, write: Write, done: Done) -> None:
        try:
            commit_all(self.conn, [write], delay=self.commit_delay)
        except Exception as exc:
            done(_failure(exc))
            return
        self.batches += 1
        done(None)

    def resume(self) -> None:
        pass

    def flush(self, timeout: float = 10.0) -> bool:
        return True

    def close(self, timeout: float = 10.0) -> None:
        pass
