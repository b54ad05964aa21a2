"""How long pricing takes per cart change, next to a naive exact baseline.

    .venv/bin/python bench/pricing_bench.py [--changes 400] [--baseline 8] [--seed 7]

A generated price list with 12 collections, 200 products and an "All digital files" bundle,
and a 40-line cart. Each change (quantity, size, option, a line swapped, the collection
switched) is followed by what the cart screen runs: `price()` for the chosen collection and
`advise()` over all of them and the bundle in place of the cart's files.

The baseline is the naive exact way: for every collection, price the cart from scratch and
find the best credit allocation by the Hungarian assignment algorithm over single units and
single credit slots. Both must agree on the value covered; the baseline runs on the first
changes only, being slow. The last line is `pricing p99 per change: X ms` (goal: 5 ms).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.core.pricelist import Collection, PriceList, parse  # noqa: E402
from kiosk.core.pricing import Cart, CartLine, advise, price  # noqa: E402

SIZES = ["5x7", "8x10", "11x14", "16x20", "20x24", "20x30", "24x36", "30x40", "40x60"]
WALL = ["print", "canvas", "metal", "acrylic", "framed"]
TODAY = date(2026, 5, 1)


def price_list_text(rng: random.Random, products: int = 200, collections: int = 12) -> str:
    out = [
        '[studio]\nname = "Bench Studio"\n',
        '[currency]\ncode = "USD"\nsymbol = "$"\n',
        '[tax]\nrate = "8.25"\ntaxable = ["print", "canvas", "metal", "acrylic", "framed", '
        '"album", "collection", "shipping"]\n',
        '[order]\nminimum = "500.00"\nsession_fee_credit = "150.00"\n',
        '[advisor]\nupgrade_within = "300.00"\n',
    ]
    kinds = [*WALL, "album", "digital", "retouch"]
    for n in range(products):
        kind = kinds[n % len(kinds)]
        out.append(f'[[product]]\nid = "p{n}"\nkind = "{kind}"\nname = "{kind.title()} {n}"')
        if kind in WALL:
            sizes = sorted(rng.sample(SIZES, 4), key=SIZES.index)
            rows = []
            for s in sizes:
                w, h = (int(x) for x in s.split("x"))
                rows.append(
                    f'  {{ size = "{s}", '
                    f'price = "{20 + w * h * rng.randint(80, 120) // 100}.00" }},'
                )
            out.append("variants = [\n" + "\n".join(rows) + "\n]")
            prices = ", ".join(f'"{s}" = "{rng.randint(10, 90)}.00"' for s in sizes)
            out.append(
                '[[product.options]]\nid = "finish"\nname = "Finish"\nchoices = [\n'
                '  { id = "standard", name = "Standard" },\n'
                f'  {{ id = "premium", name = "Premium", prices = {{ {prices} }} }},\n]'
            )
        elif kind == "album":
            out.append(
                "variants = [\n"
                '  { id = "10x10", size = "10x10", spreads = 10, extra_spread = "40.00", '
                f'price = "{rng.randint(600, 1100)}.00" }},\n'
                '  { id = "12x12", size = "12x12", spreads = 10, extra_spread = "50.00", '
                f'price = "{rng.randint(1100, 1500)}.00" }},\n]'
            )
        else:
            out.append('per = "image"')
            out.append(f'variants = [{{ id = "single", price = "{rng.randint(25, 150)}.00" }}]')
        out.append("")
    # The advisor prices the cart once more with this in place of its files, at every change.
    out.append(
        '[[product]]\nid = "all-files"\nkind = "digital"\nname = "All digital files"\n'
        'covers = { kind = "digital" }\nvariants = [{ id = "all", price = "1500.00" }]\n'
    )
    for n in range(collections):
        credits = [
            f'  {{ kind = "canvas", size = "{rng.choice(SIZES[3:])}" }},',
            f'  {{ kind = "digital", count = {rng.randint(5, 30)} }},',
            f'  {{ kinds = ["print", "metal", "framed"], max_size = "{rng.choice(SIZES[2:7])}", '
            f"count = {rng.randint(1, 6)} }},",
        ]
        if n % 2:
            credits.append('  { kind = "album" },')
        if n % 3 == 0:
            credits.append(f'  {{ kind = "retouch", count = {rng.randint(3, 10)} }},')
        out.append(
            f'[[collection]]\nid = "c{n}"\nname = "Collection {n}"\n'
            f'price = "{rng.randint(9, 50) * 100}.00"\ncredits = [\n' + "\n".join(credits) + "\n]\n"
        )
    out.append(
        '[[discount]]\nid = "bogo"\nname = "Buy 3 prints, get one"\nbuy = 3\nkinds = ["print"]\n'
    )
    out.append('[[discount]]\nid = "ten"\nname = "Ten percent"\ncode = "BENCH10"\npercent = "10"\n')
    out.append(
        '[[discount]]\nid = "fifty"\nname = "Fifty off"\ncode = "BENCH50"\namount = "50.00"\n'
    )
    out.append('[[shipping]]\nid = "ship"\nname = "Shipping"\nprice = "35.00"\ndefault = true\n')
    out.append(
        '[[payment_plan]]\nid = "p3"\nname = "Three"\ndeposit_percent = "25"\ninstalments = 3\n'
    )
    return "\n".join(out)


def random_line(rng: random.Random, pl: PriceList) -> CartLine:
    # Never the bundle itself: the baseline below knows nothing of bundles.
    product = rng.choice([p for p in pl.products if p.covers is None])
    variant = rng.choice(product.variants)
    options = {}
    for option in product.options:
        options[option.id] = rng.choice(
            [c.id for c in option.choices if c.price_for(variant.id) is not None]
        )
    images = tuple(rng.sample(range(1, 300), rng.randint(1, 4 if product.per == "image" else 1)))
    return CartLine(
        product.id, variant.id, options, images, rng.randint(1, 3 if product.per == "item" else 1)
    )


def change(rng: random.Random, pl: PriceList, cart: Cart) -> Cart:
    lines = list(cart.lines)
    what = rng.random()
    i = rng.randrange(len(lines))
    if what < 0.3:
        lines[i] = replace(lines[i], quantity=rng.randint(1, 3))
    elif what < 0.6:
        lines[i] = random_line(rng, pl)
    elif what < 0.8:
        lines.pop(i)
        lines.insert(rng.randrange(len(lines) + 1), random_line(rng, pl))
    else:
        collection = rng.choice([None, *(c.id for c in pl.collections)])
        return replace(cart, collection=collection)
    return replace(cart, lines=tuple(lines))


# --- The naive baseline ---------------------------------------------------------------------


def hungarian_min_cost(cost: list[list[int]]) -> int:
    """Minimum-cost assignment of every row to a distinct column (rows <= columns)."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v, p, way = [0] * (n + 1), [0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return int(-v[0])


def naive_covered(pl: PriceList, cart: Cart, collection: Collection) -> int:
    """The base price covered by the best allocation, by assignment over single units."""
    units = []  # (value, the credit slots it fits)
    for line in cart.lines:
        product = pl.product(line.product)
        variant = product.variant(line.variant)
        count = line.quantity * (len(line.images) if product.per == "image" else 1)
        fits = {n for n, c in enumerate(collection.credits) if c.covers(product, variant)}
        units += [(variant.price, fits)] * count
    slots = [n for n, c in enumerate(collection.credits) for _ in range(c.count)]
    # Value 0 for a unit a slot cannot take: the same as leaving the slot unused.
    rows = [[-(value if s in fits else 0) for value, fits in units] for s in slots]
    if not rows or not units:
        return 0
    if len(rows) > len(units):
        rows = [list(col) for col in zip(*rows, strict=True)]
    return -hungarian_min_cost(rows)


def naive_change(pl: PriceList, cart: Cart) -> list[tuple[str | None, int, int]]:
    out = []
    for collection in (None, *pl.collections):
        candidate = replace(cart, collection=collection.id if collection else None)
        covered = naive_covered(pl, candidate, collection) if collection else 0
        out.append((candidate.collection, price(pl, candidate, today=TODAY).total, covered))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=400)
    parser.add_argument("--baseline", type=int, default=8, help="changes timed naively")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    text = price_list_text(rng)
    started = time.perf_counter()
    pl = parse(text, file="bench.toml")
    parse_ms = (time.perf_counter() - started) * 1000
    variants = sum(len(p.variants) for p in pl.products)
    print(
        f"price list: {len(pl.products)} products, {variants} variants, "
        f"{len(pl.collections)} collections; parsed in {parse_ms:.1f} ms"
    )
    cart = Cart(
        lines=tuple(random_line(rng, pl) for _ in range(40)),
        collection="c3",
        promo_codes=("BENCH10", "BENCH50"),
        payment_plan="p3",
    )
    carts = []
    for _ in range(args.changes):
        cart = change(rng, pl, cart)
        carts.append(cart)
    units = sum(
        x.quantity * (len(x.images) if pl.product(x.product).per == "image" else 1)
        for x in carts[0].lines
    )
    print(f"cart: {len(carts[0].lines)} lines, {units} units; {args.changes} changes")

    for cart in carts[:20]:  # warm up the engine's per-list memo and the interpreter
        price(pl, cart, today=TODAY)
        advise(pl, cart, today=TODAY)
    engine = []
    for cart in carts:
        started = time.perf_counter()
        price(pl, cart, today=TODAY)
        advice = advise(pl, cart, today=TODAY)
        engine.append((time.perf_counter() - started) * 1000)
    naive = []
    for cart in carts[: args.baseline]:
        started = time.perf_counter()
        results = naive_change(pl, cart)
        naive.append((time.perf_counter() - started) * 1000)
        # Same totals, and the greedy allocation covers exactly what the assignment does.
        advice = advise(pl, cart, today=TODAY)
        assert {q.collection: q.total for q in advice.quotes} == {c: t for c, t, _ in results}
        for collection_id, _, covered in results:
            if collection_id is None:
                continue
            b = price(pl, replace(cart, collection=collection_id), today=TODAY)
            engine_covered = sum(
                x.covered * pl.product(line.product).variant(line.variant).price
                for x, line in zip(
                    [x for x in b.lines if x.kind == "item"], cart.lines, strict=True
                )
            )
            assert engine_covered == covered, (collection_id, engine_covered, covered)

    def row(name: str, values: list[float]) -> str:
        return (
            f"{name:<44} p50 {statistics.median(values):8.2f} ms   "
            f"p99 {percentile(values, 0.99):8.2f} ms   (n={len(values)})"
        )

    print(row("engine: price() + advise() (13 + the bundle)", engine))
    print(row("naive: 13 × (price() + Hungarian allocation)", naive))
    print(f"speed-up at p50: {statistics.median(naive) / statistics.median(engine):.0f}×")
    print(f"pricing p99 per change: {percentile(engine, 0.99):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
