"""`python main.py pricelist check FILE` and `python main.py quote FILE CART.json`.

main.py registers both with `add_parsers(subparsers)` and calls `args.func(args)`;
`python -m kiosk.cli.pricing` runs them alone. The cart JSON format is in docs/pricelist.md,
the photographer's "studio_discount" included (its own section there).

Exit codes: 0 when the file (and cart) are good, 1 with the reason on stderr when not.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from kiosk.cli import run_alone
from kiosk.core.errors import CartError, PriceListError
from kiosk.core.pricelist import Credit, PriceList, load
from kiosk.core.pricing import advise, cart_from_dict, format_money, price


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    pricelist = subparsers.add_parser(
        "pricelist",
        help="work with a price list file",
        description="Work with a studio's price list file (format: docs/pricelist.md).",
    )
    actions = pricelist.add_subparsers(dest="pricelist_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="validate a price list and print a summary",
        description="Validate FILE; print a summary, or the first mistake with its line.",
    )
    check.add_argument("file", metavar="FILE", type=Path, help="the price list (.toml)")
    check.set_defaults(func=run_check)

    quote = subparsers.add_parser(
        "quote",
        help="price a cart against a price list, as JSON",
        description=(
            "Price the cart in CART.json against FILE and print the breakdown as JSON: "
            "lines, credits used, discounts (promo codes and a studio discount included), tax, "
            "total and instalments."
        ),
    )
    quote.add_argument("file", metavar="FILE", type=Path, help="the price list (.toml)")
    quote.add_argument("cart", metavar="CART.json", type=Path, help="the cart (JSON)")
    quote.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help='the day promo codes are checked against (default: the cart\'s "date", or today)',
    )
    quote.add_argument(
        "--advise", action="store_true", help="also price every collection and suggest one"
    )
    quote.set_defaults(func=run_quote)
    return [pricelist, quote]


def run_check(args: argparse.Namespace) -> int:
    try:
        pricelist = load(args.file)
    except PriceListError as exc:
        print(exc, file=sys.stderr)
        return 1
    print_summary(pricelist, sys.stdout)
    return 0


def run_quote(args: argparse.Namespace) -> int:
    try:
        pricelist = load(args.file)
        try:
            data = json.loads(Path(args.cart).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CartError(f"{args.cart}: cannot be read ({exc.strerror or exc}).") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CartError(f"{args.cart}: not valid JSON ({exc}).") from exc
        cart = cart_from_dict(data)
        today = args.date or _cart_date(data) or date.today()
        result = price(pricelist, cart, today=today).to_dict()
        if args.advise:
            advice = advise(pricelist, cart, today=today)
            result["advice"] = {
                "best": advice.best.collection,
                "savings": advice.savings,
                "suggestion": advice.suggestion,
                "quotes": [
                    {"collection": q.collection, "name": q.name, "total": q.total}
                    for q in advice.quotes
                ],
            }
    except (PriceListError, CartError) as exc:
        print(exc, file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


def print_summary(pricelist: PriceList, out: TextIO) -> None:
    """A readable page of what the file says, so an edit can be checked at a glance."""
    pl, money = pricelist, pricelist.currency

    def m(amount: int) -> str:
        return format_money(amount, money)

    tax = pl.tax
    print(f"{pl.studio}: price list OK ({pl.file})", file=out)
    print(f"Currency: {money.code}, written {m(240000)}", file=out)
    if tax.rate:
        how = "included in prices" if tax.inclusive else "added to prices"
        on = "everything" if tax.taxable is None else ", ".join(sorted(tax.taxable))
        print(f"Tax: {tax.name} {tax.rate.normalize():f}%, {how}; on {on}", file=out)
    else:
        print("Tax: none", file=out)
    order = []
    if pl.minimum_order:
        order.append(f"minimum order {m(pl.minimum_order)}")
    if pl.session_fee_credit:
        needs = " with a collection" if pl.session_fee_credit_needs_collection else ""
        order.append(f"session fee credit {m(pl.session_fee_credit)}{needs}")
    if order:
        print("Order: " + "; ".join(order), file=out)

    variants = sum(len(p.variants) for p in pl.products)
    print(f"\nProducts ({len(pl.products)}, {variants} variants):", file=out)
    for p in pl.products:
        prices = [v.price for v in p.variants]
        span = (
            m(min(prices)) if min(prices) == max(prices) else f"{m(min(prices))}–{m(max(prices))}"
        )
        per = " per image" if p.per == "image" else ""
        options = f"; {', '.join(o.name for o in p.options)}" if p.options else ""
        tax_note = "" if p.taxable or not tax.rate else "; not taxed"
        print(
            f"  {p.id:<14} {p.kind:<8} {p.name}: {_count(len(p.variants), 'variant', 'variants')}"
            f" {span}{per}{options}"
            f"{tax_note}",
            file=out,
        )
    if pl.collections:
        print(f"\nCollections ({len(pl.collections)}):", file=out)
        for c in pl.collections:
            print(f"  {c.id:<14} {c.name} {m(c.price)}: {_credits(c.credits)}", file=out)
    if pl.discounts:
        print(f"\nDiscounts ({len(pl.discounts)}):", file=out)
        for d in pl.discounts:
            what = {
                "percent": f"{d.percent.normalize():f}% off",
                "amount": f"{m(d.amount)} off",
                "buy_get": f"buy {d.buy}, get {d.get} free",
            }[d.kind]
            code = f" with code {d.code}" if d.code else " automatic"
            when = f", until {d.expires.isoformat()}" if d.expires else ""
            print(f"  {d.id:<14} {d.name}: {what},{code}{when}", file=out)
    if pl.shipping:
        methods = ", ".join(
            f"{s.name} {m(s.price)}{' (default)' if s.default else ''}" for s in pl.shipping
        )
        print(f"\nShipping: {methods}", file=out)
    if pl.payment_plans:
        print("\nPayment plans:", file=out)
        for plan in pl.payment_plans:
            deposit = (
                f"{plan.deposit_percent.normalize():f}%"
                if plan.deposit_percent is not None
                else m(plan.deposit)
            )
            least = f", orders from {m(plan.min_total)}" if plan.min_total else ""
            print(
                f"  {plan.id:<14} {plan.name}: {deposit} deposit + {plan.instalments} "
                f"instalments{least}",
                file=out,
            )


def _credits(credits: tuple[Credit, ...]) -> str:
    return ", ".join(_count(c.count, c.label, c.plural) for c in credits)


def _count(n: int | None, one: str, many: str) -> str:
    if n is None:  # a credit written count = "all": every image of its kind
        return f"all {many}"
    if n == 1:
        return one if one[0].isdigit() else f"1 {one}"
    return f"{n} × {many}" if many[0].isdigit() else f"{n} {many}"


def _cart_date(data: object) -> date | None:
    text = data.get("date") if isinstance(data, dict) else None
    if not text:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError as exc:
        raise CartError(f'The cart\'s "date" is "{text}"; expected YYYY-MM-DD.') from exc


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.pricing", argv, data=False)


if __name__ == "__main__":
    sys.exit(main())
