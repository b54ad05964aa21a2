"""The engine: `price(pricelist, cart, today=...)`, exact, in integer minor units.

The rules it applies, in order, are the package's (kiosk/core/pricing/__init__.py). A cart is
prepared once (its lines resolved, the discounts in force, shipping, the tax share), then
evaluated under a collection; the advisor evaluates the same preparation under every one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from kiosk.core.errors import CartError
from kiosk.core.pricelist import Collection, Discount, PriceList, ShippingMethod
from kiosk.core.pricing.allocation import allocate
from kiosk.core.pricing.breakdown import (
    Breakdown,
    BreakdownLine,
    CreditUsage,
    TaxSummary,
    payment_schedule,
)
from kiosk.core.pricing.cart import STUDIO_DISCOUNT_REF, Cart
from kiosk.core.pricing.lines import PricedLine, resolve_line
from kiosk.core.pricing.money import format_money, round_half_up


def price(pricelist: PriceList, cart: Cart, *, today: date) -> Breakdown:
    """Price `cart`; `today` decides which promo codes are in force. CartError for bad lines."""
    prepared = PreparedCart(pricelist, cart, today)
    collection = prepared.collection_of(cart.collection)
    return prepared.evaluate(collection).breakdown()


@dataclass
class PreparedCart:
    """What does not depend on the collection: resolved lines, discounts in force, shipping."""

    pricelist: PriceList
    cart: Cart
    today: date
    lines: list[PricedLine] = field(init=False)
    units: int = field(init=False)  # in the whole cart
    by_rank: list[int] = field(init=False)  # line indexes, most valuable unit first
    keys: list[tuple[bool, ...]] = field(init=False)  # per line: taxable, then per reduction
    notices: list[str] = field(init=False)
    buy_gets: list[Discount] = field(init=False)
    free_fits: dict[str, list[bool]] = field(init=False)  # per buy-get discount: which lines
    reductions: list[Discount] = field(init=False)  # percent, then amounts
    shipping: ShippingMethod | None = field(init=False)
    top_up_taxed: bool = field(init=False)
    tax_share: tuple[int, int] = field(init=False)  # the tax in a taxable amount, as a ratio

    def __post_init__(self) -> None:
        pl, cart = self.pricelist, self.cart
        self.notices = []
        self.lines = lines = [resolve_line(pl, line, n) for n, line in enumerate(cart.lines)]
        # A bundle in the cart ("All digital files") pays for the lines it covers; done before
        # ranking, so credits and discounts pass them by.
        bundles = [(x.product, x.product.covers) for x in lines if x.product.covers is not None]
        if bundles:
            for x in lines:
                bundle = next(
                    (b for b, covers in bundles if covers.matches(x.product, x.variant)), None
                )
                if bundle is not None:
                    x.include_in(bundle)
        self.units = sum(x.units for x in lines)
        # Most valuable first, taxable before untaxed at equal price, then cart order: the
        # order credits and "buy N get M" take units in.
        self.by_rank = sorted(
            range(len(lines)), key=lambda i: (-lines[i].base, not lines[i].product.taxable, i)
        )
        active = self._discounts_in_force()
        self.buy_gets = [d for d in active if d.kind == "buy_get"]
        self.reductions = [d for d in active if d.kind == "percent"]
        self.reductions += [d for d in active if d.kind == "amount"]
        studio = cart.studio_discount
        if studio is not None:
            # Last of the reductions, so it takes its share of what the price list left; a
            # Discount reaching every line and the collection, so tax shares it exactly too.
            self.reductions.append(
                Discount(
                    id=STUDIO_DISCOUNT_REF,
                    name=studio.label,
                    kind="amount" if studio.percent is None else "percent",
                    percent=Decimal(studio.percent or 0),
                    amount=studio.amount or 0,
                    collection=True,
                )
            )
        self.free_fits = {d.id: [d.applies_to(x.product) for x in lines] for d in self.buy_gets}
        self.top_up_taxed = pl.everything_taxable
        rate = Fraction(pl.tax.rate) / 100
        share = rate / (1 + rate) if pl.tax.inclusive else rate
        self.tax_share = (share.numerator, share.denominator)
        self.keys = [
            (x.product.taxable, *(d.applies_to(x.product) for d in self.reductions)) for x in lines
        ]
        if cart.shipping is None:
            self.shipping = pl.default_shipping
        else:
            self.shipping = pl.shipping_method(cart.shipping)
            if self.shipping is None:
                choices = ", ".join(s.id for s in pl.shipping) or "none in this price list"
                raise CartError(
                    f'There is no shipping method "{cart.shipping}"; choose one of: {choices}.'
                )
        if cart.payment_plan is not None and pl.payment_plan(cart.payment_plan) is None:
            choices = ", ".join(p.id for p in pl.payment_plans) or "none in this price list"
            raise CartError(
                f'There is no payment plan "{cart.payment_plan}"; choose one of: {choices}.'
            )

    def _discounts_in_force(self) -> list[Discount]:
        codes = {c.strip().upper() for c in self.cart.promo_codes if c.strip()}
        known = set()
        active = []
        for d in self.pricelist.discounts:
            if d.code:
                if d.code not in codes:
                    continue
                known.add(d.code)
            if d.in_force(self.today):
                active.append(d)
            elif d.code:
                when = (
                    f"expired on {d.expires.isoformat()}"
                    if d.expires and self.today > d.expires
                    else f"starts on {d.starts.isoformat() if d.starts else '?'}"
                )
                self.notices.append(f"Code {d.code} {when}; it was not applied.")
        for code in sorted(codes - known):
            self.notices.append(f"Code {code} is not in this price list; it was not applied.")
        return active

    def collection_of(self, collection_id: str | None) -> Collection | None:
        if collection_id is None:
            return None
        collection = self.pricelist.collection(collection_id)
        if collection is None:
            choices = ", ".join(c.id for c in self.pricelist.collections) or "none in this list"
            raise CartError(f'There is no collection "{collection_id}"; choose one of: {choices}.')
        return collection

    def evaluate(self, collection: Collection | None) -> Evaluation:
        pl, lines = self.pricelist, self.lines
        covered, usage = allocate(collection, lines, self.by_rank)
        charges = [
            (x.units - c) * x.base + x.units * x.extras for x, c in zip(lines, covered, strict=True)
        ]
        subtotal = sum(charges) + (collection.price if collection else 0)
        discount_lines: list[tuple[Discount, int]] = []

        # 3a. Buy N get M, on base prices of units still charged.
        if self.buy_gets:
            left = [x.units - c for x, c in zip(lines, covered, strict=True)]
            for d in self.buy_gets:
                position, freed = 0, 0
                group = d.buy + d.get
                for i in self.by_rank:
                    x = lines[i]
                    if not left[i] or not x.base or not self.free_fits[d.id][i]:
                        continue
                    free = _free_between(position, position + left[i], d.buy, group)
                    position += left[i]
                    if free:
                        left[i] -= free
                        charges[i] -= free * x.base
                        freed += free * x.base
                if freed:
                    discount_lines.append((d, freed))

        # 3b. Percent and amount discounts, shared among the buckets they reduce in exact
        # proportion so the one tax rounding sees the true taxable amount. Buckets are lines
        # alike in taxability and in which discounts reach them; their amounts are integer
        # numerators over one common denominator (exact, and much faster than Fractions).
        taxable, denominator = 0, 1
        if self.reductions:
            buckets: dict[tuple[bool, ...], int] = {}
            for key, charge in zip(self.keys, charges, strict=True):
                if charge:
                    buckets[key] = buckets.get(key, 0) + charge
            if collection and collection.price:
                key = (collection.taxable, *(d.collection for d in self.reductions))
                buckets[key] = buckets.get(key, 0) + collection.price
            for k, d in enumerate(self.reductions, 1):
                eligible = sum(v for key, v in buckets.items() if key[k])
                if not eligible:
                    continue
                most = eligible // denominator  # floored: never more than is there
                if d.kind == "percent":
                    num, den = d.percent.as_integer_ratio()
                    off = min(round_half_up(eligible * num, denominator * den * 100), most)
                else:
                    off = min(d.amount, most)
                if not off:
                    continue
                discount_lines.append((d, off))
                # Eligible buckets keep (eligible - off) / eligible of themselves.
                kept = eligible - off * denominator
                for key in buckets:
                    buckets[key] *= kept if key[k] else eligible
                denominator *= eligible
            taxable = sum(v for key, v in buckets.items() if key[0])
        else:
            taxable = sum(c for key, c in zip(self.keys, charges, strict=True) if key[0])
            if collection and collection.taxable:
                taxable += collection.price

        discounts = sum(amount for _, amount in discount_lines)
        goods = subtotal - discounts
        anything = bool(lines) or collection is not None
        top_up = max(0, pl.minimum_order - goods) if anything else 0
        if top_up and self.top_up_taxed:
            taxable += top_up * denominator
        shipping = self.shipping.price if self.shipping and anything else 0
        if shipping and self.shipping and self.shipping.taxable:
            taxable += shipping * denominator

        share, share_of = self.tax_share
        tax_amount = round_half_up(taxable * share, denominator * share_of)
        due = goods + top_up + shipping + (0 if pl.tax.inclusive else tax_amount)
        credit = 0
        if (
            self.cart.session_fee_credit
            and anything
            and (collection is not None or not pl.session_fee_credit_needs_collection)
        ):
            credit = min(pl.session_fee_credit, due)
        return Evaluation(
            self,
            collection,
            covered,
            usage,
            charges,
            subtotal,
            discount_lines,
            top_up,
            shipping,
            round_half_up(taxable, denominator),
            tax_amount,
            credit,
            due - credit,
        )


@dataclass
class Evaluation:
    prepared: PreparedCart
    collection: Collection | None
    covered: list[int]
    usage: list[tuple[int, list[int]]]  # per credit: units used, lines paid for
    charges: list[int]
    subtotal: int
    discount_lines: list[tuple[Discount, int]]
    top_up: int
    shipping: int
    taxable: int
    tax: int
    credit: int
    total: int

    def credit_usage(self) -> list[CreditUsage]:
        if self.collection is None:
            return []
        lines = self.prepared.lines
        return [
            CreditUsage(
                label=credit.label,
                plural=credit.plural,
                used=used,
                count=credit.count,
                refs=tuple(lines[i].ref for i in paid),
            )
            for credit, (used, paid) in zip(self.collection.credits, self.usage, strict=True)
        ]

    def breakdown(self) -> Breakdown:
        prepared, pl = self.prepared, self.prepared.pricelist
        currency, tax = pl.currency, pl.tax
        out: list[BreakdownLine] = []
        collection = self.collection
        if collection:
            out.append(
                BreakdownLine("collection", collection.name, collection.price, collection.id)
            )
        for x, covered, charge in zip(prepared.lines, self.covered, self.charges, strict=True):
            note = f"included in {x.bundle}" if x.bundle else ""
            if covered and collection:
                note = (
                    f"included in {collection.name}"
                    if covered == x.units
                    else f"{covered} of {x.units} included in {collection.name}"
                )
            # The charge after "buy N get M" is shown on the discount line, not here.
            freed = (x.units - covered) * x.base + x.units * x.extras - charge
            out.append(
                BreakdownLine(
                    "item",
                    x.label,
                    charge + freed,
                    x.ref,
                    quantity=x.units,
                    unit_price=x.list_base + x.extras,
                    covered=covered,
                    list_amount=x.units * (x.list_base + x.extras),
                    note=note,
                    images=x.images,
                )
            )
        for d, amount in self.discount_lines:
            label = f"{d.name} ({d.code})" if d.code else d.name
            out.append(BreakdownLine("discount", label, -amount, d.id))
        if self.top_up:
            out.append(
                BreakdownLine(
                    "minimum",
                    f"Minimum order of {format_money(pl.minimum_order, currency)}",
                    self.top_up,
                )
            )
        if self.shipping and prepared.shipping:
            out.append(
                BreakdownLine(
                    "shipping", prepared.shipping.name, self.shipping, prepared.shipping.id
                )
            )
        rate_text = f"{tax.rate.normalize():f}%"
        if self.tax and not tax.inclusive:
            out.append(BreakdownLine("tax", f"{tax.name} {rate_text}", self.tax))
        if self.credit:
            out.append(BreakdownLine("session_credit", "Session fee credit", -self.credit))
        total = sum(line.amount for line in out)
        assert total == self.total, (total, self.total)  # the lines must add up, always

        notices = list(prepared.notices)
        schedule = None
        plan = pl.payment_plan(prepared.cart.payment_plan or "")
        if plan and total >= plan.min_total and total > 0:
            schedule = payment_schedule(total, plan)
        elif plan:
            notices.append(
                f"{plan.name} is for orders of {format_money(plan.min_total, currency)} or more."
            )
        return Breakdown(
            currency=currency,
            collection=collection.id if collection else None,
            lines=tuple(out),
            credits=tuple(self.credit_usage()),
            tax=TaxSummary(tax.name, tax.rate, tax.inclusive, self.taxable, self.tax),
            subtotal=self.subtotal,
            discounts=sum(a for _, a in self.discount_lines),
            shipping=self.shipping,
            total=total,
            schedule=schedule,
            notices=tuple(notices),
        )


def _free_between(start: int, end: int, buy: int, group: int) -> int:
    """Free units at positions start..end-1 when, in every group of `group`, those after
    the first `buy` are free."""

    def upto(n: int) -> int:
        return (n // group) * (group - buy) + max(0, n % group - buy)

    return upto(end) - upto(start)
