"""`main.py lines ORDER`: an order's products and where each is, and moving them:
`--sent LINE…` (to the lab), `--shipped LINE… --note TEXT` (the client is e-mailed once for
them all, with the tracking note), `--delivered LINE…`, `--back LINE… --note WHY` (one step
back, to put a mistake right). LINE is the line's ref as the list shows it ("wall", "2").

    $ python main.py lines 42 --shipped wall 4 --note "UPS 1Z999AA10123456784"
    The 2 products are shipped. The client is e-mailed at eleanor@example.com.
    0042  Eleanor Whitfield  ·  0 of 3 products delivered · 2 shipped · 1 to send
      wall  Shipped     Gallery canvas 30×40, 1.5″ gallery wrap  ·  UPS 1Z999AA10123456784

Exit codes: 0 when listed or moved; 1 when the studio cannot be opened, the order does not
exist or the move is refused (a line that is not a shipped product, two steps back: on stderr).
"""

from __future__ import annotations

import argparse
import sys

from kiosk.checkout.invoice import get_invoice
from kiosk.checkout.settings import details_for_session
from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.core.errors import RevealError
from kiosk.core.fulfilment import STATES, LineState, progress_text
from kiosk.core.invoices import Invoice
from kiosk.fulfilment.moves import move_lines, states_of
from kiosk.studio import Studio

WORDS = {"ordered": "back to send", "lab": "at the lab", "shipped": "shipped",
         "delivered": "delivered"}  # fmt: skip


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    lines = subparsers.add_parser(
        "lines",
        help="an order's products: where each is; send to the lab, ship, deliver",
        description=(
            "List order ORDER's products (prints, wall art, albums: not the digital files) and "
            "where each is, or move some: to the lab, shipped (the client is e-mailed with the "
            "tracking note) or delivered. Moves are kept for good; --back steps one back."
        ),
    )
    lines.add_argument("number", metavar="ORDER", type=_number, help="the invoice number")
    move = lines.add_mutually_exclusive_group()
    for flag, state in (("--sent", "lab"), ("--shipped", "shipped"), ("--delivered", "delivered")):
        move.add_argument(flag, nargs="+", metavar="LINE", dest=state, help=f"mark {WORDS[state]}")
    move.add_argument("--back", nargs="+", metavar="LINE", help="one step back, to correct")
    lines.add_argument("--note", default="", help="the tracking note; for --back, why")
    lines.add_argument("--no-email", action="store_true", help="ship without e-mailing")
    lines.set_defaults(func=run_lines)
    return [lines]


@with_studio
def run_lines(args: argparse.Namespace, studio: Studio) -> int:
    store = studio.store
    try:
        invoice = get_invoice(store, args.number)
        moving = next(((s, getattr(args, s)) for s in STATES[1:] if getattr(args, s)), None)
        if args.back:
            moving = (_one_back(states_of(store, invoice), args.back), args.back)
        if moving is not None:
            state, refs = moving
            details = None if args.no_email else details_for_session(store, invoice.session_id)
            moved = move_lines(store, invoice.number, refs, state, note=args.note, studio=details)
            n = len(moved.events)
            what = "The product is" if n == 1 else f"The {n} products are"
            print(f"{what} {WORDS[state]}.", end="")
            if moved.email is not None:
                print(f" The client is e-mailed at {', '.join(moved.email.recipients)}.", end="")
            print()
            if moved.email_problem:
                print(moved.email_problem, file=sys.stderr)
            invoice = moved.invoice
    except RevealError as exc:
        print(exc, file=sys.stderr)
        return 1
    print_lines(invoice, states_of(store, invoice))
    return 0


def _one_back(states: tuple[LineState, ...], refs: list[str]) -> str:
    """The state one step back of the first line named; move_lines checks every one (and
    says in words why a line that is not a product, or is still to send, cannot go back)."""
    first = next((s for s in states if s.line.ref == refs[0]), None)
    if first is None:
        return "lab"
    return STATES[max(STATES.index(first.state) - 1, 0)]


def _number(text: str) -> int:
    digits = text.lstrip("#")
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not an order number, like 42 or 0042")
    return int(digits)


def print_lines(invoice: Invoice, states: tuple[LineState, ...]) -> None:
    print(f"{invoice.reference}  {invoice.client.name}  ·  {progress_text(states)}")
    width = max((len(s.line.ref) for s in states), default=0)
    for s in states:
        note = f"  ·  {s.note}" if s.note else ""
        print(f"  {s.line.ref:<{width}}  {s.label:<10}  {s.line.label}{note}")


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.lines", argv)


if __name__ == "__main__":
    sys.exit(main())
