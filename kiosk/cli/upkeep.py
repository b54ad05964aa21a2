"""`python main.py studio-stats`: what the studio has accumulated, for a look from a terminal:
sessions, images, events, invoices and e-mails, the database's and the cache's size against
the cache's budget, and the least recently shown session that still has previews in the
cache. main.py registers this with `add_parsers(subparsers)`; `python -m kiosk.cli.upkeep`
runs it alone. Exit code 0, or 1 when the studio cannot be opened.

    $ python main.py studio-stats
    Sessions              3,000
    Images              120,000
    ...
    Cache               18.2 GB of a 20.0 GB budget
    Oldest cached       #112 Ada Park, last shown 2022-03-04
"""

from __future__ import annotations

import argparse

from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.store.upkeep import database_bytes, studio_counts
from kiosk.studio import Studio
from kiosk.upkeep.cache import cache_budget, cache_contents, folder_bytes

LABELS = {
    "sessions": "Sessions",
    "images": "Images",
    "events": "Events",
    "invoices": "Invoices",
    "emails": "E-mails",
    "snapshots": "Compacted logs",
}


def add_parsers(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "studio-stats",
        help="what the studio holds: sessions, images, events, invoices, database and cache",
        description=(
            "Counts of the studio's sessions, images, events, invoices and e-mails; the "
            "database's and the cache's size; the oldest session still in the cache."
        ),
    )
    parser.set_defaults(func=run)
    return parser


def size_text(size: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


@with_studio
def run(args: argparse.Namespace, studio: Studio) -> int:
    lines = [(LABELS[k], f"{v:,}") for k, v in studio_counts(studio.store).items()]
    lines.append(("Database", size_text(database_bytes(studio.store))))
    cache = folder_bytes(studio.paths.cache)
    lines.append(("Cache", f"{size_text(cache)} of a {size_text(cache_budget(studio))} budget"))
    oldest = cache_contents(studio.store, studio.paths.cache).oldest()
    if oldest is None:
        lines.append(("Oldest cached", "none"))
    else:
        client = studio.store.session(oldest.session_id).client
        when = oldest.shown.date().isoformat() if oldest.shown else "never"
        lines.append(("Oldest cached", f"#{oldest.session_id} {client}, last shown {when}"))
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {value}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.upkeep", argv)


if __name__ == "__main__":
    raise SystemExit(main())
