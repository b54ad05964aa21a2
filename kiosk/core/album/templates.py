"""Spread templates: where the photos of one album spread go, read from `layouts/albums/`.

A file holds the templates of one album shape ("square", "landscape"): the page's proportions,
the margin and gutter the studio keeps, and each template's cells as boxes in fractions of the
spread (x, y from the top-left; width, height), each with the orientation it suits. `parse`
is pure (text in, values out) and every mistake is an AlbumTemplateError naming the file, the
template and what to change:

    shape = parse_templates(Path("layouts/albums/square.toml").read_text(), file="square.toml")
    shape.template("three-up").cells[0].aspect(shape.spread_aspect)   # 0.72: a portrait cell
    shape.for_count(3)                                                 # every 3-photo template

What must stay true: no cell crosses the gutter (the fold in the middle) unless the template
says it may, which only a panorama does; no two cells overlap; a cell that is not full-bleed
keeps the margin from the spread's edges and half the gutter from the fold.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass

from kiosk.core.errors import AlbumTemplateError

ORIENTATIONS = ("any", "landscape", "portrait", "square")
MAX_CELLS = 6
FOLD = 0.5  # the gutter runs down the middle of a spread
_EPS = 1e-6


@dataclass(frozen=True)
class Cell:
    """One photo's place: a box in fractions of the spread, the orientation it suits, and
    whether it runs to the paper's edge (full bleed) or across the fold (a panorama)."""

    x: float
    y: float
    w: float
    h: float
    prefer: str = "any"
    bleed: bool = False
    crosses_gutter: bool = False

    def aspect(self, spread_aspect: float) -> float:
        """Width over height of the cell as printed, on a spread `spread_aspect` wide."""
        return (self.w * spread_aspect) / self.h

    @property
    def area(self) -> float:
        return self.w * self.h

    @property
    def over_fold(self) -> bool:
        return self.x < FOLD - _EPS and self.x + self.w > FOLD + _EPS


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    cells: tuple[Cell, ...]

    @property
    def panorama(self) -> bool:
        return any(cell.crosses_gutter for cell in self.cells)


@dataclass(frozen=True)
class AlbumShape:
    """Every template of one album shape, with the page's proportions."""

    shape: str
    page_aspect: float  # a page's width over its height
    margin: float  # fraction of the spread's height
    gutter: float  # fraction of the spread's height, shared by both pages
    templates: tuple[Template, ...]

    @property
    def spread_aspect(self) -> float:
        return 2 * self.page_aspect

    def template(self, template_id: str) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def for_count(self, count: int) -> tuple[Template, ...]:
        return tuple(t for t in self.templates if len(t.cells) == count)

    @property
    def most_cells(self) -> int:
        return max(len(t.cells) for t in self.templates)


def shape_of(width: float, height: float) -> str:
    """The album shape for a page size: "square", "landscape" or "portrait"."""
    ratio = width / height
    if abs(math.log(ratio)) < 0.05:
        return "square"
    return "landscape" if ratio > 1 else "portrait"


def parse_templates(text: str, *, file: str = "") -> AlbumShape:
    """An album shape's templates from TOML text; AlbumTemplateError says what to fix."""
    where = file or "the album templates"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AlbumTemplateError(
            f"{where} is not valid TOML ({exc}); check the quotes and brackets there."
        ) from exc
    shape = data.get("shape")
    if not isinstance(shape, str) or not shape:
        raise AlbumTemplateError(f'{where} needs shape = "square" (or "landscape", "portrait").')
    page = _number(data, "page_aspect", where, low=0.3, high=3.0)
    margin = _number(data, "margin", where, low=0.0, high=0.25)
    gutter = _number(data, "gutter", where, low=0.0, high=0.25)
    raw = data.get("template")
    if not isinstance(raw, list) or not raw:
        raise AlbumTemplateError(f"{where} has no [[template]] tables; add at least one.")
    templates: list[Template] = []
    for n, table in enumerate(raw, 1):
        template = _template(table, f"{where}, template {n}", page * 2, margin, gutter)
        if any(t.id == template.id for t in templates):
            raise AlbumTemplateError(f"{where}: two templates are called '{template.id}'.")
        templates.append(template)
    if not any(len(t.cells) == 1 and not t.panorama for t in templates):
        raise AlbumTemplateError(f"{where} needs a one-photo template that is not a panorama.")
    return AlbumShape(shape, page, margin, gutter, tuple(templates))


def _number(table: dict, key: str, where: str, *, low: float, high: float) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise AlbumTemplateError(f"{where}: {key} must be a number from {low} to {high}.")
    return float(value)


def _template(
    table: object, where: str, spread_aspect: float, margin: float, gutter: float
) -> Template:
    if not isinstance(table, dict):
        raise AlbumTemplateError(f"{where} must be a table.")
    template_id, name = table.get("id"), table.get("name")
    if not isinstance(template_id, str) or not template_id:
        raise AlbumTemplateError(f'{where} needs an id = "..." (used in the event log).')
    where = f"{where.rsplit(',', 1)[0]}, template '{template_id}'"
    if not isinstance(name, str) or not name:
        raise AlbumTemplateError(f'{where} needs a name = "..." for the screen.')
    raw_cells = table.get("cell")
    if not isinstance(raw_cells, list) or not 1 <= len(raw_cells) <= MAX_CELLS:
        raise AlbumTemplateError(f"{where} needs 1 to {MAX_CELLS} [[template.cell]] tables.")
    cells = tuple(
        _cell(raw, f"{where}, cell {n}", spread_aspect, margin, gutter)
        for n, raw in enumerate(raw_cells, 1)
    )
    for i, a in enumerate(cells):
        for j, b in enumerate(cells[i + 1 :], i + 2):
            if _overlap(a, b):
                raise AlbumTemplateError(
                    f"{where}: cells {i + 1} and {j} overlap; move or shrink one of them."
                )
    return Template(template_id, name, cells)


def _cell(raw: object, where: str, spread_aspect: float, margin: float, gutter: float) -> Cell:
    if not isinstance(raw, dict):
        raise AlbumTemplateError(f"{where} must be a table.")
    box = raw.get("box")
    if (
        not isinstance(box, list)
        or len(box) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)
    ):
        raise AlbumTemplateError(
            f"{where}: box must be [x, y, width, height] in fractions of the spread."
        )
    x, y, w, h = (float(v) for v in box)
    if w <= 0 or h <= 0 or x < -_EPS or y < -_EPS or x + w > 1 + _EPS or y + h > 1 + _EPS:
        raise AlbumTemplateError(
            f"{where}: box {box} is not inside the spread (each value from 0 to 1, "
            "x + width and y + height at most 1)."
        )
    prefer = raw.get("prefer", "any")
    if prefer not in ORIENTATIONS:
        raise AlbumTemplateError(
            f"{where}: prefer is '{prefer}'; choose one of {', '.join(ORIENTATIONS)}."
        )
    bleed, crosses = raw.get("bleed", False), raw.get("crosses_gutter", False)
    if not isinstance(bleed, bool) or not isinstance(crosses, bool):
        raise AlbumTemplateError(f"{where}: bleed and crosses_gutter are true or false.")
    cell = Cell(x, y, w, h, prefer, bleed, crosses)
    if cell.over_fold and not crosses:
        raise AlbumTemplateError(
            f"{where} crosses the gutter (from x = {x} to {x + w:g}, the fold is at 0.5); "
            "keep it on one page, or say crosses_gutter = true for a panorama."
        )
    if crosses and not cell.over_fold:
        raise AlbumTemplateError(
            f"{where} says crosses_gutter = true but stays on one page; remove the line."
        )
    if not bleed:
        _check_clearance(cell, where, spread_aspect, margin, gutter)
    return cell


def _check_clearance(
    cell: Cell, where: str, spread_aspect: float, margin: float, gutter: float
) -> None:
    """A cell printed short of the paper's edge keeps the margin from it, and half the gutter
    from the fold (a photo in the fold loses what the binding swallows)."""
    mx = margin / spread_aspect  # the margin as a fraction of the spread's width
    if min(cell.x, 1 - cell.x - cell.w) < mx - _EPS or min(cell.y, 1 - cell.y - cell.h) < (
        margin - _EPS
    ):
        raise AlbumTemplateError(
            f"{where} is closer to the spread's edge than the margin ({margin:g} of the "
            "height); move it in, or say bleed = true to print it to the edge."
        )
    if cell.crosses_gutter:
        return
    half = gutter / 2 / spread_aspect
    right, left = cell.x + cell.w, cell.x
    if right <= FOLD + _EPS and right > FOLD - half + _EPS:
        raise AlbumTemplateError(
            f"{where} ends within half the gutter of the fold; end it at x + width "
            f"≤ {FOLD - half:.4f}."
        )
    if left >= FOLD - _EPS and left < FOLD + half - _EPS:
        raise AlbumTemplateError(
            f"{where} starts within half the gutter of the fold; start it at x ≥ {FOLD + half:.4f}."
        )


def _overlap(a: Cell, b: Cell) -> bool:
    return (
        a.x < b.x + b.w - _EPS
        and b.x < a.x + a.w - _EPS
        and a.y < b.y + b.h - _EPS
        and b.y < a.y + a.h - _EPS
    )
