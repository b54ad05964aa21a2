"""`main.py guide --to guide.pdf [--pricelist FILE] [--paper a4|letter]`: the studio's Product &
Pricing Guide, made from its price list (or another one), to send before the viewing.

    $ python main.py guide --to ~/Desktop/guide.pdf
    Wrote the pricing guide (4 collections, 11 products) to /home/studio/Desktop/guide.pdf.

Exit codes: 0 when written; 1 when the studio or the price list cannot be read or the file
cannot be written (the reason on stderr).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kiosk.checkout.settings import studio_details
from kiosk.cli import run_alone
from kiosk.cli.studio import with_studio
from kiosk.core.errors import RevealError
from kiosk.core.guide import pricing_guide
from kiosk.core.pricelist import load
from kiosk.guide.pdf import render_guide_pdf
from kiosk.guide.pictures import guide_pictures
from kiosk.studio import Studio


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    guide = subparsers.add_parser(
        "guide",
        help="write the studio's Product & Pricing Guide as a PDF",
        description=(
            "Write the Product & Pricing Guide from the studio's price list: the collections "
            "and what each includes, every product with its sizes, prices and upgrades, the "
            "payment plans and how the viewing works. Every price is what the kiosk charges."
        ),
    )
    guide.add_argument("--to", type=Path, required=True, metavar="PDF", help="where to write it")
    guide.add_argument("--pricelist", type=Path, metavar="FILE", help="another price list")
    guide.add_argument("--paper", choices=("a4", "letter"), help="default: the studio's paper")
    guide.set_defaults(func=run_guide)
    return [guide]


@with_studio
def run_guide(args: argparse.Namespace, studio: Studio) -> int:
    try:
        pricelist = load(args.pricelist) if args.pricelist else studio.pricelist.current
        guide = pricing_guide(pricelist, today=date.today())
        paper = args.paper or studio.paper
        pictures = guide_pictures(pricelist, studio.paths.cache / "guide")
        pdf = render_guide_pdf(guide, studio_details(studio.store), paper=paper, pictures=pictures)
        args.to.write_bytes(pdf)
    except (RevealError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"Wrote the pricing guide ({len(guide.collections)} collections, "
        f"{len(guide.products)} products) to {args.to}."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.guide", argv)


if __name__ == "__main__":
    sys.exit(main())
