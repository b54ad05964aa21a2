"""A closed session's log compacted into a snapshot plus its tail gives the very state the
whole log gives, and the kiosk opens it from there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.core.cart import AddLine
from kiosk.core.selection import Decide, Decision, Favourite, Note, Rank, Undo
from kiosk.live import LiveSession
from kiosk.store.snapshots import load_snapshot, save_snapshot, snapshot_seq
from kiosk.upkeep.compact import compact_closed, compact_session, from_snapshot, replay


def decide_a_lot(live: LiveSession) -> None:
    ids = [i.id for i in live.images]
    live.do(Decide(ids[0], Decision.KEEP), Favourite(ids[0]))
    live.do(Decide(ids[1], Decision.DROP))
    live.do(Decide(ids[2], Decision.KEEP), Note(ids[2], "soften the shadow", ("skin_smoothing",)))
    live.do(Decide(ids[3], Decision.MAYBE))
    live.do(Undo())
    live.do(Rank(ids[2], 0))
    live.do(AddLine("print", "8x10", {}, (ids[0],), quantity=2))


def test_a_compacted_log_gives_the_same_state_and_the_log_stays_whole(studio, session_factory):
    live = LiveSession(studio.store, session_factory([(60, 40)] * 5), studio.pricelist)
    decide_a_lot(live)
    sid = live.session_id
    logged = studio.store.events(sid)

    last = compact_session(studio.store, sid)

    assert studio.store.events(sid) == logged  # the truth is untouched
    assert snapshot_seq(studio.store, sid) == last
    whole, _ = replay(studio.store, sid)
    assert from_snapshot(studio.store, sid) == whole
    reopened = LiveSession(studio.store, sid, studio.pricelist)
    assert (reopened.state, reopened.cart, reopened.can_undo) == (live.state, live.cart, True)
    assert reopened.state.notes == live.state.notes

    # Commands after the snapshot are its tail: replayed on top of it, the same again.
    ids = [i.id for i in live.images]
    reopened.do(Decide(ids[4], Decision.KEEP))
    reopened.do(Undo())
    reopened.do(Undo())  # undoes a step from before the snapshot: its undo history came along
    again = LiveSession(studio.store, sid, studio.pricelist)
    whole, _ = replay(studio.store, sid)
    assert (again.state, again.cart) == (whole.state, whole.cart) == (reopened.state, reopened.cart)


def test_a_snapshot_of_other_images_or_another_encoding_is_ignored(studio, session_factory):
    live = LiveSession(studio.store, session_factory([(60, 40)] * 3), studio.pricelist)
    decide_a_lot_small = [Decide(i.id, Decision.KEEP) for i in live.images]
    live.do(*decide_a_lot_small)
    sid = live.session_id
    ids = [i.id for i in live.images]
    compact_session(studio.store, sid)
    assert load_snapshot(studio.store, sid, ids) is not None
    assert load_snapshot(studio.store, sid, ids[:-1]) is None  # images changed since
    studio.store.db.execute("update event_snapshots set state = ?", [b"not a pickle"])
    assert load_snapshot(studio.store, sid, ids) is None
    assert LiveSession(studio.store, sid, studio.pricelist).state == live.state


def test_a_snapshot_builds_nothing_but_reveals_own_values(studio, session_factory):
    sid = session_factory([(60, 40)])
    ids = [i.id for i in studio.store.images(sid)]

    class Sneaky:
        def __reduce__(self):
            return (print, ("built",))

    save_snapshot(studio.store, sid, 0, ids, (Sneaky(),))
    assert load_snapshot(studio.store, sid, ids) is None


def test_only_closed_sessions_quiet_for_a_month_are_compacted(studio, session_factory):
    closed = LiveSession(studio.store, session_factory([(60, 40)] * 2), studio.pricelist)
    open_ = LiveSession(studio.store, session_factory([(60, 40)] * 2), studio.pricelist)
    for live in (closed, open_):
        live.do(Decide(live.images[0].id, Decision.KEEP))
    studio.store.db["invoices"].insert(
        {
            "number": 1,
            "session_id": closed.session_id,
            "issued": "2026-01-01",
            "client_name": "A",
            "breakdown": "{}",
            "status": "paid",
        }
    )
    now = datetime.now(UTC)
    assert compact_closed(studio.store, now) == []  # decided today: not quiet yet
    later = now + timedelta(days=31)
    assert compact_closed(studio.store, later) == [closed.session_id]
    assert compact_closed(studio.store, later) == []  # already up to date with its log
