"""`main.py finals add ORDER DIR` (the retouched finals of an order, from the folder they were
exported to), `main.py gallery ORDER [--withdraw]` (a link to the client's gallery) and
`main.py deliver ORDER --to DIR` (the same gallery as a folder: kiosk/delivery/static.py).

    $ python main.py finals add 42 ~/Exports/Whitfield
    Added 14 finals to order 0042: 14 of 15 retouched; 2 files matched by picture; still to
    retouch: IMG_1290.CR3.
    $ python main.py gallery 42
    Paid in full; 15 of 15 retouched: the gallery is open.
    https://viewing.studio.example/g/3q8...   (until 2 March 2027)

Exit codes: 0 when done; 1 when the studio cannot be opened, the order does not exist or the
folder cannot be read (the reason on stderr).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.settings import details_for_session
from kiosk.cli import run_alone
from kiosk.cli.payments import _number, kiosk_base_url
from kiosk.cli.studio import with_studio
from kiosk.core.errors import RevealError
from kiosk.core.gallery import GALLERY_DAYS
from kiosk.delivery.announce import announce_if_open
from kiosk.delivery.finals import add_finals
from kiosk.delivery.gallery import (
    gallery_url,
    issue_gallery_link,
    load_gallery,
    withdraw_gallery_links,
)
from kiosk.delivery.static import write_static_gallery
from kiosk.studio import Studio


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    finals = subparsers.add_parser(
        "finals",
        help="add an order's retouched finals from a folder",
        description=(
            "Match the files in DIR to order ORDER's images, by the original's file name "
            "(IMG_1234-edit.jpg is IMG_1234's) and then by the picture itself for renamed "
            "files, and copy them into the studio folder. A file that could be two images is "
            "listed and left out; add it under its original's name."
        ),
    )
    sub = finals.add_subparsers(dest="finals_command", metavar="add", required=True)
    add = sub.add_parser("add", help="add the finals in DIR to order ORDER")
    add.add_argument("number", metavar="ORDER", type=_number, help="the invoice number")
    add.add_argument("folder", metavar="DIR", type=Path, help="the folder of retouched exports")
    add.set_defaults(func=run_finals_add)

    gallery = subparsers.add_parser(
        "gallery",
        help="a link to an order's gallery for the client (or withdraw its links)",
        description=(
            f"Print a new link to order ORDER's gallery, open for {GALLERY_DAYS} days; it shows "
            "the photos once the order is paid in full and retouched. The link is made from "
            "public_url when it is set, so it opens at the client's home."
        ),
    )
    gallery.add_argument("number", metavar="ORDER", type=_number, help="the invoice number")
    gallery.add_argument("--withdraw", action="store_true", help="close every link to it now")
    gallery.set_defaults(func=run_gallery)

    deliver = subparsers.add_parser(
        "deliver",
        help="write an order's gallery as a folder for a USB stick or a static web host",
        description=(
            "Write order ORDER's gallery to DIR: index.html, the photos under clean names, "
            "their thumbnails and a ZIP of them all; every link relative, so it opens from the "
            "folder itself. Only once the order is paid in full and retouched."
        ),
    )
    deliver.add_argument("number", metavar="ORDER", type=_number, help="the invoice number")
    deliver.add_argument("--to", type=Path, required=True, metavar="DIR", help="the folder")
    deliver.set_defaults(func=run_deliver)
    return [finals, gallery, deliver]


def finals_root(studio: Studio) -> Path:
    return studio.paths.root / "finals"


@with_studio
def run_finals_add(args: argparse.Namespace, studio: Studio) -> int:
    try:
        invoice = get_invoice(studio.store, args.number)
        report = add_finals(studio.store, finals_root(studio), invoice, args.folder)
    except (RevealError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"Added {report.added} final{'s' if report.added != 1 else ''} to order "
        f"{invoice.reference}: {report.text}"
    )
    if announce_if_open(studio.store, invoice.number, base_url=kiosk_base_url(studio)):
        print('The gallery is open: "Your photos are ready" is queued for the client.')
    return 0


@with_studio
def run_gallery(args: argparse.Namespace, studio: Studio) -> int:
    try:
        invoice = get_invoice(studio.store, args.number)
    except RevealError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.withdraw:
        closed = withdraw_gallery_links(studio.store, invoice.number)
        links = f"{closed} link{'s' if closed != 1 else ''}"
        print(f"Withdrew {links} to order {invoice.reference}'s gallery.")
        return 0
    state = load_gallery(studio.store, invoice).state
    paid = "Paid in full" if state.paid_in_full else "Not paid in full yet"
    opened = "the gallery is open." if state.open else "the gallery stays locked until then."
    print(f"{paid}; {state.text}: {opened}")
    now = time.time()
    token = issue_gallery_link(studio.store, invoice.number, now=now)
    until = datetime.fromtimestamp(now + GALLERY_DAYS * 86400)
    print(f"{gallery_url(kiosk_base_url(studio), token)}   (until {until.day} {until:%B %Y})")
    return 0


@with_studio
def run_deliver(args: argparse.Namespace, studio: Studio) -> int:
    try:
        invoice = get_invoice(studio.store, args.number)
        gallery = load_gallery(studio.store, invoice)
        details = details_for_session(studio.store, invoice.session_id)
        folder = write_static_gallery(gallery, details, args.to)
    except (RevealError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"Wrote the gallery of order {invoice.reference} ({len(gallery.files)} photos) to {folder}."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.delivery", argv)


if __name__ == "__main__":
    sys.exit(main())
