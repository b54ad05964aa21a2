"""Reveal: the viewing-room kiosk. `python main.py --help` lists what it can do."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# Kivy reads sys.argv and writes logs on import; the kiosk has its own options.
os.environ.setdefault("KIVY_NO_ARGS", "1")


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1920x1080") from None
    if width < 320 or height < 240:
        raise argparse.ArgumentTypeError(f"'{text}' is too small; the kiosk needs at least 320x240")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Reveal, the viewing-room kiosk. With no command it starts the kiosk.",
    )
    parser.add_argument("--data", type=Path, help="studio folder (default: your user data folder)")
    parser.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    parser.add_argument("--size", type=parse_size, help="window size, e.g. 1920x1080")
    parser.add_argument("--session", type=int, help="session number to show (default: newest)")
    parser.add_argument("--port", type=int, help="port of the remote and phone pages")
    parser.add_argument(
        "--screenshot", type=Path, help="save a PNG of the screen once the first image shows"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from kiosk import cli_checkout, cli_import, cli_pricing, cli_walls

    cli_import.add_parsers(sub)
    cli_pricing.add_parsers(sub)
    cli_checkout.add_parsers(sub)
    cli_walls.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command:
        return args.func(args)
    from kiosk.kiosk import run_kiosk

    return run_kiosk(args)


if __name__ == "__main__":
    sys.exit(main())
