"""`python main.py export ORDER_NO [--to DIR]` and `python main.py outbox [--send]`.

main.py registers both with `add_parsers(subparsers)` and calls `args.func(args)`; it also
provides the global `--data DIR` (args.data). `python -m kiosk.cli.checkout` runs them alone.

Exit codes: 0 on success; 1 when the studio cannot be opened, the order does not exist or the
folder cannot be written (the reason on stderr); `outbox --send` exits 1 when the mail server
could not be used.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kiosk.checkout import outbox
from kiosk.checkout.export import exports_folder, session_mockups, write_order
from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.production import Lab
from kiosk.checkout.settings import details_for_session, smtp_settings
from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.core.errors import RevealError
from kiosk.studio import Studio


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    export = subparsers.add_parser(
        "export",
        help="export an order for the lab and the retoucher",
        description=(
            "Write order ORDER_NO as a folder: order.json, lines.csv, the original files to "
            "retouch and deliver with their notes (files.csv, retouch-sheet.txt), the invoice "
            "PDF, any wall-art mock-ups, and production/: each print and album spread as the "
            "lab prints it (lab_ppi, lab_jpeg_quality) with production.csv. Exporting again "
            "replaces the folder."
        ),
    )
    export.add_argument("number", metavar="ORDER_NO", type=_number, help="the invoice number")
    export.add_argument(
        "--to", type=Path, metavar="DIR", help="where to write it (default: the studio's exports/)"
    )
    export.add_argument(
        "--mockup",
        type=Path,
        action="append",
        default=[],
        metavar="JPEG",
        help="a mock-up to add (default: every JPEG in the session's mock-up folder)",
    )
    export.add_argument(
        "--paper",
        choices=("a4", "letter"),
        help="the PDF's paper (default: the studio's, from settings.toml or its units)",
    )
    export.set_defaults(func=run_export)

    box = subparsers.add_parser(
        "outbox",
        help="list the e-mails waiting to be sent, or send them now",
        description="List the outbox: each e-mail's state, attempts and last error.",
    )
    box.add_argument("--send", action="store_true", help="send what is due now, then list")
    box.add_argument("--retry", type=int, metavar="ID", help="send a held or failed e-mail again")
    box.set_defaults(func=run_outbox)
    return [export, box]


def _number(text: str) -> int:
    digits = text.lstrip("#")
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not an invoice number, like 42 or 0042")
    return int(digits)


@with_studio
def run_export(args: argparse.Namespace, studio: Studio) -> int:
    try:
        invoice = get_invoice(studio.store, args.number)
        details = details_for_session(studio.store, invoice.session_id)
        mockups = args.mockup or session_mockups(studio.paths.mockups(invoice.session_id))
        folder = write_order(
            invoice,
            args.to or exports_folder(studio.paths),
            mockups=mockups,
            studio=details,
            paper=args.paper or studio.paper,
            lab=Lab.from_settings(studio.settings),
        )
    except (RevealError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(folder)
    return 0


@with_studio
def run_outbox(args: argparse.Namespace, studio: Studio) -> int:
    code = 0
    store = studio.store
    if args.retry is not None and not outbox.requeue(store, args.retry):
        print(f"E-mail {args.retry} is not held or failed; nothing to retry.", file=sys.stderr)
        code = 1
    if args.send:
        settings = smtp_settings(store)
        if settings is None:
            print("No mail server is set up; the e-mails wait.", file=sys.stderr)
            code = 1
        else:
            report = outbox.send_due(store, settings)
            print(f"Sent {report.sent}, retrying {report.retrying}, failed {report.failed}.")
            if report.error:
                print(report.error, file=sys.stderr)
                code = 1
    now = time.time()
    for entry in outbox.entries(store):
        to = ", ".join(entry.recipients)
        print(f"{entry.id:>4}  {to}  {entry.subject}\n      {outbox.describe(entry, now)}")
    return code


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.checkout", argv)


if __name__ == "__main__":
    sys.exit(main())
