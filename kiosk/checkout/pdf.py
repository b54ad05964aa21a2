"""The invoice as a PDF (reportlab): what the client takes home and what the e-mail carries.

`render_invoice_pdf(invoice, studio, phone_url=...)` returns the PDF's bytes. It reads
thumbnails from disk and takes a few hundred milliseconds for a long order, so the kiosk calls
it in an executor, never on the UI thread::

    pdf = await loop.run_in_executor(None, partial(render_invoice_pdf, invoice, studio,
                                                   phone_url=url, paper="letter"))

Noto Sans (assets/fonts/) is embedded, so the PDF looks the same on every phone and printer.
Long orders run onto more pages; the items table repeats its header on each, and every page
carries the invoice number and "page N of M".
"""

from __future__ import annotations

import calendar
import io
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.albums.invoice import spreads_flowable
from kiosk.checkout.pdf_kit import (
    FONT,
    INK,
    PAPERS,
    RULE,
    SHADE,
    THUMB,
    Thumbs,
    numbered_canvas,
    para,
    plain_style,
    register_fonts,
)
from kiosk.checkout.qr import qr_png
from kiosk.core.crop import Crop
from kiosk.core.invoices import Invoice, OrderLine, StudioDetails


def render_invoice_pdf(
    invoice: Invoice,
    studio: StudioDetails,
    *,
    phone_url: str | None = None,
    paper: str = "a4",
    us_dates: bool | None = None,
) -> bytes:
    """The invoice PDF. `paper`: "a4" or "letter"; `us_dates` ("May 1, 2026") defaults to
    True on letter paper. `phone_url` adds a QR code to the order's phone page."""
    if paper.lower() not in PAPERS:
        raise ValueError(f'paper must be "a4" or "letter", not {paper!r}')
    register_fonts()
    us = paper.lower() == "letter" if us_dates is None else us_dates
    out = io.BytesIO()
    size = PAPERS[paper.lower()]
    margin = 16 * mm
    pad = 6  # reportlab's frame padding, taken off the margins so content starts at `margin`
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=margin - pad,
        rightMargin=margin - pad,
        topMargin=margin - pad,
        bottomMargin=margin + 6 * mm - pad,
        title=f"Invoice {invoice.reference} — {studio.name}",
        author=studio.name,
        subject=f"Invoice {invoice.reference} for {invoice.client.name}",
        creator="Reveal",
        initialFontName=FONT,  # not Helvetica, which is never embedded
    )
    width = size[0] - 2 * margin
    thumbs = Thumbs()
    story: list[Flowable] = []
    story += _header(invoice, studio, width, us)
    story += _items(invoice, width, thumbs)
    story += _totals(invoice, width, us)
    story += _retouching(invoice, width, thumbs)
    story += _closing(invoice, studio, width, phone_url)
    footer = f"{studio.name}  ·  Invoice {invoice.reference}"
    doc.build(story, canvasmaker=numbered_canvas(footer, margin))
    return out.getvalue()


# sections ------------------------------------------------------------------------------------
def _lines(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.splitlines() if line.strip())


def format_date(day: date, us: bool) -> str:
    """ "May 1, 2025" (us) or "1 May 2025", as the invoice prints dates."""
    month = calendar.month_name[day.month]
    return f"{month} {day.day}, {day.year}" if us else f"{day.day} {month} {day.year}"


def _header(invoice: Invoice, studio: StudioDetails, width: float, us: bool) -> list[Flowable]:
    left: list[Flowable] = []
    logo = Path(studio.logo) if studio.logo else None
    if logo and logo.is_file():
        reader = ImageReader(str(logo))
        w, h = reader.getSize()
        scale = min(45 * mm / w, 16 * mm / h)
        left += [Image(str(logo), w * scale, h * scale, hAlign="LEFT"), Spacer(1, 2 * mm)]
    left.append(para(escape(studio.name), "studio"))
    contact = [studio.address, studio.phone, studio.email, studio.website]
    if studio.tax_id:
        contact.append(f"Tax ID {studio.tax_id}")
    left.append(para(_lines("\n".join(c for c in contact if c)), "small"))
    right = [
        para("INVOICE", "title"),
        Spacer(1, 2 * mm),
        para(f"<b>No.</b> {invoice.reference}", "meta"),
        para(f"<b>Date</b> {format_date(invoice.issued, us)}", "meta"),
    ]
    top = Table([[left, right]], colWidths=[width * 0.6, width * 0.4])
    top.setStyle(plain_style())

    client = invoice.client
    billed = [para("BILLED TO", "label"), para(f"<b>{escape(client.name)}</b>")]
    details = "\n".join(x for x in (client.email, client.phone) if x)
    billed.append(para(_lines(details), "body"))
    delivery = [para("DELIVERY", "label")]
    shipping = next((x for x in invoice.breakdown["lines"] if x["kind"] == "shipping"), None)
    method = shipping["label"] if shipping else "Pick up at the studio"
    delivery.append(para(escape(method)))
    if client.address:
        delivery.append(para(_lines(client.address)))
    due = [
        para("AMOUNT DUE NOW", "label"),
        para(f"<b>{invoice.money(invoice.due_now)}</b>", "total_l"),
    ]
    if invoice.breakdown.get("instalments"):
        due.append(para(f"of {invoice.money(invoice.total)} in total", "note"))
    who = Table([[billed, delivery, due]], colWidths=[width * 0.36, width * 0.36, width * 0.28])
    who.setStyle(
        plain_style(
            ("BACKGROUND", (2, 0), (2, 0), SHADE),
            ("LEFTPADDING", (2, 0), (2, 0), 3 * mm),
            ("TOPPADDING", (2, 0), (2, 0), 2.5 * mm),
            ("BOTTOMPADDING", (2, 0), (2, 0), 2.5 * mm),
        )
    )
    return [top, Spacer(1, 7 * mm), who, Spacer(1, 7 * mm)]


def _items(invoice: Invoice, width: float, thumbs: Thumbs) -> list[Flowable]:
    qty_w, price_w = 12 * mm, 26 * mm
    images_w = 4 * THUMB + 3 * 1.5 * mm
    desc_w = width - images_w - qty_w - 2 * price_w
    rows: list[list] = [
        [
            para("ITEM", "head"),
            para("IMAGES", "head"),
            para("QTY", "head_r"),
            para("UNIT PRICE", "head_r"),
            para("AMOUNT", "head_r"),
        ]
    ]
    breakdown = invoice.breakdown
    for line in breakdown["lines"]:
        if line["kind"] == "collection":
            credits = "<br/>".join(escape(c["text"]) for c in breakdown["credits"])
            text = f"<b>{escape(line['label'])} collection</b>"
            rows.append(
                [
                    [para(text), para(credits, "note")] if credits else para(text),
                    "",
                    para("1", "num"),
                    para(line["display"], "num"),
                    para(line["display"], "num"),
                ]
            )
    by_ref = {x.ref: x for x in invoice.lines}
    spans: list[tuple] = []
    for line in breakdown["lines"]:
        if line["kind"] != "item":
            continue
        sold = by_ref.get(line["ref"])
        rows.append(
            [
                _description(line, sold),
                thumbs.strip(invoice, sold.images if sold else (), _crop(invoice, line["ref"])),
                para(str(line["quantity"]), "num"),
                para(invoice.money(line["unit_price"]), "num"),
                para(line["display"], "num"),
            ]
        )
        spreads = spreads_flowable(invoice, line["ref"], width)
        if spreads is not None:  # the album as designed, in a row of its own under its line
            rows.append([spreads, "", "", "", ""])
            spans.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
    table = Table(
        rows, colWidths=[desc_w, images_w, qty_w, price_w, price_w], repeatRows=1, hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # empty cells too: no Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                *spans,
            ]
        )
    )
    return [table]


def _crop(invoice: Invoice, ref: str) -> Crop | None:
    """The crop the client chose for the line, as the frozen cart keeps it; None: centred."""
    lines = invoice.cart.get("lines", [])
    chosen = next((raw.get("crop") for raw in lines if str(raw.get("id", "")) == ref), None)
    return Crop(*chosen) if chosen else None


def _description(line: dict, sold: OrderLine | None) -> list[Flowable]:
    parts = [para(escape(line["label"]), "item")]
    notes = []
    if sold and sold.images and len(sold.images) > 4:
        notes.append(f"{len(sold.images)} images")
    if line.get("note"):
        notes.append(escape(line["note"]))
    if notes:
        parts.append(para(" · ".join(notes), "note"))
    return parts


def _totals(invoice: Invoice, width: float, us: bool) -> list[Flowable]:
    breakdown = invoice.breakdown
    rows = [["Subtotal", breakdown["subtotal"]["display"]]]
    for line in breakdown["lines"]:
        if line["kind"] in ("discount", "minimum", "shipping", "tax", "session_credit"):
            rows.append([escape(line["label"]), line["display"]])
    table_rows = [[para(a), para(b, "num")] for a, b in rows]
    table_rows.append([para("Total", "total_l"), para(breakdown["total"]["display"], "num_b")])
    tax = breakdown["tax"]
    if tax["inclusive"] and tax["amount"]:
        rate = tax["rate"].rstrip("0").rstrip(".") if "." in tax["rate"] else tax["rate"]
        table_rows.append(
            [para(f"Includes {escape(tax['name'])} {rate}%", "note"), para(tax["display"], "num")]
        )
    totals = Table(table_rows, colWidths=[58 * mm, 30 * mm], hAlign="RIGHT")
    total_row = len(rows)
    totals.setStyle(
        plain_style(
            ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("LINEABOVE", (0, total_row), (-1, total_row), 0.8, INK),
            ("TOPPADDING", (0, total_row), (-1, total_row), 2 * mm),
        )
    )
    out: list[Flowable] = [Spacer(1, 3 * mm), totals]
    plan = breakdown.get("instalments")
    if plan:
        schedule = [
            [para(escape(plan["name"]), "section"), ""],
            [para("Deposit, due today"), para(plan["deposit"]["display"], "num")],
        ]
        for n, amount in enumerate(plan["instalments"], 1):
            when = due_date(invoice.issued, plan["interval"], n)
            label = f"Payment {n}" + (f", due {format_date(when, us)}" if when else "")
            schedule.append([para(label), para(amount["display"], "num")])
        plan_table = Table(schedule, colWidths=[58 * mm, 30 * mm], hAlign="RIGHT")
        plan_table.setStyle(
            plain_style(
                ("SPAN", (0, 0), (-1, 0)),
                ("LINEBELOW", (0, 1), (-1, -2), 0.4, RULE),
                ("TOPPADDING", (0, 1), (-1, -1), 1.2 * mm),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2 * mm),
            )
        )
        out += [Spacer(1, 6 * mm), KeepTogether([plan_table])]
    return out


def due_date(start: date, interval: str, n: int) -> date | None:
    """When the n-th instalment after `start` falls due ("monthly", "weekly"); None otherwise."""
    if interval.startswith("month"):
        month = start.month - 1 + n
        year, month = start.year + month // 12, month % 12 + 1
        return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    if interval.startswith("week"):
        return date.fromordinal(start.toordinal() + 7 * n)
    return None


def _retouching(invoice: Invoice, width: float, thumbs: Thumbs) -> list[Flowable]:
    noted = [image for image in invoice.images if image.has_retouch]
    if not noted:
        return []
    rows = []
    for image in noted:
        what = [para(f"<b>{escape(image.file_name)}</b>")]
        if image.tags:
            what.append(para(escape(", ".join(image.tags)), "note"))
        if image.note:
            what.append(para(f"<i>{escape(image.note)}</i>"))
        rows.append([thumbs.one(image.thumb_path), what])
    table = Table(rows, colWidths=[THUMB + 4 * mm, width - THUMB - 4 * mm], hAlign="LEFT")
    table.setStyle(
        plain_style(
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
        )
    )
    return [
        Spacer(1, 6 * mm),
        CondPageBreak(30 * mm),
        para("Retouching notes", "section"),
        table,
    ]


def _closing(
    invoice: Invoice, studio: StudioDetails, width: float, phone_url: str | None
) -> list[Flowable]:
    text: list[Flowable] = []
    if studio.payment_instructions:
        text += [para("How to pay", "section"), para(_lines(studio.payment_instructions))]
    if studio.terms:
        text += [para("Terms", "section"), para(_lines(studio.terms), "note")]
    text.append(Spacer(1, 3 * mm))
    text.append(para(f"Thank you, {escape(invoice.client.name.split()[0])}.", "body"))
    if not phone_url:
        return [Spacer(1, 6 * mm), KeepTogether(text)]
    side = 30 * mm
    qr = [
        Image(io.BytesIO(qr_png(phone_url, box_size=6, border=2)), side, side, hAlign="RIGHT"),
        para("Scan to see your order, images and payments on your phone.", "note"),
    ]
    block = Table([[text, qr]], colWidths=[width - side - 14 * mm, side + 14 * mm])
    block.setStyle(plain_style(("LEFTPADDING", (1, 0), (1, 0), 6 * mm)))
    return [Spacer(1, 6 * mm), KeepTogether([block])]
