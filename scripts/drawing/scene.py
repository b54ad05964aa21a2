"""A room's scene: a pinhole camera on a scene measured in inches, and what draws on it.

Everything is drawn at twice the final size (`SS`) and reduced at the end, for clean edges.
Points are `(x, y, z)` in inches: x to the right, y up from the floor, z into the room.

    scene = Scene(Camera(focal=2470, pos=(0, 50, 0), cy=700), light_from=-1)
    scene.box(-10, 10, 0, 30, 150, 170, (120, 90, 60))    # a box standing on the floor
    picture = scene.finish()                              # the final 3000×1688 picture
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from kiosk.core.wall import Homography, translation

W, H = 3000, 1688  # the rooms' size: 16:9 like the screen, ~3000 px wide
SS = 2  # drawn at twice the size, then reduced
BICUBIC = Image.Resampling.BICUBIC
Vec = tuple[float, float, float]
RGB = tuple[int, int, int]


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


def clip_near(points: list[tuple[Vec, float]], near: float, cam: Camera) -> list[Vec]:
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
        clipped = clip_near([(p, d) for p, d in zip(corners, depth, strict=True)], 1.0, self.cam)
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
