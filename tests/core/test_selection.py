"""The selection as commands: each command, its refusals, undo, narrowing, and replay."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.errors import CommandError, ReplayError
from kiosk.core.selection import (
    MAX_NOTE_CHARS,
    ComparePick,
    Counts,
    Decide,
    Decision,
    Favourite,
    NarrowStart,
    NarrowStop,
    Note,
    Rank,
    RetouchNote,
    SessionState,
    Show,
    Undo,
    apply,
    command_from_json,
    counts,
    decision_of,
    keepers,
    last_undoable,
    narrowing_order,
    next_undecided,
    pick,
    replay,
    validate,
)

KEEP, DROP, MAYBE = Decision.KEEP, Decision.DROP, Decision.MAYBE
IDS = list(range(101, 121))  # 20 images, ids as the store gives them


def run(commands, ids=IDS) -> SessionState:
    state = SessionState.new(ids)
    for command in commands:
        state = apply(state, command)
    return state


def through_the_log(commands) -> list:
    """What the store writes and reads back: JSON text, one command per event row."""
    rows = [json.dumps(c.to_json(), sort_keys=True) for c in commands]
    return [command_from_json(json.loads(row)) for row in rows]


# commands as JSON ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("command", "shape"),
    [
        (Decide(7, KEEP), {"kind": "decide", "image": 7, "decision": "keep"}),
        (
            Decide("IMG_1.jpg", "maybe"),
            {"kind": "decide", "image": "IMG_1.jpg", "decision": "maybe"},
        ),
        (Undo(), {"kind": "undo"}),
        (Favourite(7), {"kind": "favourite", "image": 7, "on": True}),
        (Favourite(7, on=False), {"kind": "favourite", "image": 7, "on": False}),
        (Rank(7, 0), {"kind": "rank", "image": 7, "position": 0}),
        (
            Note(7, "Soften the shadow", ("open_eyes",)),
            {"kind": "note", "image": 7, "text": "Soften the shadow", "tags": ["open_eyes"]},
        ),
        (Show(7), {"kind": "show", "image": 7}),
        (NarrowStart(8), {"kind": "narrow_start", "target": 8, "group_size": 2}),
        (ComparePick(7, (8,)), {"kind": "compare_pick", "keep": 7, "drop": [8]}),
        (NarrowStop(), {"kind": "narrow_stop"}),
    ],
)
def test_every_command_has_a_stable_json_shape_and_comes_back_equal(command, shape):
    assert command.to_json() == shape
    assert command_from_json(json.loads(json.dumps(shape))) == command


def test_optional_fields_may_be_left_out_of_the_json():
    assert command_from_json({"kind": "favourite", "image": 3}) == Favourite(3, on=True)
    assert command_from_json({"kind": "note", "image": 3}) == Note(3)
    assert command_from_json({"kind": "narrow_start", "target": 4}) == NarrowStart(4, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "launch"}, "Unknown command 'launch'"),
        ({"image": 3}, "Unknown command None"),
        (["decide"], "must be a JSON object"),
        ({"kind": "decide", "image": 3}, "needs the field 'decision'"),
        ({"kind": "decide", "image": 3, "decision": "love"}, "must be keep, drop or maybe"),
        (
            {"kind": "decide", "image": 3, "decision": "dropped_in_comparison"},
            "must be keep, drop or maybe",
        ),
        ({"kind": "decide", "image": 3.5, "decision": "keep"}, "'image' must be ImageId"),
        ({"kind": "decide", "image": 3, "decision": "keep", "by": "x"}, "unexpected field"),
        ({"kind": "rank", "image": 3, "position": "1"}, "'position' must be int"),
        ({"kind": "rank", "image": 3, "position": True}, "'position' must be int"),
        ({"kind": "favourite", "image": 3, "on": 1}, "'on' must be bool"),
        ({"kind": "note", "image": 3, "tags": "open_eyes"}, "'tags' must be"),
        ({"kind": "compare_pick", "keep": 3, "drop": [None]}, "'drop' must be"),
    ],
)
def test_malformed_json_is_refused_with_what_is_wrong(data, message):
    with pytest.raises(CommandError, match=message):
        command_from_json(data)


# decide, counts, navigation -----------------------------------------------------------------
def test_decisions_are_counted_and_read_back():
    state = run([Decide(101, KEEP), Decide(102, DROP), Decide(103, MAYBE), Decide(104, KEEP)])
    assert counts(state) == Counts(
        kept=2, maybe=1, dropped=1, dropped_in_comparison=0, undecided=16
    )
    assert counts(state).total == 20
    assert decision_of(state, 101) is KEEP and decision_of(state, 105) is None
    assert state.decisions == {101: KEEP, 102: DROP, 103: MAYBE, 104: KEEP}


def test_changing_a_decision_replaces_it():
    state = run([Decide(101, KEEP), Decide(101, DROP)])
    assert decision_of(state, 101) is DROP and counts(state).kept == 0


def test_unknown_image_is_refused_and_the_state_is_unchanged():
    state = run([Decide(101, KEEP)])
    for command in (Decide(999, KEEP), Favourite(999), Note(999, "x"), Show(999), Rank(999, 0)):
        with pytest.raises(CommandError, match="Image 999 is not in this session"):
            apply(state, command)
    assert decision_of(state, 101) is KEEP and counts(state).kept == 1


def test_a_decision_made_in_code_with_a_bad_value_is_refused_by_validate():
    with pytest.raises(CommandError, match="keep, drop or maybe"):
        validate(SessionState.new(IDS), Decide(101, Decision.DROPPED_IN_COMPARISON))
    with pytest.raises(CommandError, match="keep, drop or maybe"):
        validate(SessionState.new(IDS), Decide(101, "love"))


def test_show_moves_the_current_image_and_is_not_undone():
    state = run([Decide(101, KEEP), Show(110)])
    assert state.current_image == 110
    state = apply(state, Undo())  # undoes the decision, not the Show
    assert decision_of(state, 101) is None
    assert state.current_image == 101  # undo shows what it brought back


def test_next_undecided_goes_forward_and_wraps_round():
    state = run([Decide(i, KEEP) for i in IDS if i not in (103, 117)] + [Show(110)])
    assert next_undecided(state) == 117
    assert next_undecided(state, after=117) == 103
    assert next_undecided(run([Show(103)]), after=103) == 104
    assert next_undecided(run([Decide(i, DROP) for i in IDS])) is None
    assert next_undecided(SessionState.new([])) is None


def test_an_empty_session_has_no_current_image():
    state = SessionState.new([])
    assert state.current_image is None and counts(state).total == 0


def test_a_state_built_by_hand_is_the_same_as_a_new_one():
    assert SessionState((1, 2, 3)) == SessionState.new([1, 2, 3])
    assert apply(SessionState((1, 2, 3)), Decide(2, KEEP)).decisions == {2: KEEP}


def test_duplicate_image_ids_are_a_programming_error():
    with pytest.raises(ValueError, match="unique"):
        SessionState.new([1, 2, 1])


# undo -----------------------------------------------------------------------------------------
def test_nothing_to_undo_is_refused():
    with pytest.raises(CommandError, match="There is nothing to undo"):
        apply(SessionState.new(IDS), Undo())
    with pytest.raises(CommandError, match="nothing to undo"):
        apply(run([Decide(101, KEEP), Undo()]), Undo())


def test_undo_three_times_survives_a_restart():
    commands = [
        Decide(101, KEEP),
        Decide(102, DROP),
        Favourite(101),
        Decide(103, MAYBE),
        Note(101, "Brighten the eyes", ("open_eyes",)),
        Undo(),
        Undo(),
        Undo(),
    ]
    before_restart = run(commands)
    assert before_restart.decisions == {101: KEEP, 102: DROP}
    assert before_restart.favourites == frozenset() and not before_restart.notes

    after_restart = replay(IDS, through_the_log(commands))

    assert after_restart == before_restart
    # And it goes on the same way: undo continues from where it was before the restart.
    assert apply(after_restart, Undo()) == apply(before_restart, Undo())
    assert apply(after_restart, Undo()).decisions == {101: KEEP}
    assert last_undoable(after_restart) == Decide(102, DROP)


def test_a_decision_after_undo_is_undone_before_older_ones():
    state = run([Decide(101, KEEP), Decide(102, KEEP), Undo(), Decide(103, DROP), Undo()])
    assert state.decisions == {101: KEEP}
    assert apply(state, Undo()).decisions == {}


def test_undo_puts_back_a_decision_that_replaced_another():
    state = run([Decide(101, MAYBE), Decide(101, KEEP), Undo()])
    assert decision_of(state, 101) is MAYBE


def test_undo_history_is_unlimited():
    state = run([Decide(IDS[i % 20], (KEEP, DROP, MAYBE)[i % 3]) for i in range(3000)])
    for _ in range(3000):
        state = apply(state, Undo())
    assert counts(state).undecided == 20
    assert not state.can_undo


# favourites, ranking, notes --------------------------------------------------------------------
def test_favourite_on_off_and_undo():
    state = run([Favourite(101), Favourite(102), Favourite(101, on=False)])
    assert state.favourites == {102}
    assert apply(state, Undo()).favourites == {101, 102}


def test_rank_moves_a_keeper_and_keeps_others_in_order():
    state = run([Decide(i, KEEP) for i in (101, 102, 103, 104)])
    assert keepers(state) == (101, 102, 103, 104)
    state = apply(state, Rank(104, 0))
    assert keepers(state) == (104, 101, 102, 103)
    state = apply(state, Rank(101, 3))
    assert keepers(state) == (104, 102, 103, 101)
    assert keepers(apply(state, Undo())) == (104, 101, 102, 103)


def test_a_keeper_dropped_and_kept_again_returns_to_its_rank_until_keepers_are_reordered():
    state = run([Decide(i, KEEP) for i in (101, 102, 103)] + [Rank(103, 0)])
    dropped = apply(state, Decide(103, DROP))
    assert keepers(dropped) == (101, 102)
    assert keepers(apply(dropped, Decide(103, KEEP))) == (103, 101, 102)
    reordered = apply(apply(dropped, Rank(102, 0)), Decide(103, KEEP))
    assert keepers(reordered) == (102, 101, 103)  # unranked now: after the ranked ones


def test_unranked_favourites_come_before_other_unranked_keepers():
    state = run([Decide(i, KEEP) for i in (101, 102, 103)] + [Favourite(103)])
    assert keepers(state) == (103, 101, 102)


def test_ranking_is_refused_for_non_keepers_and_out_of_range_positions():
    state = run([Decide(101, KEEP), Decide(102, KEEP), Decide(103, MAYBE)])
    with pytest.raises(CommandError, match="Only kept images can be ordered; keep image 103"):
        apply(state, Rank(103, 0))
    with pytest.raises(CommandError, match="Position 3 is outside 1 to 2"):
        apply(state, Rank(101, 2))
    with pytest.raises(CommandError, match="Position 0 is outside"):
        apply(state, Rank(101, -1))


def test_note_is_trimmed_tags_are_ordered_and_an_empty_note_clears_it():
    state = run([Note(101, "  Remove the clip  ", ("swap_head", "skin_smoothing", "swap_head"))])
    assert state.notes[101] == RetouchNote("Remove the clip", ("skin_smoothing", "swap_head"))
    state = apply(state, Note(101, "Only the eyes"))
    assert state.notes[101] == RetouchNote("Only the eyes", ())
    assert apply(state, Undo()).notes[101].tags == ("skin_smoothing", "swap_head")
    assert 101 not in apply(state, Note(101, "   ")).notes


def test_note_too_long_or_with_an_unknown_tag_is_refused():
    state = SessionState.new(IDS)
    with pytest.raises(CommandError, match=f"{MAX_NOTE_CHARS + 1} characters; keep it to 280"):
        apply(state, Note(101, "x" * (MAX_NOTE_CHARS + 1)))
    apply(state, Note(101, "x" * MAX_NOTE_CHARS))  # the limit itself is fine
    with pytest.raises(CommandError, match=r"Unknown retouch tag\(s\) \['sparkles'\]; use: skin"):
        apply(state, Note(101, "", ("open_eyes", "sparkles")))


# narrowing ------------------------------------------------------------------------------------
def all_kept(ids=IDS) -> SessionState:
    return run([Decide(i, KEEP) for i in ids], ids)


def test_twenty_keepers_narrowed_to_eight_in_twelve_picks_shows_what_is_left():
    state = apply(all_kept(), NarrowStart(8))
    picks, left = [], []
    while not state.narrowing.finished:
        left.append(state.narrowing.remaining)
        command = pick(state, state.narrowing.group[0])
        picks.append(command)
        state = apply(state, command)

    assert len(picks) == 12 and left[0] == 12 and left[-1] == 1
    assert counts(state) == Counts(
        kept=8, maybe=0, dropped=0, dropped_in_comparison=12, undecided=0
    )
    assert set(keepers(state)) == set(state.narrowing.survivors)
    log = [*(Decide(i, KEEP) for i in IDS), NarrowStart(8), *picks]
    assert replay(IDS, through_the_log(log)) == state


def test_undo_inside_narrowing_brings_the_image_back_and_shows_the_same_pair():
    state = apply(all_kept(), NarrowStart(8))
    state = apply(state, pick(state, 101))
    pair_before = state.narrowing.group
    state = apply(state, pick(state, pair_before[1]))
    assert decision_of(state, pair_before[0]) is Decision.DROPPED_IN_COMPARISON

    state = apply(state, Undo())
    assert decision_of(state, pair_before[0]) is KEEP
    assert state.narrowing.group == pair_before and state.narrowing.remaining == 11

    state = apply(apply(state, Undo()), Undo())  # the first pick, then the start itself
    assert state.narrowing is None and counts(state).kept == 20


def test_a_stale_or_doubled_tap_is_refused():
    state = apply(all_kept(), NarrowStart(8))
    tap = pick(state, state.narrowing.group[0])
    state = apply(state, tap)
    with pytest.raises(CommandError, match="no longer on screen"):
        apply(state, tap)  # the same tap again: the pair has changed
    with pytest.raises(CommandError, match="no longer on screen"):
        apply(state, ComparePick(state.narrowing.group[0], ()))


def test_while_narrowing_its_images_and_new_keepers_cannot_be_decided():
    ids = [*IDS, 121]
    state = apply(run([Decide(i, KEEP) for i in IDS] + [Decide(121, MAYBE)], ids), NarrowStart(8))
    with pytest.raises(CommandError, match="Image 101 is being compared"):
        apply(state, Decide(101, DROP))
    with pytest.raises(CommandError, match="narrowed to 8: stop comparing before keeping more"):
        apply(state, Decide(121, KEEP))
    assert decision_of(apply(state, Decide(121, DROP)), 121) is DROP  # others are fine


def test_narrow_start_is_refused_when_running_or_with_too_few_keepers():
    with pytest.raises(CommandError, match="There are 3 keepers, already 8 or fewer"):
        apply(all_kept(IDS[:3]), NarrowStart(8))
    state = apply(all_kept(), NarrowStart(8))
    with pytest.raises(CommandError, match=r"already running \(12 left to remove\)"):
        apply(state, NarrowStart(5))
    with pytest.raises(CommandError, match="2, 3 or 4"):
        apply(all_kept(), NarrowStart(8, group_size=6))


def test_picks_and_stop_need_a_narrowing():
    state = all_kept()
    with pytest.raises(CommandError, match="No comparison is in progress"):
        apply(state, ComparePick(101, (102,)))
    with pytest.raises(CommandError, match="No comparison is in progress"):
        apply(state, NarrowStop())
    with pytest.raises(CommandError, match="No comparison is in progress"):
        pick(state, 101)


def test_stopping_keeps_what_was_compared_out_and_undo_resumes():
    state = apply(all_kept(), NarrowStart(8))
    state = apply(state, pick(state, state.narrowing.group[0]))
    running = state.narrowing
    state = apply(state, NarrowStop())
    assert state.narrowing is None and counts(state).dropped_in_comparison == 1
    state = apply(state, Decide(101, KEEP))  # allowed again once stopped
    state = apply(apply(state, Undo()), Undo())
    assert state.narrowing == running


def test_after_narrowing_a_compared_out_image_can_be_kept_again_and_narrowed_further():
    state = apply(all_kept(IDS[:4]), NarrowStart(2))
    while not state.narrowing.finished:
        state = apply(state, pick(state, state.narrowing.group[0]))
    out = next(i for i in IDS[:4] if decision_of(state, i) is Decision.DROPPED_IN_COMPARISON)

    state = apply(state, Decide(out, KEEP))
    assert counts(state).kept == 3
    state = apply(state, NarrowStart(1))
    assert state.narrowing.remaining == 2 and out in state.narrowing.members


def test_narrowing_puts_ranked_and_favourite_keepers_last():
    kept = [Decide(i, KEEP) for i in (101, 102, 103, 104, 105)]
    state = run([*kept, Rank(105, 0), Rank(104, 0), Favourite(101)])
    # Ranking keepers ranks them all: 104, 105, 101, 102, 103 best first.
    assert keepers(state) == (104, 105, 101, 102, 103)
    assert narrowing_order(state) == (103, 102, 101, 105, 104)
    unranked = run([Decide(i, KEEP) for i in (101, 102, 103)] + [Favourite(101)])
    assert narrowing_order(unranked) == (102, 103, 101)


# replay ---------------------------------------------------------------------------------------
def test_a_log_that_cannot_be_replayed_says_which_command():
    log = [Decide(101, KEEP), Undo(), Undo()]
    with pytest.raises(ReplayError, match="Logged command 3 cannot be replayed: There is nothing"):
        replay(IDS, log)
    with pytest.raises(ReplayError) as refused:
        replay(IDS, log)
    assert refused.value.index == 2 and isinstance(refused.value, CommandError)


def realistic_log(ids: list[int], size: int) -> list:
    """A long session: mostly swipes and undos, some stars, notes, moves, and narrowings."""
    import random

    rng = random.Random(7)
    state, log = SessionState.new(ids), []
    while len(log) < size:
        n = state.narrowing
        if n is not None and not n.finished:
            command = Undo() if rng.random() < 0.15 else pick(state, rng.choice(n.group))
        else:
            roll = rng.random()
            image = rng.choice(ids)
            if roll < 0.6:
                command = Decide(image, rng.choice((KEEP, KEEP, DROP, MAYBE)))
            elif roll < 0.75:
                command = Undo()
            elif roll < 0.8:
                command = Favourite(image, rng.random() < 0.8)
            elif roll < 0.85:
                command = Note(image, "Tidy the hair", ("remove_stray_hair",))
            elif roll < 0.95:
                command = Show(image)
            elif roll < 0.99 and (kept := keepers(state)):
                command = Rank(rng.choice(kept), rng.randrange(len(kept)))
            else:
                command = NarrowStart(max(1, counts(state).kept // 2))
        try:
            state = apply(state, command)
        except CommandError:
            continue
        log.append(command)
    return log


def test_ten_thousand_commands_over_five_hundred_images_replay_fast():
    ids = list(range(1, 501))
    log = realistic_log(ids, 10_000)
    best = min(_timed(lambda: replay(ids, log)) for _ in range(3))
    # Well under 100 ms on a quiet machine (about 50 ms); the margin is for shared CI cores.
    assert best < 0.25, f"replay took {best * 1000:.0f} ms"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# properties ---------------------------------------------------------------------------------
SMALL = list(range(1, 11))
TAGS = ["skin_smoothing", "open_eyes", "black_and_white", "bogus"]
KINDS = ["decide"] * 4 + ["undo"] * 2 + ["favourite", "rank", "note", "show"]
KINDS += ["narrow"] * 2 + ["pick"] * 4 + ["stop"]


@st.composite
def sessions(draw):
    """A session built command by command as the screens would, refused commands dropped."""
    state, log = SessionState.new(SMALL), []
    for _ in range(draw(st.integers(0, 50))):
        kind = draw(st.sampled_from(KINDS))
        image = draw(st.sampled_from(SMALL))
        if kind == "decide":
            command = Decide(image, draw(st.sampled_from([KEEP, KEEP, DROP, MAYBE])))
        elif kind == "undo":
            command = Undo()
        elif kind == "favourite":
            command = Favourite(image, draw(st.booleans()))
        elif kind == "rank":
            command = Rank(image, draw(st.integers(-1, 6)))
        elif kind == "note":
            tags = draw(st.lists(st.sampled_from(TAGS), max_size=3))
            command = Note(image, draw(st.text(max_size=5)), tuple(tags))
        elif kind == "show":
            command = Show(image)
        elif kind == "narrow":
            # Mostly valid targets (1 to keepers - 1), sometimes 0 or too many.
            target = draw(st.integers(0, counts(state).kept))
            command = NarrowStart(target, draw(st.sampled_from([2, 3, 4])))
        elif kind == "pick":
            n = state.narrowing
            if n is None or n.finished:
                continue
            command = pick(state, draw(st.sampled_from(n.group)))
        else:
            command = NarrowStop()
        try:
            state = apply(state, command)
        except CommandError:
            continue
        log.append(command)
    return state, log


@settings(max_examples=200, deadline=None)
@given(session=sessions())
def test_replaying_the_serialised_log_gives_the_state_built_step_by_step(session):
    state, log = session
    assert replay(SMALL, through_the_log(log)) == state
    assert counts(state).total == len(SMALL)
    assert len(set(keepers(state))) == counts(state).kept


@settings(max_examples=200, deadline=None)
@given(session=sessions())
def test_undoing_everything_gets_back_to_an_untouched_session(session):
    state, _ = session
    while state.can_undo:
        state = apply(state, Undo())
    fresh = SessionState.new(SMALL)
    assert state.decision_codes == fresh.decision_codes
    assert (state.favourites, state.ranking, dict(state.notes)) == (frozenset(), (), {})
    assert state.narrowing is None


@settings(max_examples=200, deadline=None)
@given(session=sessions())
def test_a_finished_or_running_narrowing_keeps_every_image_exactly_once(session):
    state, _ = session
    n = state.narrowing
    if n is None:
        return
    assert sorted(n.survivors + n.removed) == sorted(n.order)
    if not n.finished:
        # The comparison's own images are exactly the keepers and the compared-out ones.
        assert set(n.survivors) == set(keepers(state))
        assert all(decision_of(state, i) is Decision.DROPPED_IN_COMPARISON for i in n.removed)
        while not n.finished:
            state = apply(state, pick(state, n.group[-1]))
            n = state.narrowing
        assert counts(state).kept == n.target
