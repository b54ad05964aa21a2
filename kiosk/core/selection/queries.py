"""What the screens read from a selection state: counts, decisions, the keepers in order,
the next image to decide, what undo would revert.

    counts(state).kept                   # how many the client kept
    keepers(state)                       # ranked first, then favourites, then the rest
    next_undecided(state)                # where the select screen goes after a swipe
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress

from kiosk.core.errors import CommandError
from kiosk.core.narrowing import ImageId
from kiosk.core.selection.commands import Command, ComparePick, Decision
from kiosk.core.selection.state import CODE, DECISION, UNDECIDED, SessionState


@dataclass(frozen=True)
class Counts:
    kept: int
    maybe: int
    dropped: int  # by the client's own decision
    dropped_in_comparison: int
    undecided: int

    @property
    def total(self) -> int:
        return self.kept + self.maybe + self.dropped + self.dropped_in_comparison + self.undecided


def counts(state: SessionState) -> Counts:
    """How many images are in each decision (each image in exactly one)."""
    codes = state.decision_codes
    return Counts(
        kept=codes.count(CODE[Decision.KEEP]),
        maybe=codes.count(CODE[Decision.MAYBE]),
        dropped=codes.count(CODE[Decision.DROP]),
        dropped_in_comparison=codes.count(CODE[Decision.DROPPED_IN_COMPARISON]),
        undecided=codes.count(UNDECIDED),
    )


def decision_of(state: SessionState, image: ImageId) -> Decision | None:
    """The image's decision; None while undecided."""
    return DECISION[state.decision_codes[state.positions[image]]]


def next_undecided(state: SessionState, after: ImageId | None = None) -> ImageId | None:
    """The first undecided image after `after` (default: the current one), wrapping round;
    `after` itself comes last. None when every image is decided."""
    if not state.image_ids:
        return None
    start = state.current if after is None else state.positions[after]
    codes = state.decision_codes
    found = codes.find(UNDECIDED, start + 1)
    if found < 0:
        found = codes.find(UNDECIDED, 0, start + 1)
    return None if found < 0 else state.image_ids[found]


def _tiers(state: SessionState) -> tuple[tuple, tuple, tuple]:
    # Once per state: rank and narrow_start need it in both validate and apply.
    return state.memo("tiers", _sort_keepers)


def _sort_keepers(state: SessionState) -> tuple[tuple, tuple, tuple]:
    # map/compress keep the scans over every image in C.
    is_kept = CODE[Decision.KEEP].__eq__
    codes, ranking = state.decision_codes, state.ranking
    kept = compress(state.image_ids, map(is_kept, codes))
    if ranking:
        ranked_codes = map(codes.__getitem__, map(state.positions.__getitem__, ranking))
        ranked = tuple(compress(ranking, map(is_kept, ranked_codes)))
        in_ranking = set(ranked)
        unranked = [i for i in kept if i not in in_ranking]
    else:
        ranked, unranked = (), list(kept)
    favourites = tuple(i for i in unranked if i in state.favourites)
    others = tuple(i for i in unranked if i not in state.favourites)
    return ranked, favourites, others


def keepers(state: SessionState) -> tuple[ImageId, ...]:
    """The kept images in preference order: ranked ones by rank, then unranked favourites,
    then the other unranked keepers, each in session order."""
    ranked, favourites, others = _tiers(state)
    return (*ranked, *favourites, *others)


def narrowing_order(state: SessionState) -> tuple[ImageId, ...]:
    """The keepers in the order they enter a narrowing: least preferred first, so when only a
    few must go, the client's ranked images and favourites are the last to be put at risk."""
    ranked, favourites, others = _tiers(state)
    return (*others, *favourites, *reversed(ranked))


def last_undoable(state: SessionState) -> Command | None:
    """The command the next `Undo` would revert (for an "Undo keep" label); None if none."""
    top = state.undo_stack.top
    return top.command if top is not None else None


def pick(state: SessionState, keep: ImageId) -> ComparePick:
    """The command for tapping `keep` in the comparison on screen."""
    if state.narrowing is None:
        raise CommandError("No comparison is in progress.")
    return ComparePick(keep, state.narrowing.others(keep))
