"""A picture of each product for the pricing guide: a studio photograph made into the product
where the kiosk can render it (a canvas on a wall, a framed print, metal...: kiosk/imaging/
productshots.py), the drawing from `assets/products/` for albums, digital files and retouching.

    pictures = guide_pictures(pricelist, studio.paths.cache / "guide")   # product id -> JPEG
    render_guide_pdf(guide, studio, pictures=pictures)

What must stay true: the guide is made in well under a second (bench/delivery_bench.py), so
each picture is rendered once and kept as a file named after everything it shows (the product,
its variant and options, the photo, the size); an unchanged list reuses them all.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kiosk.config import ASSETS
from kiosk.core.pricelist import PriceList, Product

PX = 480  # square: 30 mm in the PDF at 400 dpi, a phone's column at 2x
PHOTOS = ASSETS / "demo" / "session"


def studio_photo() -> Path | None:
    """The photograph the products are shown with: the first of the bundled demo session."""
    found = sorted(PHOTOS.glob("*.jpg"))
    return found[0] if found else None


def guide_pictures(
    pricelist: PriceList | None, cache: Path, photo: Path | None = None
) -> dict[str, Path]:
    """product id -> its picture (a JPEG in `cache`), for every product one can be made of."""
    photo = photo or studio_photo()
    if pricelist is None or photo is None:
        return {}
    cache.mkdir(parents=True, exist_ok=True)
    pictures: dict[str, Path] = {}
    for product in pricelist.products:
        path = cache / f"{_key(product, photo)}.jpg"
        if not path.is_file():
            try:
                _render(product, photo, path)
            except (OSError, ValueError):
                continue  # a product without a picture is still in the guide
        pictures[product.id] = path
    return pictures


def shown_variant(product: Product) -> str:
    """The size a picture shows: the middle one (a 16x20 of prints from 5x7 to 24x30), so a
    wall piece reads at a glance, neither a stamp on a wall nor the wall itself."""
    return product.variants[len(product.variants) // 2].id if product.variants else ""


def _key(product: Product, photo: Path) -> str:
    stat = photo.stat()
    variant = shown_variant(product)
    what = f"{product.id}|{product.kind}|{variant}|{photo}|{stat.st_size}|{stat.st_mtime}|{PX}"
    return f"{product.id[:24]}-{hashlib.sha256(what.encode()).hexdigest()[:16]}"


def _render(product: Product, photo: Path, path: Path) -> None:
    from kiosk.imaging.productshots import product_picture  # only when a picture is missing

    picture = product_picture(photo, product, shown_variant(product), {}, PX)
    part = path.with_name(path.name + ".part")
    picture.convert("RGB").save(part, "JPEG", quality=86)
    os.replace(part, path)
