"""What a mock-up hangs: one photograph as a product, where it goes on the wall and how."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.core.wall import Finish, Placement


@dataclass(frozen=True)
class Artwork:
    """One photograph as a product on the wall."""

    image: str | Path
    placement: Placement  # centre and size on the wall, inches
    finish: Finish
    crop: tuple[float, float, float, float] | None = None  # fractions of the photo (l, t, r, b);
