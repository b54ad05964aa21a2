"""The studio a command works on: opened from `--data`, closed whatever the command does.

    @with_studio
    def run_list(args: argparse.Namespace, studio: Studio) -> int:
        ...

A studio that cannot be opened (a wrong `--data`, a database from a newer Reveal) is said on
stderr and the command exits 1 without running.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable

from kiosk.core.errors import RevealError
from kiosk.studio import Studio, open_studio

CANNOT_OPEN = 1  # the exit code when the studio cannot be opened


def with_studio(
    command: Callable[[argparse.Namespace, Studio], int],
) -> Callable[[argparse.Namespace], int]:
    """`command(args, studio)` as a command `run(args)`: the studio opened from `args.data`
    before it and closed after it."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            studio = open_studio(getattr(args, "data", None))
        except RevealError as exc:
            print(exc, file=sys.stderr)
            return CANNOT_OPEN
        try:
            return command(args, studio)
        finally:
            studio.close()

    return run
