"""Walls for the wall-art tests: a square-on wall and one seen through a known pinhole camera.

The camera is written out here, independently of `kiosk.core.wall`, so that where the code
says a piece lands can be checked against where a camera would put it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from kiosk.core.pricelist import PriceList, load
from kiosk.core.wall import Wall

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PinholeCamera:
    """A camera `distance` inches in front of a wall's left floor corner's line, turned by
    `yaw` degrees to the wall; wall points are (x along it, y up, z out of it)."""

    focal: float = 1800.0
    size: tuple[int, int] = (3000, 1688)
    yaw: float = 30.0
    eye: tuple[float, float] = (20.0, 58.0)  # x along the wall, height
    distance: float = 150.0

    def __call__(self, x: float, y: float, z: float = 0.0) -> tuple[float, float]:
        a = math.radians(self.yaw)
        # camera space: the wall's direction turned by yaw; z out of the wall is towards us
        dx, dy, dz = x - self.eye[0], y - self.eye[1], self.distance - z
        xc = dx * math.cos(a) - dz * math.sin(a)
        zc = dx * math.sin(a) + dz * math.cos(a)
        return (self.size[0] / 2 + self.focal * xc / zc, self.size[1] / 2 - self.focal * dy / zc)

    def wall(self, width: float = 200.0, height: float = 100.0, **kw) -> Wall:
        corners = (self(0, height), self(width, height), self(width, 0), self(0, 0))
        return Wall(corners, width, height, self.size, focal=self.focal, **kw)


@pytest.fixture
def camera() -> PinholeCamera:
    return PinholeCamera()


@pytest.fixture
def flat_wall() -> Wall:
    """120 × 80 in, square-on, filling a 2400 × 1600 photo: 20 px per inch."""
    return Wall(((0, 0), (2400, 0), (2400, 1600), (0, 1600)), 120, 80, (2400, 1600))


@pytest.fixture(scope="session")
def price_list() -> PriceList:
    return load(ROOT / "assets" / "pricelist.toml")


@pytest.fixture(scope="session")
def photo(tmp_path_factory) -> Path:
    """A 1200 × 900 photo: flat red with a blue disc, so its pixels are easy to recognise."""
    path = tmp_path_factory.mktemp("photos") / "red.jpg"
    im = Image.new("RGB", (1200, 900), (200, 30, 30))
    ImageDraw.Draw(im).ellipse((450, 300, 750, 600), fill=(30, 60, 200))
    im.save(path, quality=95)
    return path
