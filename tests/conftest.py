"""Shared fixtures: a real studio folder in tmp_path and, for screen tests, a real Kivy window.

pytest-xvfb starts a virtual display for the run; Kivy must be told before it is imported that
it may not read pytest's arguments or write to ~/.kivy.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="reveal-kivy-"))

import pytest  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from PIL import ImageDraw  # noqa: E402

from kiosk.studio import Studio, open_studio  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def studio(tmp_path: Path) -> Studio:
    opened = open_studio(tmp_path / "studio")
    yield opened
    opened.close()


# Distinct, saturated colours so a screenshot can tell which image is on screen.
COLOURS = [(200, 40, 40), (40, 90, 210), (40, 170, 70), (220, 180, 30), (150, 60, 180)]


def demo_session(studio: Studio, count: int = 12) -> int:
    """A session of the demo's real photographs, recorded as their own previews and thumbnails
    (the import has its own tests): for screenshots worth looking at."""
    from kiosk.demo import DEMO_CLIENT, DEMO_FOLDER

    photos = sorted(DEMO_FOLDER.glob("*.jpg"))[:count]
    return photo_session(studio, DEMO_CLIENT, "morgans@example.com", photos)


def photo_session(studio: Studio, client: str, email: str, photos: list[Path]) -> int:
    """A new session of these photographs, each recorded as its own preview and thumbnail, a
    second apart in the order given."""
    session = studio.store.create_session(client, email)
    for i, path in enumerate(photos):
        with PILImage.open(path) as im:
            width, height = im.size
        studio.store.add_image(
            session.id,
            file_name=path.name,
            source_path=str(path),
            content_hash=f"demo-{i}",
            width=width,
            height=height,
            capture_time=f"2026-05-01T10:00:{i:02d}",
            preview_path=str(path),
            thumb_path=str(path),
        )
    return session.id


def write_photo(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    """A JPEG with a flat colour, a light frame line near the edge and a mark in the top-left."""
    im = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(im)
    w, h = size
    draw.rectangle((w // 50, h // 50, w - w // 50, h - h // 50), outline=(250, 250, 250), width=6)
    draw.rectangle((0, 0, w // 8, h // 8), fill=(255, 255, 255))
    im.save(path, quality=92)
    return path


@pytest.fixture
def session_factory(studio: Studio, tmp_path: Path):
    """Record a session whose previews are generated JPEGs (the import has its own tests)."""

    def make(sizes: list[tuple[int, int]], client: str = "Test Family") -> int:
        session = studio.store.create_session(client, "test@example.com")
        folder = tmp_path / f"previews-{session.id}"
        folder.mkdir()
        for i, size in enumerate(sizes):
            path = write_photo(folder / f"{i:03d}.jpg", size, COLOURS[i % len(COLOURS)])
            studio.store.add_image(
                session.id,
                file_name=path.name,
                source_path=str(path),
                content_hash=f"{session.id}-{i:03d}",
                width=size[0],
                height=size[1],
                capture_time=f"2026-05-01T10:{i // 60:02d}:{i % 60:02d}",
                preview_path=str(path),
                thumb_path=str(path),
            )
        return session.id

    return make
