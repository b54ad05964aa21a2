"""The pricing guide as a PDF, in the invoice's typography (kiosk/checkout/pdf_kit.py).

    pdf = render_guide_pdf(pricing_guide(pricelist, today=date.today()), studio, paper="letter")

A cover with the studio and how the viewing works, the collections with what each includes,
every product with its sizes, prices and option upgrades, the payment plans and the notes
(session-fee credit, minimum order, tax). Letter or A4, as the studio's paper.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from kiosk.checkout.pdf_kit import (
    FONT,
    PAPERS,
    RULE,
    SHADE,
    S,
    numbered_canvas,
    para,
    plain_style,
    register_fonts,
)
from kiosk.core.guide import PricingGuide
from kiosk.core.invoices import StudioDetails

TITLE = ParagraphStyle("guide_title", parent=S["title"], alignment=TA_LEFT, spaceAfter=4)
SPACED = ParagraphStyle("guide_body", parent=S["body"], spaceAfter=4)
PICTURE = 26 * mm  # a product's picture, square
PICTURE_COLUMN = PICTURE + 5 * mm


def render_guide_pdf(
    guide: PricingGuide,
    studio: StudioDetails,
    *,
    paper: str = "a4",
    pictures: Mapping[str, Path] | None = None,
) -> bytes:
    """The guide; with `pictures` (kiosk/guide/pictures.py: product id -> JPEG), each product
    beside its picture."""
    if paper.lower() not in PAPERS:
        raise ValueError(f'paper must be "a4" or "letter", not {paper!r}')
    register_fonts()
    size = PAPERS[paper.lower()]
    margin, pad = 18 * mm, 6
    name = studio.name or guide.studio
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=margin - pad,
        rightMargin=margin - pad,
        topMargin=margin - pad,
        bottomMargin=margin + 6 * mm - pad,
        title=f"Product & Pricing Guide — {name}",
        author=name,
        creator="Reveal",
        initialFontName=FONT,
    )
    width = size[0] - 2 * margin
    story: list = [para(escape(name), "studio"), Spacer(1, 2 * mm)]
    story.append(Paragraph("PRODUCT &amp; PRICING GUIDE", TITLE))
    contact = " · ".join(escape(x) for x in (studio.phone, studio.email, studio.website) if x)
    if contact:
        story.append(para(contact, "small"))
    story += [Spacer(1, 8 * mm), para("How your viewing works", "section")]
    story += [Paragraph(escape(text), SPACED) for text in guide.viewing]
    if guide.collections:
        story += [Spacer(1, 6 * mm), para("Collections", "section")]
        for c in guide.collections:
            left = [para(f"<b>{escape(c.name)}</b>")]
            if c.description:
                left.append(para(escape(c.description), "note"))
            left.append(para("Includes " + escape(", ".join(c.includes)) + "."))
            box = Table([[left, para(c.price, "num_b")]], colWidths=[width - 40 * mm, 40 * mm])
            box.setStyle(
                plain_style(
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
                )
            )
            story += [KeepTogether([box]), Spacer(1, 3 * mm)]
    story += [Spacer(1, 4 * mm), para("Products", "section")]
    for p in guide.products:
        rows = [[para(f"<b>{escape(p.name)}</b>"), ""]]
        if p.description:
            rows.append([para(escape(p.description), "note"), ""])
        rows += [[para(escape(v)), para(amount, "num")] for v, amount in p.variants]
        for option in p.options:
            upgrades = ", ".join(f"{c} ({a})" for c, a in option.choices)
            rows.append([para(f"{escape(option.name)}: {escape(upgrades)}", "note"), ""])
        picture = (pictures or {}).get(p.id)
        text_width = width - PICTURE_COLUMN if picture else width
        table = Table(rows, colWidths=[text_width - 35 * mm, 35 * mm])
        table.setStyle(
            plain_style(
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 1 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1 * mm),
            )
        )
        if picture:
            table = _beside(picture, table)
        story += [KeepTogether([table]), Spacer(1, 4 * mm)]
    if guide.plans:
        story += [para("Payment plans", "section")] + [para(escape(t)) for t in guide.plans]
    story += [Spacer(1, 4 * mm), para("Good to know", "section")]
    story += [para(escape(t)) for t in guide.notes]
    doc.build(story, canvasmaker=numbered_canvas(f"{name}  ·  Product & Pricing Guide", margin))
    return out.getvalue()


def _beside(picture: Path, table: Table) -> Table:
    """The product's picture on the left, its sizes and prices on the right, tops aligned."""
    outer = Table(
        [[Image(str(picture), PICTURE, PICTURE), table]], colWidths=[PICTURE_COLUMN, None]
    )
    outer.setStyle(
        plain_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (0, 0), 1 * mm),
        )
    )
    return outer
