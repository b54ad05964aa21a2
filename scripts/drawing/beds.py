"""A bedroom's furniture: a double bed made up with pillows and a throw, and nightstands
with their lamps. Each returns its extent along the wall behind it and its top, (left, right,
top) in scene inches, for the room's file."""

from __future__ import annotations

from collections.abc import Sequence

from drawing.decor import table_lamp
from drawing.furniture import cushion_outline
from drawing.scene import (
    BICUBIC,
    RGB,
    SS,
    Scene,
    clamp8,
    multiply,
    noise,
    poly_mask,
    shadow,
    tint,
)
from drawing.surfaces import drape_texture, fabric, planks
from PIL import Image, ImageDraw, ImageFilter


def bed(
    s: Scene,
    wall_z: float,
    headboard: Sequence[float],
    linen: RGB,
    bedding: RGB,
    pillows: RGB,
    cushions: Sequence[tuple[float, RGB]],
    throw: RGB,
) -> tuple[float, float, float]:
    """A double bed against the wall, centred on x = 0: an upholstered, channel-tufted
    `headboard` ([left, right, top]), white bedding over a linen base, two pillows, scatter
    `cushions` ([x, colour]) and a knitted throw hanging over its foot."""
    tex = fabric((600, 400), (255, 255, 255), 41, 30)
    hb = headboard
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
        bedding,
        texture=multiply(wrinkle, fabric((600, 400), (255, 255, 255), 9, 10)),
        puff=0.12,
        soft=1.0,
    )
    if s.cam.pos[0] < -32:  # the bedding hanging down its left side, when the camera sees it
        side = [(-32, y_top, wall_z - 5), (-32, y_top, bed_front), (-32, 10, bed_front)]
        side.append((-32, 10, wall_z - 5))
        s.face(side, tint(bedding, 0.8), texture=drape, soft=0.8)
    s.face(
        [
            (-32, y_top, bed_front),
            (32, y_top, bed_front),
            (32, 10, bed_front - 0.5),
            (-32, 10, bed_front - 0.5),
        ],
        tint(bedding, 0.9),
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
            pillows,
            puff=0.4,
            texture=fabric((300, 200), (255, 255, 255), 5, 16),
            soft=0.6,
        )
    for px, c in cushions:
        pts = [
            (x, y, wall_z - 14 - (y - 24) * 0.3)
            for x, y, _ in cushion_outline(px, 31, 0, 17, 15, 0.06 * px / 10)
        ]
        s.face(pts, c, puff=0.45, texture=fabric((240, 240), (255, 255, 255), 7, 40), soft=0.6)
    # a knitted throw across the foot of the bed, hanging over its end
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
    return hb[0], hb[1], hb[2]


def nightstand(s: Scene, x: float, wall_z: float, glow: float) -> tuple[float, float, float]:
    """A walnut nightstand, 22 in wide from `x`, with a drawer and a lamp on it."""
    walnut = planks(
        (26, 18), 20, [(150, 110, 76), (158, 116, 80), (142, 104, 72)], 27, plank_w=18, along_x=True
    )
    nz0, nz1 = wall_z - 18, wall_z - 1
    s.contact_shadow(
        [(x, 0, nz1), (x + 22, 0, nz1), (x + 22, 0, nz0 - 1), (x, 0, nz0 - 1)], 1.5, 0.6
    )
    for lx in (x + 1, x + 19.5):
        s.box(lx, lx + 1.5, 0, 6, nz0 + 1, nz0 + 2.5, (70, 48, 34))
    s.box(
        x,
        x + 22,
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
        (s.cam(x + 1, 15, nz0 - 0.05), s.cam(x + 21, 15, nz0 - 0.05)),
        fill=(66, 44, 30),
        width=SS,
    )
    hx = x + 11
    s.box(hx - 2, hx + 2, 18.6, 19.4, nz0 - 0.6, nz0, (190, 160, 96), soft=0.3)
    _, _, top = table_lamp(s, x + 11, nz0 + 8, 24, wall_z, glow=glow)
    return x, x + 22, top
