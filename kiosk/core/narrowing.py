"""Narrow the keepers to a target count, one comparison at a time.

The client sees two images side by side (or a group of 3 or 4) and taps the one to keep; the
others leave. This module decides which images to show next; it knows nothing of screens or
storage, and every step is a new immutable `Narrowing`, so undo is "go back one step".

How many comparisons
    Narrowing n images to a target N removes k = n - N images. Every comparison removes
    min(g - 1, remaining) images, g being the group size, so it takes exactly
    ``ceil(k / (g - 1))`` comparisons: with pairs, **exactly k** (20 keepers to 8: 12 taps).
    No comparison is ever wasted: a sorting or round-robin approach would need more.

Which images meet
    Images enter in the order given (pass the ones the client is least sure of first: see
    `kiosk.core.selection.narrowing_order`). While the unseen images outnumber what is left to
    remove, unseen images meet each other; after that, each comparison puts one survivor (the
    one shown longest ago, so the survivors take turns) against fresh challengers. So:

    - every comparison shows at least one image the client has not seen in a comparison yet,
      and no two images ever meet twice;
    - when at least half the keepers must go (k >= N, with pairs), every keeper is shown at
      least once; otherwise the first 2k in the given order are shown once and the rest stay;
    - an image only leaves after losing in a comparison, so if the client chooses
      consistently, the image they like best of all always stays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from kiosk.core.errors import CommandError

ImageId: TypeAlias = int | str
GROUP_SIZES = (2, 3, 4)


def comparisons_needed(count: int, target: int, group_size: int = 2) -> int:
    """Exactly how many comparisons narrowing `count` images to `target` takes."""
    return math.ceil(max(count - target, 0) / (group_size - 1))


@dataclass(frozen=True)
class Narrowing:
    """One step of narrowing: who is left, who has been shown, and what to show next.

    Build it with `Narrowing.start`; move on with `pick` and back with `undo`.
    """

    order: tuple[ImageId, ...]  # every image in the narrowing, in the order they enter
    target: int
    group_size: int = 2
    next_fresh: int = 0  # order[next_fresh:] have not been shown yet
    waiting: tuple[ImageId, ...] = ()  # shown and still in, shown longest ago first
    removed: tuple[ImageId, ...] = ()  # in the order they left
    comparisons: int = 0  # picks made so far (undone ones not counted)
    # The step before this one. Left out of ==: history is compared by the selection's undo
    # stack, and comparing chains recursively would hit the recursion limit on long ones.
    previous: Narrowing | None = field(default=None, compare=False, repr=False)
    members: frozenset[ImageId] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.members:  # computed once at the start, then shared by every step
            object.__setattr__(self, "members", frozenset(self.order))

    @classmethod
    def start(cls, images: Sequence[ImageId], target: int, group_size: int = 2) -> Narrowing:
        """Begin narrowing `images` (in the order they should enter) down to `target`."""
        order = tuple(images)
        if len(set(order)) != len(order):
            raise CommandError("An image appears twice in the narrowing; each may appear once.")
        if group_size not in GROUP_SIZES:
            raise CommandError(f"Compare 2, 3 or 4 images at a time, not {group_size}.")
        if target < 1:
            raise CommandError("Narrow to at least 1 image.")
        if target >= len(order):
            raise CommandError(
                f"There are {len(order)} keepers, already {target} or fewer: nothing to narrow. "
                "Choose a smaller number or keep more images."
            )
        return cls(order=order, target=target, group_size=group_size)

    # what the compare screen shows -------------------------------------------------------
    @property
    def remaining(self) -> int:
        """How many images are still to be removed ("12 left to remove")."""
        return len(self.order) - len(self.removed) - self.target

    @property
    def finished(self) -> bool:
        return self.remaining == 0

    @property
    def comparisons_left(self) -> int:
        return comparisons_needed(self.remaining + self.target, self.target, self.group_size)

    @property
    def survivors(self) -> tuple[ImageId, ...]:
        """The images still in, in the order they entered."""
        gone = set(self.removed)
        return tuple(i for i in self.order if i not in gone)

    @property
    def group(self) -> tuple[ImageId, ...]:
        """The images to show now (survivor first, then fresh ones); () when finished."""
        return self._plan[0]

    @property
    def _plan(self) -> tuple[tuple[ImageId, ...], int]:
        # The group and how many of its images come from `waiting`, worked out once per step
        # (by hand: functools.cached_property takes a lock on each first use). Only tuple
        # slices: replaying thousands of picks must stay fast even with hundreds of keepers.
        plan = self.__dict__.get("_plan_cache")
        if plan is None:
            plan = self.__dict__["_plan_cache"] = self._make_plan()
        return plan

    def _make_plan(self) -> tuple[tuple[ImageId, ...], int]:
        left = self.remaining
        if left <= 0:
            return (), 0
        size = min(self.group_size, left + 1)
        start = self.next_fresh
        fresh = len(self.order) - start
        if fresh > left:
            # More unseen images than removals left: pair unseen with unseen, or some would
            # never be shown. Each such comparison brings fresh - left one closer to zero.
            return self.order[start : start + size], 0
        # A survivor meets fresh challengers. Two alive images cannot have met before (the
        # loser of a meeting leaves), so there are no rematches. `waiting` always holds enough:
        # it has target + left - fresh >= 1 images.
        from_waiting = max(1, size - fresh)
        group = self.waiting[:from_waiting] + self.order[start : start + size - from_waiting]
        return group, from_waiting

    def others(self, keep: ImageId) -> tuple[ImageId, ...]:
        """The images that leave if the client keeps `keep` from the current group."""
        return tuple([i for i in self.group if i != keep])

    # moving on and back ------------------------------------------------------------------
    def pick(self, keep: ImageId) -> Narrowing:
        """The client kept `keep`: the rest of the group leaves."""
        group, from_waiting = self._plan
        if not group:
            raise CommandError("The narrowing is finished: there is nothing left to compare.")
        if keep not in group:
            raise CommandError(f"Image {keep} is not in the comparison on screen; tap one shown.")
        # The constructor, not dataclasses.replace: a third of the cost of a pick at replay.
        return Narrowing(
            self.order,
            self.target,
            self.group_size,
            next_fresh=self.next_fresh + len(group) - from_waiting,
            # The winner goes to the back, so the other survivors get their turn first.
            waiting=self.waiting[from_waiting:] + (keep,),
            removed=self.removed + self.others(keep),
            comparisons=self.comparisons + 1,
            previous=self,
            members=self.members,
        )

    def undo(self) -> Narrowing:
        """Back one comparison: the images that left come back, the same group shows again."""
        if self.previous is None:
            raise CommandError("No comparison has been made yet, so there is nothing to undo.")
        return self.previous
