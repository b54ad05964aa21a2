"""How fast Reveal imports a session, against the naive Pillow way, on the same files.

    .venv/bin/python bench/import_bench.py            # 16 images: 12 × 24 MP, 4 × 45 MP
    .venv/bin/python bench/import_bench.py --count 40 --keep /tmp/corpus

It writes a corpus of camera-like JPEGs (gradients, waves, a vignette and sensor-like noise,
q 92, 8–20 MB each; every third one carries EXIF orientation 6) into a temporary folder, then:

1. imports it through the real `import_folder` with a warmed pool (as a running kiosk can keep), and
   again cold (spawning its own pool), and a re-run of the unchanged folder;
2. makes the same two sizes the naive way in one process: Pillow open, `exif_transpose`, full
   decode, a LANCZOS resize from full size for each size;
3. times what showing a cached preview costs: decoding it to a 1920×1080-fitted buffer off the
   UI thread (the kiosk's `display.decode_fitted`, and pyvips for comparison) and the texture
   upload on it (`Texture.create` + `blit_buffer`, and a blit into a kept texture). The upload
   needs a display: without one, it runs itself under `xvfb-run -a` when that exists.

Each phase runs in its own process so that peak memory (ru_maxrss) is its own. The last line is
`import speedup: X.XX (N img/s vs M img/s naive)`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PREVIEW_EDGE, THUMB_EDGE = 3840, 480
SIZES = {24: (6000, 4000), 45: (8256, 5504)}


# -- the corpus -----------------------------------------------------------------------------
def make_photo(path: str, width: int, height: int, seed: int, orientation: int) -> int:
    import pyvips
    from PIL import Image

    x = pyvips.Image.xyz(width, height)
    xs, ys = x[0], x[1]
    base = (xs * (200 / width) + 30).bandjoin(
        [ys * (180 / height) + 40, (xs + ys) * (150 / (width + height)) + 60]
    )
    waves = pyvips.Image.sines(width, height, hfreq=3 + seed % 5, vfreq=2 + seed % 3) * 25
    vignette = pyvips.Image.eye(width, height, factor=0.4 + (seed % 4) / 10) * 40
    # Sensor-like noise makes the file as big as a camera's; a tile of it, repeated, is as
    # costly to code as fresh noise and far quicker to make.
    tile = pyvips.Image.gaussnoise(997, 991, sigma=9, seed=seed).bandjoin(
        [pyvips.Image.gaussnoise(997, 991, sigma=9, seed=seed + s) for s in (1, 2)]
    )
    noise = tile.copy_memory().replicate(width // 997 + 1, height // 991 + 1)
    noise = noise.crop(seed * 7 % 997, seed * 13 % 991, width, height)
    image = (base + waves + vignette + noise).cast("uchar").copy(interpretation="srgb")
    exif = Image.Exif()
    exif[0x0110] = "Bench Camera"
    exif.get_ifd(0x8769)[0x9003] = f"2024:05:01 10:{seed // 60:02}:{seed % 60:02}"
    image.set_type(pyvips.GValue.blob_type, "exif-data", exif.tobytes())
    if orientation != 1:
        image.set_type(pyvips.GValue.gint_type, "orientation", orientation)
    image.jpegsave(path, Q=92)
    return os.path.getsize(path)


def make_corpus(folder: Path, count: int, workers: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for n in range(count):
        megapixels = 45 if n % 4 == 3 else 24
        orientation = 6 if n % 3 == 1 else 1
        path = folder / f"IMG_{n:04}.JPG"
        jobs.append((str(path), *SIZES[megapixels], n, orientation))
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
        list(pool.map(make_photo, *zip(*jobs, strict=True)))
    return [Path(job[0]) for job in jobs]


# -- phases, each in its own process -----------------------------------------------------
def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports kB


def cpu_seconds(pids: list[int] | None = None) -> float:
    """CPU time (user + system) of this process, or of the given live processes."""
    if pids is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def phase_import(corpus: Path, work: Path, workers: int) -> dict:
    from kiosk.imaging.importer import import_folder, start_pool
    from kiosk.studio import open_studio

    count = len(list(corpus.iterdir()))
    started = time.perf_counter()
    pool = start_pool(workers)
    spawn = time.perf_counter() - started
    studio = open_studio(work / "studio-warm")
    pids = [process.pid for process in pool._processes.values()]
    cpu_before = (cpu_seconds(), cpu_seconds(pids))
    started = time.perf_counter()
    summary = import_folder(studio, corpus, "Bench", progress=False, pool=pool)
    warm = time.perf_counter() - started
    parent_cpu = cpu_seconds() - cpu_before[0]
    worker_cpu = cpu_seconds(pids) - cpu_before[1]
    pool.shutdown()
    assert len(summary.imported) == count and not summary.skipped, summary
    started = time.perf_counter()
    again = import_folder(studio, corpus, "Bench", progress=False)
    rerun = time.perf_counter() - started
    assert len(again.unchanged) == count
    previews = [image.preview_path for image in studio.store.images(summary.session.id)]
    studio.close()

    cold_studio = open_studio(work / "studio-cold")
    started = time.perf_counter()
    cold = import_folder(cold_studio, corpus, "Bench", progress=False, workers=workers)
    cold_seconds = time.perf_counter() - started
    assert len(cold.imported) == count
    cold_studio.close()
    return {
        "count": count,
        "spawn_s": spawn,
        "warm_s": warm,
        "cold_s": cold_seconds,
        "rerun_s": rerun,
        "parent_cpu_s": parent_cpu,
        "worker_cpu_s": worker_cpu,
        "parent_mb": peak_mb(resource.RUSAGE_SELF),
        "worker_mb": peak_mb(resource.RUSAGE_CHILDREN),  # the largest pool process
        "previews": previews,
    }


def phase_naive(corpus: Path, work: Path) -> dict:
    from PIL import Image, ImageOps

    out = work / "naive"
    out.mkdir(exist_ok=True)
    files = sorted(corpus.iterdir())
    per_image = []
    started, cpu_before = time.perf_counter(), cpu_seconds()
    for path in files:
        t = time.perf_counter()
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened)  # decodes the whole image
            image.load()
            for edge, quality in ((PREVIEW_EDGE, 88), (THUMB_EDGE, 85)):
                scale = min(1.0, edge / max(image.size))
                size = (round(image.width * scale), round(image.height * scale))
                resized = image.resize(size, Image.Resampling.LANCZOS)
                resized.save(out / f"{path.stem}-{edge}.jpg", quality=quality)
        per_image.append(time.perf_counter() - t)
    return {
        "count": len(files),
        "seconds": time.perf_counter() - started,
        "cpu_s": cpu_seconds() - cpu_before,
        "median_ms": statistics.median(per_image) * 1000,
        "peak_mb": peak_mb(resource.RUSAGE_SELF),
    }


def phase_decode(previews: list[str]) -> dict:
    import pyvips

    from kiosk.imaging.display import decode_fitted

    def median_ms(fn, rounds: int = 3) -> float:
        times = []
        for _ in range(rounds):
            for path in previews[:8]:
                started = time.perf_counter()
                fn(path)
                times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000

    def vips(path: str, alpha: bool = False) -> bytes:
        image = pyvips.Image.thumbnail(path, 1920, height=1080, size="down")
        return (image.bandjoin_const([255]) if alpha else image).write_to_memory()

    return {
        "pillow_rgb_ms": median_ms(lambda p: decode_fitted(p, (1920, 1080))),
        "vips_rgb_ms": median_ms(vips),
        "vips_rgba_ms": median_ms(lambda p: vips(p, alpha=True)),
    }


def phase_upload() -> dict:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    # KIVY_HOME is a temporary folder from measure_upload: no writes to ~/.kivy.
    from kivy.core.window import Window  # noqa: F401 - opens the window and its GL context
    from kivy.graphics.opengl import glFinish, glGetString
    from kivy.graphics.texture import Texture

    def median_ms(fn, rounds: int = 25) -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            fn()
            glFinish()  # count the upload itself, not just queueing it
            times.append(time.perf_counter() - started)
        return statistics.median(times[3:]) * 1000

    result = {"renderer": glGetString(0x1F01).decode(errors="replace")}  # GL_RENDERER
    for width, height in ((1920, 1280), (1620, 1080)):
        for fmt, depth in (("rgb", 3), ("rgba", 4)):
            pixels = os.urandom(width * height * depth)
            kept = Texture.create(size=(width, height), colorfmt=fmt)

            def create_and_blit(fmt=fmt, pixels=pixels, size=(width, height)) -> None:
                texture = Texture.create(size=size, colorfmt=fmt)
                texture.blit_buffer(pixels, colorfmt=fmt, bufferfmt="ubyte")

            def blit_into_kept(fmt=fmt, pixels=pixels, kept=kept) -> None:
                kept.blit_buffer(pixels, colorfmt=fmt, bufferfmt="ubyte")

            result[f"create_{width}x{height}_{fmt}_ms"] = median_ms(create_and_blit)
            result[f"reuse_{width}x{height}_{fmt}_ms"] = median_ms(blit_into_kept)
    return result


def run_phase(args: list[str], *, wrap: list[str] | None = None, env=None) -> dict:
    command = [*(wrap or []), sys.executable, __file__, "--phase", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"phase {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_upload() -> dict | str:
    if importlib.util.find_spec("kivy") is None:  # importing Kivy here would parse our argv
        return "Kivy is not installed"
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        wrap = None
    elif shutil.which("xvfb-run"):
        wrap = ["xvfb-run", "-a"]
    else:
        return "no display and no xvfb-run: run the bench under `xvfb-run -a`"
    try:
        with tempfile.TemporaryDirectory(prefix="reveal-bench-kivy-") as home:
            return run_phase(["upload"], wrap=wrap, env={**os.environ, "KIVY_HOME": home})
    except (RuntimeError, ValueError) as exc:
        return f"the upload could not be measured ({str(exc).splitlines()[0]})"


# -- the report -----------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=16, help="images in the corpus (16)")
    parser.add_argument("--workers", type=int, default=None, help="import processes (cores)")
    parser.add_argument("--keep", type=Path, help="make/reuse the corpus in this folder")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        if name == "import":
            result = phase_import(Path(rest[0]), Path(rest[1]), int(rest[2]))
        elif name == "naive":
            result = phase_naive(Path(rest[0]), Path(rest[1]))
        elif name == "decode":
            result = phase_decode(rest)
        else:
            result = phase_upload()
        print(json.dumps(result))
        return

    from kiosk.imaging.importer import usable_cores

    workers = args.workers or usable_cores()
    with tempfile.TemporaryDirectory(prefix="reveal-bench-") as tmp:
        work = Path(tmp)
        corpus = args.keep or work / "corpus"
        started = time.perf_counter()
        made = "reused"
        if args.keep and len(list(corpus.glob("IMG_*.JPG"))) == args.count:
            files = sorted(corpus.glob("IMG_*.JPG"))
        else:
            made = "made in {:.1f} s"
            if corpus.exists():
                shutil.rmtree(corpus)
            files = make_corpus(corpus, args.count, workers)
        sizes = [f.stat().st_size / 1e6 for f in files]
        print(
            f"corpus: {len(files)} JPEGs (24 MP and 45 MP, q 92), {min(sizes):.1f}–"
            f"{max(sizes):.1f} MB each, {sum(sizes):.0f} MB, "
            f"{made.format(time.perf_counter() - started)}; {workers} worker processes; "
            f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        )
        imported = run_phase(["import", str(corpus), str(work), str(workers)])
        naive = run_phase(["naive", str(corpus), str(work)])
        decode = run_phase(["decode", *imported["previews"]])
        upload = measure_upload()

    n = imported["count"]
    warm_rate, cold_rate = n / imported["warm_s"], n / imported["cold_s"]
    naive_rate = naive["count"] / naive["seconds"]
    print(
        f"import (warm pool): {warm_rate:.2f} img/s, {imported['warm_s']:.2f} s for {n}; "
        f"starting the pool took {imported['spawn_s']:.2f} s"
    )
    print(
        f"import (cold, spawning its own pool): {cold_rate:.2f} img/s, {imported['cold_s']:.2f} s"
    )
    print(f"re-run of the unchanged folder: {imported['rerun_s']:.2f} s")
    print(
        f"naive Pillow, one process: {naive_rate:.2f} img/s, median {naive['median_ms']:.0f} ms "
        "per image"
    )
    import_cpu = (imported["worker_cpu_s"] + imported["parent_cpu_s"]) / n
    naive_cpu = naive["cpu_s"] / naive["count"]
    print(
        f"CPU time per image: import {import_cpu:.2f} s (workers "
        f"{imported['worker_cpu_s'] / n:.2f} s, parent {imported['parent_cpu_s'] / n:.2f} s), "
        f"naive {naive_cpu:.2f} s: {naive_cpu / import_cpu:.2f}x less CPU per image; "
        f"with every core free, about {naive_cpu / import_cpu * workers:.1f}x the naive rate"
    )
    print(
        f"peak RSS: import parent {imported['parent_mb']:.0f} MB, largest worker "
        f"{imported['worker_mb']:.0f} MB; naive {naive['peak_mb']:.0f} MB"
    )
    print(
        "preview decode off the UI thread (3840 px preview -> 1920x1080-fitted buffer): "
        f"kiosk.imaging.display.decode_fitted (Pillow draft) {decode['pillow_rgb_ms']:.1f} ms; "
        f"pyvips thumbnail RGB {decode['vips_rgb_ms']:.1f} ms, RGBA {decode['vips_rgba_ms']:.1f} ms"
    )
    if isinstance(upload, str):
        print(f"preview ui-thread upload: not measured: {upload}")
    else:
        print(
            f"texture upload on {upload['renderer']}: into a kept texture "
            f"1920x1280 RGB {upload['reuse_1920x1280_rgb_ms']:.1f} ms, "
            f"RGBA {upload['reuse_1920x1280_rgba_ms']:.1f} ms; "
            f"1620x1080 create+blit RGB {upload['create_1620x1080_rgb_ms']:.1f} ms, "
            f"kept RGB {upload['reuse_1620x1080_rgb_ms']:.1f} ms, "
            f"kept RGBA {upload['reuse_1620x1080_rgba_ms']:.1f} ms"
        )
        # The kiosk uploads RGBA (kiosk.ui.textures.upload); RGB is the naive way beside it.
        print(
            "preview ui-thread upload: "
            f"{upload['create_1920x1280_rgba_ms']:.1f} ms "
            "(Texture.create + blit_buffer, 1920x1280 RGBA, as the kiosk does; "
            f"RGB {upload['create_1920x1280_rgb_ms']:.1f} ms)"
        )
    print(f"import speedup: {warm_rate / naive_rate:.2f} ({warm_rate:.1f} img/s vs "
          f"{naive_rate:.1f} img/s naive)")  # fmt: skip


if __name__ == "__main__":
    main()
