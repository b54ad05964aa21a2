"""The client's receipt for a payment or a refund: a one-page PDF in the invoice's typography,
and the e-mail that carries it through the outbox.

    pdf = render_receipt_pdf(invoice, payment, account, studio, paper="letter")
    entry = queue_receipt(store, invoice, payment, account, studio, paper="a4")

The receipt names the payment (amount, method, day; a refund's reason), then the order's
ledger so far, what is paid and what is left, and the payment plan's schedule with each step
paid, due or overdue. Its Message-ID is made from the payment's row, so queueing the same
payment's receipt twice stores it once.
"""

from __future__ import annotations

import io
from email.message import EmailMessage
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from kiosk.checkout import outbox
from kiosk.checkout.mailer import studio_message
from kiosk.checkout.pdf import format_date
from kiosk.checkout.pdf_kit import (
    FONT,
    INK,
    PAPERS,
    RULE,
    SHADE,
    numbered_canvas,
    para,
    plain_style,
    register_fonts,
)
from kiosk.core.errors import MailSettingsError
from kiosk.core.invoices import Invoice, StudioDetails
from kiosk.core.mail import OutboxEntry
from kiosk.core.payments import METHOD_LABELS, Account, Payment
from kiosk.store.db import Store

STATE_WORDS = {"paid": "Paid", "due": "Due", "overdue": "Overdue"}


def receipt_reference(invoice: Invoice, payment: Payment) -> str:
    """ "0042-7": the order and the payment's row, unique and stable."""
    return f"{invoice.reference}-{payment.id}"


def render_receipt_pdf(
    invoice: Invoice,
    payment: Payment,
    account: Account,
    studio: StudioDetails,
    *,
    paper: str = "a4",
    ledger: tuple[Payment, ...] = (),
) -> bytes:
    """The receipt PDF; `ledger` (every row so far, this one included) adds the history."""
    if paper.lower() not in PAPERS:
        raise ValueError(f'paper must be "a4" or "letter", not {paper!r}')
    register_fonts()
    us = paper.lower() == "letter"
    size = PAPERS[paper.lower()]
    margin, pad = 16 * mm, 6
    out = io.BytesIO()
    what = "Refund" if payment.is_refund else "Receipt"
    reference = receipt_reference(invoice, payment)
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=margin - pad,
        rightMargin=margin - pad,
        topMargin=margin - pad,
        bottomMargin=margin + 6 * mm - pad,
        title=f"{what} {reference} — {studio.name}",
        author=studio.name,
        creator="Reveal",
        initialFontName=FONT,
    )
    width = size[0] - 2 * margin
    contact = "<br/>".join(
        escape(x) for x in (*studio.address.splitlines(), studio.phone, studio.email) if x.strip()
    )
    right = [
        para(what.upper(), "title"),
        Spacer(1, 2 * mm),
        para(f"<b>No.</b> {reference}", "meta"),
        para(f"<b>Date</b> {format_date(payment.day, us)}", "meta"),
        para(f"<b>Invoice</b> {invoice.reference}", "meta"),
    ]
    top = Table(
        [[[para(escape(studio.name), "studio"), para(contact, "small")], right]],
        colWidths=[width * 0.6, width * 0.4],
    )
    top.setStyle(plain_style())
    story = [top, Spacer(1, 8 * mm)]
    verb = "Refunded to" if payment.is_refund else "Received from"
    how = METHOD_LABELS.get(payment.method, payment.method)
    box = [
        [para(f"{verb} <b>{escape(invoice.client.name)}</b>"), ""],
        [para(f"{how}, {format_date(payment.day, us)}"), para(_money(invoice, payment), "num_b")],
    ]
    if payment.note:
        label = "Reason" if payment.is_refund else "Note"
        box.append([para(f"{label}: {escape(payment.note)}", "note"), ""])
    amount_box = Table(box, colWidths=[width - 40 * mm, 40 * mm])
    amount_box.setStyle(plain_style(("BACKGROUND", (0, 0), (-1, -1), SHADE), *_padded(3 * mm)))
    story += [amount_box, Spacer(1, 7 * mm)]
    story += _ledger(invoice, ledger, width, us)
    story += _totals(invoice, account, width)
    story += _schedule(invoice, account, width, us)
    story += [Spacer(1, 6 * mm), para(f"Thank you, {escape(invoice.client.name.split()[0])}.")]
    footer = f"{studio.name}  ·  {what} {reference}"
    doc.build(story, canvasmaker=numbered_canvas(footer, margin))
    return out.getvalue()


def _money(invoice: Invoice, payment: Payment) -> str:
    return ("−" if payment.is_refund else "") + invoice.money(abs(payment.amount))


def _padded(space: float) -> list[tuple]:
    return [
        ("LEFTPADDING", (0, 0), (-1, -1), space),
        ("RIGHTPADDING", (0, 0), (-1, -1), space),
        ("TOPPADDING", (0, 0), (-1, -1), space / 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), space / 2),
    ]


def _ledger(invoice: Invoice, ledger: tuple[Payment, ...], width: float, us: bool) -> list:
    if not ledger:
        return []
    rows = [[para("PAYMENTS", "head"), para("", "head"), para("AMOUNT", "head_r")]]
    for p in ledger:
        what = METHOD_LABELS.get(p.method, p.method) + (" refund" if p.is_refund else "")
        rows.append(
            [para(format_date(p.day, us)), para(escape(what)), para(_money(invoice, p), "num")]
        )
    table = Table(rows, colWidths=[45 * mm, width - 85 * mm, 40 * mm])
    table.setStyle(
        plain_style(
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
        )
    )
    return [table, Spacer(1, 4 * mm)]


def _totals(invoice: Invoice, account: Account, width: float) -> list:
    rows = [
        [para("Order total"), para(invoice.money(account.total), "num")],
        [para("Paid so far"), para(invoice.money(account.paid), "num")],
        [para("Left to pay", "total_l"), para(invoice.money(max(account.balance, 0)), "num_b")],
    ]
    table = Table(rows, colWidths=[58 * mm, 30 * mm], hAlign="RIGHT")
    table.setStyle(
        plain_style(
            ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("LINEABOVE", (0, 2), (-1, 2), 0.8, INK),
        )
    )
    return [table]


def _schedule(invoice: Invoice, account: Account, width: float, us: bool) -> list:
    if len(account.schedule) < 2:
        return []
    plan = invoice.breakdown["instalments"]
    rows = [[para(escape(plan["name"]), "section"), "", ""]]
    for step in account.schedule:
        rows.append(
            [
                para(f"{step.label}, due {format_date(step.due, us)}"),
                para(STATE_WORDS[step.state], "note"),
                para(invoice.money(step.amount), "num"),
            ]
        )
    table = Table(rows, colWidths=[60 * mm, 22 * mm, 30 * mm], hAlign="RIGHT")
    table.setStyle(
        plain_style(
            ("SPAN", (0, 0), (-1, 0)),
            ("LINEBELOW", (0, 1), (-1, -2), 0.4, RULE),
            ("TOPPADDING", (0, 1), (-1, -1), 1.2 * mm),
        )
    )
    return [Spacer(1, 6 * mm), table]


def compose_receipt_email(
    invoice: Invoice, payment: Payment, account: Account, studio: StudioDetails, pdf: bytes
) -> EmailMessage:
    if not studio.email:
        raise MailSettingsError(
            "The studio has no e-mail address to send receipts from; add it in the studio's "
            "details on the Orders page."
        )
    reference = receipt_reference(invoice, payment)
    what = "refund" if payment.is_refund else "receipt"
    message, sender = studio_message(
        studio,
        invoice.client.name,
        invoice.client.email,
        f"Your {what} {reference} from {studio.name}",
    )
    # Made from the payment's row: queueing this receipt again stores nothing new.
    message["Message-ID"] = f"<{what}-{reference}@{sender.rsplit('@', 1)[1]}>"
    first = invoice.client.name.split()[0]
    amount = invoice.money(abs(payment.amount))
    done = f"We have refunded {amount}" if payment.is_refund else f"Thank you: we received {amount}"
    left = (
        "Your order is now paid in full."
        if account.balance <= 0
        else f"{invoice.money(account.balance)} is left to pay on invoice {invoice.reference}."
    )
    message.set_content(
        f"Dear {first},\n\n{done} for invoice {invoice.reference}. {left}\n\n"
        f"The {what} is attached as a PDF.\n\n{studio.name}\n"
    )
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=f"{what}-{reference}.pdf"
    )
    return message


def queue_receipt(
    store: Store,
    invoice: Invoice,
    payment: Payment,
    account: Account,
    studio: StudioDetails,
    *,
    paper: str = "a4",
) -> OutboxEntry:
    """Render the receipt and put its e-mail in the outbox (BadAddress, MailSettingsError)."""
    from kiosk.store.payments import payments

    ledger = tuple(payments(store, invoice.number))
    pdf = render_receipt_pdf(invoice, payment, account, studio, paper=paper, ledger=ledger)
    message = compose_receipt_email(invoice, payment, account, studio, pdf)
    return outbox.enqueue(store, message, kind="receipt", invoice=invoice.number)
