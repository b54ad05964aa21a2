"""What is built into a room's walls: windows with their view, sheer curtains on a rod,
skirting boards."""

from __future__ import annotations

import math

from drawing.scene import RGB, Scene, Vec, clamp8, tint
from drawing.surfaces import window_view
from PIL import Image


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


def on_wall(wall: dict[str, float], a: float, y: float, out: float = 0.0) -> Vec:
    """A point `out` inches in front of a wall, `a` along it and `y` up. A wall facing the
    camera is {"z": depth}; an end wall on the left, running into the room, is {"x": x}, and
    `a` is then how far into the room."""
    if "z" in wall:
        return (a, y, wall["z"] - out)
    return (wall["x"] + out, y, a)


def window(
    s: Scene,
    wall: dict[str, float],
    left: float,
    right: float,
    bottom: float,
    top: float,
    *,
    view: dict,
    frame: dict,
    bars: dict,
    glass_out: float = 0.0,
    sill: dict | None = None,
) -> None:
    """A window in a wall: its painted frame, the bright view through the glass, a mullion
    and transoms, and a sill. `left` and `right` are along the wall (see `on_wall`)."""

    def rect(a0: float, a1: float, y0: float, y1: float, out: float) -> list[Vec]:
        return [
            on_wall(wall, a0, y1, out),
            on_wall(wall, a1, y1, out),
            on_wall(wall, a1, y0, out),
            on_wall(wall, a0, y0, out),
        ]

    m = frame["margin"]
    s.face(
        rect(left - m, right + m, bottom - m, top + m, frame["out"]),
        tuple(frame["colour"]),
        soft=0.4,
    )
    s.plane(window_view(**view), rect(left, right, bottom, top, glass_out))
    colour, out = tuple(bars["colour"]), bars["out"]
    mid, w = (left + right) / 2, bars["mullion"]
    s.face(rect(mid - w, mid + w, bottom, top, out), colour, soft=0.3)
    for at in bars["transoms"]:
        y, w = bottom + (top - bottom) * at, bars["transom"]
        s.face(rect(left, right, y - w, y + w, out), colour, soft=0.3)
    if sill:
        o = sill["overhang"]
        a0, a1 = left - o, right + o
        s.face(
            [
                on_wall(wall, a0, bottom - sill["top"], sill["out"]),
                on_wall(wall, a1, bottom - sill["top"], sill["out"]),
                on_wall(wall, a1, bottom - sill["bottom"], 0),
                on_wall(wall, a0, bottom - sill["bottom"], 0),
            ],
            tuple(sill["colour"]),
            soft=0.3,
        )


def sheers(
    s: Scene,
    wall_z: float,
    rod_y: float,
    panels: list[list[float]],
    rod: list[float],
    rod_colour: RGB,
) -> None:
    """Sheer curtains gathered beside a window, each panel between its two x, on a rod."""
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
    for c0, c1 in panels:
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
    r0, r1 = rod
    s.face(
        [
            (r0, rod_y + 0.6, wall_z - 5),
            (r1, rod_y + 0.6, wall_z - 5),
            (r1, rod_y - 0.6, wall_z - 5),
            (r0, rod_y - 0.6, wall_z - 5),
        ],
        tuple(rod_colour),
        soft=0.3,
    )
