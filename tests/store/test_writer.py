"""The writer thread: durable in order, grouped while the disk is slow, and honest on failure.

The loop's thread is played by the test: `deliver` puts the writer's reports on a queue, and
`drain` runs them here, as `call_soon_threadsafe` would run them on the kiosk's loop.
"""

from __future__ import annotations

import queue
import time

import pytest

from kiosk.core.selection import Decide, Decision, Note
from kiosk.live import LiveSession
from kiosk.store.db import insert_events
from kiosk.store.writer import WriteFailed, Writer


class Loop:
    """What the kiosk's asyncio loop does for the writer: run its reports, in order."""

    def __init__(self) -> None:
        self.reports: queue.Queue = queue.Queue()

    def deliver(self, callback) -> None:
        self.reports.put(callback)

    def drain(self, until=lambda: True, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.reports.get(timeout=0.02)()
                continue
            except queue.Empty:
                pass
            if until() or time.monotonic() > deadline:
                return


@pytest.fixture
def loop():
    return Loop()


def logged(studio, session_id):
    return [e.get("text") or e.get("decision") for e in studio.store.events(session_id)]


def test_writes_made_while_a_slow_commit_runs_share_the_next_one_in_order(
    studio, session_factory, loop
):
    session_id = session_factory([(300, 200)])
    writer = Writer(studio.paths.database, loop.deliver, commit_delay=0.1)
    outcomes: list[tuple[int, object]] = []
    try:
        for n in range(30):
            writer.submit(
                lambda conn, n=n: insert_events(conn, session_id, [{"text": str(n)}], "test"),
                done=lambda error, n=n: outcomes.append((n, error)),
            )
        loop.drain(until=lambda: len(outcomes) == 30)
    finally:
        writer.close()
    assert outcomes == [(n, None) for n in range(30)]
    assert logged(studio, session_id) == [str(n) for n in range(30)]
    # The first write has its own commit; the other 29 queued behind its 100 ms and were
    # grouped: one fsync for many, which is what keeps a slow disk from piling up.
    assert writer.batches <= 3


def test_a_failed_commit_refuses_what_queued_behind_it_until_the_caller_resumes(
    studio, session_factory, loop
):
    session_id = session_factory([(300, 200)])
    writer = Writer(studio.paths.database, loop.deliver, commit_delay=0.05)
    outcomes: list[tuple[str, object]] = []

    def submit(name: str) -> None:
        writer.submit(
            lambda conn: insert_events(conn, session_id, [{"text": name}], "test"),
            done=lambda error: outcomes.append((name, error)),
        )

    try:
        submit("saved")
        loop.drain(until=lambda: len(outcomes) == 1)
        writer.conn.execute("PRAGMA query_only = 1")  # the disk went read-only
        submit("lost")
        submit("queued behind")
        loop.drain(until=lambda: len(outcomes) == 3)
        writer.conn.execute("PRAGMA query_only = 0")  # the disk is back...
        submit("before resume")  # ...but nothing is taken until the caller has caught up
        loop.drain(until=lambda: len(outcomes) == 4)
        writer.resume()
        submit("after resume")
        loop.drain(until=lambda: len(outcomes) == 5)
    finally:
        writer.close()
    assert outcomes[0] == ("saved", None)
    for name, error in outcomes[1:4]:
        assert isinstance(error, WriteFailed), name
        assert "could not be saved" in str(error) and "readonly" in str(error)
    assert outcomes[4] == ("after resume", None)
    assert logged(studio, session_id) == ["saved", "after resume"]


def test_a_command_is_shown_and_announced_only_once_it_is_durable(studio, session_factory, loop):
    session_id = session_factory([(300, 200)] * 3)
    writer = Writer(studio.paths.database, loop.deliver, commit_delay=0.2)
    live = LiveSession(studio.store, session_id, studio.pricelist, writer)
    announced: list[int] = []
    live.subscribe(lambda session: announced.append(session.counts().kept))
    first, second = live.images[0].id, live.images[1].id
    try:
        ack = live.decide(first, "keep")
        # Accepted (the next command is checked against it) but not shown: not durable yet.
        assert live.saving and not ack.done
        assert live.decision(first) is None and announced == []
        live.do(Decide(second, Decision.KEEP))  # checked against the accepted state
        loop.drain(until=lambda: not live.saving)
    finally:
        writer.close()
    assert ack.done and ack.error is None
    assert announced == [1, 2]  # each shown in turn, as it became durable
    assert live.decision(first) == "keep" and live.decision(second) == "keep"
    assert LiveSession(studio.store, session_id).counts().kept == 2


def test_a_failed_write_returns_to_the_last_durable_state_and_says_so(
    studio, session_factory, loop
):
    session_id = session_factory([(300, 200)] * 3)
    writer = Writer(studio.paths.database, loop.deliver, commit_delay=0.05)
    live = LiveSession(studio.store, session_id, studio.pricelist, writer)
    problems: list[str] = []
    live.subscribe(lambda session: problems.append(session.write_error))
    ids = [image.id for image in live.images]
    try:
        live.decide(ids[0], "keep")
        loop.drain(until=lambda: not live.saving)
        writer.conn.execute("PRAGMA query_only = 1")
        lost = [live.decide(ids[1], "drop"), live.do(Note(ids[0], "warmer skin", ()))]
        loop.drain(until=lambda: all(ack.done for ack in lost))
        assert all(isinstance(ack.error, WriteFailed) for ack in lost)
        assert "could not be saved" in live.write_error
        # Back to what was durable: the keep, on the second photo, no note, one undo step.
        assert [live.decision(i) for i in ids] == ["keep", None, None]
        assert live.current_image.id == ids[1] and ids[0] not in live.state.notes
        assert live.can_undo
        writer.conn.execute("PRAGMA query_only = 0")
        again = live.decide(ids[1], "maybe")  # checked against the durable state again
        loop.drain(until=lambda: again.done)
    finally:
        writer.close()
    assert again.error is None and live.write_error == ""
    assert problems[-1] == "" and any("could not be saved" in p for p in problems)
    stored = LiveSession(studio.store, session_id)
    assert [stored.decision(i) for i in ids] == ["keep", "maybe", None]


def test_the_screen_shown_is_remembered_for_the_next_start(studio, session_factory):
    session_id = session_factory([(300, 200)] * 2)
    other = session_factory([(300, 200)], client="Another Family")
    live = LiveSession(studio.store, session_id)
    assert live.screen == "slideshow"  # a session never shown starts with its slideshow
    live.set_screen("compare")
    assert LiveSession(studio.store, session_id).screen == "compare"
    assert LiveSession(studio.store, other).screen == "slideshow"
