"""Narrowing keepers by comparisons: the count it promises, who meets whom, and undo."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.errors import CommandError
from kiosk.core.narrowing import Narrowing, comparisons_needed


def narrow_all(n: Narrowing, prefer=max) -> tuple[Narrowing, list[tuple]]:
    """Pick until finished with a client who always keeps `prefer(group)`; the groups shown."""
    shown = []
    while not n.finished:
        shown.append(n.group)
        n = n.pick(prefer(n.group))
    return n, shown


def test_twenty_keepers_to_eight_takes_exactly_twelve_pairs_and_shows_every_image():
    start = Narrowing.start(range(1, 21), 8)
    assert start.remaining == 12 and start.comparisons_left == 12

    done, shown = narrow_all(start)

    assert len(shown) == 12 == done.comparisons == comparisons_needed(20, 8)
    assert all(len(group) == 2 for group in shown)
    assert {i for group in shown for i in group} == set(range(1, 21))
    assert len(done.survivors) == 8 and done.remaining == 0 and done.group == ()
    assert sorted(done.survivors + done.removed) == list(range(1, 21))


def test_remaining_counts_down_by_one_per_pair():
    n = Narrowing.start("abcdef", 2)
    left = []
    while not n.finished:
        left.append(n.remaining)
        n = n.pick(n.group[0])
    assert left == [4, 3, 2, 1]


def test_once_unseen_images_run_short_a_survivor_meets_a_fresh_challenger():
    n = Narrowing.start(range(1, 21), 8)
    _, shown = narrow_all(n)
    # 8 pairs of unseen images, then each of the last 4 unseen meets a different survivor.
    assert shown[:8] == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16)]
    assert shown[8:] == [(2, 17), (4, 18), (6, 19), (8, 20)]


def test_survivors_take_turns_against_fresh_challengers():
    # Narrowing to 1 is king of the hill; here the challenger keeps winning, so the
    # survivor side changes every time.
    _, shown = narrow_all(Narrowing.start(range(1, 8), 1), prefer=max)
    survivors_shown = [group[0] for group in shown[1:]]
    assert survivors_shown == [2, 3, 4, 5, 6]


def test_narrowing_to_one_keeps_the_image_the_client_likes_best():
    done, _ = narrow_all(Narrowing.start([5, 3, 9, 1, 7, 2], 1), prefer=min)
    assert done.survivors == (1,)
    assert done.comparisons == 5


def test_few_to_remove_compares_the_first_images_given_and_leaves_the_rest_unseen():
    done, shown = narrow_all(Narrowing.start(range(1, 21), 17))
    assert shown == [(1, 2), (3, 4), (5, 6)]
    assert set(range(7, 21)) <= set(done.survivors)


@pytest.mark.parametrize(("group_size", "expected"), [(2, 12), (3, 6), (4, 4)])
def test_groups_remove_all_but_the_pick_so_fewer_comparisons(group_size, expected):
    done, shown = narrow_all(Narrowing.start(range(20), 8, group_size))
    assert len(shown) == expected == comparisons_needed(20, 8, group_size)
    assert len(done.survivors) == 8


def test_last_group_shrinks_so_it_never_removes_more_than_needed():
    # 10 to 7 with groups of 4: one group of 4 removes 3, exactly enough.
    _, shown = narrow_all(Narrowing.start(range(10), 7, 4))
    assert [len(g) for g in shown] == [4]
    # 10 to 6 with groups of 4: 4 removed as 3 then 1, the second comparison a pair.
    done, shown = narrow_all(Narrowing.start(range(10), 6, 4))
    assert [len(g) for g in shown] == [4, 2] and len(done.survivors) == 6


def test_undo_brings_the_pair_back_and_the_same_pair_is_shown_again():
    first = Narrowing.start("abcdefgh", 3)
    after_one = first.pick("a")
    after_two = after_one.pick(after_one.group[1])

    back = after_two.undo()
    assert back == after_one
    assert back.group == after_one.group
    assert back.remaining == 4 and back.comparisons == 1
    assert back.undo() == first
    with pytest.raises(CommandError, match="nothing to undo"):
        first.undo()


def test_pick_outside_the_group_or_after_finishing_is_refused():
    n = Narrowing.start("abcd", 3)
    with pytest.raises(CommandError, match="not in the comparison on screen"):
        n.pick("d")
    done = n.pick("a")
    with pytest.raises(CommandError, match="nothing left to compare"):
        done.pick("a")


@pytest.mark.parametrize(
    ("images", "target", "group_size", "message"),
    [
        ("abc", 3, 2, "already 3 or fewer"),
        ("abc", 5, 2, "already 5 or fewer"),
        ("abc", 0, 2, "at least 1"),
        ("abc", 1, 5, "2, 3 or 4"),
        ("abca", 1, 2, "appears twice"),
    ],
)
def test_start_refuses_what_cannot_be_narrowed(images, target, group_size, message):
    with pytest.raises(CommandError, match=message):
        Narrowing.start(images, target, group_size)


def test_a_long_chain_of_steps_compares_without_recursion():
    a, _ = narrow_all(Narrowing.start(range(3000), 1))
    b, _ = narrow_all(Narrowing.start(range(3000), 1))
    assert a == b and a.comparisons == 2999


def pairs_in(group: tuple) -> set[frozenset]:
    return {frozenset((a, b)) for a in group for b in group if a != b}


# properties --------------------------------------------------------------------------------
setups = st.integers(2, 30).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(1, n - 1), st.sampled_from((2, 3, 4)))
)
# Each step: undo (None) or keep the group member at this index (modulo the group size).
steps = st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=60)


@settings(max_examples=200, deadline=None)
@given(setup=setups, script=steps)
def test_any_picks_and_undos_end_with_exactly_target_and_nothing_lost(setup, script):
    count, target, group_size = setup
    images = [f"img{i}" for i in range(count)]
    n = Narrowing.start(images, target, group_size)
    met: set[frozenset] = set()
    for step in script:
        if step is None:
            if n.comparisons:
                n = n.undo()
            continue
        if n.finished:
            continue
        n = n.pick(n.group[step % len(n.group)])

    # The pairs that have met so far: every earlier step's group (undone steps are gone).
    step_back = n.previous
    while step_back is not None:
        met |= pairs_in(step_back.group)
        step_back = step_back.previous

    # Finish with a client who keeps the last shown, checking each group as it comes.
    fresh_each_time = True
    while not n.finished:
        group = n.group
        assert len(set(group)) == len(group) == min(group_size, n.remaining + 1)
        assert all(i in n.survivors for i in group)
        unseen = set(n.order[n.next_fresh :])
        fresh_each_time &= any(i in unseen for i in group)
        assert not pairs_in(group) & met, "two images met twice"
        met |= pairs_in(group)
        n = n.pick(group[-1])

    assert fresh_each_time
    assert len(n.survivors) == target
    assert sorted(n.survivors + n.removed) == sorted(images)  # nobody lost or duplicated
    assert n.comparisons == comparisons_needed(count, target, group_size)


@settings(max_examples=200, deadline=None)
@given(setup=setups, data=st.data())
def test_a_consistent_client_never_loses_their_best_image(setup, data):
    count, target, group_size = setup
    images = data.draw(st.permutations(range(count)))
    done, _ = narrow_all(Narrowing.start(images, target, group_size), prefer=max)
    assert count - 1 in done.survivors


@settings(max_examples=200, deadline=None)
@given(count=st.integers(2, 40), data=st.data())
def test_with_pairs_every_keeper_is_shown_when_at_least_half_must_go(count, data):
    target = data.draw(st.integers(1, count // 2))
    picks = data.draw(st.lists(st.integers(0, 1), min_size=count, max_size=count))
    n, shown = Narrowing.start(range(count), target), set()
    while not n.finished:
        shown |= set(n.group)
        n = n.pick(n.group[picks[n.comparisons]])
    assert shown == set(range(count))
