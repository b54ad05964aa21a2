"""What the `kiosk/cli_*.py` modules share: each adds its commands to `main.py`'s parser with
`add_parsers(subparsers)`, and runs alone as `python -m kiosk.cli_X` through `run_alone`."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def run_alone(
    add_parsers: Callable[[Any], object],
    prog: str,
    argv: Sequence[str] | None = None,
    *,
    data: bool = True,
) -> int:
    """Parse `argv` for one module's commands (with main.py's `--data DIR` when they open the
    studio) and run the chosen one; its exit code."""
    parser = argparse.ArgumentParser(prog=prog)
    if data:
        parser.add_argument("--data", type=Path, default=None, help="the studio folder")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)
