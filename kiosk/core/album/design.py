"""An album's design: its spreads in order, each a template and the photos in its cells.

A design is a plain tuple of `Spread`s (hashable, so a cart line can hold it, and JSON as
lists). The edits the client makes on the TV are functions from a design to the next one; the
screen sends the result as one cart command (`kiosk.core.cart.SetAlbumDesign`), so each edit is
logged and undone as a whole:

    design = (Spread("single", (11,)), Spread("three-up", (12, 13, 14)))
    swap(design, (0, 0), (1, 2))          # 11 and 14 change places
    remove_spread(design, 1)              # 12, 13 and 14 leave the album
    add_spread(design, 0, spare=(15,), aspects=..., shape=...)   # 15 on a new second spread

What must stay true: a photo is in a design once at most, and every spread has as many photos as
its template has cells. Edits that cannot keep that raise CommandError in words for the client.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from kiosk.core.album.templates import AlbumShape
from kiosk.core.errors import CommandError

Place = tuple[int, int]  # (spread index, cell index)


class Spread(NamedTuple):
    template: str
    images: tuple[int, ...]


Design = tuple[Spread, ...]


def as_design(spreads: Sequence[Sequence]) -> Design:
    """A design from its stored form: pairs of template id and image ids (tuples or lists)."""
    return tuple(Spread(str(t), tuple(int(i) for i in images)) for t, images in spreads)


def images_of(design: Sequence[Sequence]) -> tuple[int, ...]:
    """Every photo in the design, spread by spread: the album line's images."""
    return tuple(i for _template, images in design for i in images)


def spare_images(design: Design, preferred: Sequence[int]) -> tuple[int, ...]:
    """The photos of `preferred` (in its order) that the design does not use yet."""
    used = set(images_of(design))
    return tuple(i for i in preferred if i not in used)


def swap(design: Design, a: Place, b: Place) -> Design:
    """Two photos change places (in one spread or across two)."""
    spreads = [list(s.images) for s in design]
    (sa, ca), (sb, cb) = a, b
    try:
        spreads[sa][ca], spreads[sb][cb] = spreads[sb][cb], spreads[sa][ca]
    except IndexError:
        raise CommandError("That photo is no longer on the spread; try again.") from None
    return tuple(
        Spread(s.template, tuple(images)) for s, images in zip(design, spreads, strict=True)
    )


def with_template(
    design: Design, index: int, template_id: str, shape: AlbumShape, spare: Sequence[int]
) -> Design:
    """The spread at `index` in another template. With fewer cells, its least preferred photos
    (the last ones) leave the album; with more, photos not in the album yet fill the new cells."""
    template = shape.template(template_id)
    if template is None or not 0 <= index < len(design):
        raise CommandError("That layout is not offered for this album.")
    images = design[index].images
    need = len(template.cells)
    if need > len(images):
        missing = need - len(images)
        if len(spare) < missing:
            have = len(images) + len(spare)
            raise CommandError(
                f"{template.name} needs {need} photos; only {have} are free for this spread. "
                "Keep more photos, or choose a layout with fewer."
            )
        images = images + tuple(spare[:missing])
    spread = Spread(template.id, images[:need])
    return (*design[:index], spread, *design[index + 1 :])


def add_spread(
    design: Design,
    after: int,
    *,
    spare: Sequence[int],
    aspects: Mapping[int, float],
    shape: AlbumShape,
) -> Design:
    """A new spread after the one at `after`: with the next photo not in the album yet, or,
    when every kept photo is in it, with a photo from the spread that has the most."""
    from kiosk.core.album.layout import best_spread  # layout builds on this module

    singles = [t for t in shape.for_count(1)]
    if spare:
        spread = best_spread((spare[0],), aspects, shape, templates=singles)
        return (*design[: after + 1], spread, *design[after + 1 :])
    fullest = max(range(len(design)), key=lambda n: (len(design[n].images), -n), default=None)
    if fullest is None or len(design[fullest].images) < 2:
        raise CommandError(
            "Every photo has a spread of its own already; keep more photos to add a spread."
        )
    *stay, leaving = design[fullest].images
    fewer = shape.for_count(len(stay))
    if not fewer:
        raise CommandError("No layout holds one photo fewer; remove a photo another way.")
    kept = best_spread(tuple(stay), aspects, shape, templates=fewer)
    design = (*design[:fullest], kept, *design[fullest + 1 :])
    spread = best_spread((leaving,), aspects, shape, templates=singles)
    return (*design[: after + 1], spread, *design[after + 1 :])


def remove_spread(design: Design, index: int) -> Design:
    """The spread at `index` goes, and its photos leave the album (they can come back on a
    spread added later)."""
    if not 0 <= index < len(design):
        raise CommandError("That spread is no longer in the album.")
    if len(design) == 1:
        raise CommandError("An album needs at least one spread.")
    return (*design[:index], *design[index + 1 :])


def check_design(design: Sequence[Sequence]) -> None:
    """CommandError unless `design` is well formed: template ids, photos as whole numbers,
    each photo once, no empty spread."""
    seen: set[int] = set()
    for n, spread in enumerate(design, 1):
        if not isinstance(spread, Sequence) or len(spread) != 2:
            raise CommandError(f"Spread {n} must be a template and its photos.")
        template, images = spread
        if not isinstance(template, str) or not template:
            raise CommandError(f"Spread {n} needs a layout.")
        if not isinstance(images, Sequence) or isinstance(images, str) or not images:
            raise CommandError(f"Spread {n} has no photos; remove it or add a photo.")
        for image in images:
            if not isinstance(image, int) or isinstance(image, bool):
                raise CommandError(f"Spread {n} names {image!r}, which is not a photo.")
            if image in seen:
                raise CommandError(f"A photo is in the album twice (spread {n}); swap it out.")
            seen.add(image)
