"""Laying an album out: the client's photos, most preferred first, over spreads of templates.

    spreads = lay_out([11, 12, 13, 14], aspects, shape, fewest=1, most=30)
    spreads[0]            # Spread("single", (11,)): the favourite alone on the first spread
    best_spread((12, 13), aspects, shape)   # the template and cell order that suit them best

What must stay true: each image is placed once at most (all of them while the spreads allowed
can hold them); the first spread holds the most preferred image alone; the number of spreads
stays within `fewest` and `most` whenever there are photos enough; and no photo crosses the
gutter, since only a panorama's cell may, and a panorama holds one photo.

Orientation: a photo's fit to a cell is how far apart their aspect ratios are (on a log scale,
so a portrait in a landscape cell costs what the opposite does), weighted by the cell's area,
since a large cell crops more of what matters. Within a spread, the most preferred photo takes
the largest cell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import permutations

from kiosk.core.album.design import Spread
from kiosk.core.album.templates import AlbumShape, Template

PHOTOS_PER_SPREAD = 3  # what a layout aims for: generous, and room for the favourite
ORIENTATION_FLIP = 0.8  # a portrait in a landscape cell (or the opposite) costs this more
FAVOURITE_NOT_LARGEST = 0.35
SAME_AS_BEFORE = 0.05  # a little variety from one spread to the next


def lay_out(
    images: Sequence[int],
    aspects: Mapping[int, float],
    shape: AlbumShape,
    *,
    fewest: int = 1,
    most: int = 0,
) -> tuple[Spread, ...]:
    """The album's spreads for `images` in order of preference; `fewest` and `most` are the
    variant's spreads included and its most (0: no limit)."""
    count = len(images)
    if count == 0:
        return ()
    spreads = spread_count(count, fewest, most, shape.most_cells)
    sizes = chunk_sizes(count, spreads, shape.most_cells)
    layout: list[Spread] = []
    start, before = 0, None
    for size in sizes:
        spread = best_spread(tuple(images[start : start + size]), aspects, shape, before=before)
        layout.append(spread)
        start, before = start + size, spread.template
    return tuple(layout)


def spread_count(images: int, fewest: int, most: int, per_spread: int) -> int:
    """How many spreads: the favourite alone, then about three photos a spread, kept within
    the variant's limits, and never more spreads than photos."""
    wanted = 1 + math.ceil((images - 1) / PHOTOS_PER_SPREAD)
    wanted = max(wanted, fewest)
    if most:
        wanted = min(wanted, most)
    return max(1, min(wanted, images))


def chunk_sizes(images: int, spreads: int, per_spread: int) -> list[int]:
    """Photos per spread: one on the first, the rest as even as can be, at most `per_spread`
    each (the photos past what the spreads can hold are left out, the least preferred)."""
    if spreads == 1:
        return [1]
    rest = min(images - 1, (spreads - 1) * per_spread)
    base, extra = divmod(rest, spreads - 1)
    return [1] + [base + 1 if n < extra else base for n in range(spreads - 1)]


def best_spread(
    images: tuple[int, ...],
    aspects: Mapping[int, float],
    shape: AlbumShape,
    *,
    before: str | None = None,
    templates: Sequence[Template] | None = None,
) -> Spread:
    """The template (among `templates`, by default every one for this many photos) and the
    order of the photos in its cells that fit them best."""
    choices = templates if templates is not None else shape.for_count(len(images))
    if not choices:
        raise ValueError(f"No template holds {len(images)} photos.")
    best: tuple[float, Spread] | None = None
    for template in choices:
        cost, order = _fit(template, images, aspects, shape.spread_aspect)
        if template.id == before:
            cost += SAME_AS_BEFORE
        if best is None or cost < best[0]:
            best = (cost, Spread(template.id, order))
    return best[1]  # type: ignore[index]


def fit_cost(
    template: Template, images: Sequence[int], aspects: Mapping[int, float], spread_aspect: float
) -> float:
    """How badly `images`, in this order, suit the template's cells (0: perfectly)."""
    cells = [(math.log(c.aspect(spread_aspect)), c.area) for c in template.cells]
    largest = max(range(len(cells)), key=lambda n: cells[n][1])
    return _cost(cells, [math.log(aspects.get(i, 1.5)) for i in images], largest)


def _fit(
    template: Template, images: tuple[int, ...], aspects: Mapping[int, float], spread_aspect: float
) -> tuple[float, tuple[int, ...]]:
    cells = [(math.log(c.aspect(spread_aspect)), c.area) for c in template.cells]
    largest = max(range(len(cells)), key=lambda n: cells[n][1])
    logs = [math.log(aspects.get(i, 1.5)) for i in images]
    best_cost, best_order = math.inf, images
    for order in permutations(range(len(images))):
        cost = _cost(cells, [logs[n] for n in order], largest, favourite_at=order.index(0))
        if cost < best_cost - 1e-12:
            best_cost, best_order = cost, tuple(images[n] for n in order)
    return best_cost, best_order


def _cost(
    cells: list[tuple[float, float]], logs: list[float], largest: int, favourite_at: int = 0
) -> float:
    cost = 0.0
    for (cell_log, area), image_log in zip(cells, logs, strict=True):
        cost += abs(cell_log - image_log) * (0.5 + area)
        if cell_log * image_log < 0 and abs(cell_log) > 0.1 and abs(image_log) > 0.1:
            cost += ORIENTATION_FLIP * (0.5 + area)
    largest_area = cells[largest][1]
    if cells[favourite_at][1] < largest_area - 1e-9:
        cost += FAVOURITE_NOT_LARGEST
    return cost
