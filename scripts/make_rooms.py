"""Draw the sample rooms for the wall-art screen from their scenes, and write their calibration.

    .venv/bin/python scripts/make_rooms.py                  # every room into layouts/rooms/
    .venv/bin/python scripts/make_rooms.py hallway          # one room
    .venv/bin/python scripts/make_rooms.py --out /tmp/rooms # somewhere else, to compare

No licensed interior photographs exist for the project, so the rooms are rendered. What each
room holds is data, `layouts/rooms/scenes/<room>.toml`: its camera (a pinhole: a focal length,
a position, a turn), then what is drawn, in order, each `[[draw]]` a kind of thing (a plaster
wall, oak planks, a window, a sofa, a lamp ...) with where it stands in inches and its
colours. How each kind is drawn is `scripts/drawing/`. Because the camera is known, each
room's wall calibration is exact: the corners written to `<room>.toml` beside the picture are
the camera's projection of the wall's corners, and its size is the scene's.
"""

from __future__ import annotations

import argparse
import math
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from drawing import beds, decor, furniture, walls  # noqa: E402
from drawing.scene import Camera, H, Scene, W, ellipse_mask, lighten, poly_mask  # noqa: E402
from drawing.surfaces import carpet, planks, plaster, rug, wall_light  # noqa: E402

OUT = ROOT / "layouts" / "rooms"
SCENES = OUT / "scenes"
Footprint = tuple[float, float, float]  # left, right (scene x) and top of a piece of furniture


def flat(s: Scene, colour, corners) -> None:
    s.plane(Image.new("RGB", (8, 8), colour), corners)


def plaster_wall(s: Scene, size, colour, seed: int, light: dict, corners) -> None:
    """A painted wall; `light` says how lit it is across (`surfaces.wall_light`)."""
    (left, ceiling, _), (right, _, _) = corners[0], corners[1]
    s.plane(plaster(size, colour, wall_light(left, right, ceiling, **light), seed), corners)


def face(s: Scene, corners, colour, **look: Any) -> None:
    s.face(corners, colour, **look)


def floor(s: Scene, texture: Image.Image, corners) -> None:
    s.plane(texture, corners)


def glow(s: Scene, at, box, blur: float, colour, strength: float) -> None:
    """Light pooled round where `at` is seen: an ellipse `box` pixels round it, blurred."""
    u, v = s.cam(*at)
    area = (u + box[0], v + box[1], u + box[2], v + box[3])
    lighten(s.im, ellipse_mask(s.size, area, blur), colour, strength)


def sunlight(s: Scene, points, blur: float, colour, strength: float) -> None:
    """A patch of sun, the polygon `points` (inches) softened by `blur` pixels."""
    lighten(s.im, poly_mask(s.size, s.q(*points), blur), colour, strength)


def box(s: Scene, x, y, z, colour, **look: Any) -> None:
    s.box(*x, *y, *z, colour, **look)


# Every kind of thing a scene may draw, and what draws it with the entry's other keys.
KINDS: dict[str, Callable[..., Footprint | None]] = {
    "flat": flat,
    "plaster": plaster_wall,
    "shadow": lambda s, points, blur, strength: s.contact_shadow(points, blur, strength),
    "face": face,
    "box": box,
    "planks": lambda s, corners, **texture: floor(s, planks(**texture), corners),
    "carpet": lambda s, corners, **texture: floor(s, carpet(**texture), corners),
    "rug": lambda s, corners, **texture: floor(s, rug(**texture), corners),
    "glow": glow,
    "sunlight": sunlight,
    "skirting": walls.skirting,
    "window": walls.window,
    "sheers": walls.sheers,
    "fig_tree": decor.fig_tree,
    "floor_lamp": decor.floor_lamp,
    "table_lamp": decor.table_lamp,
    "vase": decor.vase_with_branches,
    "books": decor.books,
    "bowl": decor.bowl,
    "sofa": furniture.sofa,
    "bed": beds.bed,
    "nightstand": beds.nightstand,
    "console": furniture.console,
    "sideboard": furniture.sideboard,
}


def load_scene(path: Path) -> dict[str, Any]:
    """A scene file, its arrays as tuples (what the drawing code takes for points and colours)."""

    def tuples(value: Any) -> Any:
        if isinstance(value, list):
            return tuple(tuples(v) for v in value)
        if isinstance(value, dict):
            return {k: tuples(v) for k, v in value.items()}
        return value

    with path.open("rb") as file:
        return tuples(tomllib.load(file))


def camera(spec: dict[str, Any]) -> Camera:
    return Camera(
        focal=spec["focal"], pos=spec["position"], yaw=spec.get("yaw", 0.0), cy=spec["horizon"]
    )


def draw(scene: dict[str, Any], file: str = "") -> tuple[Image.Image, list[tuple[str, Footprint]]]:
    """The room's picture, and the furniture the scene names, with where each stands."""
    s = Scene(camera(scene["camera"]), light_from=scene["camera"]["light_from"])
    named = []
    for i, entry in enumerate(scene["draw"]):
        entry = dict(entry)
        kind, name = entry.pop("kind"), entry.pop("furniture", None)
        if kind not in KINDS:
            raise SystemExit(f"{file}: draw {i + 1}: unknown kind '{kind}'; known: {list(KINDS)}")
        footprint = KINDS[kind](s, **entry)
        if name:
            named.append((name, footprint))
    return s.finish(), named


def art_wall(
    cam: Camera, z: float, a: float, b: float, ceiling: float
) -> tuple[float, float, float]:
    """The largest rectangle of the wall z = const, within x in [a, b], floor up, that the
    photo shows whole (2 px inside its edges): (left, right, top) in inches."""

    def inside(x: float, y: float) -> bool:
        u, v = cam.final((x, y, z))
        return 2 <= u <= W - 2 and 2 <= v <= H - 2

    best = (0.0, a, a, 0.0)
    top = ceiling
    while top >= 60:
        xs = [a + i * 0.5 for i in range(int((b - a) / 0.5) + 1)]
        ok = [x for x in xs if inside(x, 0) and inside(x, top)]
        if ok:
            x0, x1 = math.ceil(min(ok)), math.floor(max(ok))
            area = (x1 - x0) * top
            if area > best[0] * 1.02:
                best = (area, x0, x1, top)
        top -= 1
    return best[1], best[2], best[3]


def calibration(room_id: str, scene: dict[str, Any], furniture: Sequence) -> str:
    """The room's `<room>.toml`: its wall's corners in the picture, from the camera."""
    cam, spec = camera(scene["camera"]), scene["art_wall"]
    z = spec["z"]
    w0, w1, top = art_wall(cam, z, spec["from"], spec["to"], spec["ceiling"])
    wall = [(w0, top, z), (w1, top, z), (w1, 0, z), (w0, 0, z)]
    corners = ", ".join(f"[{u:.2f}, {v:.2f}]" for u, v in (cam.final(p) for p in wall))
    lines = [
        f"# {scene['name']}: drawn by scripts/make_rooms.py; the calibration is its camera's.",
        f'name = "{scene["name"]}"',
        f'description = "{scene["description"]}"',
        f'image = "{room_id}.jpg"',
        f"size = [{W}, {H}]",
        f"light = {scene['light']}  # where the light comes from: -1 left, 0 above, 1 right",
        "",
        "[wall]",
        "# image pixels (continuous: a pixel's centre is at +0.5), clockwise from top-left",
        f"corners = [{corners}]",
        f"width = {w1 - w0:g}  # inches",
        f"height = {top:g}  # inches, from the floor line up",
        "bottom = 0  # inches above the floor of the bottom edge",
        f"eye_level = {scene.get('eye_level', 58.0):g}",
        f"focal = {cam.focal:g}  # the camera's focal length, pixels",
    ]
    for name, (left, right, height) in furniture:
        lines += [
            "",
            "[[furniture]]  # in front of the wall: inches along it, and its top above the floor",
            f'name = "{name}"',
            f"left = {left - w0:.1f}",
            f"right = {right - w0:.1f}",
            f"top = {height:.1f}",
        ]
    return "\n".join(lines) + "\n"


def draw_room(path: Path) -> tuple[Image.Image, str]:
    """The picture and the calibration file's text of the room whose scene is `path`."""
    scene = load_scene(path)
    picture, furniture = draw(scene, str(path))
    return picture, calibration(path.stem, scene, furniture)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rooms", nargs="*", help="room ids (default: every scene)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write (layouts/rooms)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    paths = [SCENES / f"{r}.toml" for r in args.rooms] or sorted(SCENES.glob("*.toml"))
    for path in paths:
        picture, text = draw_room(path)
        image = args.out / f"{path.stem}.jpg"
        picture.save(image, quality=88, optimize=True, progressive=True)
        (args.out / f"{path.stem}.toml").write_text(text, encoding="utf-8")
        print(f"{image}: {image.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
