"""`python main.py import FOLDER --client NAME [--email ADDR] [--session N] [--workers N]`.

A new shoot is a new session: a client name that already has a session gets a new one, unless
`--session N` says to add to session N, or FOLDER is the one the client's newest session was
imported from (running an interrupted import again finishes it). The summary says which.

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
from kiosk.core.errors import ImportFolderError, StudioError
from kiosk.core.models import Session
from kiosk.imaging.importer import ImportSummary, import_folder
from kiosk.imaging.importer.files import usable_folder
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
    parser.add_argument("--client", required=True, metavar="NAME", help="the client's name")
    parser.add_argument("--email", default="", metavar="ADDR", help="client e-mail address")
    parser.add_argument(
        "--session",
        type=_positive,
        metavar="N",
        help="add to session N (default: a new session, or the one this folder went into)",
    )
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


def choose_session(
    studio: Studio, folder: Path, client: str, email: str, number: int | None
) -> tuple[Session | None, str]:
    """The session a folder goes into, and the sentence that says why (None: the client's
    first, made by the import). ImportFolderError for a session that is not the client's."""
    if number is not None:
        try:
            session = studio.store.session(number)
        except StudioError as exc:
            raise ImportFolderError(str(exc)) from None
        if session.client != client:
            raise ImportFolderError(
                f"Session {number} is {session.client}'s, not {client}'s. Check the number "
                "(main.py import ... without --session starts a new session)."
            )
        return session, f"Added to session {number}, as --session asked."
    earlier = [s for s in studio.store.sessions() if s.client == client]
    if not earlier:
        return None, ""
    newest = earlier[-1]
    here = folder.expanduser().absolute()
    if any(Path(i.source_path).is_relative_to(here) for i in studio.store.images(newest.id)):
        return newest, f"Added to session {newest.id}: it was imported from this folder before."
    session = studio.store.create_session(client, email)
    others = ", ".join(str(s.id) for s in earlier)
    return session, (
        f"A new session for {client}: their earlier session {others} is kept apart. To add to "
        f"one instead, give --session {newest.id}."
    )


@with_studio
def run(args: argparse.Namespace, studio: Studio) -> int:
    err = Console(stderr=True)
    try:
        usable_folder(args.folder)  # before a session is made for it
        session, why = choose_session(
            studio, args.folder, args.client, args.email, getattr(args, "session", None)
        )
        summary = import_folder(
            studio,
            args.folder,
            args.client,
            args.email,
            progress=True,
            workers=args.workers,
            session=session,
        )
    except ImportFolderError as exc:
        err.print(str(exc), style="red", markup=False)
        return 2
    except KeyboardInterrupt:
        err.print("Import interrupted. Images finished so far are kept; run it again to resume.")
        return 130
    console = Console()
    print_summary(summary, console)
    if why:
        console.print(Text(why))
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
