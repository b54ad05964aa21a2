"""Furniture built from shaded boxes and soft faces: a sofa, a console and a sideboard. Each
takes where it stands and its colours, and returns its extent along the wall behind it and
its top, (left, right, top) in scene inches, for the room's file."""

from __future__ import annotations

import math
from collections.abc import Sequence

from drawing.scene import (
    RGB,
    SS,
    Scene,
    Vec,
    poly_mask,
    shadow,
    tint,
)
from drawing.surfaces import fabric, planks
from PIL import ImageDraw


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
) -> tuple[float, float, float]:
    """A modern three-seat linen sofa against the wall, with scatter cushions."""
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
    return x0, x1, top + 0.6


def console(
    s: Scene, x0: float, x1: float, z0: float, z1: float, top: float, wall_z: float
) -> tuple[float, float, float]:
    """A walnut console table on slim legs, with a shelf, from `z0` (front) to `z1`."""
    walnut = planks(
        (76, 16), 20, [(98, 64, 42), (106, 70, 46), (92, 60, 40)], 17, plank_w=16, along_x=True
    )
    s.contact_shadow([(x0, 0, z1), (x1, 0, z1), (x1, 0, z0 - 1), (x0, 0, z0 - 1)], 2.5, 0.5)
    ul, vt = s.cam(x0, top, wall_z)
    ur, vb = s.cam(x1, top - 6, wall_z)
    shadow(
        s.im,
        poly_mask(
            s.size,
            [(ul + 20, vt + 10), (ur + 10, vt + 14), (ur + 10, vb + 40), (ul + 20, vb + 40)],
            30,
        ),
        0.22,
    )
    for lx, lz in ((x0 + 1, z1 - 2), (x1 - 2, z1 - 2), (x0 + 1, z0 + 1), (x1 - 2, z0 + 1)):
        s.box(lx, lx + 1.6, 0, top - 1.5, lz, lz + 1.6, (84, 54, 36), gradient=(1.0, 0.7))
    s.box(x0 + 1, x1 - 1, 7, 8, z0 + 1, z1 - 1, (104, 68, 46), texture=walnut.resize((400, 60)))
    s.box(
        x0,
        x1,
        top - 1.5,
        top,
        z0,
        z1,
        (112, 74, 50),
        texture=walnut.resize((400, 60)),
        top_light=1.2,
    )
    return x0, x1, top


def sideboard(
    s: Scene, x0: float, x1: float, z0: float, z1: float, top: float, wall_z: float
) -> tuple[float, float, float]:
    """A long oak sideboard on legs, four doors with brass handles, from `z0` (front) to `z1`."""
    oak = planks(
        (90, 40),
        18,
        [(176, 140, 104), (184, 148, 110), (170, 134, 98)],
        19,
        plank_w=40,
        along_x=True,
    )
    s.contact_shadow([(x0, 0, z1), (x1, 0, z1), (x1, 0, z0 - 1), (x0, 0, z0 - 1)], 2.5, 0.55)
    ul, vt = s.cam(x0, top, wall_z)
    ur, vb = s.cam(x1, 8, wall_z)
    shadow(
        s.im,
        poly_mask(
            s.size, [(ul - 20, vt + 10), (ur - 10, vt + 10), (ur - 10, vb), (ul - 20, vb)], 40
        ),
        0.35,
    )
    for lx, lz in (
        (x0 + 2, z0 + 2),
        (x1 - 3.5, z0 + 2),
        (x0 + 2, z1 - 3),
        (x1 - 3.5, z1 - 3),
    ):
        s.box(lx, lx + 1.5, 0, 8, lz, lz + 1.5, (60, 44, 32), gradient=(1.0, 0.7))
    s.box(
        x0,
        x1,
        8,
        top,
        z0,
        z1,
        (196, 160, 124),
        texture=oak.resize((500, 220)),
        top_light=1.15,
        gradient=(1.02, 0.86),
    )
    draw = ImageDraw.Draw(s.im)
    for i in range(1, 4):
        dx = x0 + i * (x1 - x0) / 4
        draw.line(
            (s.cam(dx, top - 1, z0 - 0.05), s.cam(dx, 9, z0 - 0.05)), fill=(96, 66, 42), width=SS
        )
    for i in range(4):
        hx = x0 + (i + 0.5) * (x1 - x0) / 4 + (4 if i % 2 == 0 else -4)
        s.box(hx - 0.4, hx + 0.4, top - 12, top - 6, z0 - 0.6, z0, (196, 164, 98), soft=0.3)
    return x0, x1, top
