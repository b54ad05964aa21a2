"""Reveal: the viewing-room kiosk. `python main.py --help` lists what it can do.

The global options (`--data DIR` and the kiosk's own) go before or after a command alike; the
command line itself is `kiosk.cli`.
"""

from __future__ import annotations

import os
import sys

# Kivy reads sys.argv and writes logs on import; the kiosk has its own options.
os.environ.setdefault("KIVY_NO_ARGS", "1")


def main(argv: list[str] | None = None) -> int:
    from kiosk.cli import parse_args

    args = parse_args(argv)
    if args.command:
        return args.func(args)
    from kiosk.kiosk import run_kiosk

    return run_kiosk(args)


if __name__ == "__main__":
    sys.exit(main())
