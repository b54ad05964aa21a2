"""Which units a collection's credits pay for: the most value covered, exactly.

Units that can be matched to credits form a transversal matroid, so taking units from the
most to the least valuable and keeping each one an augmenting path can still place is optimal.
The caller ranks the lines (most valuable unit first, taxable before untaxed, then cart order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.core.pricelist import Collection

if TYPE_CHECKING:
    from kiosk.core.pricing.lines import PricedLine


def allocate(
    collection: Collection | None, lines: list[PricedLine], by_rank: list[int]
) -> tuple[list[int], list[tuple[int, list[int]]]]:
    """Credits to units, maximising the base price covered (see the module docstring).

    Returns the units covered per line and, per credit, (units used, lines it pays for).
    """
    covered = [0] * len(lines)
    if collection is None:
        return covered, []
    fits = [x.fits[collection.id] for x in lines]
    # A credit for "all" has room for every unit in the cart.
    every = sum(x.units for x in lines)
    sizes = [every if credit.count is None else credit.count for credit in collection.credits]
    room = list(sizes)
    holders: list[dict[int, int]] = [{} for _ in room]  # credit -> {line: units}
    for i in by_rank:
        if not fits[i] or not lines[i].base:
            continue
        need = lines[i].units
        for c in fits[i]:  # credits with room take units directly
            if room[c]:
                step = min(need, room[c])
                room[c] -= step
                holders[c][i] = holders[c].get(i, 0) + step
                need -= step
                if not need:
                    break
        while need:
            # Every credit that fits is full: breadth-first search for an augmenting path,
            # moving units of lines already placed to other credits that fit them.
            parent: dict[int, tuple[int, int]] = {c: (-1, i) for c in fits[i]}
            queue = list(fits[i])
            free = -1
            for c in queue:
                if room[c]:
                    free = c
                    break
                for j in holders[c]:
                    for c2 in fits[j]:
                        if c2 not in parent:
                            parent[c2] = (c, j)
                            queue.append(c2)
            if free < 0:
                break
            step, c = min(need, room[free]), free
            while parent[c][0] >= 0:
                before, j = parent[c]
                step = min(step, holders[before][j])
                c = before
            room[free] -= step
            c = free
            while True:
                before, j = parent[c]
                holders[c][j] = holders[c].get(j, 0) + step
                if before < 0:
                    break
                holders[before][j] -= step
                if not holders[before][j]:
                    del holders[before][j]
                c = before
            need -= step
        covered[i] = lines[i].units - need
    usage = [(size - room[c], sorted(holders[c])) for c, size in enumerate(sizes)]
    return covered, usage
