"""Textures for a room's surfaces, drawn flat before they are put in perspective: painted
plaster, oak planks, carpet, fabric, hanging cloth. Each is the same for the same seed, but
for the grain Pillow draws at random (`Image.effect_noise` takes no seed)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from drawing.scene import BICUBIC, RGB, clamp8, field_image, grain, mix, multiply, noise, tint
from PIL import Image, ImageDraw, ImageFilter


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


def wall_light(
    left: float,
    right: float,
    ceiling: float,
    *,
    base: float,
    gain: float,
    falloff: str = "along",
    centre: float = 0.0,
    width: float = 1.0,
    top: Sequence[float] = (1.0, 0.0),
) -> Callable[[float, float], float]:
    """How lit a wall is across it, as `plaster` takes it: `base + gain × near`, where `near`
    falls off from a window at x = `centre` over `width` inches ("lorentz": a window in the
    wall, "exp": one at its end) or grows along the wall ("along"), times a faint brightening
    halfway up, `top[0] + top[1] × sin(π y / ceiling)`."""

    def light(u: float, v: float) -> float:
        x = left + (right - left) * u
        y = ceiling * (1 - v)
        if falloff == "lorentz":
            near = 1.0 / (1 + ((x - centre) / width) ** 2)
        elif falloff == "exp":
            near = math.exp(-(x - centre) / width)
        else:
            near = u
        return (base + gain * near) * (top[0] + top[1] * math.sin(math.pi * y / ceiling))

    return light


def window_view(size: Sequence[int], light: Sequence[float], trees: dict) -> Image.Image:
    """What a window shows: a bright sky fading down by `light[1]`, and soft trees or leaves
    (`trees`: a coarse noise `grid` and `seed`, cut `above` a level, blurred, in `colour` at
    `opacity`, a fraction [num, den])."""
    size = tuple(size)
    view = field_image(size, lambda x, y: light[0] - light[1] * y).convert("RGB")
    above = trees["above"]
    mask = noise(tuple(trees["grid"]), 70, trees["seed"]).resize(size, BICUBIC)
    mask = mask.point(lambda v: 255 if v > above else 0)
    num, den = trees["opacity"]
    view.paste(
        Image.new("RGB", view.size, tuple(trees["colour"])),
        (0, 0),
        mask.filter(ImageFilter.GaussianBlur(trees["blur"])).point(lambda v: v * num // den),
    )
    return view


def rug(
    size_in: Sequence[float],
    ppi: float,
    colour: RGB,
    seed: int,
    *,
    borders: Sequence[Sequence] = (),
    wash: dict | None = None,
    medallions: dict | None = None,
    soften: dict | None = None,
) -> Image.Image:
    """A rug's texture: carpet, perhaps a faded `wash` of a second colour, border lines
    ([inset, colour, width] in texture pixels), a row of diamond `medallions`, and `soften`ed
    (blurred, then a coarser grain) so the pattern reads as woven."""
    tex = carpet(tuple(size_in), ppi, tuple(colour), seed)
    if wash:
        spots = noise(tuple(wash["grid"]), 80, wash["seed"]).resize(tex.size, BICUBIC)
        tex = Image.composite(
            Image.new("RGB", tex.size, tuple(wash["colour"])),
            tex,
            spots.point(lambda v: clamp8((v - 110) * 2)),
        )
    draw = ImageDraw.Draw(tex)
    for inset, line, width in borders:
        draw.rectangle(
            (inset, inset, tex.width - inset - 1, tex.height - inset - 1),
            outline=tuple(line),
            width=width,
        )
    if medallions:
        m, count = medallions, medallions["count"]
        for i in range(count):
            cx = m["margin"] + i * (tex.width - 2 * m["margin"]) / (count - 1)
            centre = (cx, tex.height / 2)
            draw.regular_polygon(
                (*centre, m["radius"]), 4, outline=tuple(m["colour"]), width=m["width"]
            )
            draw.regular_polygon((*centre, m["core"]), 4, fill=tuple(m["core_colour"]))
    if soften:
        tex = tex.filter(ImageFilter.GaussianBlur(soften["blur"]))
        tex = multiply(tex, grain(tex.size, soften["grain"], soften["seed"], soften["grain_blur"]))
    return tex
