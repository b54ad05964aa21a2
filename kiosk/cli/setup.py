"""The studio's setup from a terminal: where its folder is, and its mail server.

    python main.py where                       # the studio folder and what is in it
    python main.py mail                        # the mail server set up, if any
    python main.py mail --host smtp.example.com --user studio@example.com   # asks the password
    python main.py first-invoice 1043          # continue an older series of invoice numbers

main.py registers these with `add_parsers(subparsers)`; `python -m kiosk.cli.setup` runs them
alone. The studio's own details (name, address, e-mail) are entered on the tablet, under
Orders → Studio details.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from kiosk.checkout.settings import save_smtp_settings, set_first_invoice_number, smtp_settings
from kiosk.checkout.trymail import send_studio_test_email
from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.config import StudioPaths, default_data_dir
from kiosk.core.errors import CheckoutError, MailSettingsError
from kiosk.core.mail import SmtpSettings
from kiosk.studio import PRICELIST_FILE, Studio

# What each part of the studio folder is, in the order a photographer looks for them.
FOLDER = (
    ("settings.toml", "settings: PIN, paper, public_url, the TV's size... (edit by hand)"),
    (PRICELIST_FILE, "the price list (an edit applies within seconds; docs/pricelist.md)"),
    ("studio.db", "sessions, decisions, orders, invoices, the e-mail outbox, studio details"),
    ("cache", "previews and thumbnails (safe to delete: import makes them again)"),
    ("mockups", "wall-art mock-ups, one folder per session"),
    ("exports", "orders exported for the lab and the retoucher"),
    ("secrets.json", "the mail server's password, readable by the kiosk's user only"),
    ("backups", "the daily backups, unless backup_folder names another disk (docs/backups.md)"),
)


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    where = subparsers.add_parser(
        "where",
        help="print the studio folder and its files",
        description="Print where the studio folder is and what each file in it holds.",
    )
    where.set_defaults(func=run_where)
    mail = subparsers.add_parser(
        "mail",
        help="show or set the mail server invoices are sent through",
        description=(
            "With no option, show the mail server set up. With --host, set it: the password "
            "is asked for (or read from stdin with --password-stdin), never given as an "
            "argument. Waiting e-mails go out on the kiosk's next round (every 30 s)."
        ),
    )
    mail.add_argument("--host", help="the SMTP server, e.g. smtp.example.com")
    mail.add_argument("--port", type=int, default=587, help="587 (STARTTLS, default) or 465 (SSL)")
    mail.add_argument(
        "--security", choices=("starttls", "ssl", "none"), default="starttls", help="encryption"
    )
    mail.add_argument("--user", default="", help="the login, often the e-mail address")
    mail.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    mail.add_argument(
        "--ca-file",
        default="",
        metavar="FILE",
        help="the CA certificate (PEM) of a server with a certificate of its own",
    )
    mail.add_argument(
        "--test",
        metavar="ADDRESS",
        help="send a test e-mail to ADDRESS through the server set up, and say what happened",
    )
    mail.set_defaults(func=run_mail)
    first = subparsers.add_parser(
        "first-invoice",
        help="the number of the studio's first invoice, to continue an older series",
        description="Set the number the studio's first invoice gets (before any invoice).",
    )
    first.add_argument("number", type=int, metavar="N", help="e.g. 1043")
    first.set_defaults(func=run_first_invoice)
    return [where, mail, first]


def run_where(args: argparse.Namespace) -> int:
    root = Path(args.data) if getattr(args, "data", None) else default_data_dir()
    paths = StudioPaths(root)
    made = "" if root.is_dir() else "  (not made yet: the kiosk's first start makes it)"
    print(f"Studio folder: {paths.root}{made}")
    width = max(len(name) for name, _ in FOLDER) + 1
    for name, what in FOLDER:
        shown = name + ("/" if "." not in name else "")
        there = "" if (root / name).exists() else "  [not there yet]"
        print(f"  {shown.ljust(width)}  {what}{there}")
    return 0


@with_studio
def run_mail(args: argparse.Namespace, studio: Studio) -> int:
    if args.test:
        return run_test_email(studio, args.test)
    if not args.host:
        current = smtp_settings(studio.store)
        if current is None:
            print("No mail server is set up: invoices wait in the outbox. Set one with")
            print("  main.py mail --host smtp.example.com --user you@example.com")
            return 0
        login = f" as {current.username}" if current.username else ""
        print(f"Mail server: {current.host}:{current.port} ({current.security}){login}")
        return 0
    password = ""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif args.user and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.user} at {args.host}: ")
    settings = SmtpSettings(
        args.host, args.port, args.security, args.user, password, ca_file=args.ca_file
    )
    try:
        save_smtp_settings(studio.store, settings)
    except MailSettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Mail server set: {args.host}:{args.port} ({args.security}).")
    return 0


@with_studio
def run_first_invoice(args: argparse.Namespace, studio: Studio) -> int:
    try:
        set_first_invoice_number(studio.store, args.number)
    except CheckoutError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"The studio's first invoice will be number {args.number:04d}.")
    return 0


def run_test_email(studio: Studio, address: str) -> int:
    try:
        print(send_studio_test_email(studio.store, address))
    except MailSettingsError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.setup", argv)


if __name__ == "__main__":
    sys.exit(main())
