"""How fast, and in how much memory, Reveal makes the lab's production files, against the naive
Pillow way on the same jobs in the same run.

    .venv/bin/python bench/production_bench.py            # 8 prints (one 40×60), 4 spreads
    .venv/bin/python bench/production_bench.py --full     # 20 prints, a 20-spread album

It writes camera-like 45 MP JPEGs (8192 × 5464: gradients, waves, sensor-like noise, q 92; every
third one stored on its side, EXIF orientation 6) into a temporary folder, then plans print
jobs from 4×6 to 40×60 inches at 300 ppi (a 40×60 is 12000 × 18000, 216 MP), each with a crop
of its own, and an album of 10×10 spreads (6000 × 3000) of one to four photos. Then, each in a
process of its own so that its peak memory (VmHWM) is its own:

1. Reveal: `make_files` for the jobs, as the export calls it: small prints two at a time,
   libvips decoding and resampling, large prints resampled, sharpened and coded band by band
   on both cores while libvips decodes their originals, sRGB profile embedded;
2. naive: Pillow opens the original, `exif_transpose`, crops the same box, resizes it with
   LANCZOS to the same size and saves it at the same quality and full colour (4:4:4, as
   Reveal saves a lab's file; no sharpening, no profile);
   the spreads: each photo opened whole, `ImageOps.fit` into its cell, pasted, saved.

Goals: Reveal ≥ 3× faster, its peak RSS ≤ 500 MB whatever the print's size. The last line is
`production rss: X MB`, the larger of Reveal's two peaks (prints, spreads).

Measured on the 2-core machine, quiet, at the defaults, over three runs: prints 4.2-4.3 s
against 13.2-13.3 s (3.13-3.17×), 362-371 MB against 2140 MB; spreads 1.6-1.7 s against 6.9-7.0
s (4.2×), 366 MB against 871 MB. With --full, prints 7.6-7.7 s against 24.9 s (3.27×), 444 MB;
spreads 8.1-8.2 s against 33.5 s (4.1×), 406-463 MB. By batch, what shrinks gains most (4×6
with 5×7: 8×, libvips decoding the JPEG at a quarter or an eighth of its size, two prints at
once); enlargements gain 2.4-3.2× (20×30 to 40×60). What is left is work, not waiting: a 40×60
keeps both cores over 90% busy, a third of it in the JPEG coder (the same libjpeg-turbo as
Pillow's), a quarter in Pillow's vertical resampling. Before the bands (libvips's own resampler
and one-thread JPEG writer) it was 9.3 s (1.5×); made one at a time, with each original decoded
before its bands, 4.7 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PPI, QUALITY = 300, 95
WIDTH, HEIGHT = 8192, 5464  # 45 MP
# (size, how many) for the default run and for --full: 20 prints, every size a studio sells.
DEFAULT = [("4x6", 1), ("5x7", 1), ("8x10", 1), ("11x14", 1), ("16x20", 1), ("20x30", 1)]
DEFAULT += [("30x40", 1), ("40x60", 1)]
FULL = [("4x6", 4), ("5x7", 3), ("8x10", 3), ("11x14", 2), ("16x20", 2), ("20x30", 2)]
FULL += [("24x36", 2), ("30x40", 1), ("40x60", 1)]


# -- the corpus -----------------------------------------------------------------------------
def make_photo(path: Path, seed: int, orientation: int) -> None:
    import pyvips

    ramp_x = pyvips.Image.grey(WIDTH, HEIGHT)
    ramp_y = pyvips.Image.grey(HEIGHT, WIDTH).rot90().fliphor()
    waves = pyvips.Image.sines(WIDTH, HEIGHT, hfreq=3 + seed % 5, vfreq=2 + seed % 3) * 25
    base = (ramp_x * 170 + 40 + waves).bandjoin(
        [ramp_y * 150 + 50 + waves, (ramp_x + ramp_y) * 60 + 60 + seed * 9 % 40]
    )
    # Sensor-like noise makes the file as big as a camera's; a tile of it, repeated, is as
    # costly to code as fresh noise and far quicker to make.
    tile = pyvips.Image.gaussnoise(509, 503, sigma=7, seed=seed).copy_memory()
    noise = tile.replicate(WIDTH // 509 + 1, HEIGHT // 503 + 1).crop(0, 0, WIDTH, HEIGHT)
    photo = (base + noise).cast("uchar").copy()
    if orientation != 1:
        photo.set_type(pyvips.GValue.gint_type, "orientation", orientation)
    photo.jpegsave(str(path), Q=92)


def plan(folder: Path, full: bool) -> dict:
    """The originals to make and the jobs over them: prints with their boxes, spreads."""
    sizes = [size for size, count in (FULL if full else DEFAULT) for _ in range(count)]
    originals = [
        (str(folder / f"IMG_{n:04d}.jpg"), n, 6 if n % 3 == 2 else 1)
        for n in range(10 if full else 4)
    ]
    prints = []
    for n, size in enumerate(sizes):
        path, _, orientation = originals[n % len(originals)]
        upright = (HEIGHT, WIDTH) if orientation == 6 else (WIDTH, HEIGHT)
        prints.append({"size": size, "source": path, "upright": upright, "zoom": 1 - n % 3 / 10})
    spreads = []
    templates = ["single", "two-up", "three-up", "four-up"]
    for n in range(20 if full else 4):
        count = n % 4 + 1
        ids = [(n * 3 + k) % len(originals) for k in range(count)]
        spreads.append({"template": templates[count - 1], "ids": ids})
    return {"originals": originals, "prints": prints, "spreads": spreads}


# -- the two ways ---------------------------------------------------------------------------
def print_jobs(work: dict, out: Path) -> list[tuple]:
    """(PrintJob, box, pixels) for each print: the crop the client chose, the same for both."""
    from dataclasses import replace

    from kiosk.checkout.production import PrintJob, print_pixels, size_of_label
    from kiosk.core.crop import Crop, clamp, crop_box_px, default_crop

    jobs = []
    for n, p in enumerate(work["prints"]):
        size = size_of_label(p["size"].replace("x", "×"))
        w, h = p["upright"]
        crop = default_crop(w, h, *size.inches())
        if p["zoom"] < 1:  # a closer crop, off centre, as a client drags and pinches it
            closer = Crop(crop.x * 0.5, crop.y, crop.w * p["zoom"], crop.h * p["zoom"])
            crop = clamp(closer, w, h, *size.inches())
        name = f"0042-{n + 1:02d}-print-{p['size']}-{Path(p['source']).stem}.jpg"
        job = PrintJob(name, n + 1, "print", p["size"].replace("x", "×"), 1, p["source"])
        job = replace(job, crop=crop.as_tuple())
        jobs.append((job, crop_box_px(crop, w, h), print_pixels(size, crop.landscape(w, h), PPI)))
    return jobs


def run_reveal(work: dict, out: Path, what: str) -> dict:
    from kiosk.albums.library import load_shapes
    from kiosk.checkout.production import Lab, PrintJob, make_file, make_files, pairs
    from kiosk.core.album import Spread

    lab = Lab(PPI, QUALITY)
    made, times = [], []
    if what == "prints":
        planned = print_jobs(work, out)
        jobs = [job for job, _box, _pixels in planned]
        # As the export makes them: small prints two at a time. Each batch's time runs from
        # the progress report that names it to the next one.
        batches, marks = pairs(jobs, lab), []
        rows = make_files(jobs, out, lab, progress=lambda _: marks.append(time.perf_counter()))
        times = [later - sooner for sooner, later in zip(marks, marks[1:], strict=False)]
        for row, (_job, _box, pixels) in zip(rows, planned, strict=True):
            made_one = (out / row["file"]).is_file()
            assert made_one and (row["width_px"], row["height_px"]) == pixels, row
            made.append(pixels)
        return {
            "megapixels": sum(w * h for w, h in made) / 1e6,
            "times": times,
            "files": len(made),
            "batches": batches,
        }
    else:
        shape = load_shapes()["square"]
        sources = tuple((n, path) for n, (path, _, _) in enumerate(work["originals"]))
        for n, spread in enumerate(work["spreads"]):
            job = PrintJob(
                f"0042-02-album-10x10-spread-{n + 1:02d}.jpg",
                2,
                "album",
                "10×10",
                1,
                spread=Spread(spread["template"], tuple(spread["ids"])),
                shape=shape,
                sources=sources,
                spread_inches=(20.0, 10.0),
            )
            start = time.perf_counter()
            row, problem = make_file(job, out, lab)
            times.append(time.perf_counter() - start)
            assert not problem, problem
            made.append((row["width_px"], row["height_px"]))
    return {"files": len(made), "megapixels": sum(w * h for w, h in made) / 1e6, "times": times}


def run_naive(work: dict, out: Path, what: str) -> dict:
    from PIL import Image, ImageOps

    from kiosk.albums.library import load_shapes
    from kiosk.albums.render import cell_box

    Image.MAX_IMAGE_PIXELS = None
    made, times = [], []
    if what == "prints":
        for job, box, pixels in print_jobs(work, out):
            start = time.perf_counter()
            with Image.open(job.source) as im:
                upright = ImageOps.exif_transpose(im)
                resized = upright.crop(box).resize(pixels, Image.Resampling.LANCZOS)
                resized.save(out / job.name, quality=QUALITY, subsampling=0)
            times.append(time.perf_counter() - start)
            made.append(pixels)
    else:
        shape = load_shapes()["square"]
        size = (20 * PPI, 10 * PPI)
        for n, spread in enumerate(work["spreads"]):
            start = time.perf_counter()
            picture = Image.new("RGB", size, (255, 255, 255))
            cells = shape.template(spread["template"]).cells
            for cell, image_id in zip(cells, spread["ids"], strict=True):
                left, top, right, bottom = cell_box(cell, size)
                with Image.open(work["originals"][image_id][0]) as im:
                    photo = ImageOps.exif_transpose(im).convert("RGB")
                    fitted = ImageOps.fit(photo, (right - left, bottom - top), Image.LANCZOS)
                picture.paste(fitted, (left, top))
            picture.save(out / f"spread-{n + 1:02d}.jpg", quality=QUALITY, subsampling=0)
            times.append(time.perf_counter() - start)
            made.append(size)
    return {"files": len(made), "megapixels": sum(w * h for w, h in made) / 1e6, "times": times}


def child(mode: str, what: str, work_file: Path, out: Path) -> None:
    """One mode in this process: its time and its own peak memory, as JSON on stdout."""
    work = json.loads(work_file.read_text())
    out.mkdir(parents=True, exist_ok=True)
    # Both ways plan their jobs with the kiosk's modules: imported before the clock starts, so
    # the figure is the making of the files, not Python's imports (0.3 s).
    import kiosk.albums.render
    import kiosk.checkout.production  # noqa: F401
    from kiosk.imaging.memory import peak_memory_mb

    start = time.perf_counter()
    result = (run_reveal if mode == "reveal" else run_naive)(work, out, what)
    seconds = time.perf_counter() - start
    peak = peak_memory_mb()
    print(json.dumps({**result, "seconds": seconds, "rss_mb": peak}))


def measure(mode: str, what: str, work_file: Path, out: Path) -> dict:
    command = [sys.executable, __file__, "--child", mode, what, str(work_file), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{mode} {what} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(out, ignore_errors=True)  # the next mode's files are not read from cache
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="20 prints and a 20-spread album")
    parser.add_argument("--keep", type=Path, help="make the originals here and keep them")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, what, work_file, out = args.child
        child(mode, what, Path(work_file), Path(out))
        return

    folder = args.keep or Path(tempfile.mkdtemp(prefix="reveal-production-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        work = plan(folder, args.full)
        start = time.perf_counter()
        for path, seed, orientation in work["originals"]:
            if not Path(path).exists():
                make_photo(Path(path), seed, orientation)
        print(
            f"{len(work['originals'])} originals of {WIDTH}×{HEIGHT} (45 MP) made in "
            f"{time.perf_counter() - start:.1f} s; {len(work['prints'])} prints, "
            f"{len(work['spreads'])} spreads, at {PPI} ppi, quality {QUALITY}"
        )
        work_file = folder / "work.json"
        work_file.write_text(json.dumps(work))
        results = {}
        for what in ("prints", "spreads"):
            for mode in ("reveal", "naive"):
                result = measure(mode, what, work_file, folder / f"out-{mode}-{what}")
                results[mode, what] = result
                print(
                    f"{what:8} {mode:7} {result['files']:3} files, "
                    f"{result['megapixels']:7.1f} MP in {result['seconds']:6.1f} s "
                    f"({result['megapixels'] / result['seconds']:5.1f} MP/s), "
                    f"peak RSS {result['rss_mb']:6.0f} MB"
                )
            ours, naive = results["reveal", what], results["naive", what]
            if what == "prints":  # by size: shrinking gains most, enlarging least
                sizes = [p["size"] for p in work["prints"]]
                for batch, mine in zip(ours["batches"], ours["times"], strict=True):
                    theirs = sum(naive["times"][n] for n in batch)
                    label = " + ".join(sizes[n] for n in batch)
                    print(
                        f"  {label:>13} in: {mine:5.1f} s vs {theirs:5.1f} s naive "
                        f"({theirs / mine:.1f}×)"
                    )
            print(
                f"{what:8} speedup {naive['seconds'] / ours['seconds']:.2f}× (goal ≥ 3×); "
                f"memory {naive['rss_mb'] / ours['rss_mb']:.1f}× less (goal ≤ 500 MB)"
            )
        largest = max((p for p in work["prints"]), key=lambda p: _area(p["size"]), default=None)
        if largest is not None:
            print(f"largest print {largest['size']} in at {PPI} ppi")
        rss = max(results["reveal", "prints"]["rss_mb"], results["reveal", "spreads"]["rss_mb"])
        print(f"production rss: {rss:.0f} MB")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def _area(size: str) -> float:
    w, h = size.split("x")
    return float(w) * float(h)


if __name__ == "__main__":
    os.environ.setdefault("VIPS_WARNING", "0")
    main()
