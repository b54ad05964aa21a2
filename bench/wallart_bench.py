"""How long a 6000-pixel wall mock-up export takes, against the naive way of drawing it.

    .venv/bin/python bench/wallart_bench.py            # 3 runs each
    .venv/bin/python bench/wallart_bench.py --runs 5 --keep /tmp/mockups

The scene is the hallway (a wall seen at an angle) with the seven-frame gallery wall in framed
prints and a canvas: eight pieces, each with a shadow and four sides, from the demo session's
photos. Reveal's export (`kiosk.imaging.mockup.export`) warps each layer only over its own
bounding box and decodes each JPEG at the size it needs (draft mode). The naive way, timed on the
same scene with the same drawing code, transforms every layer over the whole 6000 × 3376 picture
and decodes each photo in full. Times are the median of the runs, cold (the caches emptied
before each run, as for the first export of a design) and warm (the room and photos decoded
already, as on a kiosk that showed the design first). The last line is
`wallart export 6000px: X s`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.core.pricelist import load  # noqa: E402
from kiosk.core.wallart import Placement, arrange, finish_for, snap, sold_sizes  # noqa: E402
from kiosk.imaging import mockup  # noqa: E402
from kiosk.imaging.rooms import load_groupings, load_rooms, room_image, to_srgb  # noqa: E402

WIDTH = 6000
PHOTOS = ["02-", "27-", "05-", "17-", "24-", "09-", "29-"]


def scene() -> tuple:
    price_list = load(ROOT / "assets" / "pricelist.toml")
    room = next(r for r in load_rooms() if r.id == "hallway")
    framed, canvas = price_list.product("framed"), price_list.product("canvas")
    gallery = next(g for g in load_groupings() if g.id == "gallery-wall")
    wall, lamp = room.wall, room.wall.furniture[1]
    a = arrange(gallery, sold_sizes(framed), scale=0.9)
    a, _ = snap(wall, a.moved_to(lamp.right + 2 + a.bounds.width / 2, 59))
    folder = ROOT / "assets" / "demo" / "session"
    arts = [
        mockup.Artwork(
            next(folder.glob(f"{name}*")),
            piece,
            finish_for(framed, {"frame": "walnut", "mat": "white"}, size.variant),
        )
        for name, piece, size in zip(PHOTOS, a.pieces, a.sizes, strict=False)
    ]
    arts.append(
        mockup.Artwork(
            next(folder.glob("30-*")),
            Placement(40, 58, 30, 20),
            finish_for(canvas, {"depth": "1.5"}),
        )
    )
    return room, arts


def clear_caches() -> None:
    room_image.cache_clear()
    mockup.clear_photo_cache()


def timed(run, runs: int, cold: bool) -> float:
    times = []
    for _ in range(runs):
        if cold:
            clear_caches()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- the naive way ----------------------------------------------------------------------------


def naive_warp(tex, quad, canvas_size, pad=mockup.PAD):
    """Every layer transformed over the whole picture."""
    tw, th = tex.size
    inside = ((pad, pad), (tw - pad, pad), (tw - pad, th - pad), (pad, th - pad))
    h = mockup.Homography.from_points(inside, quad)
    out = tex.convert("RGBa").transform(
        canvas_size, Image.Transform.PERSPECTIVE, h.pil_data(), mockup.BICUBIC
    )
    return out.convert("RGBA"), (0, 0)


def naive_photo(path: str, long_edge: int) -> Image.Image:
    """The whole photo decoded, every time."""
    with Image.open(path) as im:
        im.load()
        return to_srgb(ImageOps.exif_transpose(im))


def naive_export(room, arts, path: Path) -> None:
    real_warp, real_photo = mockup.warp, mockup._photo
    mockup.warp, mockup._photo = naive_warp, naive_photo
    try:
        mockup.export(room, arts, path, width=WIDTH)
    finally:
        mockup.warp, mockup._photo = real_warp, real_photo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the exported JPEGs in this folder")
    args = parser.parse_args()
    room, arts = scene()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        reveal = out / "reveal-6000.jpg"
        naive = out / "naive-6000.jpg"
        print(f"scene: {room.name}, {len(arts)} pieces, export {WIDTH} px wide, JPEG q 90")
        cold = timed(lambda: mockup.export(room, arts, reveal, width=WIDTH), args.runs, True)
        warm = timed(lambda: mockup.export(room, arts, reveal, width=WIDTH), args.runs, False)
        screen = timed(lambda: mockup.render_room(room, arts, width=1920), args.runs, False)
        base = timed(lambda: naive_export(room, arts, naive), max(1, args.runs - 1), True)
        with Image.open(reveal) as a, Image.open(naive) as b:
            size = f"{a.width}×{a.height}"
            assert a.size == b.size
        print(f"naive (full-frame warps, full decodes): {base:6.2f} s")
        print(
            f"reveal, cold caches:                    {cold:6.2f} s   ({base / cold:.1f}× faster)"
        )
        print(f"reveal, room and photos decoded:        {warm:6.2f} s")
        print(f"screen render 1920 px (warm):           {screen:6.2f} s")
        print(f"output: {size}, {reveal.stat().st_size / 1e6:.1f} MB")
        print(f"wallart export 6000px: {cold:.2f} s")


if __name__ == "__main__":
    main()
