"""Production files: what the lab prints from, in the order export's `production/` folder.

What must stay true: every print and wall line gives one file per image, its original cropped
as the client chose (kiosk.core.crop, else the largest centred crop), exactly the print's size
at the lab's pixels per inch (kiosk.imaging.printfile makes it, in constant memory); every
designed album gives one file per spread at the spread's size; `production.csv` lists them
all. An original that cannot be read, its drive unplugged, is a row in the manifest saying
what to do, never a failed export.

    jobs = plan(invoice)                       # one per print and image, one per album spread
    row = make_file(jobs[0], folder, Lab(ppi=300, quality=95))   # the file; its manifest row
    rows = make_production(invoice, folder, Lab(), progress=print)

Names say where a print belongs: `0042-03-canvas-30x40-IMG_1234.jpg` is order 0042, line 3
of lines.csv, a 30×40 canvas of IMG_1234; `0042-02-album-10x10-spread-01.jpg` an album spread.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyvips

from kiosk.albums.invoice import designed_album
from kiosk.albums.render import render_spread
from kiosk.core.album import AlbumShape, Spread
from kiosk.core.crop import crop_box_px, line_crop, print_ppi, resolution_note
from kiosk.core.errors import CartError
from kiosk.core.invoices import Invoice, OrderLine
from kiosk.core.pricelist import Size
from kiosk.core.pricelist.models import WALL_KINDS
from kiosk.core.pricing import CartLine
from kiosk.core.pricing.cart import cart_from_dict
from kiosk.imaging.bandedjpeg import BandError
from kiosk.imaging.memory import give_back_memory
from kiosk.imaging.printfile import (
    render_print,
    save_picture_for_lab,
    upright_size,
)

FOLDER = "production"
MANIFEST = "production.csv"
CROP_COLUMNS = ("crop_left", "crop_top", "crop_right", "crop_bottom")
COLUMNS = [
    *("file", "line", "product", "size", "copies", "width_px", "height_px", "ppi"),
    *CROP_COLUMNS,
    *("original", "note"),
]
# A print up to this many pixels (12×18 at 300 ppi) is made two at a time: `pairs`.
SMALL_PIXELS = 20_000_000
_SIZE = re.compile(r"(\d+(?:\.\d+)?)×(\d+(?:\.\d+)?)( cm)?")


@dataclass(frozen=True)
class Lab:
    """What the lab asks for: `ppi` and JPEG `quality` (settings `lab_ppi` and
    `lab_jpeg_quality`); below `min_ppi` (`lab_min_ppi`) the manifest calls a print soft."""

    ppi: int = 300
    quality: int = 95
    min_ppi: int = 150

    @classmethod
    def from_settings(cls, settings: Any) -> Lab:
        return cls(settings.lab_ppi, settings.lab_jpeg_quality, settings.lab_min_ppi)


@dataclass(frozen=True)
class PrintJob:
    """One file for the lab: one original on a print or wall product, or one album spread."""

    name: str  # "0042-03-canvas-30x40-IMG_1234.jpg"
    line: int  # the line's number in lines.csv
    product: str
    size: str  # as sold: "30×40", "30×40 cm"
    copies: int
    source: str = ""  # the original ("" for a spread)
    crop: tuple[float, float, float, float] | None = None  # the client's; None: the default
    spread: Spread | None = None
    shape: AlbumShape | None = None
    sources: tuple[tuple[int, str], ...] = ()  # a spread's originals, by image id
    spread_inches: tuple[float, float] = (0.0, 0.0)  # both pages side by side


@dataclass(frozen=True)
class Progress:
    """How far the production files are: `done` of `total`, the one being made, and what went
    wrong so far, one sentence per file."""

    done: int
    total: int
    current: str = ""
    problems: tuple[str, ...] = ()


def make_production(
    invoice: Invoice,
    folder: Path,
    lab: Lab,
    *,
    progress: Callable[[Progress], None] | None = None,
    executor: Executor | None = None,
) -> list[dict[str, Any]]:
    """Every production file of the order into `folder` (made when there is one); their
    manifest rows, in order. See `make_files`."""
    return make_files(plan(invoice), folder, lab, progress=progress, executor=executor)


def make_files(
    jobs: Sequence[PrintJob],
    folder: Path,
    lab: Lab,
    *,
    progress: Callable[[Progress], None] | None = None,
    executor: Executor | None = None,
) -> list[dict[str, Any]]:
    """The `jobs`' files into `folder`; their manifest rows, in the jobs' order. They are made
    by `executor` when given (a process of its own keeps libvips's threads and memory away
    from the TV's), else here; two small prints at a time (`pairs`)."""
    if jobs:
        folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = [{} for _ in jobs]
    problems: dict[int, str] = {}
    done = 0
    for batch in pairs(jobs, lab):
        if progress is not None:
            names = " and ".join(jobs[n].name for n in batch)
            progress(Progress(done, len(jobs), names, _in_order(problems)))
        together = [jobs[n] for n in batch]
        if executor is None:
            made = make_together(together, folder, lab)
        else:
            made = executor.submit(make_together, together, folder, lab).result()
        for n, (row, problem) in zip(batch, made, strict=True):
            rows[n] = row
            if problem:
                problems[n] = f"{jobs[n].name}: {problem}"
        done += len(batch)
    if progress is not None:
        progress(Progress(len(jobs), len(jobs), "", _in_order(problems)))
    return rows


def pairs(jobs: Sequence[PrintJob], lab: Lab) -> list[tuple[int, ...]]:
    """The jobs' places, grouped into what is made at once: small prints two by two, the rest
    one by one, in the order of each group's first job. A small print spends most of its time
    decoding its original, which libjpeg does on one core; two of them keep both cores busy
    (four prints from 4×6 to 11×14: 1.0 s made one by one, 0.6 s two by two; see
    bench/production_bench.py) and hold under 100 MB each. A larger print or a spread already
    uses every core, and more memory: a pair of 16×20s took as long as one after the other."""
    small = [n for n, job in enumerate(jobs) if _small(job, lab)]
    grouped = [tuple(small[k : k + 2]) for k in range(0, len(small), 2)]
    grouped += [(n,) for n in sorted(set(range(len(jobs))) - set(small))]
    return sorted(grouped)


def make_together(
    jobs: Sequence[PrintJob], folder: Path, lab: Lab
) -> list[tuple[dict[str, Any], str]]:
    """`make_file` for each job, all at once on threads of their own; in the jobs' order."""
    if len(jobs) == 1:
        return [make_file(jobs[0], folder, lab)]
    with ThreadPoolExecutor(len(jobs), thread_name_prefix="production") as threads:
        return list(threads.map(make_file, jobs, [folder] * len(jobs), [lab] * len(jobs)))


def _small(job: PrintJob, lab: Lab) -> bool:
    """A print of at most `SMALL_PIXELS` at the lab's resolution (a 12×18 at 300 ppi)."""
    size = size_of_label(job.size) if job.spread is None else None
    if size is None:
        return False
    width, height = size.inches()
    return width * height * lab.ppi**2 <= SMALL_PIXELS


def _in_order(problems: dict[int, str]) -> tuple[str, ...]:
    return tuple(problems[n] for n in sorted(problems))


def plan(invoice: Invoice) -> list[PrintJob]:
    """The files the order's print, wall and album lines need, named for the lab."""
    numbers = {
        line["ref"]: n
        for n, line in enumerate(invoice.breakdown["lines"], 1)
        if line["kind"] == "item"
    }
    crops = _chosen_crops(invoice)
    jobs: list[PrintJob] = []
    taken: set[str] = set()
    for sold in invoice.lines:
        size = size_of_label(sold.size)
        if size is None:
            continue
        line = numbers.get(sold.ref, 0)
        if sold.kind in WALL_KINDS:
            for image in filter(None, map(invoice.image, sold.images)):
                name = _unique(_name(invoice, line, sold, image.file_name), taken)
                job = replace(_job(name, line, sold), source=image.source_path)
                jobs.append(replace(job, crop=crops.get(sold.ref)))
        elif sold.kind == "album" and (found := designed_album(invoice, sold.ref)) is not None:
            shape, design = found
            page_w, page_h = size.inches()
            for k, spread in enumerate(design, 1):
                name = _unique(_name(invoice, line, sold, f"spread-{k:02d}"), taken)
                images = filter(None, map(invoice.image, spread.images))
                sources = tuple((image.id, image.source_path) for image in images)
                job = replace(_job(name, line, sold), spread=spread, shape=shape)
                jobs.append(replace(job, sources=sources, spread_inches=(2 * page_w, page_h)))
    return jobs


def make_file(job: PrintJob, folder: Path, lab: Lab) -> tuple[dict[str, Any], str]:
    """Write the job's file into `folder`; its manifest row, and what went wrong ("" when
    nothing did). A missing or unreadable original gives a row without a file, whose note
    says what to do."""
    try:
        if job.spread is not None:
            return _make_spread(job, folder, lab)
        return _make_print(job, folder, lab)
    finally:
        give_back_memory()


def _make_print(job: PrintJob, folder: Path, lab: Lab) -> tuple[dict[str, Any], str]:
    row = _row(job, original=job.source)
    source = Path(job.source)
    if not source.is_file():
        row["note"] = _missing(source)
        return row, row["note"]
    size = size_of_label(job.size)
    assert size is not None  # plan() keeps only the lines sold at a size
    try:
        width, height = upright_size(pyvips.Image.new_from_file(str(source)))
        crop = line_crop(CartLine(job.product, "", crop=job.crop), width, height, size)
        box = crop_box_px(crop, width, height)
        out = print_pixels(size, crop.landscape(width, height), lab.ppi)
        render_print(source, box, out, folder / job.name, quality=lab.quality, ppi=lab.ppi)
    except pyvips.Error as exc:
        row["note"] = _unreadable(source, exc)
        return row, row["note"]
    except BandError as exc:  # a print larger than a JPEG holds: a size the lab can't take
        row["note"] = f"{job.size} at {lab.ppi} ppi cannot be one JPEG ({exc}); lower lab_ppi."
        return row, row["note"]
    ppi = print_ppi(crop, width, height, *size.inches())
    row.update(zip(CROP_COLUMNS, box, strict=True))
    row.update(width_px=out[0], height_px=out[1], ppi=math.floor(ppi))
    row["note"] = resolution_note(ppi, job.size, lab.min_ppi, lab.ppi) or ""
    return row, ""


def print_pixels(size: Size, landscape: bool, ppi: int) -> tuple[int, int]:
    """The print's size in pixels at `ppi`, its long side across when `landscape`."""
    short, long = sorted(size.inches())
    across, down = (long, short) if landscape else (short, long)
    return round(across * ppi), round(down * ppi)


def size_of_label(label: str) -> Size | None:
    """The size a line was sold at ("30×40", "30×40 cm"); None for files and services."""
    found = _SIZE.fullmatch(label.strip())
    if found is None:
        return None
    return Size(Decimal(found[1]), Decimal(found[2]), "cm" if found[3] else "in")


def file_name(reference: str, line: int, product: str, size: str, original: str) -> str:
    """ "0042-03-canvas-30x40-IMG_1234.jpg": the order, the line, the product, the size and the
    original's name, so a print on the lab's table can be traced back to its line."""
    stem = Path(original).stem if "." in original else original
    parts = (reference, f"{line:02d}", product, size.replace("×", "x"), stem)
    return "-".join(_safe(p) for p in parts) + ".jpg"


# album spreads ---------------------------------------------------------------------------------
def _make_spread(job: PrintJob, folder: Path, lab: Lab) -> tuple[dict[str, Any], str]:
    """The spread as designed (kiosk.albums.render: each photo filling its cell), at the
    spread's size; a photo whose original is missing is a grey cell, and the note says so."""
    assert job.spread is not None and job.shape is not None
    width, height = (round(v * lab.ppi) for v in job.spread_inches)
    found = {i: path for i, path in job.sources if Path(path).is_file()}
    picture = render_spread(job.spread, found, (width, height), job.shape)
    save_picture_for_lab(picture, folder / job.name, quality=lab.quality, ppi=lab.ppi)
    row = _row(job, original=" ".join(Path(path).name for _, path in job.sources))
    missing = [_missing(Path(path)) for i, path in job.sources if i not in found]
    ppi = _spread_ppi(job, found)
    soft = resolution_note(ppi, job.size, lab.min_ppi, lab.ppi) if ppi else None
    row.update(width_px=width, height_px=height, ppi=math.floor(ppi) if ppi else "")
    row["note"] = " ".join(missing) or soft or ""
    return row, " ".join(missing)


def _spread_ppi(job: PrintJob, found: dict[int, str]) -> float:
    """The lowest pixels per inch among the spread's photos, each filling its cell."""
    assert job.spread is not None and job.shape is not None
    template = job.shape.template(job.spread.template)
    if template is None or len(template.cells) != len(job.spread.images):
        fits = job.shape.for_count(len(job.spread.images))  # as render_spread draws it
        template = fits[0] if fits else job.shape.templates[0]
    spread_w, spread_h = job.spread_inches
    lowest = math.inf
    for cell, image_id in zip(template.cells, job.spread.images, strict=False):
        if image_id not in found:
            continue
        try:
            w, h = upright_size(pyvips.Image.new_from_file(found[image_id]))
        except pyvips.Error:
            continue
        lowest = min(lowest, w / (cell.w * spread_w), h / (cell.h * spread_h))
    return lowest if math.isfinite(lowest) else 0.0


# the pieces ------------------------------------------------------------------------------------
def _job(name: str, line: int, sold: OrderLine) -> PrintJob:
    return PrintJob(name, line, sold.product, sold.size, sold.quantity)


def _name(invoice: Invoice, line: int, sold: OrderLine, original: str) -> str:
    return file_name(invoice.reference, line, sold.product, sold.size, original)


def _row(job: PrintJob, original: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    row.update(file=job.name, line=job.line, product=job.product, size=job.size)
    row.update(copies=job.copies, original=original)
    return row


def _chosen_crops(invoice: Invoice) -> dict[str, tuple[float, float, float, float]]:
    """The client's crop of each line, by the line's ref (its id, or its position)."""
    try:
        cart = cart_from_dict(invoice.cart)
    except CartError:
        return {}  # a cart this version cannot read: every print takes the default crop
    return {line.id or str(n): line.crop for n, line in enumerate(cart.lines, 1) if line.crop}


def _missing(source: Path) -> str:
    return (
        f"the original is not at {source}: plug in the drive it is on (or copy it back) and "
        "export the order again."
    )


def _unreadable(source: Path, exc: pyvips.Error) -> str:
    reason = (str(exc.detail or exc).strip().splitlines() or ["damaged"])[-1]
    return (
        f"the original {source.name} cannot be read whole ({reason}); copy it again from the "
        "camera card and export the order again."
    )


def _safe(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "-", part).strip("-.") or "x"


def _unique(name: str, taken: set[str]) -> str:
    stem, n = name.removesuffix(".jpg"), 2
    while name in taken:
        name, n = f"{stem}-{n}.jpg", n + 1
    taken.add(name)
    return name
