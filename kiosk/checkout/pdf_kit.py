"""The reportlab parts of the invoice PDF: fonts, colours and text styles, tables without
borders, thumbnails and the "page N of M" footer. kiosk/checkout/pdf.py lays the invoice out."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, Table, TableStyle

from kiosk.config import ASSETS
from kiosk.core.crop import Crop, crop_box_px
from kiosk.core.invoices import Invoice

# Binary streams, not ASCII85: without reportlab's C accelerator (rl_accel, not installed) the
# encoding runs in pure Python and took half of a 40-line invoice's time; it also made every
# image and page 25% larger. Every PDF reader takes binary streams; the e-mail base64s it anyway.
rl_config.useA85 = 0

PAPERS = {"a4": A4, "letter": LETTER}
FONT = "RevealSans"
INK = colors.HexColor("#1f1f1f")
MUTED = colors.HexColor("#6b6b6b")
RULE = colors.HexColor("#d9d4cc")
SHADE = colors.HexColor("#f4f1ec")
ACCENT = colors.HexColor("#8a6a2f")  # golden brown: the studio's colour, quietly
THUMB = 11 * mm
THUMB_PIXELS = 140  # ~320 dpi at 11 mm: sharp in print, small in the e-mail


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = ASSETS / "fonts"
    for name, file in (
        (FONT, "NotoSans-Regular.ttf"),
        (f"{FONT}-Bold", "NotoSans-Bold.ttf"),
        (f"{FONT}-Italic", "NotoSans-Italic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic", boldItalic=f"{FONT}-Bold"
    )


def _style(name: str, size: float = 9, **kw) -> ParagraphStyle:
    kw.setdefault("leading", size * 1.35)
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=kw.pop("font", FONT), fontSize=size, **kw)


S = {
    "studio": _style("studio", 15, font=f"{FONT}-Bold", leading=19),
    "small": _style("small", 8, textColor=MUTED),
    "body": _style("body", 9),
    "title": _style("title", 22, font=f"{FONT}-Bold", alignment=TA_RIGHT, textColor=ACCENT),
    "meta": _style("meta", 9, alignment=TA_RIGHT),
    "label": _style("label", 7.5, font=f"{FONT}-Bold", textColor=MUTED, leading=10),
    "item": _style("item", 9, font=f"{FONT}-Bold"),
    "note": _style("note", 8, textColor=MUTED, leading=10.5),
    "head": _style("head", 8, font=f"{FONT}-Bold", textColor=MUTED),
    "head_r": _style("head_r", 8, font=f"{FONT}-Bold", textColor=MUTED, alignment=TA_RIGHT),
    "num": _style("num", 9, alignment=TA_RIGHT),
    "num_b": _style("num_b", 11, font=f"{FONT}-Bold", alignment=TA_RIGHT),
    "total_l": _style("total_l", 11, font=f"{FONT}-Bold"),
    "section": _style("section", 10.5, font=f"{FONT}-Bold", spaceBefore=4, spaceAfter=3),
}


def para(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, S[style])


def plain_style(*extra) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            *extra,
        ]
    )


# thumbnails ----------------------------------------------------------------------------------
class Thumbs:
    """Small JPEGs of the thumbnails, made once per image per PDF."""

    def __init__(self) -> None:
        self._made: dict[str, bytes | None] = {}

    def one(self, path: str, crop: Crop | None = None) -> Flowable:
        """The thumbnail, cut to `crop` (a print's, kiosk.core.crop) when given."""
        key = path if crop is None else f"{path}#{crop.as_tuple()}"
        data = self._made.get(key, b"")
        if data == b"":
            data = self._made[key] = _shrink(path, crop)
        if data is None:
            return Placeholder()
        reader = ImageReader(io.BytesIO(data))
        w, h = reader.getSize()
        scale = THUMB / max(w, h)
        return Image(io.BytesIO(data), w * scale, h * scale)

    def strip(
        self, invoice: Invoice, image_ids: Sequence[int], crop: Crop | None = None
    ) -> Flowable | str:
        """The line's thumbnails; `crop` is the print's, of its (first and only) photo."""
        if not image_ids:
            return ""
        cells: list = []
        shown = image_ids if len(image_ids) <= 4 else image_ids[:3]
        for image_id in shown:
            image = invoice.image(image_id)
            cells.append(self.one(image.thumb_path, crop) if image else Placeholder())
        if len(image_ids) > 4:
            cells.append(para(f"+{len(image_ids) - 3}", "note"))
        table = Table([cells], colWidths=[THUMB + 1.5 * mm] * len(cells), hAlign="LEFT")
        table.setStyle(plain_style(("VALIGN", (0, 0), (-1, -1), "MIDDLE")))
        return table


@lru_cache(maxsize=512)
def _shrink(path: str, crop: Crop | None = None) -> bytes | None:
    try:
        with PILImage.open(path) as im:
            # Decode at the smallest JPEG scale that still covers 140 px (a 480-px thumbnail
            # at 1/2): a third of the time of a full decode, and 40 lines make 40 of these.
            im.draft("RGB", (THUMB_PIXELS, THUMB_PIXELS))
            im = im.convert("RGB")
            if crop is not None:  # fractions of the upright photo, as the thumbnail is
                im = im.crop(crop_box_px(crop, im.width, im.height))
            im.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
            out = io.BytesIO()
            im.save(out, format="JPEG", quality=85)
            return out.getvalue()
    except (OSError, ValueError):
        return None  # a moved or unreadable thumbnail: a grey square, not a failed invoice


class Placeholder(Flowable):
    def wrap(self, *_):
        return THUMB, THUMB

    def draw(self):
        self.canv.setFillColor(SHADE)
        self.canv.setStrokeColor(RULE)
        self.canv.rect(0, 0, THUMB, THUMB, fill=1, stroke=1)


# "page N of M" needs the page count: keep each page's state, draw the footers at the end.
def numbered_canvas(footer: str, margin: float) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_footer(count)
                super().showPage()
            super().save()

        def _draw_footer(self, count: int) -> None:
            width, _ = self._pagesize
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.line(margin, margin + 1 * mm, width - margin, margin + 1 * mm)
            self.drawString(margin, margin - 3 * mm, footer)
            self.drawRightString(
                width - margin, margin - 3 * mm, f"Page {self._pageNumber} of {count}"
            )

    return NumberedCanvas
