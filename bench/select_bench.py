"""How the choosing screen keeps up: swipes through the real select screen, and naive ways.

    .venv/bin/python bench/select_bench.py                 # 30 images, 30 decisions a mode
    .venv/bin/python bench/select_bench.py --full          # 300 images, 300 decisions a mode
    .venv/bin/python bench/select_bench.py --keep /tmp/select-corpus --decisions 100

With no display it runs itself under `xvfb-run -a -s "-screen 0 1920x1080x24"`. On two cores
with Mesa's llvmpipe the default run takes about two and a half minutes and `--full` about 25:
the software renderer's frames are slow.

The corpus: 30 distinct camera-like JPEGs at the import's preview size and quality (3840×2560,
every third one 2560×3840, q 88: gradients, waves, a vignette and sensor-like noise), each copied
ten times (separate files, separate content hashes) to make 300. They are recorded in a studio
directly as previews, as tests/conftest.py's `session_factory` does: the import has its own
bench, and what the screen decodes is exactly these files.

Each mode runs in its own process (its own 1920×1080 Kivy window, its own peak RSS), driving the
real `RevealApp` with `App._run_prepare()` and a frame loop of our own: Kivy's clock sleeps for
nothing (maxfps 0) and the loop paces frames to 60 Hz itself, so a frame's time is its work.
Every decision is a swipe (seeded keep or drop) through the SwipeCard with simulated touches:
a short look at the photo, six move frames, the release, the fly-off, the next photo.

- prefetch: the kiosk as it is (TextureCache: decode in threads, prefetch two ahead; the event
  log written by the writer thread, the decision shown when it is durable).
- slow-disk: the same with every commit 100 ms longer (a kiosk PC's eMMC on a bad day).
- inline-slow-disk: the naive way to be durable, the commit (100 ms longer too) made on the UI
  thread before the card may fly, as the kiosk did before the writer thread.
- naive: the kiosk as it is, but the next image is decoded (`decode_fitted`) and uploaded on
  the UI thread when the card has flown off, with no cache and no prefetch (`--modes naive`).

"UI-thread time per decision" is our own Python work for it: the touch release (the command
checked and handed to the writer, or written there in the inline mode; the fly-off start), the
acknowledgement when the write is durable (the screen's refresh with the new counts), and the
swap to the next image when the fly-off ends.
Uploads of prefetched textures also run on the UI thread, in other frames: they are reported on
their own and with the total. Rendering is excluded; it is in the frame times, which are compared
with a static frame (the photo at rest, redrawn) measured in the same process. The last line is
`select p99 ui-thread per decision: X ms` for the kiosk as it is, on the slow disk.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DISTINCT, COPIES = 30, 10
FRAME_SECONDS = 1 / 60
MOVES = 6  # move frames per swipe
LOOK = 3  # frames the photo is looked at before the next swipe (a fast swiper)
STATIC_FRAMES = 30
XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]


# -- the corpus -----------------------------------------------------------------------------
def make_preview(path: str, width: int, height: int, seed: int) -> int:
    import pyvips

    from kiosk.imaging.previews import PREVIEW_QUALITY

    x = pyvips.Image.xyz(width, height)
    xs, ys = x[0], x[1]
    base = (xs * (190 / width) + 30 + seed).bandjoin(
        [ys * (170 / height) + 40, (xs + ys) * (140 / (width + height)) + 50 + seed % 7 * 6]
    )
    waves = pyvips.Image.sines(width, height, hfreq=2 + seed % 5, vfreq=1 + seed % 3) * 22
    vignette = pyvips.Image.eye(width, height, factor=0.3 + (seed % 4) / 10) * 35
    # A preview is the camera's frame shrunk: less noise than the sensor's, but still some.
    tile = pyvips.Image.gaussnoise(509, 503, sigma=10, seed=seed).bandjoin(
        [pyvips.Image.gaussnoise(509, 503, sigma=10, seed=seed + s) for s in (1, 2)]
    )
    noise = (
        tile.copy_memory().replicate(width // 509 + 1, height // 503 + 1).crop(0, 0, width, height)
    )
    image = (base + waves + vignette + noise).cast("uchar").copy(interpretation="srgb")
    image.jpegsave(path, Q=PREVIEW_QUALITY, strip=True)
    return os.path.getsize(path)


def make_corpus(folder: Path, count: int) -> list[Path]:
    """`count` files: DISTINCT generated previews, then copies of them under new names."""
    if len(list(folder.glob("IMG_*.jpg"))) == count:
        return sorted(folder.glob("IMG_*.jpg"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    distinct = min(DISTINCT, count)
    jobs = []
    for n in range(distinct):
        width, height = (2560, 3840) if n % 3 == 1 else (3840, 2560)
        jobs.append((str(folder / f"IMG_{n:04}.jpg"), width, height, n))
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(make_preview, *zip(*jobs, strict=True)))
    for n in range(distinct, count):
        shutil.copyfile(folder / f"IMG_{n % distinct:04}.jpg", folder / f"IMG_{n:04}.jpg")
    return sorted(folder.glob("IMG_*.jpg"))


def record_session(studio_root: Path, files: list[Path]) -> int:
    """A session of `files` as previews (and thumbnails), as session_factory records them."""
    from PIL import Image

    from kiosk.studio import open_studio

    studio = open_studio(studio_root)
    session = studio.store.create_session("Bench Family", "bench@example.com")
    for n, path in enumerate(files):
        with Image.open(path) as im:
            width, height = im.size
        studio.store.add_image(
            session.id,
            file_name=path.name,
            source_path=str(path),
            content_hash=f"bench-{n:04}",
            width=width,
            height=height,
            capture_time=f"2026-05-01T{10 + n // 3600:02}:{n // 60 % 60:02}:{n % 60:02}",
            preview_path=str(path),
            thumb_path=str(path),
        )
    studio.close()
    return session.id


# -- one mode, in its own process -----------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def phase_select(studio_root: Path, session_id: int, mode: str, decisions: int, seed: int) -> dict:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kiosk.kiosk import configure_window

    configure_window(windowed=True, size=(1920, 1080))
    from kivy.base import EventLoop
    from kivy.clock import Clock

    Clock._max_fps = 0  # the loop below paces frames: a frame's time is then its own work
    from kivy.core.window import Window
    from kivy.graphics.opengl import glGetString
    from kivy.tests.common import UnitTestTouch

    from kiosk.imaging.display import decode_fitted
    from kiosk.live import LiveSession
    from kiosk.store.writer import InlineWriter
    from kiosk.studio import open_studio
    from kiosk.ui import textures
    from kiosk.ui.app import RevealApp
    from kiosk.ui.screens.select import SelectScreen
    from kiosk.ui.textures import TextureCache, screen_box, upload
    from kiosk.ui.widgets.strip import ProgressStrip

    EventLoop.ensure_window()
    timings: dict[str, list[float]] = {
        "swap": [],
        "upload": [],
        "store": [],
        "strip": [],
        "ack": [],
    }
    decodes: list[float] = []  # in the decode threads
    uploads_in: list[float] = []  # upload time per decision (index = decision)
    swapped = [False]

    def timed(name: str, fn, after=None):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                timings[name].append(spent)
                if after:
                    after(spent)

        return wrapper

    def swap_done(_spent: float) -> None:
        swapped[0] = True

    def upload_done(spent: float) -> None:
        if uploads_in:
            uploads_in[-1] += spent

    def decode_timed(*args):
        started = time.perf_counter()
        pixels = decode_fitted(*args)
        decodes.append(time.perf_counter() - started)  # list.append is atomic under the GIL
        return pixels

    textures.decode_fitted = decode_timed  # what TextureCache submits to its threads
    SelectScreen._after_fly = timed("swap", SelectScreen._after_fly, swap_done)
    TextureCache._finish = timed("upload", TextureCache._finish, upload_done)
    LiveSession.do = timed("store", LiveSession.do)
    ack_times: list[float] = []
    LiveSession._written = timed(
        "ack", LiveSession._written, lambda _spent: ack_times.append(time.perf_counter())
    )
    if mode == "inline-slow-disk":
        slow = 0.1
    elif mode == "slow-disk":
        slow = 0.1
    else:
        slow = 0.0
    ProgressStrip.show = timed("strip", ProgressStrip.show)
    if mode == "naive":

        def show_now(self, index: int) -> None:
            self._showing = self.index = index
            card = self.ids.card
            card.reset()
            card.texture = upload(decode_fitted(self.live.images[index].preview_path, screen_box()))

        SelectScreen._show = show_now

    flips = [0]
    Window.bind(on_flip=lambda *_: flips.__setitem__(0, flips[0] + 1))
    with_upload: list[float] = []  # swipe frames in which a prefetched texture was uploaded
    beside_decode: list[float] = []  # swipe frames drawn while a decode thread was busy

    def frame(extra: float = 0.0, *, gesture: bool = False) -> tuple[float, bool]:
        """One turn of Kivy's loop (clock, input, draw, flip), paced to 60 Hz."""
        before, uploads = flips[0], len(timings["upload"])
        decoding = bool(app.textures._waiting)
        started = time.perf_counter()
        EventLoop.idle()
        work = time.perf_counter() - started + extra
        time.sleep(max(0.0, FRAME_SECONDS - work))
        if gesture and len(timings["upload"]) != uploads:
            with_upload.append(work)
        elif gesture and (decoding or app.textures._waiting):
            beside_decode.append(work)
        return work, flips[0] != before

    def frames_until(done, timeout: float = 20) -> int:
        drawn, deadline = 0, time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError("the select screen stopped moving on")
            drawn += frame()[1]
        return drawn

    studio = open_studio(studio_root)
    app = RevealApp(studio, session_id, commit_delay=slow)
    if mode == "inline-slow-disk":
        app.live.writer.close()
        app.live.writer = InlineWriter(studio.store.db.conn, commit_delay=slow)
    app._run_prepare()
    screen, card = app.select, app.select.ids.card
    # As a photographer would: once the slideshow shows its first photo (switching during a
    # cross-fade leaves the slideshow stepping behind the select screen: see the report).
    frames_until(lambda: app.slideshow.shown >= 1)
    app.show_screen("select")
    frames_until(
        lambda: app.screens.current_screen is screen and not app.screens.transition.is_active
    )
    frames_until(lambda: card.texture is not None and not app.textures._waiting)
    for _ in range(10):
        frame()
    baseline_rss = rss_mb()
    slideshow_steps = app.slideshow.shown

    # The photo at rest, drawn again, with none of our work in the frame and no decode running
    # beside it (on two cores a decode slows the software renderer down).
    static = []

    def look() -> None:
        Window.canvas.ask_update()
        ours, idle = sum(map(len, timings.values())), not app.textures._waiting
        work, drew = frame()
        if drew and idle and not app.textures._waiting and sum(map(len, timings.values())) == ours:
            static.append(work)

    for _ in range(STATIC_FRAMES):
        look()

    rng = random.Random(seed)
    release, gesture, next_image, release_to_image = [], [], [], []
    durable_from: list[float] = []  # when each release handed its write over
    acked_in: list[float] = []  # UI-thread time of each decision's acknowledgement
    durable: list[float] = []  # from the release to the acknowledgement
    for n in range(decisions):
        for _ in range(LOOK):
            look()  # static frames all through the run, under the same load as the swipes
        direction = rng.choice((1, -1))  # right keeps, left drops
        cx, cy = card.center
        touch = UnitTestTouch(cx, cy)
        started = time.perf_counter()
        touch.touch_down()
        gesture.append(frame(time.perf_counter() - started, gesture=True)[0])
        for i in range(1, MOVES + 1):
            started = time.perf_counter()
            touch.touch_move(cx + direction * 620 * i / MOVES, cy + 12 * i / MOVES)
            gesture.append(frame(time.perf_counter() - started, gesture=True)[0])
        index = app.live.current
        swapped[0] = False
        uploads_in.append(0.0)
        acks = len(timings["ack"])
        started = time.perf_counter()
        touch.touch_up()  # the release: command, store write, fly-off start
        release.append(time.perf_counter() - started)
        durable_from.append(time.perf_counter())
        work, drew = frame(release[-1], gesture=True)
        gesture.append(work)
        flown = int(drew)
        while not swapped[0]:  # the fly-off; the swap runs in the frame where it ends
            work, drew = frame(gesture=True)
            gesture.append(work)
            flown += drew
        # The next photo comes with the acknowledgement (at once, if it came during the flight).
        waited = 1 + frames_until(lambda: card.texture is not None and screen._showing is not None)
        next_image.append(waited)
        assert app.live.current != index or n == decisions - 1 or len(app.images) == 1
        acked_in.append(sum(timings["ack"][acks:]))
        durable.append(
            max(0.0, ack_times[acks] - durable_from[-1]) if len(ack_times) > acks else 0.0
        )
        release_to_image.append(flown + waited - 1)

    kept = app.live.counts()
    logged = len(studio.store.events(session_id))
    result = {
        "mode": mode,
        "renderer": glGetString(0x1F01).decode(errors="replace"),  # GL_RENDERER
        "decisions": decisions,
        "decided": kept.kept + kept.dropped,
        "events": logged,
        "release_ms": [t * 1000 for t in release],
        "swap_ms": [t * 1000 for t in timings["swap"]],
        "upload_ms": [t * 1000 for t in timings["upload"]],
        "uploads_per_decision_ms": [t * 1000 for t in uploads_in],
        "store_ms": [t * 1000 for t in timings["store"]],
        "ack_ms": [t * 1000 for t in acked_in],
        "durable_ms": [t * 1000 for t in durable],
        "batches": app.live.writer.batches,
        "strip_ms": [t * 1000 for t in timings["strip"]],
        "next_image_frames": next_image,
        "release_to_image_frames": release_to_image,
        "static_ms": [t * 1000 for t in static],
        "gesture_ms": [t * 1000 for t in gesture],
        "decode_ms": [t * 1000 for t in decodes],
        "upload_frames_ms": [t * 1000 for t in with_upload],
        "decode_frames_ms": [t * 1000 for t in beside_decode],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "baseline_rss_mb": baseline_rss,
        "slideshow_steps": app.slideshow.shown - slideshow_steps,
        "cache_mb": app.textures._bytes / 2**20,
        "cache_textures": len(app.textures._textures),
    }
    Window.remove_widget(app.root)
    app.dispatch("on_stop")
    studio.close()
    return result


def run_mode(studio_root: Path, session_id: int, mode: str, decisions: int, seed: int) -> dict:
    args = ["--phase", str(studio_root), str(session_id), mode, str(decisions), str(seed)]
    with tempfile.TemporaryDirectory(prefix="reveal-bench-kivy-") as home:
        done = subprocess.run(
            [sys.executable, __file__, *args],
            capture_output=True,
            text=True,
            env={**os.environ, "KIVY_HOME": home},
        )
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} run failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the report -----------------------------------------------------------------------------
def p50_p99(values: list[float]) -> str:
    return f"{percentile(values, 50):6.1f} / {percentile(values, 99):6.1f}"


def ratio(run: dict, p: float, static_p: float = 50) -> float:
    return percentile(run["gesture_ms"], p) / percentile(run["static_ms"], static_p)


def report(runs: dict[str, dict]) -> float:
    modes = list(runs)
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, value) -> None:
        rows.append((label, [value(runs[m]) for m in modes]))

    def per_decision(r: dict) -> list[float]:
        return [
            a + b + c for a, b, c in zip(r["release_ms"], r["swap_ms"], r["ack_ms"], strict=True)
        ]

    def with_uploads(r: dict) -> list[float]:
        return [a + b for a, b in zip(per_decision(r), r["uploads_per_decision_ms"], strict=True)]

    def count_at(values: list[int], n: int) -> str:
        return f"{sum(v == n for v in values)} of {len(values)} (max {max(values)})"

    row("UI thread per decision, ms p50 / p99", lambda r: p50_p99(per_decision(r)))
    row("  release: command, store write, fly-off", lambda r: p50_p99(r["release_ms"]))
    row("    of which the command (+ write if inline)", lambda r: p50_p99(r["store_ms"]))
    row("  acknowledgement once durable", lambda r: p50_p99(r["ack_ms"]))
    row("release to durable (not UI time), ms", lambda r: p50_p99(r["durable_ms"]))
    row("commits for the decisions", lambda r: f"{r['batches']} for {r['decisions']}")
    row("    of which the progress strip", lambda r: p50_p99(r["strip_ms"]))
    row("  swap to the next image", lambda r: p50_p99(r["swap_ms"]))
    row("decode in a thread (TextureCache)", lambda r: p50_p99(r["decode_ms"] or [0.0]))
    row("prefetched uploads, per upload", lambda r: p50_p99(r["upload_ms"] or [0.0]))
    row("  per decision (other frames)", lambda r: p50_p99(r["uploads_per_decision_ms"]))
    row("UI thread per decision incl. uploads", lambda r: p50_p99(with_uploads(r)))
    row(
        "next image on the first frame after fly-off", lambda r: count_at(r["next_image_frames"], 1)
    )
    row(
        "frames from release to next image p50/max",
        lambda r: (
            f"{percentile(r['release_to_image_frames'], 50):.0f} / "
            f"{max(r['release_to_image_frames'])}"
        ),
    )
    row("static frame, ms p50 / p99", lambda r: p50_p99(r["static_ms"]))
    row("swipe frames, ms p50 / p99", lambda r: p50_p99(r["gesture_ms"]))
    row(
        "  those with an upload in them",
        lambda r: f"{len(r['upload_frames_ms'])}: " + p50_p99(r["upload_frames_ms"] or [0.0]),
    )
    row(
        "  the others, beside a decode",
        lambda r: f"{len(r['decode_frames_ms'])}: " + p50_p99(r["decode_frames_ms"] or [0.0]),
    )
    row(
        "swipe p99 / static p50 (p50/p50, p99/p99)",
        lambda r: f"{ratio(r, 99):.2f} ({ratio(r, 50):.2f}, {ratio(r, 99, 99):.2f})",
    )
    row(
        "peak RSS (after setup), MB",
        lambda r: f"{r['peak_rss_mb']:.0f} ({r['baseline_rss_mb']:.0f})",
    )
    row(
        "texture cache at the end",
        lambda r: f"{r['cache_textures']} textures, {r['cache_mb']:.0f} MB",
    )
    width = max(len(label) for label, _ in rows) + 2
    print(f"{'':{width}}" + "".join(f"{m:>26}" for m in modes))
    for label, values in rows:
        print(f"{label:{width}}" + "".join(f"{v:>26}" for v in values))
    return percentile(per_decision(runs.get("slow-disk") or runs[modes[0]]), 99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=30, help="images in the session (30)")
    parser.add_argument("--full", action="store_true", help="300 images and decisions")
    parser.add_argument("--decisions", type=int, help="swipes (default: one per image)")
    parser.add_argument("--keep", type=Path, help="make/reuse the corpus in this folder")
    parser.add_argument("--seed", type=int, default=1, help="of the keep/drop sequence")
    parser.add_argument(
        "--modes",
        default="prefetch,slow-disk,inline-slow-disk",
        help="of prefetch, slow-disk, inline-slow-disk, naive",
    )
    parser.add_argument("--phase", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        root, session_id, mode, decisions, seed = args.phase
        print(
            json.dumps(phase_select(Path(root), int(session_id), mode, int(decisions), int(seed)))
        )
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        if not shutil.which("xvfb-run"):
            sys.exit("No display and no xvfb-run: run the bench under xvfb-run.")
        sys.exit(subprocess.call([*XVFB, sys.executable, __file__, *sys.argv[1:]]))

    if args.full:
        args.count = 300
    decisions = args.decisions or args.count
    with tempfile.TemporaryDirectory(prefix="reveal-select-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        files = make_corpus((args.keep or work) / "previews", args.count)
        sizes = [f.stat().st_size / 1e6 for f in files]
        print(
            f"corpus: {len(files)} previews ({min(DISTINCT, args.count)} distinct camera-like "
            f"JPEGs, 3840x2560 and 2560x3840, q 88, copied to {len(files)} files), "
            f"{statistics.mean(sizes):.1f} MB each, ready in {time.perf_counter() - started:.1f} s;"
            " recorded as previews, as session_factory does (not imported)"
        )
        runs = {}
        for mode in args.modes.split(","):
            studio_root = work / f"studio-{mode}"
            session_id = record_session(studio_root, files)
            started = time.perf_counter()
            runs[mode] = run_mode(studio_root, session_id, mode, decisions, args.seed)
            run = runs[mode]
            print(
                f"{mode}: {decisions} swipes in {time.perf_counter() - started:.0f} s, "
                f"{run['decided']} images decided, {run['events']} events logged, "
                f"{run['slideshow_steps']} slideshow steps behind the select screen"
            )
    first = next(iter(runs.values()))
    print(
        f"1920x1080 window on {first['renderer']}; {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f}; a swipe = {LOOK} frames looking, {MOVES} move frames, "
        "release, fly-off"
    )
    p99 = report(runs)
    print(f"select p99 ui-thread per decision: {p99:.1f} ms")


if __name__ == "__main__":
    main()
