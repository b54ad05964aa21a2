"""An album's spreads on the invoice, small, so the client approves what was designed: as
pictures in the PDF, and as boxes for the phone's page to lay its thumbnails in.

Both read the design from the invoice's frozen cart (the line's "design") and the page size
from the line as sold ("8×8"), so an invoice shows the album as it was confirmed.
"""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import ImageDraw
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Table

from kiosk.albums.library import shape_for_page
from kiosk.albums.render import render_spread
from kiosk.checkout.pdf_kit import plain_style
from kiosk.core.album import AlbumShape, Spread, as_design
from kiosk.core.invoices import Invoice

SPREAD_HEIGHT = 15 * mm  # in the PDF: thirty spreads fit in five rows
SPREAD_GAP = 2 * mm
EDGE = (170, 166, 160)
PIXELS_PER_MM = 10  # ~250 dpi: sharp in print, small in the e-mail


def designed_album(invoice: Invoice, ref: str) -> tuple[AlbumShape, tuple[Spread, ...]] | None:
    """The album line's shape and spreads as confirmed; None for a line without a design."""
    raw = next((x for x in invoice.cart.get("lines", []) if str(x.get("id", "")) == ref), None)
    sold = next((x for x in invoice.lines if x.ref == ref), None)
    if raw is None or sold is None or not raw.get("design"):
        return None
    try:
        design = as_design(raw["design"])
    except (TypeError, ValueError):
        return None
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", sold.size)[:2]]
    width, height = numbers if len(numbers) == 2 else (10.0, 10.0)
    return shape_for_page(width, height), design


def spreads_flowable(invoice: Invoice, ref: str, width: float) -> Flowable | None:
    """The album's spreads, small, in rows across `width` (points); None when not an album."""
    found = designed_album(invoice, ref)
    if found is None:
        return None
    shape, design = found
    height = SPREAD_HEIGHT
    spread_w = height * shape.spread_aspect
    per_row = max(1, int((width - 4 * mm) // (spread_w + SPREAD_GAP)))
    thumbs = {image.id: image.thumb_path for image in invoice.images}
    px = (round(spread_w / mm * PIXELS_PER_MM), round(height / mm * PIXELS_PER_MM))
    pictures = []
    for spread in design:
        picture = render_spread(spread, thumbs, px, shape)
        draw = ImageDraw.Draw(picture)  # the paper's edge and the fold, on a white page
        draw.rectangle((0, 0, px[0] - 1, px[1] - 1), outline=EDGE)
        draw.line((px[0] // 2, 0, px[0] // 2, px[1]), fill=EDGE)
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=85)
        out.seek(0)
        pictures.append(Image(out, spread_w, height))
    rows = [pictures[n : n + per_row] for n in range(0, len(pictures), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    table = Table(rows, colWidths=[spread_w + SPREAD_GAP] * per_row, hAlign="LEFT")
    table.setStyle(
        plain_style(
            ("TOPPADDING", (0, 0), (-1, -1), 1 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1 * mm),
        )
    )
    return table


def spreads_for_page(invoice: Invoice, ref: str) -> list[dict[str, Any]]:
    """The spreads for the phone's page, as SVG boxes (the page's policy allows no inline
    style): each spread `width` × 100 units, its cells in those units with the image in each
    ([] when the line is not a designed album)."""
    found = designed_album(invoice, ref)
    if found is None:
        return []
    shape, design = found
    width = round(100 * shape.spread_aspect, 3)
    spreads = []
    for spread in design:
        template = shape.template(spread.template)
        if template is None or len(template.cells) != len(spread.images):
            fits = shape.for_count(len(spread.images))
            template = fits[0] if fits else shape.templates[0]
        cells = [
            {
                "image": image_id,
                "x": round(cell.x * width, 3),
                "y": round(cell.y * 100, 3),
                "w": round(cell.w * width, 3),
                "h": round(cell.h * 100, 3),
            }
            for cell, image_id in zip(template.cells, spread.images, strict=False)
        ]
        spreads.append({"width": width, "fold": width / 2, "cells": cells})
    return spreads
