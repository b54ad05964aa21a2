"""Draw the sample rooms for the wall-art screen, and write their calibration files.

    .venv/bin/python scripts/make_rooms.py            # every room into layouts/rooms/
    .venv/bin/python scripts/make_rooms.py hallway    # one room

No licensed interior photographs exist for the project, so the rooms are rendered: each is a
small scene in inches seen through a pinhole camera (a focal length, a position, a turn), its
planes textured (painted plaster, oak planks, carpet) and warped into perspective, furniture
built from shaded boxes with soft edges, light from a window and lamps, ambient occlusion and
contact shadows. The scene is drawn at twice the size and reduced, for clean edges. Because the
camera is known, each room's wall calibration is exact: the corners written to `<room>.toml`
are the camera's projection of the wall's corners, its size is the scene's.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.core.wall import Homography, translation  # noqa: E402

OUT = ROOT / "layouts" / "rooms"
W, H = 3000, 1688  # the rooms' size: 16:9 like the screen, ~3000 px wide
SS = 2  # drawn at twice the size, then reduced
BICUBIC = Image.Resampling.BICUBIC
Vec = tuple[float, float, float]
RGB = tuple[int, int, int]


# ---------------------------------------------------------------------------------------------
# Camera and drawing helpers (everything in supersampled pixels)


@dataclass
class Camera:
    focal: float  # px at the final size
    pos: Vec  # inches: x right, y up from the floor, z into the room
    yaw: float = 0.0  # degrees, positive turns the view to the right
    cy: float = H / 2  # the horizon's row (a shifted lens keeps verticals straight)

    def __call__(self, x: float, y: float, z: float) -> tuple[float, float]:
        xc, zc, yc = self.camera_space(x, y, z)
        zc = max(zc, 1e-3)
        return (W / 2 + self.focal * xc / zc) * SS, (self.cy - self.focal * yc / zc) * SS

    def camera_space(self, x: float, y: float, z: float) -> tuple[float, float, float]:
        a = math.radians(self.yaw)
        dx, dy, dz = x - self.pos[0], y - self.pos[1], z - self.pos[2]
        return dx * math.cos(a) - dz * math.sin(a), dx * math.sin(a) + dz * math.cos(a), dy

    def final(self, p: Vec) -> tuple[float, float]:
        u, v = self(*p)
        return round(u / SS, 2), round(v / SS, 2)


def clamp8(v: float) -> int:
    return max(0, min(255, round(v)))


def tint(c: RGB, k: float) -> RGB:
    return (clamp8(c[0] * k), clamp8(c[1] * k), clamp8(c[2] * k))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        clamp8(a[0] + (b[0] - a[0]) * t),
        clamp8(a[1] + (b[1] - a[1]) * t),
        clamp8(a[2] + (b[2] - a[2]) * t),
    )


def warp(canvas: Image.Image, tex: Image.Image, quad: Sequence[tuple[float, float]]) -> None:
    """Draw `tex` (RGB or RGBA) into the image quad (tl, tr, br, bl), perspective-correct."""
    tw, th = tex.size
    h = Homography.from_points(((0, 0), (tw, 0), (tw, th), (0, th)), quad)
    us, vs = [p[0] for p in quad], [p[1] for p in quad]
    left, top = max(0, math.floor(min(us)) - 2), max(0, math.floor(min(vs)) - 2)
    right = min(canvas.width, math.ceil(max(us)) + 2)
    bottom = min(canvas.height, math.ceil(max(vs)) + 2)
    if right <= left or bottom <= top:
        return
    data = translation(-left, -top).then_after(h).pil_data()
    src = tex.convert("RGBA").convert("RGBa")
    out = src.transform((right - left, bottom - top), Image.Transform.PERSPECTIVE, data, BICUBIC)
    out = out.convert("RGBA")
    canvas.paste(out, (left, top), out)


def noise(size: tuple[int, int], sigma: float, seed: int) -> Image.Image:
    """Gaussian noise around 128 (L); `effect_noise` is not seedable, so tiles are shuffled."""
    random.seed(seed)
    tile = Image.effect_noise((256, 256), sigma)
    out = Image.new("L", size)
    for y in range(0, size[1], 256):
        for x in range(0, size[0], 256):
            out.paste(tile.rotate(random.choice((0, 90, 180, 270))), (x, y))
    return out


def grain(size: tuple[int, int], amount: float, seed: int, blur: float = 0.0) -> Image.Image:
    """A multiplier around 255 - amount/2: fine texture to multiply a surface by."""
    n = noise(size, 40, seed)
    if blur:
        n = n.filter(ImageFilter.GaussianBlur(blur))
    lo = 255 - amount
    return n.point(lambda v: clamp8(lo + amount * v / 255))


def multiply(im: Image.Image, layer: Image.Image) -> Image.Image:
    if layer.mode == "L":
        layer = Image.merge("RGB", (layer, layer, layer))
    return ImageChops.multiply(im, layer)


def field_image(
    size: tuple[int, int], fn: Callable[[float, float], float], step: int = 8
) -> Image.Image:
    """An L image from a function of (x, y) in 0..1, sampled coarsely and smoothed up."""
    w, h = max(2, size[0] // step), max(2, size[1] // step)
    small = Image.new("L", (w, h))
    small.putdata([clamp8(fn((i + 0.5) / w, (j + 0.5) / h)) for j in range(h) for i in range(w)])
    return small.resize(size, BICUBIC)


def shadow(canvas: Image.Image, mask: Image.Image, strength: float, colour=(62, 54, 48)) -> None:
    """Darken the canvas through an L mask (already blurred), towards a warm dark colour."""
    box = mask.getbbox()
    if not box:
        return
    part = canvas.crop(box)
    dark = multiply(part, Image.new("RGB", part.size, colour))
    canvas.paste(dark, box[:2], mask.crop(box).point(lambda v: clamp8(v * strength)))


def lighten(canvas: Image.Image, mask: Image.Image, colour: RGB, strength: float) -> None:
    box = mask.getbbox()
    if not box:
        return
    part = canvas.crop(box)
    glow = ImageChops.screen(part, Image.new("RGB", part.size, colour))
    canvas.paste(glow, box[:2], mask.crop(box).point(lambda v: clamp8(v * strength)))


def poly_mask(size, points, blur: float = 0.0) -> Image.Image:
    m = Image.new("L", size, 0)
    ImageDraw.Draw(m).polygon([(round(x), round(y)) for x, y in points], fill=255)
    return m.filter(ImageFilter.GaussianBlur(blur)) if blur else m


def ellipse_mask(size, box, blur: float = 0.0) -> Image.Image:
    m = Image.new("L", size, 0)
    ImageDraw.Draw(m).ellipse([round(v) for v in box], fill=255)
    return m.filter(ImageFilter.GaussianBlur(blur)) if blur else m


# ---------------------------------------------------------------------------------------------
# Surfaces


def plaster(
    size: tuple[int, int], colour: RGB, light: Callable[[float, float], float], seed: int
) -> Image.Image:
    """Painted wall: colour × a light field (0..1+) × faint roller texture."""
    base = Image.new("RGB", size, colour)
    shade = field_image(size, lambda x, y: 200 * light(x, y), step=12)
    base = multiply(base, shade.point(lambda v: clamp8(v * 255 / 200)))
    brighter = field_image(size, lambda x, y: max(0.0, light(x, y) - 1.0) * 255, step=12)
    base = Image.composite(Image.new("RGB", size, (255, 252, 246)), base, brighter)
    base = multiply(base, grain(size, 10, seed, blur=1.2))
    return multiply(base, grain((size[0] // 8, size[1] // 8), 8, seed + 1, 2).resize(size, BICUBIC))


def planks(
    size_in: tuple[float, float],
    ppi: float,
    colours: Sequence[RGB],
    seed: int,
    plank_w: float = 5.0,
    along_x: bool = False,
) -> Image.Image:
    """Oak planks seen from above (texture x = across planks unless `along_x`)."""
    rnd = random.Random(seed)
    tw, th = round(size_in[0] * ppi), round(size_in[1] * ppi)
    if along_x:
        tw, th = th, tw
    tex = Image.new("RGB", (tw, th))
    draw = ImageDraw.Draw(tex)
    pw = plank_w * ppi
    x = 0.0
    while x < tw:
        y = -rnd.uniform(0, 60) * ppi
        while y < th:
            length = rnd.uniform(28, 72) * ppi
            c = mix(rnd.choice(colours), rnd.choice(colours), rnd.random())
            c = tint(c, rnd.uniform(0.9, 1.08))
            draw.rectangle((round(x), round(y), round(x + pw), round(y + length)), fill=c)
            draw.line((round(x), round(y), round(x + pw), round(y)), fill=tint(c, 0.55), width=1)
            y += length
        draw.line((round(x), 0, round(x), th), fill=(52, 40, 30), width=max(1, round(ppi / 10)))
        x += pw
    # Grain: noise stretched along the planks.
    streak = noise((tw, max(2, th // 40)), 60, seed + 7).resize((tw, th), BICUBIC)
    streak = streak.point(lambda v: clamp8(205 + v * 0.38))
    tex = multiply(tex, streak)
    fine = noise((tw, max(2, th // 8)), 50, seed + 9).resize((tw, th), BICUBIC)
    tex = multiply(tex, fine.point(lambda v: clamp8(236 + v * 0.075)))
    return tex.transpose(Image.Transpose.ROTATE_90) if along_x else tex


def carpet(size_in: tuple[float, float], ppi: float, colour: RGB, seed: int) -> Image.Image:
    tw, th = round(size_in[0] * ppi), round(size_in[1] * ppi)
    tex = Image.new("RGB", (tw, th), colour)
    tex = multiply(tex, grain((tw, th), 46, seed, blur=0.6))
    blotch = noise((tw // 16 + 1, th // 16 + 1), 30, seed + 3).resize((tw, th), BICUBIC)
    return multiply(tex, blotch.point(lambda v: clamp8(226 + v * 0.12)))


def fabric(size: tuple[int, int], colour: RGB, seed: int, weave: float = 30) -> Image.Image:
    tex = Image.new("RGB", size, colour)
    return multiply(tex, grain(size, weave, seed, blur=0.7))


# ---------------------------------------------------------------------------------------------
# Objects


def _clip_near(points: list[tuple[Vec, float]], near: float, cam: Camera) -> list[Vec]:
    """Sutherland–Hodgman: the polygon's part at least `near` in front of the camera."""
    out: list[Vec] = []
    for (p, dp), (q, dq) in zip(points, points[1:] + points[:1], strict=True):
        if dp >= near:
            out.append(p)
        if (dp >= near) != (dq >= near):
            t = (near - dp) / (dq - dp)
            out.append(tuple(p[i] + (q[i] - p[i]) * t for i in range(3)))  # type: ignore
    return out


class Scene:
    """The canvas being drawn, its camera, and the light's general direction."""

    def __init__(self, cam: Camera, light_from: float = -1.0) -> None:
        self.cam = cam
        self.im = Image.new("RGB", (W * SS, H * SS), (200, 200, 200))
        self.light_from = light_from  # -1 window on the left, 1 on the right

    @property
    def size(self) -> tuple[int, int]:
        return self.im.size

    def q(self, *points: Vec) -> list[tuple[float, float]]:
        return [self.cam(*p) for p in points]

    def plane(self, tex: Image.Image, corners: Sequence[Vec]) -> None:
        """Texture a rectangle in space (tl, tr, br, bl); parts behind the camera are cut off."""
        depth = [self.cam.camera_space(*p)[1] for p in corners]
        if min(depth) > 1.0:
            warp(self.im, tex, self.q(*corners))
            return
        tl, tr, br, bl = corners

        def at(a: float, b: float) -> Vec:  # bilinear point of the rectangle
            top = [tl[i] + (tr[i] - tl[i]) * a for i in range(3)]
            bot = [bl[i] + (br[i] - bl[i]) * a for i in range(3)]
            return tuple(top[i] + (bot[i] - top[i]) * b for i in range(3))  # type: ignore

        samples = [(a, b) for a in (0.0, 0.33, 0.66, 1.0) for b in (0.0, 0.33, 0.66, 1.0)]
        ahead = [(a, b) for a, b in samples if self.cam.camera_space(*at(a, b))[1] > 5]
        pick = [
            min(ahead, key=lambda p, c=c: (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2)
            for c in ((0, 0), (1, 0), (1, 1), (0, 1))
        ]
        tw, th = tex.size
        h = Homography.from_points(
            [(a * tw, b * th) for a, b in pick], [self.cam(*at(a, b)) for a, b in pick]
        )
        clipped = _clip_near([(p, d) for p, d in zip(corners, depth, strict=True)], 1.0, self.cam)
        mask = poly_mask(self.size, [self.cam(*p) for p in clipped])
        box = mask.getbbox()
        if not box:
            return
        data = translation(-box[0], -box[1]).then_after(h).pil_data()
        src = tex.convert("RGB")
        out = src.transform(
            (box[2] - box[0], box[3] - box[1]), Image.Transform.PERSPECTIVE, data, BICUBIC
        )
        self.im.paste(out, box[:2], mask.crop(box))

    def face(
        self,
        corners: Sequence[Vec],
        colour: RGB,
        *,
        puff: float = 0.0,
        texture: Image.Image | None = None,
        soft: float = 1.2,
        gradient: tuple[float, float] | None = None,
    ) -> tuple[Image.Image, tuple[int, int, int, int]]:
        """A flat polygon in space, optionally puffy (darker towards its edges, like a cushion)
        and with a top-to-bottom brightness gradient. Returns its mask and where it lies."""
        pts = self.q(*corners)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        pad = 8 + int(soft * SS * 3)
        box = (
            max(0, int(min(xs)) - pad),
            max(0, int(min(ys)) - pad),
            min(self.size[0], int(max(xs)) + pad),
            min(self.size[1], int(max(ys)) + pad),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            return Image.new("L", (1, 1)), box
        bw, bh = box[2] - box[0], box[3] - box[1]
        mask = poly_mask((bw, bh), [(x - box[0], y - box[1]) for x, y in pts], soft * SS)
        paint = Image.new("RGB", (bw, bh), colour)
        if texture is not None:
            paint = multiply(
                paint, texture.resize((bw, bh)) if texture.size != (bw, bh) else texture
            )
        if gradient:
            g = Image.linear_gradient("L").resize((bw, bh))
            a, b = gradient
            paint = multiply(paint, g.point(lambda v: clamp8(255 * (a + (b - a) * v / 255))))
        if puff:
            radius = max(4, min(bw, bh) * 0.18)
            inner = mask.filter(ImageFilter.GaussianBlur(radius))
            lo = 255 * (1 - puff)
            paint = multiply(
                paint, inner.point(lambda v: clamp8(lo + (255 - lo) * min(1, v / 200)))
            )
        self.im.paste(paint, box[:2], mask)
        return mask, box

    def box(
        self,
        x0: float,
        x1: float,
        y0: float,
        y1: float,
        z0: float,
        z1: float,
        colour: RGB,
        *,
        puff: float = 0.0,
        texture: Image.Image | None = None,
        faces: str = "auto",
        soft: float = 1.0,
        top_light: float = 1.12,
        side_light: float = 0.8,
        gradient: tuple[float, float] | None = None,
    ) -> None:
        """An axis-aligned box; draws the faces that look at the camera, shaded by direction."""
        cx, cy, cz = self.cam.pos
        lf = self.light_from
        want = set(faces.split(",")) if faces != "auto" else None
        todo: list[tuple[str, list[Vec], float]] = []
        if cy > y1:
            todo.append(
                ("top", [(x0, y1, z1), (x1, y1, z1), (x1, y1, z0), (x0, y1, z0)], top_light)
            )
        if cx < x0:
            todo.append(
                (
                    "left",
                    [(x0, y1, z1), (x0, y1, z0), (x0, y0, z0), (x0, y0, z1)],
                    side_light * (1.12 if lf < 0 else 0.92),
                )
            )
        if cx > x1:
            todo.append(
                (
                    "right",
                    [(x1, y1, z0), (x1, y1, z1), (x1, y0, z1), (x1, y0, z0)],
                    side_light * (1.12 if lf > 0 else 0.92),
                )
            )
        if cz < z0:
            todo.append(("front", [(x0, y1, z0), (x1, y1, z0), (x1, y0, z0), (x0, y0, z0)], 1.0))
        for name, corners, k in todo:
            if want is None or name in want:
                grad = None if name == "top" else gradient
                self.face(
                    corners, tint(colour, k), puff=puff, texture=texture, soft=soft, gradient=grad
                )

    def contact_shadow(self, footprint: Sequence[Vec], blur_in: float, strength: float) -> None:
        pts = self.q(*footprint)
        px_per_in = abs(self.cam(0, 0, footprint[0][2])[0] - self.cam(1, 0, footprint[0][2])[0])
        shadow(self.im, poly_mask(self.size, pts, max(2, blur_in * px_per_in)), strength)

    def blob_shadow(self, centre: Vec, rx: float, rz: float, strength: float, blur=0.5) -> None:
        x, y, z = centre
        pts = [
            (x + rx * math.cos(t), y, z + rz * math.sin(t))
            for t in (i * math.pi / 24 for i in range(48))
        ]
        self.contact_shadow(pts, blur * max(rx, rz), strength)

    def finish(self) -> Image.Image:
        small = self.im.resize((W, H), Image.Resampling.LANCZOS)
        # Lens vignette and a little sensor noise: what makes a render read as a photograph.
        side = self.light_from

        def falloff(x: float, y: float) -> float:  # the window side brighter, corners darker
            lens = 60 * ((x - 0.5) ** 2 * 1.6 + (y - 0.5) ** 2 * 1.8)
            return 245 - lens + 10 * side * (x - 0.5) * 2 * -1

        vig = field_image((W, H), falloff, 16)
        small = multiply(small, vig)
        return multiply(small, grain((W, H), 9, 99))


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


def fig_tree(scene: Scene, x: float, z: float, height: float, seed: int, r: float = 9) -> None:
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


def floor_lamp(scene: Scene, x: float, z: float, height: float, wall_z: float) -> None:
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


def skirting(
    scene: Scene,
    x0: float,
    x1: float,
    z: float,
    height: float = 5.0,
    colour: RGB = (238, 236, 230),
) -> None:
    """A painted skirting board on a wall facing the camera (z constant)."""
    scene.face(
        [(x0, height, z - 0.6), (x1, height, z - 0.6), (x1, 0, z - 0.6), (x0, 0, z - 0.6)],
        colour,
        gradient=(1.0, 0.86),
        soft=0.3,
    )
    scene.face(
        [
            (x0, height + 0.4, z),
            (x1, height + 0.4, z),
            (x1, height, z - 0.6),
            (x0, height, z - 0.6),
        ],
        tint(colour, 1.06),
        soft=0.3,
    )


def ao_band(scene: Scene, quad: Sequence[Vec], strength: float, blur_in: float) -> None:
    scene.contact_shadow(quad, blur_in, strength)


# ---------------------------------------------------------------------------------------------
# Rooms


@dataclass
class RoomOut:
    id: str
    name: str
    description: str
    image: Image.Image
    wall: list[Vec]  # tl, tr, br, bl in the scene (inches)
    width: float
    height: float
    furniture: list[tuple[str, float, float, float]]  # name, left, right, top (wall inches)
    light: float
    eye_level: float = 58.0


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


def cushion_outline(cx: float, cy: float, z: float, w: float, h: float, rot: float) -> list[Vec]:
    """A plump square cushion's outline (a squircle), turned by `rot` radians."""
    pts = []
    for i in range(32):
        t = 2 * math.pi * i / 32
        ex = math.copysign(abs(math.cos(t)) ** 0.4, math.cos(t)) * w / 2
        ey = math.copysign(abs(math.sin(t)) ** 0.4, math.sin(t)) * h / 2
        pts.append(
            (
                cx + ex * math.cos(rot) - ey * math.sin(rot),
                cy + ex * math.sin(rot) + ey * math.cos(rot),
                z,
            )
        )
    return pts


def sofa(
    s: Scene, x0: float, x1: float, wall_z: float, colour: RGB, pillows: Sequence[RGB]
) -> float:
    """A modern three-seat sofa against the wall; returns the height of its back."""
    back_z, front_z = wall_z - 3, wall_z - 38
    arm, top = 6.5, 33.0
    tex = fabric((700, 420), (255, 255, 255), 21, 34)
    s.contact_shadow(
        [
            (x0 - 1, 0, back_z + 3),
            (x1 + 1, 0, back_z + 3),
            (x1 + 2, 0, front_z - 3),
            (x0 - 2, 0, front_z - 3),
        ],
        2.5,
        0.8,
    )
    s.contact_shadow(
        [
            (x0 + 2, 0, back_z),
            (x1 - 2, 0, back_z),
            (x1 - 1, 0, front_z + 1),
            (x0 + 1, 0, front_z + 1),
        ],
        0.6,
        0.9,
    )
    # its soft shadow on the wall behind
    ul, vt = s.cam(x0 + 3, top - 2, wall_z)
    ur, vb = s.cam(x1 - 3, 2, wall_z)
    shadow(s.im, poly_mask(s.size, [(ul, vt), (ur, vt), (ur, vb), (ul, vb)], 50), 0.45)
    for lx in (x0 + 3, x1 - 4.6):
        s.box(lx, lx + 1.6, 0, 5, front_z + 2, front_z + 3.6, (70, 52, 38), gradient=(1.0, 0.7))
    # the frame under the seat: upholstered, flush with the arms
    s.box(
        x0 + arm - 1,
        x1 - arm + 1,
        4.5,
        12.5,
        front_z,
        back_z,
        tint(colour, 0.9),
        texture=tex,
        puff=0.12,
        gradient=(1.0, 0.86),
        faces="top,front",
    )
    s.box(
        x0 + arm,
        x1 - arm,
        12,
        top - 4,
        back_z - 8,
        back_z,
        tint(colour, 0.92),
        texture=tex,
        puff=0.25,
        faces="top,front",
    )
    seats = 3
    span = (x1 - x0 - 2 * arm) / seats
    for i in range(seats):
        a, b = x0 + arm + i * span + 0.25, x0 + arm + (i + 1) * span - 0.25
        # back cushion, leaning back a little
        lean = [
            (a, top, back_z - 5),
            (b, top, back_z - 5),
            (b, 18, back_z - 13),
            (a, 18, back_z - 13),
        ]
        s.face(lean, tint(colour, 1.02), puff=0.42, texture=tex, gradient=(1.06, 0.9))
        s.face(
            [
                (a + 0.5, top + 0.6, back_z - 1),
                (b - 0.5, top + 0.6, back_z - 1),
                (b, top, back_z - 5),
                (a, top, back_z - 5),
            ],
            tint(colour, 1.12),
            puff=0.3,
            texture=tex,
        )
    # where the back cushions meet the seat: a crease in shadow
    s.contact_shadow(
        [
            (x0 + arm, 19.5, back_z - 12),
            (x1 - arm, 19.5, back_z - 12),
            (x1 - arm, 19.5, back_z - 16),
            (x0 + arm, 19.5, back_z - 16),
        ],
        1.2,
        0.45,
    )
    for i in range(seats):
        a, b = x0 + arm + i * span + 0.1, x0 + arm + (i + 1) * span - 0.1
        s.box(
            a,
            b,
            12.3,
            19.5,
            front_z - 0.6,
            back_z - 12,
            colour,
            texture=tex,
            puff=0.4,
            gradient=(1.04, 0.86),
            faces="top,front",
        )
    # the seat cushions' shadow on the frame just below them
    s.contact_shadow(
        [
            (x0 + arm, 12.4, front_z - 0.05),
            (x1 - arm, 12.4, front_z - 0.05),
            (x1 - arm, 10.6, front_z - 0.05),
            (x0 + arm, 10.6, front_z - 0.05),
        ],
        0.5,
        0.35,
    )
    for ax in (x0, x1 - arm):
        s.box(
            ax,
            ax + arm,
            4.5,
            24.5,
            front_z - 0.3,
            back_z,
            tint(colour, 0.97),
            texture=tex,
            puff=0.3,
            gradient=(1.02, 0.82),
        )
    for i, c in enumerate(pillows):
        px = x0 + arm + 9 + i * (x1 - x0 - 2 * arm - 18) / max(1, len(pillows) - 1)
        rot = (-0.18, 0.12, 0.22, -0.1)[i % 4]
        s.face(
            cushion_outline(px, 26.5, back_z - 15.5, 18, 17, rot),
            c,
            puff=0.5,
            texture=fabric((220, 220), (255, 255, 255), 31 + i, 40),
            soft=0.6,
        )
    return top + 0.6


def living_room() -> RoomOut:
    """A living room: a grey linen sofa under a wide wall, oak floor, window light from the
    left through sheers, a fig tree and a floor lamp."""
    wall_z, ceiling = 190.0, 100.0
    cam = Camera(focal=2470, pos=(0, 50, 0), cy=700)
    s = Scene(cam, light_from=-1)
    left_x, right_x = -150.0, 150.0
    wall_colour = (226, 220, 208)
    wx0, wx1, wy0, wy1 = -126.0, -86.0, 24.0, 88.0

    s.plane(
        Image.new("RGB", (8, 8), (238, 236, 232)),
        [
            (left_x, ceiling, wall_z),
            (right_x, ceiling, wall_z),
            (right_x, ceiling, 100),
            (left_x, ceiling, 100),
        ],
    )

    def wall_light(u: float, v: float) -> float:
        x = left_x + (right_x - left_x) * u
        y = ceiling * (1 - v)
        window = 1.0 / (1 + ((x - (wx0 + wx1) / 2) / 85) ** 2)
        top = 0.93 + 0.07 * math.sin(math.pi * y / ceiling)
        return (0.72 + 0.42 * window) * top

    tex = plaster((1800, 600), wall_colour, wall_light, 1)
    s.plane(
        tex,
        [
            (left_x, ceiling, wall_z),
            (right_x, ceiling, wall_z),
            (right_x, 0, wall_z),
            (left_x, 0, wall_z),
        ],
    )
    ao_band(
        s,
        [
            (left_x, ceiling + 3, wall_z),
            (right_x, ceiling + 3, wall_z),
            (right_x, ceiling - 1.5, wall_z),
            (left_x, ceiling - 1.5, wall_z),
        ],
        0.35,
        4,
    )

    # window with a bright garden behind it
    sky = field_image((200, 320), lambda x, y: 254 - 6 * y).convert("RGB")
    trees = (
        noise((14, 22), 70, 5).resize((200, 320), BICUBIC).point(lambda v: 255 if v > 140 else 0)
    )
    sky.paste(
        Image.new("RGB", sky.size, (214, 226, 204)),
        (0, 0),
        trees.filter(ImageFilter.GaussianBlur(7)).point(lambda v: v * 2 // 5),
    )
    s.face(
        [
            (wx0 - 3.5, wy1 + 3.5, wall_z - 0.6),
            (wx1 + 3.5, wy1 + 3.5, wall_z - 0.6),
            (wx1 + 3.5, wy0 - 3.5, wall_z - 0.6),
            (wx0 - 3.5, wy0 - 3.5, wall_z - 0.6),
        ],
        (244, 243, 240),
        soft=0.4,
    )
    s.plane(sky, [(wx0, wy1, wall_z), (wx1, wy1, wall_z), (wx1, wy0, wall_z), (wx0, wy0, wall_z)])
    for mx in ((wx0 + wx1) / 2,):
        s.face(
            [
                (mx - 0.9, wy1, wall_z - 0.3),
                (mx + 0.9, wy1, wall_z - 0.3),
                (mx + 0.9, wy0, wall_z - 0.3),
                (mx - 0.9, wy0, wall_z - 0.3),
            ],
            (238, 237, 234),
            soft=0.3,
        )
    my = wy0 + (wy1 - wy0) * 0.62
    s.face(
        [
            (wx0, my + 0.9, wall_z - 0.3),
            (wx1, my + 0.9, wall_z - 0.3),
            (wx1, my - 0.9, wall_z - 0.3),
            (wx0, my - 0.9, wall_z - 0.3),
        ],
        (238, 237, 234),
        soft=0.3,
    )
    s.face(
        [
            (wx0 - 5, wy0 - 2.2, wall_z - 3.5),
            (wx1 + 5, wy0 - 2.2, wall_z - 3.5),
            (wx1 + 5, wy0 - 3.5, wall_z),
            (wx0 - 5, wy0 - 3.5, wall_z),
        ],
        (246, 245, 242),
        soft=0.3,
    )
    # sheer curtains gathered either side
    sheer_w, sheer_h = 400, 800
    folds = Image.new("L", (sheer_w, 1))
    folds.putdata(
        [
            clamp8(
                140
                + 70 * math.sin(i / sheer_w * 18 * math.pi)
                + 30 * math.sin(i / sheer_w * 6.3 * math.pi)
            )
            for i in range(sheer_w)
        ]
    )
    folds = folds.resize((sheer_w, sheer_h))
    sheer = Image.merge(
        "RGBA",
        (
            folds.point(lambda v: clamp8(214 + v * 0.16)),
            folds.point(lambda v: clamp8(210 + v * 0.16)),
            folds.point(lambda v: clamp8(202 + v * 0.16)),
            folds.point(lambda v: clamp8(v * 0.7 + 50)),
        ),
    )
    rod_y = 94.0
    for c0, c1 in ((wx0 - 14, wx0 + 8), (wx1 - 8, wx1 + 14)):
        s.contact_shadow(
            [
                (c0 + 1, rod_y, wall_z),
                (c1 + 1, rod_y, wall_z),
                (c1 + 1, 1, wall_z),
                (c0 + 1, 1, wall_z),
            ],
            2.5,
            0.25,
        )
        s.plane(
            sheer,
            [
                (c0, rod_y, wall_z - 5),
                (c1, rod_y, wall_z - 5),
                (c1 + 1, 0.5, wall_z - 6),
                (c0 - 1, 0.5, wall_z - 6),
            ],
        )
    s.face(
        [
            (wx0 - 17, rod_y + 0.6, wall_z - 5),
            (wx1 + 17, rod_y + 0.6, wall_z - 5),
            (wx1 + 17, rod_y - 0.6, wall_z - 5),
            (wx0 - 17, rod_y - 0.6, wall_z - 5),
        ],
        (70, 64, 58),
        soft=0.3,
    )

    skirting(s, left_x, right_x, wall_z)

    floor = planks(
        (300, 120), 14, [(176, 138, 100), (186, 148, 108), (168, 128, 92), (180, 142, 104)], 3
    )
    s.plane(floor, [(left_x, 0, wall_z), (right_x, 0, wall_z), (right_x, 0, 70), (left_x, 0, 70)])
    u0, v0 = s.cam((wx0 + wx1) / 2, 0, 160)
    pool = ellipse_mask(s.size, (u0 - 700, v0 - 200, u0 + 900, v0 + 420), 260)
    lighten(s.im, pool, (255, 246, 230), 0.35)
    ao_band(
        s,
        [
            (left_x, 0, wall_z),
            (right_x, 0, wall_z),
            (right_x, 0, wall_z - 3),
            (left_x, 0, wall_z - 3),
        ],
        0.4,
        2.5,
    )

    rug = carpet((120, 80), 10, (214, 206, 192), 11)
    rd = ImageDraw.Draw(rug)
    rd.rectangle((40, 40, rug.width - 41, rug.height - 41), outline=(168, 152, 132), width=12)
    s.contact_shadow([(-55, 0, 152.5), (65, 0, 152.5), (65, 0, 70), (-55, 0, 70)], 0.5, 0.3)
    s.plane(rug, [(-55, 0.4, 152), (65, 0.4, 152), (65, 0.4, 72), (-55, 0.4, 72)])

    sx0, sx1 = -34.0, 56.0
    sofa_top = sofa(
        s, sx0, sx1, wall_z, (156, 156, 150), [(200, 156, 98), (232, 226, 212), (118, 134, 124)]
    )
    floor_lamp(s, -54, wall_z - 12, 62, wall_z)
    fig_tree(s, 86, wall_z - 18, 70, 5, r=10)

    w0, w1, wall_top = art_wall(cam, wall_z, wx1 + 17, right_x, ceiling)  # right of the curtain
    wall = [(w0, wall_top, wall_z), (w1, wall_top, wall_z), (w1, 0, wall_z), (w0, 0, wall_z)]
    furniture = [
        ("sofa", sx0 - w0, sx1 - w0, sofa_top),
        ("floor lamp", -64 - w0, -44 - w0, 62.0),
        ("fig tree", 86 - 24 - w0, 86 + 24 - w0, 80.0),
    ]
    room = RoomOut(
        "living-room",
        "Living room",
        "A linen sofa, oak floor and window light",
        s.finish(),
        wall,
        w1 - w0,
        wall_top,
        furniture,
        light=-0.6,
    )
    return room, cam


def table_lamp(
    s: Scene, x: float, z: float, base_y: float, wall_z: float, glow: float = 0.3
) -> float:
    """A ceramic table lamp with a linen drum shade; returns the height of its top."""
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
    return y1


def hallway():
    """An entrance hall seen at an angle: a long wall receding to a window at its end, a
    walnut console with a lamp, an oak floor with a runner."""
    wall_z, ceiling, end_x = 130.0, 100.0, -300.0
    cam = Camera(focal=1800, pos=(0, 58, 0), yaw=-35, cy=690)
    s = Scene(cam, light_from=-1)
    wall_colour = (214, 218, 212)

    s.plane(
        Image.new("RGB", (8, 8), (236, 236, 232)),
        [
            (end_x, ceiling, wall_z),
            (120, ceiling, wall_z),
            (120, ceiling, -20),
            (end_x, ceiling, -20),
        ],
    )

    def art_light(u: float, v: float) -> float:
        x = end_x + (60 - end_x) * u
        y = ceiling * (1 - v)
        near_window = math.exp(-(x - end_x) / 110)
        return (0.74 + 0.46 * near_window) * (0.94 + 0.06 * math.sin(math.pi * y / ceiling))

    s.plane(
        plaster((2200, 600), wall_colour, art_light, 4),
        [(end_x, ceiling, wall_z), (60, ceiling, wall_z), (60, 0, wall_z), (end_x, 0, wall_z)],
    )
    # the end wall with a tall window, the light against it
    s.plane(
        plaster((600, 600), wall_colour, lambda u, v: 0.7 + 0.08 * u, 5),
        [(end_x, ceiling, 30), (end_x, ceiling, wall_z), (end_x, 0, wall_z), (end_x, 0, 30)],
    )
    wz0, wz1, wy0, wy1 = 58.0, 104.0, 16.0, 90.0
    s.face(
        [
            (end_x + 0.4, wy1 + 3, wz0 - 3),
            (end_x + 0.4, wy1 + 3, wz1 + 3),
            (end_x + 0.4, wy0 - 3, wz1 + 3),
            (end_x + 0.4, wy0 - 3, wz0 - 3),
        ],
        (240, 240, 236),
        soft=0.4,
    )
    glass = field_image((120, 240), lambda x, y: 255 - 8 * y).convert("RGB")
    leaves = (
        noise((10, 20), 70, 8).resize((120, 240), BICUBIC).point(lambda v: 255 if v > 150 else 0)
    )
    glass.paste(
        Image.new("RGB", glass.size, (206, 222, 200)),
        (0, 0),
        leaves.filter(ImageFilter.GaussianBlur(5)).point(lambda v: v // 3),
    )
    s.plane(
        glass,
        [
            (end_x + 0.5, wy1, wz0),
            (end_x + 0.5, wy1, wz1),
            (end_x + 0.5, wy0, wz1),
            (end_x + 0.5, wy0, wz0),
        ],
    )
    for wz in ((wz0 + wz1) / 2,):
        s.face(
            [
                (end_x + 0.8, wy1, wz - 0.9),
                (end_x + 0.8, wy1, wz + 0.9),
                (end_x + 0.8, wy0, wz + 0.9),
                (end_x + 0.8, wy0, wz - 0.9),
            ],
            (238, 238, 234),
            soft=0.3,
        )
    for wy in (wy0 + (wy1 - wy0) * 0.33, wy0 + (wy1 - wy0) * 0.66):
        s.face(
            [
                (end_x + 0.8, wy + 0.8, wz0),
                (end_x + 0.8, wy + 0.8, wz1),
                (end_x + 0.8, wy - 0.8, wz1),
                (end_x + 0.8, wy - 0.8, wz0),
            ],
            (238, 238, 234),
            soft=0.3,
        )
    ao_band(
        s,
        [
            (end_x, ceiling, wall_z),
            (60, ceiling, wall_z),
            (60, ceiling - 2, wall_z),
            (end_x, ceiling - 2, wall_z),
        ],
        0.3,
        4,
    )
    ao_band(
        s,
        [
            (end_x, ceiling, wall_z),
            (end_x, ceiling, wall_z),
            (end_x + 3, 0, wall_z),
            (end_x, 0, wall_z),
        ],
        0.35,
        3,
    )

    skirting(s, end_x, 60, wall_z, 6)
    s.face(
        [
            (end_x + 0.6, 6, 30),
            (end_x + 0.6, 6, wall_z),
            (end_x + 0.6, 0, wall_z),
            (end_x + 0.6, 0, 30),
        ],
        (232, 232, 226),
        soft=0.3,
        gradient=(1.0, 0.86),
    )

    floor = planks(
        (380, 110),
        12,
        [(150, 110, 78), (162, 120, 84), (142, 104, 72), (158, 116, 82)],
        9,
        plank_w=6,
        along_x=True,
    )
    s.plane(floor, [(end_x, 0, wall_z), (80, 0, wall_z), (80, 0, -20), (end_x, 0, -20)])
    ao_band(
        s,
        [(end_x, 0, wall_z), (60, 0, wall_z), (60, 0, wall_z - 3), (end_x, 0, wall_z - 3)],
        0.45,
        2.5,
    )
    # sunlight through the window, lying on the floor
    sun = [
        s.cam(end_x + 4, 0, wz0 + 4),
        s.cam(end_x + 4, 0, wz1 - 4),
        s.cam(end_x + 120, 0, wz1 + 8),
        s.cam(end_x + 130, 0, wz0 + 10),
    ]
    lighten(s.im, poly_mask(s.size, sun, 40), (255, 236, 200), 0.42)

    runner = carpet((250, 32), 10, (150, 84, 66), 13)
    wash = noise((50, 8), 80, 21).resize(runner.size, BICUBIC)
    runner = Image.composite(
        Image.new("RGB", runner.size, (118, 58, 50)),
        runner,
        wash.point(lambda v: clamp8((v - 110) * 2)),
    )
    rd = ImageDraw.Draw(runner)
    for inset, colour, wd in (
        (10, (200, 180, 146), 14),
        (36, (74, 46, 44), 8),
        (52, (196, 160, 112), 4),
    ):
        rd.rectangle(
            (inset, inset, runner.width - inset - 1, runner.height - inset - 1),
            outline=colour,
            width=wd,
        )
    for i in range(11):
        cx = 150 + i * (runner.width - 300) / 10
        rd.regular_polygon((cx, runner.height / 2, 44), 4, outline=(196, 160, 112), width=5)
        rd.regular_polygon((cx, runner.height / 2, 16), 4, fill=(74, 46, 44))
    runner = runner.filter(ImageFilter.GaussianBlur(1.5))
    runner = multiply(runner, grain(runner.size, 40, 3, 0.8))
    s.contact_shadow([(-270, 0, 104), (-20, 0, 104), (-20, 0, 72), (-270, 0, 72)], 0.4, 0.3)
    s.plane(runner, [(-270, 0.4, 103.5), (-20, 0.4, 103.5), (-20, 0.4, 72.5), (-270, 0.4, 72.5)])

    # walnut console
    cx0, cx1, cz0, cz1, top = -140.0, -68.0, wall_z - 15, wall_z - 1, 31.0
    walnut = planks(
        (76, 16), 20, [(98, 64, 42), (106, 70, 46), (92, 60, 40)], 17, plank_w=16, along_x=True
    )
    s.contact_shadow([(cx0, 0, cz1), (cx1, 0, cz1), (cx1, 0, cz0 - 1), (cx0, 0, cz0 - 1)], 2.5, 0.5)
    ul, vt = s.cam(cx0, top, wall_z)
    ur, vb = s.cam(cx1, top - 6, wall_z)
    shadow(
        s.im,
        poly_mask(
            s.size,
            [(ul + 20, vt + 10), (ur + 10, vt + 14), (ur + 10, vb + 40), (ul + 20, vb + 40)],
            30,
        ),
        0.22,
    )
    for lx, lz in ((cx0 + 1, cz1 - 2), (cx1 - 2, cz1 - 2), (cx0 + 1, cz0 + 1), (cx1 - 2, cz0 + 1)):
        s.box(lx, lx + 1.6, 0, top - 1.5, lz, lz + 1.6, (84, 54, 36), gradient=(1.0, 0.7))
    s.box(cx0 + 1, cx1 - 1, 7, 8, cz0 + 1, cz1 - 1, (104, 68, 46), texture=walnut.resize((400, 60)))
    s.box(
        cx0,
        cx1,
        top - 1.5,
        top,
        cz0,
        cz1,
        (112, 74, 50),
        texture=walnut.resize((400, 60)),
        top_light=1.2,
    )
    # books on the shelf and on top, a bowl
    bx = cx0 + 30
    for i, (bw, c) in enumerate(((11, (60, 72, 88)), (10, (212, 200, 176)), (9, (140, 60, 48)))):
        s.box(
            bx - bw / 2,
            bx + bw / 2,
            top + i * 1.4,
            top + (i + 1) * 1.4,
            cz0 + 3,
            cz0 + 11,
            c,
            soft=0.4,
        )
    s.box(cx0 + 36, cx0 + 56, 8, 12, cz0 + 3, cz0 + 11, (180, 170, 150), soft=0.4)
    bowl = [
        (
            cx1 - 12 - 5 * math.cos(math.pi * i / 16),
            top + 2.8 * (1 - math.sin(math.pi * i / 16)),
            cz0 + 6,
        )
        for i in range(17)
    ]
    s.face(
        bowl + [(cx1 - 7, top + 2.8, cz0 + 6), (cx1 - 17, top + 2.8, cz0 + 6)],
        (60, 62, 58),
        soft=0.4,
        gradient=(1.3, 0.8),
    )
    lamp_top = table_lamp(s, cx0 + 8, cz0 + 7, top, wall_z)

    w0, w1, wall_top = art_wall(cam, wall_z, end_x + 4, 60, ceiling)
    wall = [(w0, wall_top, wall_z), (w1, wall_top, wall_z), (w1, 0, wall_z), (w0, 0, wall_z)]
    furniture = [
        ("console", cx0 - w0, cx1 - w0, top),
        ("table lamp", cx0 + 0.5 - w0, cx0 + 15.5 - w0, lamp_top),
    ]
    room = RoomOut(
        "hallway",
        "Hallway",
        "A long wall seen at an angle, a walnut console, a runner",
        s.finish(),
        wall,
        w1 - w0,
        wall_top,
        furniture,
        light=-0.8,
    )
    return room, cam


def back_wall(
    s: Scene,
    x0: float,
    x1: float,
    z: float,
    ceiling: float,
    colour: RGB,
    light: Callable[[float, float], float],
    seed: int,
) -> None:
    """The wall facing the camera, its ceiling line and its skirting."""
    s.plane(
        plaster((1800, 640), colour, light, seed),
        [(x0, ceiling, z), (x1, ceiling, z), (x1, 0, z), (x0, 0, z)],
    )
    ao_band(
        s,
        [
            (x0, ceiling + 3, z),
            (x1, ceiling + 3, z),
            (x1, ceiling - 1.5, z),
            (x0, ceiling - 1.5, z),
        ],
        0.35,
        4,
    )


def drape_texture(w: int, h: int, folds: float, seed: int, depth: float = 14) -> Image.Image:
    """Soft vertical folds of hanging cloth: a brightness wave across, irregular."""
    rnd = random.Random(seed)
    phases = [rnd.uniform(0, 6.3) for _ in range(3)]
    row = Image.new("L", (w, 1))
    row.putdata(
        [
            clamp8(
                255
                - 1.6 * depth
                + depth * math.sin(i / w * folds * 2 * math.pi + phases[0])
                + depth * 0.6 * math.sin(i / w * folds * 0.37 * 2 * math.pi + phases[1])
            )
            for i in range(w)
        ]
    )
    return Image.merge("RGB", [row.resize((w, h))] * 3)


def bedroom():
    """A bedroom: an upholstered headboard, white bedding, walnut nightstands with lamps,
    a wool carpet; soft light from a window on the right."""
    wall_z, ceiling = 220.0, 100.0
    cam = Camera(focal=2500, pos=(6, 52, 0), cy=700)
    s = Scene(cam, light_from=1)
    x0, x1 = -160.0, 160.0
    s.plane(
        Image.new("RGB", (8, 8), (236, 235, 232)),
        [(x0, ceiling, wall_z), (x1, ceiling, wall_z), (x1, ceiling, 60), (x0, ceiling, 60)],
    )

    def light(u: float, v: float) -> float:
        x = x0 + (x1 - x0) * u
        y = ceiling * (1 - v)
        return (0.74 + 0.4 / (1 + ((x - 150) / 110) ** 2)) * (
            0.93 + 0.07 * math.sin(math.pi * y / ceiling)
        )

    back_wall(s, x0, x1, wall_z, ceiling, (214, 206, 194), light, 6)
    skirting(s, x0, x1, wall_z, 5)
    s.plane(
        carpet((320, 170), 9, (200, 190, 174), 17),
        [(x0, 0, wall_z), (x1, 0, wall_z), (x1, 0, 50), (x0, 0, 50)],
    )
    ao_band(
        s, [(x0, 0, wall_z), (x1, 0, wall_z), (x1, 0, wall_z - 3), (x0, 0, wall_z - 3)], 0.45, 2.5
    )
    u0, v0 = s.cam(120, 0, 170)
    lighten(
        s.im,
        ellipse_mask(s.size, (u0 - 900, v0 - 200, u0 + 900, v0 + 500), 300),
        (255, 246, 232),
        0.3,
    )

    linen = (168, 160, 150)
    tex = fabric((600, 400), (255, 255, 255), 41, 30)
    # headboard, its shadow on the wall
    hb = (-36.0, 36.0, 56.0)
    ul, vt = s.cam(hb[0] - 2, hb[2], wall_z)
    ur, vb = s.cam(hb[1] + 2, 10, wall_z)
    shadow(
        s.im,
        poly_mask(
            s.size, [(ul - 10, vt - 10), (ur + 30, vt - 10), (ur + 30, vb), (ul - 10, vb)], 50
        ),
        0.4,
    )
    s.box(hb[0], hb[1], 4, hb[2], wall_z - 4, wall_z - 0.5, linen, texture=tex, puff=0.22, soft=1.2)
    for i in range(6):  # channel tufting
        cx = hb[0] + (i + 1) * (hb[1] - hb[0]) / 7
        s.contact_shadow(
            [
                (cx - 0.3, hb[2] - 3, wall_z - 4),
                (cx + 0.3, hb[2] - 3, wall_z - 4),
                (cx + 0.3, 26, wall_z - 4),
                (cx - 0.3, 26, wall_z - 4),
            ],
            0.5,
            0.35,
        )
    bed_front = wall_z - 86
    s.contact_shadow(
        [
            (-33, 0, wall_z - 4),
            (33, 0, wall_z - 4),
            (34, 0, bed_front - 3),
            (-34, 0, bed_front - 3),
        ],
        3,
        0.7,
    )
    s.box(
        -31,
        31,
        3,
        13,
        bed_front + 1,
        wall_z - 4,
        tint(linen, 0.9),
        texture=tex,
        puff=0.12,
        gradient=(0.9, 1.0),
    )
    white = (240, 238, 234)
    wrinkle = noise((14, 40), 60, 3).resize((600, 400), BICUBIC).filter(ImageFilter.GaussianBlur(4))
    wrinkle = Image.merge("RGB", [wrinkle.point(lambda v: clamp8(232 + v * 0.09))] * 3)
    drape = drape_texture(600, 200, 9, 5, depth=5)
    y_top = 24.0
    top_face = [
        (-32, y_top, wall_z - 5),
        (32, y_top, wall_z - 5),
        (32, y_top, bed_front),
        (-32, y_top, bed_front),
    ]
    s.face(
        top_face,
        white,
        texture=multiply(wrinkle, fabric((600, 400), (255, 255, 255), 9, 10)),
        puff=0.12,
        soft=1.0,
    )
    for side_x, pts in (
        (
            -32,
            [
                (-32, y_top, wall_z - 5),
                (-32, y_top, bed_front),
                (-32, 10, bed_front),
                (-32, 10, wall_z - 5),
            ],
        ),
    ):
        if cam.pos[0] < side_x:
            s.face(pts, tint(white, 0.8), texture=drape, soft=0.8)
    s.face(
        [
            (-32, y_top, bed_front),
            (32, y_top, bed_front),
            (32, 10, bed_front - 0.5),
            (-32, 10, bed_front - 0.5),
        ],
        tint(white, 0.9),
        texture=drape,
        puff=0.1,
        gradient=(1.0, 0.8),
        soft=0.8,
    )
    # pillows leaning on the headboard, then cushions
    for px in (-15.5, 15.5):
        pts = [
            (x, y, wall_z - 6 - (y - 24) * 0.35 - 5)
            for x, y, _ in cushion_outline(px, 31, 0, 28, 17, 0)
        ]
        s.face(
            pts,
            (244, 243, 240),
            puff=0.4,
            texture=fabric((300, 200), (255, 255, 255), 5, 16),
            soft=0.6,
        )
    for px, c in ((-10, (132, 148, 160)), (10, (132, 148, 160)), (0, (196, 170, 132))):
        pts = [
            (x, y, wall_z - 14 - (y - 24) * 0.3)
            for x, y, _ in cushion_outline(px, 31, 0, 17, 15, 0.06 * px / 10)
        ]
        s.face(pts, c, puff=0.45, texture=fabric((240, 240), (255, 255, 255), 7, 40), soft=0.6)
    # a knitted throw across the foot of the bed, hanging over its end
    throw = (128, 142, 152)
    knit = multiply(
        fabric((600, 200), (255, 255, 255), 12, 50), drape_texture(600, 200, 11, 8, depth=9)
    )
    s.face(
        [
            (-33, 24.8, bed_front + 18),
            (33, 24.8, bed_front + 18),
            (33, 24.8, bed_front - 0.8),
            (-33, 24.8, bed_front - 0.8),
        ],
        throw,
        texture=fabric((600, 200), (255, 255, 255), 13, 50),
        puff=0.15,
        soft=0.8,
    )
    s.face(
        [
            (-33, 24.8, bed_front - 0.8),
            (33, 24.8, bed_front - 0.8),
            (33.5, 13, bed_front - 1.3),
            (-33.5, 13, bed_front - 1.3),
        ],
        tint(throw, 0.86),
        texture=knit,
        gradient=(1.0, 0.8),
        puff=0.1,
        soft=0.8,
    )
    # nightstands with lamps
    walnut = planks(
        (26, 18), 20, [(150, 110, 76), (158, 116, 80), (142, 104, 72)], 27, plank_w=18, along_x=True
    )
    tops = []
    for nx in (-62.0, 40.0):
        nz0, nz1 = wall_z - 18, wall_z - 1
        s.contact_shadow(
            [(nx, 0, nz1), (nx + 22, 0, nz1), (nx + 22, 0, nz0 - 1), (nx, 0, nz0 - 1)], 1.5, 0.6
        )
        for lx in (nx + 1, nx + 19.5):
            s.box(lx, lx + 1.5, 0, 6, nz0 + 1, nz0 + 2.5, (70, 48, 34))
        s.box(
            nx,
            nx + 22,
            6,
            24,
            nz0,
            nz1,
            (186, 140, 100),
            texture=walnut.resize((300, 300)),
            top_light=1.18,
            gradient=(1.0, 0.85),
        )
        ImageDraw.Draw(s.im).line(
            (s.cam(nx + 1, 15, nz0 - 0.05), s.cam(nx + 21, 15, nz0 - 0.05)),
            fill=(66, 44, 30),
            width=SS,
        )
        hx = nx + 11
        s.box(hx - 2, hx + 2, 18.6, 19.4, nz0 - 0.6, nz0, (190, 160, 96), soft=0.3)
        tops.append(table_lamp(s, nx + 11, nz0 + 8, 24, wall_z, glow=0.22))
    w0, w1, wall_top = art_wall(cam, wall_z, x0, x1, ceiling)
    wall = [(w0, wall_top, wall_z), (w1, wall_top, wall_z), (w1, 0, wall_z), (w0, 0, wall_z)]
    furniture = [
        ("headboard", hb[0] - w0, hb[1] - w0, hb[2]),
        ("left nightstand lamp", -62 - w0, -40 - w0, tops[0]),
        ("right nightstand lamp", 40 - w0, 62 - w0, tops[1]),
    ]
    room = RoomOut(
        "bedroom",
        "Bedroom",
        "An upholstered bed, walnut nightstands, soft carpet",
        s.finish(),
        wall,
        w1 - w0,
        wall_top,
        furniture,
        light=0.6,
    )
    return room, cam


def vase_with_branches(s: Scene, x: float, z: float, base_y: float, seed: int) -> float:
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
    return top + 20


def dining_room():
    """A dining room's sage wall seen a little from the side: a long oak sideboard with a
    vase of branches and books, a tall plant, window light from the right."""
    wall_z, ceiling = 170.0, 104.0
    cam = Camera(focal=2300, pos=(-10, 54, 0), yaw=14, cy=720)
    s = Scene(cam, light_from=1)
    x0, x1 = -200.0, 260.0
    s.plane(
        Image.new("RGB", (8, 8), (236, 235, 232)),
        [(x0, ceiling, wall_z), (x1, ceiling, wall_z), (x1, ceiling, -20), (x0, ceiling, -20)],
    )

    def light(u: float, v: float) -> float:
        x = x0 + (x1 - x0) * u
        y = ceiling * (1 - v)
        return (0.7 + 0.45 / (1 + ((x - 170) / 120) ** 2)) * (
            0.93 + 0.07 * math.sin(math.pi * y / ceiling)
        )

    back_wall(s, x0, x1, wall_z, ceiling, (150, 164, 146), light, 8)
    skirting(s, x0, x1, wall_z, 6, colour=(226, 228, 220))
    floor = planks(
        (460, 200), 12, [(196, 160, 118), (206, 170, 126), (188, 150, 110), (200, 164, 122)], 31
    )
    s.plane(floor, [(x0, 0, wall_z), (x1, 0, wall_z), (x1, 0, -20), (x0, 0, -20)])
    ao_band(
        s, [(x0, 0, wall_z), (x1, 0, wall_z), (x1, 0, wall_z - 3), (x0, 0, wall_z - 3)], 0.45, 2.5
    )
    u0, v0 = s.cam(120, 0, 130)
    lighten(
        s.im,
        ellipse_mask(s.size, (u0 - 900, v0 - 220, u0 + 900, v0 + 500), 300),
        (255, 244, 226),
        0.32,
    )

    # oak sideboard on legs
    sx0, sx1, sz0, sz1, top = -44.0, 40.0, wall_z - 19, wall_z - 1, 32.0
    oak = planks(
        (90, 40),
        18,
        [(176, 140, 104), (184, 148, 110), (170, 134, 98)],
        19,
        plank_w=40,
        along_x=True,
    )
    s.contact_shadow(
        [(sx0, 0, sz1), (sx1, 0, sz1), (sx1, 0, sz0 - 1), (sx0, 0, sz0 - 1)], 2.5, 0.55
    )
    ul, vt = s.cam(sx0, top, wall_z)
    ur, vb = s.cam(sx1, 8, wall_z)
    shadow(
        s.im,
        poly_mask(
            s.size, [(ul - 20, vt + 10), (ur - 10, vt + 10), (ur - 10, vb), (ul - 20, vb)], 40
        ),
        0.35,
    )
    for lx, lz in (
        (sx0 + 2, sz0 + 2),
        (sx1 - 3.5, sz0 + 2),
        (sx0 + 2, sz1 - 3),
        (sx1 - 3.5, sz1 - 3),
    ):
        s.box(lx, lx + 1.5, 0, 8, lz, lz + 1.5, (60, 44, 32), gradient=(1.0, 0.7))
    s.box(
        sx0,
        sx1,
        8,
        top,
        sz0,
        sz1,
        (196, 160, 124),
        texture=oak.resize((500, 220)),
        top_light=1.15,
        gradient=(1.02, 0.86),
    )
    draw = ImageDraw.Draw(s.im)
    for i in range(1, 4):
        dx = sx0 + i * (sx1 - sx0) / 4
        draw.line(
            (s.cam(dx, top - 1, sz0 - 0.05), s.cam(dx, 9, sz0 - 0.05)), fill=(96, 66, 42), width=SS
        )
    for i in range(4):
        hx = sx0 + (i + 0.5) * (sx1 - sx0) / 4 + (4 if i % 2 == 0 else -4)
        s.box(hx - 0.4, hx + 0.4, top - 12, top - 6, sz0 - 0.6, sz0, (196, 164, 98), soft=0.3)
    for i, (bw, c) in enumerate(((12, (40, 52, 64)), (11, (222, 212, 190)), (10, (176, 96, 60)))):
        s.box(
            sx1 - 22 - bw / 2,
            sx1 - 22 + bw / 2,
            top + i * 1.6,
            top + (i + 1) * 1.6,
            sz0 + 3,
            sz0 + 12,
            c,
            soft=0.4,
        )
    branches_top = vase_with_branches(s, sx0 + 7, sz0 + 9, top, 3)
    fig_tree(s, 84, wall_z - 20, 76, 12, r=11)

    w0, w1, wall_top = art_wall(cam, wall_z, x0, 66, ceiling)
    wall = [(w0, wall_top, wall_z), (w1, wall_top, wall_z), (w1, 0, wall_z), (w0, 0, wall_z)]
    furniture = [
        ("sideboard", sx0 - w0, sx1 - w0, top),
        ("vase", sx0 - 1 - w0, sx0 + 15 - w0, branches_top),
    ]
    room = RoomOut(
        "dining-room",
        "Dining room",
        "A sage wall seen from the side, an oak sideboard",
        s.finish(),
        wall,
        w1 - w0,
        wall_top,
        furniture,
        light=0.7,
    )
    return room, cam


ROOMS: dict[str, Callable[[], tuple[RoomOut, Camera]]] = {
    "living-room": living_room,
    "hallway": hallway,
    "bedroom": bedroom,
    "dining-room": dining_room,
}


def write(room: RoomOut, cam: Camera) -> Path:
    """The room's image and its calibration file, from the camera that drew it."""
    image = OUT / f"{room.id}.jpg"
    room.image.save(image, quality=88, optimize=True, progressive=True)
    corners = ", ".join(f"[{u:.2f}, {v:.2f}]" for u, v in (cam.final(p) for p in room.wall))
    lines = [
        f"# {room.name}: drawn by scripts/make_rooms.py; the calibration is its camera's.",
        f'name = "{room.name}"',
        f'description = "{room.description}"',
        f'image = "{image.name}"',
        f"size = [{W}, {H}]",
        f"light = {room.light}  # where the light comes from: -1 left, 0 above, 1 right",
        "",
        "[wall]",
        "# image pixels (continuous: a pixel's centre is at +0.5), clockwise from top-left",
        f"corners = [{corners}]",
        f"width = {room.width:g}  # inches",
        f"height = {room.height:g}  # inches, from the floor line up",
        "bottom = 0  # inches above the floor of the bottom edge",
        f"eye_level = {room.eye_level:g}",
        f"focal = {cam.focal:g}  # the camera's focal length, pixels",
    ]
    for name, left, right, top in room.furniture:
        lines += [
            "",
            "[[furniture]]  # in front of the wall: inches along it, and its top above the floor",
            f'name = "{name}"',
            f"left = {left:.1f}",
            f"right = {right:.1f}",
            f"top = {top:.1f}",
        ]
    (OUT / f"{room.id}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return image


def main(names: Sequence[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names or list(ROOMS):
        room, cam = ROOMS[name]()
        path = write(room, cam)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
