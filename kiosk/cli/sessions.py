"""`python main.py sessions [SEARCH] [--archived]`: the studio's sessions, newest first.

The same list as the tablet's Sessions page, one line each, for scripts and for a look from a
terminal: number, client (and second person), shoot date, viewing, photos, images decided,
order total and status, last activity. Archived sessions are left out unless `--archived`.
main.py registers this with `add_parsers(subparsers)`; `python -m kiosk.cli.sessions` runs it
alone. Exit code 0, or 1 when the studio cannot be opened.

    $ python main.py sessions park --archived
    #  Client               Shoot       Viewing           Photos  Decided  Order           Last …
    7  Ada Park & Sam Park  2026-05-01  2026-05-08 14:00      40       23  $1,745.00 paid  …
"""

from __future__ import annotations

import argparse
from datetime import datetime

from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.core.invoices import STATUS_LABELS
from kiosk.core.pricing import format_money
from kiosk.store.sessions import SessionSummary, session_summaries
from kiosk.studio import Studio

COLUMNS = ("#", "Client", "Shoot", "Viewing", "Photos", "Decided", "Order", "Last activity")
RIGHT = {"Photos", "Decided"}
CLIENT_CHARS = 40


def add_parsers(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "sessions",
        help="list the studio's sessions, newest first",
        description=(
            "The studio's sessions, newest first, as the tablet's Sessions page lists them. "
            "Archived sessions are left out unless --archived."
        ),
    )
    parser.add_argument(
        "search",
        nargs="?",
        default="",
        metavar="SEARCH",
        help="only sessions whose client, second person, e-mail or phone contains this",
    )
    parser.add_argument("--archived", action="store_true", help="list archived sessions too")
    parser.set_defaults(func=run)
    return parser


@with_studio
def run(args: argparse.Namespace, studio: Studio) -> int:
    rows = session_summaries(studio.store, search=args.search, archived=args.archived)
    if not rows:
        found = f" matching '{args.search}'" if args.search else ""
        print(f"No sessions{found}.")
        return 0
    currency = studio.pricelist.current.currency if studio.pricelist.current else None
    table = [COLUMNS, *(_line(row, currency) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    for line in table:
        cells = [
            cell.rjust(width) if name in RIGHT else cell.ljust(width)
            for name, cell, width in zip(COLUMNS, line, widths, strict=True)
        ]
        print("  ".join(cells).rstrip())
    return 0


def _line(row: SessionSummary, currency) -> tuple[str, ...]:
    client = row.client + (f" & {row.partner}" if row.partner else "")
    if len(client) > CLIENT_CHARS:
        client = client[: CLIENT_CHARS - 1] + "…"
    if row.archived:
        client += " (archived)"
    order = ""
    if row.total is not None:
        total = format_money(row.total, currency) if currency else f"{row.total / 100:.2f}"
        order = f"{total} {STATUS_LABELS.get(row.status or '', row.status or '').lower()}"
    return (
        str(row.id),
        client,
        row.shoot_date or "-",
        row.viewing_at.replace("T", " ") or "-",
        str(row.images),
        str(row.decided),
        order.strip() or "-",
        _local(row.last_activity) if row.last_activity else "never opened",
    )


def _local(stamp: str) -> str:
    try:
        return f"{datetime.fromisoformat(stamp).astimezone():%Y-%m-%d %H:%M}"
    except ValueError:
        return stamp


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.sessions", argv)


if __name__ == "__main__":
    raise SystemExit(main())
