"""main.py's command line: the global options, the commands, and which one runs.

What must stay true: a global option means the same wherever it stands, before the command or
after it (`main.py --data DIR import ...` and `main.py import ... --data DIR`), and one given
twice with two different values is an error rather than a silent choice of studio.

Each command module (`imports`, `pricing`, `checkout`, `walls`, `setup`) adds its commands with
`add_parsers(subparsers)`; the chosen command runs as `args.func(args)` and returns the exit code.
A module also runs alone, as `python -m kiosk.cli.pricing ...`, through `run_alone`.

    args = parse_args(["import", "card/", "--client", "Ada", "--data", "studio/"])
    args.data, args.command          # (PosixPath('studio'), 'import')
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Where a global option given after the command lands before it is merged with the one before:
# one attribute per depth of subcommand (`wall add` is two deep), so none overwrites another.
_AFTER = "_after_command_"


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1920x1080") from None
    if width < 320 or height < 240:
        raise argparse.ArgumentTypeError(f"'{text}' is too small; the kiosk needs at least 320x240")
    return width, height


def _data_option() -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            "--data",
            {
                "type": Path,
                "metavar": "DIR",
                "help": "studio folder (default: your user data folder)",
            },
        )
    ]


def _kiosk_options() -> list[tuple[str, dict[str, Any]]]:
    """The options of the kiosk itself (no command); accepted after a command too, unused."""
    return [
        ("--windowed", {"action": "store_true", "help": "a window instead of full screen"}),
        ("--size", {"type": parse_size, "help": "window size, e.g. 1920x1080"}),
        ("--session", {"type": int, "help": "session number to show (default: newest)"}),
        ("--port", {"type": int, "help": "port of the remote and phone pages"}),
        (
            "--screenshot",
            {"type": Path, "help": "save a PNG of the screen once the first image shows"},
        ),
    ]


def build_parser(
    prog: str = "main.py",
    registrars: Sequence[Callable[[Any], object]] | None = None,
    *,
    kiosk: bool = True,
    data: bool = True,
) -> argparse.ArgumentParser:
    """The parser: the global options (`--data`, and the kiosk's when `kiosk`), then each
    registrar's commands, each of which accepts the global options after it as well."""
    if registrars is None:
        from kiosk.cli import (
            checkout,
            delivery,
            guide,
            imports,
            invite,
            payments,
            pricing,
            setup,
            walls,
        )

        registrars = [
            imports.add_parsers,
            pricing.add_parsers,
            checkout.add_parsers,
            payments.add_parsers,
            delivery.add_parsers,
            guide.add_parsers,
            invite.add_parsers,
            walls.add_parsers,
            setup.add_parsers,
        ]
        from kiosk.cli import backups, machine, sessions, upkeep

        registrars += [backups.add_parsers, machine.add_parsers, sessions.add_parsers]
        registrars.append(upkeep.add_parsers)
        from kiosk.cli import display

        registrars.append(display.add_parsers)  # the room display on a second monitor
        from kiosk.cli import lines

        registrars.append(lines.add_parsers)  # an order's products: lab, shipped, delivered
    description = "Reveal, the viewing-room kiosk. With no command it starts the kiosk."
    options = (_data_option() if data else []) + (_kiosk_options() if kiosk else [])
    parser = argparse.ArgumentParser(prog=prog, description=description if kiosk else None)
    for flag, spec in options:
        parser.add_argument(flag, **spec)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=not kiosk)
    for add_parsers in registrars:
        add_parsers(sub)
    for depth, command in _commands(parser) if options else ():
        group = command.add_argument_group("global options (also before the command)")
        for flag, spec in options:
            if flag in command._option_string_actions:
                continue  # the command's own option of that name (`wall add --session N`)
            shown = spec["help"] if flag == "--data" else argparse.SUPPRESS
            after = {**spec, "help": shown, "default": argparse.SUPPRESS}
            if spec.get("action") != "store_true":
                after.setdefault("metavar", _name(flag).upper())
            group.add_argument(flag, **after, dest=f"{_AFTER}{depth}_{_name(flag)}")
    parser.set_defaults(_global_names=[_name(flag) for flag, _ in options])
    return parser


def parse_args(
    argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None
) -> argparse.Namespace:
    """`argv` parsed, each global option in one place (args.data ...) wherever it was given."""
    parser = parser or build_parser()
    args = parser.parse_args(argv)
    given: dict[str, list[Any]] = {name: [getattr(args, name)] for name in args._global_names}
    for key in [k for k in vars(args) if k.startswith(_AFTER)]:
        name = key.removeprefix(_AFTER).partition("_")[2]  # after `<depth>_`
        given[name].append(getattr(args, key))
        delattr(args, key)
    for name, values in given.items():
        values = [v for v in values if v is not None and v is not False]  # `--port 0` counts
        if len(set(values)) > 1:
            parser.error(
                f"--{name} is given twice, as {values[0]} and {values[1]}: give it once, "
                "before or after the command"
            )
        if values:
            setattr(args, name, values[0])
    del args._global_names
    return args


def run_alone(
    add_parsers: Callable[[Any], object],
    prog: str,
    argv: Sequence[str] | None = None,
    *,
    data: bool = True,
) -> int:
    """Run one module's commands (with main.py's `--data DIR` when they open the studio, before
    or after the command); the command's exit code."""
    parser = build_parser(prog, [add_parsers], kiosk=False, data=data)
    args = parse_args(argv, parser)
    return args.func(args)


def _commands(parser: argparse.ArgumentParser, depth: int = 1):
    """Every command's parser under `parser` (nested ones too) with its depth, each once."""
    seen: set[int] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                if id(command) not in seen:
                    seen.add(id(command))
                    yield depth, command
                    yield from _commands(command, depth + 1)


def _name(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")
