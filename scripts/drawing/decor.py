"""Things that stand in a room: plants in pots, lamps that light the wall, a vase of
branches, books, a bowl. Those that can stand in front of the art wall return their extent
along it and their top: (left, right, top) in scene inches."""

from __future__ import annotations

import math
import random

from drawing.scene import RGB, SS, Scene, Vec, clamp8, ellipse_mask, grain, lighten, tint
from PIL import Image, ImageDraw


def pot(scene: Scene, x: float, z: float, r: float, h: float, colour: RGB, taper=0.85) -> None:
    """A round planter: a cylinder's shading across it, a rim, soil, a contact shadow."""
    scene.blob_shadow((x, 0, z), r * 1.3, r * 1.15, 0.6, blur=0.35)
    n = 32
    top = [
        (x - r * math.cos(math.pi * i / n), h, z - r * math.sin(math.pi * i / n))
        for i in range(n + 1)
    ]
    rb = r * taper
    bottom = [
        (x + rb * math.cos(math.pi * i / n), 0, z - rb * math.sin(math.pi * i / n))
        for i in range(n + 1)
    ]
    side = 1 if scene.light_from < 0 else -1
    shade = Image.new("L", (256, 1))
    shade.putdata(
        [
            clamp8(
                255
                * (
                    0.62
                    + 0.42
                    * max(0.0, math.cos((i / 255 - 0.5) * math.pi * 0.95 + 0.55 * side)) ** 1.5
                )
            )
            for i in range(256)
        ]
    )
    tex = Image.merge("RGB", [shade.resize((256, 64))] * 3)
    scene.face(top + bottom, colour, texture=tex, soft=0.5, gradient=(1.02, 0.9))
    rim = [
        (x + r * math.cos(t), h, z + r * math.sin(t)) for t in (i * math.pi / 24 for i in range(48))
    ]
    scene.face(rim, tint(colour, 1.12), soft=0.5)
    inner = [
        (x + 0.88 * r * math.cos(t), h, z + 0.88 * r * math.sin(t))
        for t in (i * math.pi / 24 for i in range(48))
    ]
    scene.face(inner, (58, 46, 36), soft=0.8, texture=grain((64, 32), 80, 4))


def leaf(
    scene: Scene,
    base: Vec,
    angle: float,
    length: float,
    width: float,
    colour: RGB,
    tilt: float = 0.0,
) -> None:
    """A broad leaf (fiddle-leaf fig) in a plane facing the camera, with a lighter midrib."""
    bx, by, bz = base
    dx, dy = math.cos(angle), math.sin(angle)
    nx, ny = -dy, dx
    pts = []
    for i in range(13):
        t = i / 12
        wdt = width * math.sin(math.pi * t) ** 0.8 * (1.1 - 0.3 * t)
        pts.append(
            (
                bx + dx * length * t + nx * wdt / 2,
                by + dy * length * t + ny * wdt / 2,
                bz + tilt * t,
            )
        )
    for i in range(12, -1, -1):
        t = i / 12
        wdt = width * math.sin(math.pi * t) ** 0.8 * (1.1 - 0.3 * t)
        pts.append(
            (
                bx + dx * length * t - nx * wdt / 2,
                by + dy * length * t - ny * wdt / 2,
                bz + tilt * t,
            )
        )
    lit = 0.75 + 0.45 * max(0.0, -dx * scene.light_from * 0.5 + dy * 0.5)
    scene.face(pts, tint(colour, lit), puff=0.35, soft=0.4)
    a, b = (
        scene.cam(bx, by, bz),
        scene.cam(bx + dx * length * 0.85, by + dy * length * 0.85, bz + tilt),
    )
    ImageDraw.Draw(scene.im).line((a, b), fill=tint(colour, lit * 1.35), width=max(1, SS))


def fig_tree(
    scene: Scene, x: float, z: float, height: float, seed: int, r: float = 9
) -> tuple[float, float, float]:
    """A fiddle-leaf fig in a terracotta pot: branches, then leaves from the back forward."""
    rnd = random.Random(seed)
    pot(scene, x, z, r, 17, (150, 104, 80))
    greens = [(50, 84, 40), (62, 98, 46), (42, 70, 34), (72, 108, 54), (58, 90, 44)]
    draw = ImageDraw.Draw(scene.im)
    trunk = [
        (x, 16, z),
        (x - 1, height * 0.45, z),
        (x + 1.5, height * 0.75, z),
        (x + 0.5, height, z),
    ]
    for p0, p1 in zip(trunk, trunk[1:], strict=False):
        draw.line((scene.cam(*p0), scene.cam(*p1)), fill=(92, 74, 56), width=3 * SS)
    branches = []
    for _ in range(9):
        t = rnd.uniform(0.22, 0.9)
        by = 16 + (height - 16) * t
        side = rnd.choice((-1, 1))
        end = (x + side * rnd.uniform(8, 18), by + rnd.uniform(6, 14), z + rnd.uniform(-5, 5))
        draw.line((scene.cam(x, by, z), scene.cam(*end)), fill=(96, 78, 60), width=2 * SS)
        branches.append(((x, by, z), end))
    branches.append(((x, height * 0.7, z), (x + 0.5, height + 4, z)))
    leaves = []
    for start, end in branches:
        for _ in range(9):
            t = rnd.uniform(0.3, 1.1)
            lx = start[0] + (end[0] - start[0]) * t + rnd.uniform(-3, 3)
            ly = start[1] + (end[1] - start[1]) * t + rnd.uniform(-3, 3)
            lz = start[2] + (end[2] - start[2]) * t + rnd.uniform(-4, 4)
            ang = math.atan2(rnd.uniform(0.1, 1.3), (lx - x) / 10 + rnd.uniform(-0.7, 0.7))
            leaves.append((lz, lx, ly, ang))
    for lz, lx, ly, ang in sorted(leaves, reverse=True):
        c = rnd.choice(greens)
        if (lx - x) * scene.light_from > 0:
            c = tint(c, 1.15)
        leaf(
            scene,
            (lx, ly, lz),
            ang,
            rnd.uniform(7.5, 11),
            rnd.uniform(5, 7),
            c,
            tilt=rnd.uniform(-3, 3),
        )
    return x - 24, x + 24, height + 10


def floor_lamp(
    scene: Scene, x: float, z: float, height: float, wall_z: float
) -> tuple[float, float, float]:
    """A drum-shade floor lamp, lit: warm light spilling up and down the wall behind it."""
    scene.blob_shadow((x, 0, z), 8, 7, 0.55, blur=0.4)
    disc = [
        (x + 6 * math.cos(t), 0.8, z + 6 * math.sin(t))
        for t in (i * math.pi / 20 for i in range(40))
    ]
    scene.face(disc, (46, 44, 42), soft=0.5, gradient=(1.2, 0.8))
    draw = ImageDraw.Draw(scene.im)
    draw.line((scene.cam(x, 1, z), scene.cam(x, height - 10, z)), fill=(40, 38, 36), width=2 * SS)
    u, v = scene.cam(x, height - 7, wall_z)
    u2, _ = scene.cam(x + 30, height - 7, wall_z)
    rad = abs(u2 - u)
    for dy, k in ((-1.1, 0.35), (1.1, 0.3), (0, 0.2)):
        glow = ellipse_mask(
            scene.size,
            (u - rad * 0.8, v + dy * rad - rad * 0.9, u + rad * 0.8, v + dy * rad + rad * 0.9),
            rad * 0.35,
        )
        lighten(scene.im, glow, (255, 190, 110), k)
    r0, r1, y0, y1 = 8.0, 9.5, height - 14, height
    pts = [(x - r0, y1, z), (x + r0, y1, z), (x + r1, y0, z), (x - r1, y0, z)]
    side = Image.new("L", (256, 1))
    side.putdata([clamp8(255 * (0.86 + 0.14 * math.sin(math.pi * i / 255))) for i in range(256)])
    scene.face(
        pts,
        (250, 236, 206),
        soft=0.6,
        gradient=(0.92, 1.04),
        texture=Image.merge("RGB", [side.resize((256, 8))] * 3),
    )
    lip = [
        (x + r1 * math.cos(t), y0, z + r1 * 0.35 * math.sin(t))
        for t in (i * math.pi / 20 for i in range(21))
    ]
    lip += [
        (x + r1 * math.cos(t), y0 + 0.6, z + r1 * 0.35 * math.sin(t))
        for t in (math.pi - i * math.pi / 20 for i in range(21))
    ]
    scene.face(lip, (255, 246, 226), soft=0.4)
    return x - 10, x + 10, height


def table_lamp(
    s: Scene, x: float, z: float, base_y: float, wall_z: float, glow: float = 0.3
) -> tuple[float, float, float]:
    """A ceramic table lamp with a linen drum shade, its glow on the wall behind."""
    body = (214, 206, 190)
    pts = []
    for i in range(25):
        t = i / 24
        r = 4.6 * math.sin(math.pi * (0.12 + 0.8 * t)) + 0.8
        pts.append((x - r, base_y + 13 * t, z))
    pts += [(2 * x - px, py, pz) for px, py, pz in reversed(pts)]
    side = Image.new("L", (256, 1))
    side.putdata(
        [
            clamp8(
                255
                * (
                    0.6
                    + 0.5 * max(0.0, math.cos((i / 255 - 0.5) * 2.8 + 0.5 * s.light_from)) ** 1.2
                )
            )
            for i in range(256)
        ]
    )
    s.blob_shadow((x, base_y, z), 5, 4, 0.5, blur=0.4)
    s.face(pts, body, texture=Image.merge("RGB", [side.resize((256, 8))] * 3), soft=0.5)
    ImageDraw.Draw(s.im).line(
        (s.cam(x, base_y + 13, z), s.cam(x, base_y + 17, z)), fill=(150, 130, 90), width=SS
    )
    u, v = s.cam(x, base_y + 21, wall_z)
    u2, _ = s.cam(x + 22, base_y + 21, wall_z)
    rad = abs(u2 - u)
    for dy, k in ((-1.0, glow), (1.0, glow * 0.8)):
        m = ellipse_mask(
            s.size,
            (u - rad * 0.75, v + dy * rad - rad * 0.8, u + rad * 0.75, v + dy * rad + rad * 0.8),
            rad * 0.35,
        )
        lighten(s.im, m, (255, 192, 116), k)
    y0, y1 = base_y + 15, base_y + 27
    s.face(
        [(x - 6.5, y1, z), (x + 6.5, y1, z), (x + 7.5, y0, z), (x - 7.5, y0, z)],
        (250, 234, 204),
        soft=0.5,
        gradient=(0.94, 1.06),
    )
    return x - 7.5, x + 7.5, y1


def vase_with_branches(
    s: Scene, x: float, z: float, base_y: float, seed: int
) -> tuple[float, float, float]:
    """A dark vase of leafy branches standing on a piece of furniture at height `base_y`."""
    rnd = random.Random(seed)
    pts = []
    for i in range(25):
        t = i / 24
        r = 2.4 + 2.2 * math.sin(math.pi * t * 0.9) - (1.4 * t if t > 0.8 else 0)
        pts.append((x - r, base_y + 14 * t, z))
    pts += [(2 * x - px, py, pz) for px, py, pz in reversed(pts)]
    side = Image.new("L", (256, 1))
    side.putdata(
        [
            clamp8(
                255
                * (0.55 + 0.6 * max(0.0, math.cos((i / 255 - 0.5) * 2.8 - 0.5 * s.light_from)) ** 2)
            )
            for i in range(256)
        ]
    )
    s.blob_shadow((x, base_y, z), 4, 3, 0.5, blur=0.4)
    draw = ImageDraw.Draw(s.im)
    top = base_y + 14
    for _ in range(9):
        ang = rnd.uniform(-0.3, 0.3)
        length = rnd.uniform(11, 19)
        ex, ey = x + math.sin(ang) * length, top + math.cos(ang) * length
        draw.line((s.cam(x, top - 2, z), s.cam(ex, ey, z)), fill=(70, 52, 40), width=SS)
        for _ in range(6):
            t = rnd.uniform(0.3, 1.0)
            lx, ly = x + (ex - x) * t, top + (ey - top) * t
            c = rnd.choice(((120, 138, 92), (104, 124, 80), (146, 156, 110)))
            leaf(
                s, (lx, ly, z - 0.5), ang * 0.5 + math.pi / 2 + rnd.choice((-0.9, 0.9)), 2.6, 1.3, c
            )
    s.face(pts, (58, 66, 70), texture=Image.merge("RGB", [side.resize((256, 8))] * 3), soft=0.5)
    return x - 8, x + 8, top + 20


def books(
    s: Scene, x: float, y: float, z: list[float], stack: list[list], thickness: float
) -> None:
    """A stack of books lying flat, centred on `x`, the first at the bottom: [width, colour]."""
    for i, (bw, c) in enumerate(stack):
        s.box(
            x - bw / 2,
            x + bw / 2,
            y + i * thickness,
            y + (i + 1) * thickness,
            z[0],
            z[1],
            tuple(c),
            soft=0.4,
        )


def bowl(s: Scene, x: float, y: float, z: float, radius: float, depth: float, colour: RGB) -> None:
    """A round bowl seen from the side, standing at height `y`."""
    rim = y + depth
    outline = [
        (x - radius * math.cos(math.pi * i / 16), y + depth * (1 - math.sin(math.pi * i / 16)), z)
        for i in range(17)
    ]
    s.face(
        outline + [(x + radius, rim, z), (x - radius, rim, z)],
        tuple(colour),
        soft=0.4,
        gradient=(1.3, 0.8),
    )
