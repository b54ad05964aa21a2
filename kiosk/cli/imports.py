"""`python main.py import FOLDER --client NAME [--email ADDR] [--workers N]`.

main.py registers this with `add_parsers(subparsers)` and calls `args.func(args)`; it also
provides the global `--data DIR` (args.data). `python -m kiosk.cli.imports` runs it alone.

Exit codes: 0 when the import ran to the end (every file imported, unchanged, or skipped with
its reason), 1 when the studio cannot be opened, 2 when the folder cannot be imported,
130 when interrupted (run it again: it resumes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.core.errors import ImportFolderError
from kiosk.imaging.importer import ImportSummary, import_folder
from kiosk.studio import Studio


def add_parsers(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "import",
        help="import a folder of images into a client's session",
        description=(
            "Import the JPEG, PNG, TIFF, WebP and HEIC images under FOLDER (and its subfolders) "
            "into the client's session, making display previews and thumbnails. Running it "
            "again skips images already imported and finishes an interrupted import."
        ),
    )
    parser.add_argument("folder", metavar="FOLDER", type=Path, help="the session's image folder")
    parser.add_argument(
        "--client", required=True, metavar="NAME", help="client name; their session is reused"
    )
    parser.add_argument("--email", default="", metavar="ADDR", help="client e-mail address")
    parser.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="processes making previews (default: one per core)",
    )
    parser.set_defaults(func=run)
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes, like 2")
    return int(text)


@with_studio
def run(args: argparse.Namespace, studio: Studio) -> int:
    err = Console(stderr=True)
    try:
        summary = import_folder(
            studio, args.folder, args.client, args.email, progress=True, workers=args.workers
        )
    except ImportFolderError as exc:
        err.print(str(exc), style="red", markup=False)
        return 2
    except KeyboardInterrupt:
        err.print("Import interrupted. Images finished so far are kept; run it again to resume.")
        return 130
    print_summary(summary, Console())
    return 0


def print_summary(summary: ImportSummary, console: Console) -> None:
    session = summary.session
    console.print(
        f"[bold]{escape(session.client)}[/bold] (session {session.id}): "
        f"[green]{len(summary.imported)} imported[/green], "
        f"{len(summary.unchanged)} unchanged, "
        f"[yellow]{len(summary.skipped)} skipped[/yellow] "
        f"in {summary.seconds:.1f} s."
    )
    for title, rows in (("Skipped", summary.skipped), ("Imported, but note", summary.notes)):
        if rows:
            table = Table(title=title, title_justify="left", show_header=False, expand=False)
            table.add_column("file", style="bold", no_wrap=True)
            table.add_column("reason")
            for name, reason in rows:
                table.add_row(Text(name), Text(reason))  # names may hold [brackets]
            console.print(table)
    if summary.ignored:
        shown = ", ".join(summary.ignored[:5]) + (" ..." if len(summary.ignored) > 5 else "")
        count = len(summary.ignored)
        what = "other file is not an image" if count == 1 else "other files are not images"
        verb = "was" if count == 1 else "were"
        console.print(Text(f"{count} {what} and {verb} left alone: {shown}"))


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.imports", argv)


if __name__ == "__main__":
    sys.exit(main())
