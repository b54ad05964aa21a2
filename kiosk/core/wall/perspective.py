"""The projective maths of a photographed wall: homographies and the pinhole camera.

A `Homography` maps the wall's plane (inches) to the image (pixels) and back, solved from four
point pairs; `camera_matrix` extends it to points standing off the wall (a canvas's sides, a
frame's depth), which needs the camera's focal length, measured from the wall's perspective
(`focal_from`) when it shows it or assumed for a phone (`default_focal`). Pure Python, no numpy.

    corners = ((10, 20), (300, 30), (310, 250), (0, 240))  # a wall's corners, in pixels
    h = Homography.from_points(((0, 0), (1, 0), (1, 1), (0, 1)), corners)
    u, v = h(0.5, 0.5)             # the wall's middle in the image: (155.2, 131.3)
    h.inverse()(u, v)              # and back: (0.5, 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.core.errors import CalibrationError

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left

DEFAULT_FOV = 65.0  # degrees across a phone's main camera, when a photo does not say


@dataclass(frozen=True)
class Homography:
    """A projective map of the plane, row-major 3×3 with m[8] scaled to 1 when it can be."""

    m: tuple[float, ...]

    @classmethod
    def from_points(cls, src: Sequence[Point], dst: Sequence[Point]) -> Homography:
        """The map sending four points `src` to `dst`: the 8-unknown linear system, solved.

        Both sides are normalised (centred, mean distance √2) first so that inches and
        thousands of pixels do not make the system ill-conditioned.
        """
        if len(src) != 4 or len(dst) != 4:
            raise ValueError("a homography needs exactly four point pairs")
        ts, td = _normaliser(src), _normaliser(dst)
        rows: list[list[float]] = []
        for (x, y), (u, v) in zip((ts(*p) for p in src), (td(*p) for p in dst), strict=True):
            rows.append([x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u, u])
            rows.append([0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v, v])
        h = _solve(rows)
        core = cls((*h, 1.0))
        return td.inverse().then_after(core).then_after(ts)

    def __call__(self, x: float, y: float) -> Point:
        m = self.m
        w = m[6] * x + m[7] * y + m[8]
        return (m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w

    def inverse(self) -> Homography:
        a, b, c, d, e, f, g, h, i = self.m
        adj = (
            e * i - f * h,
            c * h - b * i,
            b * f - c * e,
            f * g - d * i,
            a * i - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        )
        return Homography(adj)._scaled()

    def then_after(self, first: Homography) -> Homography:
        """`self ∘ first`: apply `first`, then `self`."""
        a, b = self.m, first.m
        out = tuple(
            sum(a[3 * r + k] * b[3 * k + c] for k in range(3)) for r in range(3) for c in range(3)
        )
        return Homography(out)._scaled()

    def pil_data(self) -> tuple[float, ...]:
        """Pillow's PERSPECTIVE data to draw through this map: it wants output → input."""
        inv = self.inverse().m
        return tuple(v / inv[8] for v in inv[:8])

    def _scaled(self) -> Homography:
        s = self.m[8]
        if abs(s) < 1e-12:
            return self
        return Homography(tuple(v / s for v in self.m))


def translation(dx: float, dy: float) -> Homography:
    return Homography((1.0, 0.0, dx, 0.0, 1.0, dy, 0.0, 0.0, 1.0))


def scaling(sx: float, sy: float | None = None) -> Homography:
    return Homography((sx, 0.0, 0.0, 0.0, sx if sy is None else sy, 0.0, 0.0, 0.0, 1.0))


def _normaliser(points: Sequence[Point]) -> Homography:
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    spread = sum(math.hypot(p[0] - cx, p[1] - cy) for p in points) / len(points)
    s = math.sqrt(2) / spread if spread > 1e-12 else 1.0
    return Homography((s, 0.0, -s * cx, 0.0, s, -s * cy, 0.0, 0.0, 1.0))


def _solve(rows: list[list[float]]) -> list[float]:
    """Gauss-Jordan with partial pivoting on an n×(n+1) augmented matrix."""
    n = len(rows)
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            raise CalibrationError(
                "Three of the four corners lie on one line, so they cannot outline a wall. "
                "Drag each corner to a different corner of the wall."
            )
        rows[col], rows[pivot] = rows[pivot], rows[col]
        top = rows[col]
        for r in range(n):
            if r != col and rows[r][col]:
                k = rows[r][col] / top[col]
                rows[r] = [a - k * b for a, b in zip(rows[r], top, strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def camera_matrix(h: Homography, size: tuple[int, int], f: float) -> tuple[tuple[float, ...], ...]:
    """The 3×4 camera matrix P with P·(x, y, 0, 1) = H·(x, y, 1), for points off the wall.

    H = s·K·[r1 r2 t] for a pinhole camera K (square pixels, principal point at the image's
    centre); the wall's normal r3 = r1 × r2 gives the missing column.
    """
    cx, cy = size[0] / 2, size[1] / 2
    m = h.m
    cols = [(m[c], m[3 + c], m[6 + c]) for c in range(3)]
    k_inv = [((x - cx * z) / f, (y - cy * z) / f, z) for x, y, z in cols]
    n1, n2 = math.hypot(*k_inv[0]), math.hypot(*k_inv[1])
    lam = 2 / (n1 + n2)
    if k_inv[2][2] * lam < 0:  # the wall is in front of the camera
        lam = -lam
    r1 = [v * lam for v in k_inv[0]]
    r2 = [v * lam for v in k_inv[1]]
    r3 = (
        r1[1] * r2[2] - r1[2] * r2[1],
        r1[2] * r2[0] - r1[0] * r2[2],
        r1[0] * r2[1] - r1[1] * r2[0],
    )
    hz = tuple(v / lam for v in (f * r3[0] + cx * r3[2], f * r3[1] + cy * r3[2], r3[2]))
    return tuple((cols[0][r], cols[1][r], hz[r], cols[2][r]) for r in range(3))


def default_focal(image_width: float, fov_degrees: float = DEFAULT_FOV) -> float:
    return image_width / 2 / math.tan(math.radians(fov_degrees) / 2)


def focal_from(h: Homography, cx: float, cy: float) -> float:
    """The focal length that makes the wall's two directions perpendicular, if measurable.

    Only a wall seen at an angle in both directions tells it; a wall facing the camera, or one
    whose verticals stay parallel, does not (0 is returned and a default is assumed).
    """
    m = h.m
    (x1, y1, z1), (x2, y2, z2) = ((m[c], m[3 + c], m[6 + c]) for c in range(2))
    scale = max(abs(x1), abs(y1), abs(x2), abs(y2)) / max(cx, cy)
    if abs(z1 * z2) < 1e-6 * scale * scale:
        return 0.0
    f2 = -((x1 - cx * z1) * (x2 - cx * z2) + (y1 - cy * z1) * (y2 - cy * z2)) / (z1 * z2)
    if f2 <= 0:
        return 0.0
    f = math.sqrt(f2)
    # A value far outside real lenses means noise in the corners, not a measurement.
    low, high = default_focal(2 * cx, 120), default_focal(2 * cx, 15)
    return f if low <= f <= high else 0.0
