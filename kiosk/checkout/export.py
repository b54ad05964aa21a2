"""An order as a folder for the lab and the retoucher: `export_order(store, 42, "exports/")`.

    exports/order-0042-eleanor-whitfield/
        order.json          everything on the invoice, amounts in minor units and as printed
        lines.csv           one row per invoice line: product, size, options, quantity, prices
        files.csv           the original files to retouch and deliver, with their notes
        retouch-sheet.txt   the same, to print and tick off
        invoice-0042.pdf    when studio details are given
        mockups/            the wall-art mock-ups passed in
        production/         with `lab=`: each print as the lab prints it, each album spread,
                            and production.csv (kiosk.checkout.production)

The folder is written next to its final place and renamed into it, so a lab that watches the
exports folder never picks up half an order; exporting again replaces it.

The kiosk's mock-ups for a session are every JPEG in `studio.paths.mockups(session_id)`:
`session_mockups(folder)` lists them. `write_order(invoice, ...)` is the same export for an
invoice already loaded: it needs no database, so the web server runs it in a worker thread.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import asdict
from pathlib import Path

from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.pdf import render_invoice_pdf
from kiosk.checkout.production import COLUMNS as PRODUCTION_COLUMNS
from kiosk.checkout.production import FOLDER as PRODUCTION
from kiosk.checkout.production import MANIFEST, Lab, Progress, make_production
from kiosk.config import StudioPaths
from kiosk.core.errors import CheckoutError
from kiosk.core.invoices import STATUS_LABELS, Invoice, StudioDetails
from kiosk.store.db import Store

LINE_COLUMNS = [
    "line",
    "kind",
    "label",
    "product",
    "product_name",
    "variant",
    "size",
    "options",
    "quantity",
    "units",
    "spreads",
    "images",
    "unit_price_minor",
    "unit_price",
    "list_amount_minor",
    "list_amount",
    "amount_minor",
    "amount",
    "note",
]
# What a spreadsheet program reads as the start of a formula (or of a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FILE_COLUMNS = [
    "position",
    "image_id",
    "file_name",
    "original_path",
    "original_found",
    "ordered_on",
    "retouch_tags",
    "retouch_note",
]


def export_order(
    store: Store,
    invoice_number: int,
    dest_folder: Path | str,
    *,
    mockups: Sequence[Path] = (),
    studio: StudioDetails | None = None,
    paper: str = "a4",
    lab: Lab | None = None,
) -> Path:
    """Write the order's folder under `dest_folder`; returns its path. InvoiceNotFound for an
    unknown number; CheckoutError when the folder cannot be written."""
    invoice = get_invoice(store, invoice_number)
    return write_order(invoice, dest_folder, mockups=mockups, studio=studio, paper=paper, lab=lab)


def write_order(
    invoice: Invoice,
    dest_folder: Path | str,
    *,
    mockups: Sequence[Path] = (),
    studio: StudioDetails | None = None,
    paper: str = "a4",
    lab: Lab | None = None,
    progress: Callable[[Progress], None] | None = None,
    executor: Executor | None = None,
) -> Path:
    """`export_order` for an invoice in hand: file work only, safe in any thread. With `lab`,
    the production files too, each made by `executor` when given, `progress` told of each."""
    dest = Path(dest_folder)
    final = order_folder(dest, invoice)
    partial = dest / f".{final.name}.partial-{os.getpid()}"
    try:
        dest.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        _write(invoice, partial, mockups, studio, paper)
        if lab is not None:
            _write_production(invoice, partial / PRODUCTION, lab, progress, executor)
        if final.exists():
            shutil.rmtree(final)
        partial.rename(final)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise CheckoutError(
            f"The order could not be exported to {dest} ({exc.strerror or exc}). "
            "Choose a folder you can write to, with --to."
        ) from exc
    except BaseException:  # a production worker that died: no half-written folder stays
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def order_folder(dest_folder: Path | str, invoice: Invoice) -> Path:
    """Where the order's export goes (or went) under `dest_folder`."""
    return Path(dest_folder) / f"order-{invoice.reference}-{_slug(invoice.client.name)}"


def exports_folder(paths: StudioPaths) -> Path:
    """Where `main.py export` and the remote's Export button write order folders."""
    return paths.root / "exports"


def session_mockups(folder: Path | str) -> list[Path]:
    """The wall-art mock-ups in a session's mock-up folder (`StudioPaths.mockups`), by name;
    none when the folder does not exist (no wall art was designed)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg") and p.is_file()),
        key=lambda p: p.name,
    )


def _write(
    invoice: Invoice,
    folder: Path,
    mockups: Sequence[Path],
    studio: StudioDetails | None,
    paper: str,
) -> None:
    (folder / "order.json").write_text(
        json.dumps(order_json(invoice), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    with open(folder / "lines.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, LINE_COLUMNS)
        writer.writeheader()
        writer.writerows(map(spreadsheet_safe, line_rows(invoice)))
    with open(folder / "files.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, FILE_COLUMNS)
        writer.writeheader()
        writer.writerows(map(spreadsheet_safe, file_rows(invoice)))
    (folder / "retouch-sheet.txt").write_text(retouch_sheet(invoice), encoding="utf-8")
    if studio is not None:
        pdf = render_invoice_pdf(invoice, studio, paper=paper)
        (folder / f"invoice-{invoice.reference}.pdf").write_bytes(pdf)
    if mockups:
        (folder / "mockups").mkdir()
        for mockup in mockups:
            shutil.copy2(mockup, folder / "mockups" / Path(mockup).name)


def _write_production(
    invoice: Invoice,
    folder: Path,
    lab: Lab,
    progress: Callable[[Progress], None] | None,
    executor: Executor | None,
) -> None:
    rows = make_production(invoice, folder, lab, progress=progress, executor=executor)
    if rows:
        with open(folder / MANIFEST, "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, PRODUCTION_COLUMNS)
            writer.writeheader()
            writer.writerows(map(spreadsheet_safe, rows))


def spreadsheet_safe(row: dict) -> dict:
    """The row with every text cell a spreadsheet would run as a formula (a retouch note
    starting `=HYPERLINK(`, a file name starting `@`) written as text: prefixed with an
    apostrophe, which spreadsheet programs take as "this is text". Amounts such as -$20.00 are
    left as they are: digits, separators and a currency sign cannot call anything."""
    return {key: _as_text(value) for key, value in row.items()}


def _as_text(value: object) -> object:
    if not isinstance(value, str) or not value or value[0] not in FORMULA_STARTS:
        return value
    if value[0] in "-+" and _plain_amount(value[1:]):
        return value
    return "'" + value


def _plain_amount(text: str) -> bool:
    return any(c.isdigit() for c in text) and all(
        c in "0123456789., \u00a0" or unicodedata.category(c) == "Sc" for c in text
    )


def order_json(invoice: Invoice) -> dict:
    money = invoice.money
    return {
        "invoice": invoice.number,
        "reference": invoice.reference,
        "issued": invoice.issued.isoformat(),
        "status": invoice.status,
        "session": invoice.session_id,
        "studio": invoice.studio,
        "client": asdict(invoice.client),
        "currency": invoice.currency.code,
        "total": {"amount": invoice.total, "display": money(invoice.total)},
        "due_now": {"amount": invoice.due_now, "display": money(invoice.due_now)},
        "lines": [
            {
                **asdict(line),
                "unit_price_display": money(line.unit_price),
                "list_amount_display": money(line.list_amount),
                "amount_display": money(line.amount),
            }
            for line in invoice.lines
        ],
        "images": [asdict(image) for image in invoice.images],
        "cart": invoice.cart,
        "breakdown": invoice.breakdown,
    }


def line_rows(invoice: Invoice) -> list[dict]:
    """Every line of the breakdown, in order; item lines carry their product details. The
    amount_minor column adds up to the total."""
    sold = {line.ref: line for line in invoice.lines}
    files = {image.id: image.file_name for image in invoice.images}
    rows = []
    for n, line in enumerate(invoice.breakdown["lines"], 1):
        row = {
            "line": n,
            "kind": line["kind"],
            "label": line["label"],
            "amount_minor": line["amount"],
            "amount": line["display"],
            "note": line.get("note", ""),
        }
        item = sold.get(line["ref"]) if line["kind"] == "item" else None
        if item is not None:
            row.update(
                product=item.product,
                product_name=item.product_name,
                variant=item.variant,
                size=item.size,
                options=item.options_text,
                quantity=item.quantity,
                units=item.units,
                spreads=item.spreads or "",
                images=" ".join(files.get(i, str(i)) for i in item.images),
                unit_price_minor=item.unit_price,
                unit_price=invoice.money(item.unit_price),
                list_amount_minor=item.list_amount,
                list_amount=invoice.money(item.list_amount),
            )
        elif line["kind"] == "collection":
            row.update(quantity=1, units=1)
        rows.append(row)
    return rows


def file_rows(invoice: Invoice) -> list[dict]:
    return [
        {
            "position": image.position,
            "image_id": image.id,
            "file_name": image.file_name,
            "original_path": image.source_path,
            "original_found": "yes" if Path(image.source_path).is_file() else "no",
            "ordered_on": "; ".join(_ordered_on(invoice, image.id)),
            "retouch_tags": ", ".join(image.tags),
            "retouch_note": image.note,
        }
        for image in invoice.images
    ]


def _ordered_on(invoice: Invoice, image_id: int) -> list[str]:
    return [line.label for line in invoice.lines if image_id in line.images]


def retouch_sheet(invoice: Invoice) -> str:
    client = invoice.client
    noted = [image for image in invoice.images if image.has_retouch]
    plain = [image for image in invoice.images if not image.has_retouch]
    status = STATUS_LABELS.get(invoice.status, invoice.status)
    out = [
        f"RETOUCH SHEET  -  Invoice {invoice.reference}  -  {client.name}",
        f"{invoice.studio}  -  {invoice.issued.isoformat()}  -  {status}",
        "",
        f"{len(noted)} to retouch, {len(invoice.images)} to deliver in all.",
        "",
    ]
    for image in noted:
        out.append(f"[ ] {image.file_name}  (image {image.position})")
        out.append(f"    Original: {image.source_path}")
        if on := _ordered_on(invoice, image.id):
            out.append(f"    Ordered on: {'; '.join(on)}")
        if image.tags:
            out.append(f"    Retouch: {', '.join(image.tags)}")
        if image.note:
            out.append(f"    Note: {image.note}")
        out.append("")
    if plain:
        out.append("Deliver as they are:")
        out += [f"[ ] {image.file_name}  (image {image.position})" for image in plain]
        out.append("")
    return "\n".join(out)


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "client"
