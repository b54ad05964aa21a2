"""Delivery's fixtures: an order of five distinct photographs (three bought as files, one as a
print, one not at all), their thumbnails, and the finals a retoucher exports from them."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from kiosk.checkout.invoice import Client, confirm_order
from kiosk.checkout.settings import save_studio_details
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine
from tests.checkout.conftest import STUDIO
from tests.conftest import ROOT

NAMES = ["IMG_1001.CR3", "IMG_1002.CR3", "IMG_1003.CR3", "IMG_1004.CR3", "IMG_1005.CR3"]
CLIENT = Client("Éleanor Whitfield", "eleanor@example.com", "+1 503 555 0142", "1420 Alder St")


def picture(seed: int, size=(600, 400)) -> Image.Image:
    """A photograph-like picture of its own: soft blocks of colour placed by the seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randrange(60, 300), rng.randrange(60, 250)
        draw.ellipse((x, y, x + w, y + h), fill=tuple(rng.randrange(256) for _ in range(3)))
    return image.filter(ImageFilter.GaussianBlur(6))


def retouched(seed: int, size=(1200, 800)) -> Image.Image:
    """The final of picture(seed): larger, a little brighter, as an export is."""
    return picture(seed).resize(size).point(lambda v: min(255, int(v * 1.06)))


@pytest.fixture(scope="session")
def pricelist():
    return load(ROOT / "assets" / "pricelist.toml")


@pytest.fixture
def order(studio, tmp_path, pricelist):
    """The confirmed order; its images are NAMES in order, seeds 0..4."""
    save_studio_details(studio.store, STUDIO)
    session = studio.store.create_session(CLIENT.name, CLIENT.email)
    folder = tmp_path / "thumbs"
    folder.mkdir()
    for i, name in enumerate(NAMES):
        thumb = folder / f"{i}.jpg"
        picture(i).resize((300, 200)).save(thumb, quality=85)
        studio.store.add_image(
            session.id,
            file_name=name,
            source_path=f"/cards/shoot/{name}",
            content_hash=f"h{i}",
            width=6000,
            height=4000,
            capture_time=f"2026-05-01T10:00:0{i}",
            preview_path=str(thumb),
            thumb_path=str(thumb),
        )
    ids = [image.id for image in studio.store.images(session.id)]
    cart = Cart(
        lines=(
            CartLine("digital", "single", images=tuple(ids[:3])),
            CartLine("print", "8x10", images=(ids[3],)),
        )
    )
    return confirm_order(studio.store, session.id, pricelist, cart, CLIENT, today=date(2026, 5, 1))


def export(folder: Path, files: dict[str, int]) -> Path:
    """Finals as a retoucher exports them: name -> the picture's seed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, seed in files.items():
        retouched(seed).save(folder / name, quality=92)
    return folder


DEMO = ROOT / "assets" / "demo" / "session"


@pytest.fixture
def demo_order(studio, tmp_path, pricelist):
    """An order of three of the demo session's real photographs, bought as files, and a folder
    of their "finals" (the photographs themselves, as exported): for screenshots worth a look."""
    save_studio_details(studio.store, STUDIO)
    session = studio.store.create_session(CLIENT.name, CLIENT.email)
    thumbs, exports = tmp_path / "demo-thumbs", tmp_path / "demo-exports"
    thumbs.mkdir()
    exports.mkdir()
    for n, photo in enumerate(sorted(DEMO.glob("*.jpg"))[:3]):
        name = f"IMG_20{n:02d}"
        with Image.open(photo) as image:
            image.thumbnail((800, 800))
            image.convert("RGB").save(thumbs / f"{name}.jpg", quality=85)
        (exports / f"{name}-edit.jpg").write_bytes(photo.read_bytes())
        studio.store.add_image(
            session.id,
            file_name=f"{name}.CR3",
            source_path=f"/cards/{name}.CR3",
            content_hash=f"demo{n}",
            width=6000,
            height=4000,
            capture_time=f"2026-05-01T10:00:0{n}",
            preview_path=str(thumbs / f"{name}.jpg"),
            thumb_path=str(thumbs / f"{name}.jpg"),
        )
    ids = [image.id for image in studio.store.images(session.id)]
    cart = Cart(lines=(CartLine("digital", "single", images=tuple(ids)),))
    invoice = confirm_order(
        studio.store, session.id, pricelist, cart, CLIENT, today=date(2026, 5, 1)
    )
    return invoice, exports
