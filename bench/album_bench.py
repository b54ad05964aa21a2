"""How fast an album is laid out, and what a swap costs the TV's UI thread, each against the
naive way measured in the same run.

    .venv/bin/python bench/album_bench.py              # under xvfb-run when there is no display
    .venv/bin/python bench/album_bench.py --layout-only

Layout: 60 kept photos (landscape, portrait and square, in a fixed random order) in the 8×8
album of the demo price list (10 spreads included, at most 30). Reveal's `lay_out` chooses the
number of spreads from the photos (about three a spread) and, for each spread, the best of the
templates for that many photos and the best order of the photos in their cells. The naive way
tries every spread count the album allows (10 to 30) and, for each, every template and order
for every spread, keeping the cheapest album. Goal: ≤ 50 ms.

Swap: the album screen in a real 1920×1080 window, the design made from the same 60 photos; a
swap is a drag's drop. What the UI thread spends on it is the gesture's handler (the new design
checked and accepted as one command) plus the announcement once it is durable (the price and
the spread redrawn). The naive swap lays the whole album out again and rebuilds the template
strip and every spread's textures' requests. Goal: ≤ 8 ms. The last line is
`album swap ui-thread p95: X ms`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import permutations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.albums.library import load_shapes  # noqa: E402
from kiosk.core.album import Spread, lay_out  # noqa: E402
from kiosk.core.album.layout import chunk_sizes, fit_cost  # noqa: E402

XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]
PHOTOS = 60
FEWEST, MOST = 10, 30
SWAPS = 40


def photo_aspects(count: int = PHOTOS) -> dict[int, float]:
    rng = random.Random(16)
    return {n: rng.choice([1.5, 1.5, 0.667, 0.667, 0.8, 1.0, 1.78]) for n in range(1, count + 1)}


def naive_layout(images, aspects, shape, fewest, most) -> tuple[Spread, ...]:
    """Every spread count, every template, every order: the cheapest album."""
    best: tuple[float, tuple[Spread, ...]] | None = None
    for spreads in range(fewest, min(most, len(images)) + 1):
        album, total, start = [], 0.0, 0
        for size in chunk_sizes(len(images), spreads, shape.most_cells):
            chunk = images[start : start + size]
            start += size
            choice = None
            for template in shape.templates:
                if len(template.cells) != size:
                    continue
                for order in permutations(chunk):
                    cost = fit_cost(template, order, aspects, shape.spread_aspect)
                    if choice is None or cost < choice[0]:
                        choice = (cost, Spread(template.id, tuple(order)))
            total += choice[0]
            album.append(choice[1])
        if best is None or total < best[0]:
            best = (total, tuple(album))
    return best[1]


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def bench_layout() -> dict[str, float]:
    """Prints the layout figures; returns them (ms) for another bench to report."""
    shape = load_shapes()["square"]
    aspects = photo_aspects()
    images = list(aspects)
    ours = timed(lambda: lay_out(images, aspects, shape, fewest=FEWEST, most=MOST), 50)
    naive = timed(lambda: naive_layout(images, aspects, shape, FEWEST, MOST), 5)
    spreads = lay_out(images, aspects, shape, fewest=FEWEST, most=MOST)
    print(f"layout of {PHOTOS} photos: {len(spreads)} spreads")
    print(f"  naive (every spread count, template and order): {statistics.median(naive):7.2f} ms")
    print(f"  Reveal's lay_out:                               {statistics.median(ours):7.2f} ms")
    print(f"album layout 60 images: {statistics.median(ours):.2f} ms")
    return {"layout_ms": statistics.median(ours), "naive_layout_ms": statistics.median(naive)}


# -- the swap, in a real window -------------------------------------------------------------
def make_session(studio, folder: Path) -> int:
    from PIL import Image

    session = studio.store.create_session("Bench Family", "bench@example.com")
    for n, aspect in photo_aspects().items():
        size = (900, round(900 / aspect)) if aspect >= 1 else (round(900 * aspect), 900)
        path = folder / f"{n:03d}.jpg"
        Image.new("RGB", size, ((n * 40) % 255, (n * 90) % 255, (n * 150) % 255)).save(path)
        studio.store.add_image(
            session.id,
            file_name=path.name,
            source_path=str(path),
            content_hash=f"bench-{n}",
            width=size[0],
            height=size[1],
            capture_time=f"2026-05-01T10:{n // 60:02d}:{n % 60:02d}",
            preview_path=str(path),
            thumb_path=str(path),
        )
    return session.id


def bench_swap() -> dict[str, float]:
    """Prints the swap figures (needs a display); returns the p95s (ms)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kiosk.kiosk import configure_window

    configure_window(windowed=True, size=(1920, 1080))
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    from kiosk.core.album import as_design, swap
    from kiosk.core.cart import AddLine
    from kiosk.core.selection import Decide, Decision
    from kiosk.studio import open_studio
    from kiosk.ui.app import RevealApp

    def pump(until, timeout=20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            EventLoop.idle()
            if until():
                return True
            time.sleep(0.002)
        return False

    with tempfile.TemporaryDirectory(prefix="reveal-album-bench-") as tmp:
        studio = open_studio(Path(tmp) / "studio")
        folder = Path(tmp) / "photos"
        folder.mkdir()
        session_id = make_session(studio, folder)
        app = RevealApp(studio, session_id)
        app._run_prepare()
        live = app.live
        live.do(*[Decide(i.id, Decision.KEEP) for i in app.images])
        live.do(AddLine("album", "8x8", {}, (app.images[0].id,)))
        pump(lambda: not live.saving)
        screen = app.album
        screen.open_line(live.cart.cart.lines[0].id)
        app.show_screen("album")
        pump(lambda: app.screens.current == "album" and screen.has_design)
        screen.step(1)
        view = screen.ids.spread
        pump(lambda: view.template is not None and all(view.textures))

        announced: list[float] = []
        announce = live._announce

        def timed_announce() -> None:
            started = time.perf_counter()
            announce()
            announced.append((time.perf_counter() - started) * 1000)

        live._announce = timed_announce

        def naive_swap(a: int, b: int) -> None:
            line = live.cart.line(screen.line_id)
            variant = live.pricelist.current.product("album").variant("8x8")
            aspects = {i.id: i.aspect for i in live.images}
            lay_out(
                screen.preferred(line),
                aspects,
                screen.shape,
                fewest=variant.spreads,
                most=variant.max_spreads,
            )
            design = swap(as_design(line.design), (screen.index, a), (screen.index, b))
            screen._strip_of = None  # the strip rebuilt with the rest
            for spread in design:
                for image_id in spread.images:
                    image = live.by_id[image_id]
                    screen.textures.request(image.preview_path, (1920, 1080))
            screen._send(design)

        results = {}
        for name, gesture, swaps in (
            ("naive", naive_swap, SWAPS // 2),
            ("reveal", screen.swap, SWAPS),
        ):
            costs = []
            for _ in range(swaps):
                announced.clear()
                started = time.perf_counter()
                gesture(0, 1)
                handler = (time.perf_counter() - started) * 1000
                pump(lambda: announced and not live.saving)
                costs.append(handler + sum(announced))
            results[name] = costs
        live._announce = announce
        app.dispatch("on_stop")
        studio.close()
    for name, label in (("naive", "naive (relays out everything)"), ("reveal", "Reveal")):
        costs = sorted(results[name])
        p95 = costs[int(len(costs) * 0.95) - 1]
        print(f"  {label:32s} median {statistics.median(costs):6.2f} ms  p95 {p95:6.2f} ms")
    p95 = {name: sorted(c)[int(len(c) * 0.95) - 1] for name, c in results.items()}
    print(f"album swap ui-thread p95: {p95['reveal']:.2f} ms")
    return {"swap_p95_ms": p95["reveal"], "naive_swap_p95_ms": p95["naive"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layout-only", action="store_true")
    args = parser.parse_args()
    if not args.layout_only and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        if not shutil.which("xvfb-run"):
            sys.exit("No display and no xvfb-run: run the bench under xvfb-run, or --layout-only.")
        sys.exit(subprocess.call([*XVFB, sys.executable, __file__, *sys.argv[1:]]))
    bench_layout()
    if not args.layout_only:
        print(f"swap on the album screen ({SWAPS} drops, {SWAPS // 2} naive; UI-thread work each):")
        bench_swap()


if __name__ == "__main__":
    main()
