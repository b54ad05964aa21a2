"""A studio's fifth year against its first month, in the same run: does anything slow down as
sessions pile up, and does the cache stay within its budget?

    .venv/bin/python bench/studio_years_bench.py [--full] [--opens 40] [--repeat 100]

Builds two synthetic studios in a temp folder with bulk inserts, one transaction per table:
five years (3,000 sessions, 120,000 images with tiny generated previews, 2,500 invoices,
5,000 e-mails and, by default, 600,000 events: 200 per session; `--full` logs the issue's
3 million, 1,000 per session, and takes longer than the 3 minutes the default run keeps to)
and one month (50 sessions, the same per session). On each it measures: a start (the database
opened, the session shown last found, its log replayed and its first preview decoded), opening
a session of 40 photos, the sessions list, a client search by name and a surname search that
fills the first page (p99: the first page and the count, as the tablet's Sessions page asks for
them), pricing a cart and saving an invoice.
Then it opens sessions in turn on the big studio with a budget of nine tenths of its cache,
their previews written again as the rebuild would, keeping it within budget as the kiosk's
round does. Last line: `studio years slowdown: X`, the
worst ratio of the big studio's figure to the small one's (goal: ≤ 1.5), over the issue's
figures: the surname search is printed (marked *) but not in it, since a month has no surname
333 clients share: what it adds is finding 333 clients to count and showing 60 of them.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image as PILImage  # noqa: E402

from kiosk.core.cart import AddLine  # noqa: E402
from kiosk.live import LiveSession  # noqa: E402
from kiosk.store.checkout import insert_invoice  # noqa: E402
from kiosk.store.db import save_view  # noqa: E402
from kiosk.store.sessions import count_sessions, session_summaries  # noqa: E402
from kiosk.store.upkeep import refresh_indexes  # noqa: E402
from kiosk.studio import open_studio  # noqa: E402
from kiosk.upkeep.cache import cache_contents, keep_within_budget  # noqa: E402
from kiosk.web.routes.sessions import PAGE  # noqa: E402

CLIENTS = ["Park", "Lee", "Haddad", "Okafor", "Silva", "Novak", "Tanaka", "Moreau", "Berg"]
DECISIONS = ["keep", "drop", "maybe"]


def tiny_jpeg(seed: int) -> bytes:
    out = BytesIO()
    PILImage.new("RGB", (48, 32), (seed % 255, 80, 160)).save(out, "JPEG", quality=70)
    return out.getvalue()


def build(root: Path, sessions: int, per_session: int, events_each: int, invoices: int) -> Path:
    studio = open_studio(root)
    db = studio.store.db
    cache = studio.paths.cache
    blobs = [tiny_jpeg(i) for i in range(16)]
    start = datetime(2021, 1, 4, tzinfo=UTC)
    rng = random.Random(sessions)
    with studio.store.transaction():
        db["sessions"].insert_all(
            {
                "id": s,
                "client": f"{rng.choice(CLIENTS)} {s:04d}",  # a client number makes it unique
                "email": f"client{s}@example.com",
                "created": (start + timedelta(hours=12 * s)).isoformat(),
            }
            for s in range(1, sessions + 1)
        )
        images, views = [], []
        for s in range(1, sessions + 1):
            folder = cache / "previews" / f"{s % 256:02x}"
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(per_session):
                preview = folder / f"{s}-{i}.jpg"
                preview.write_bytes(blobs[(s + i) % 16])
                images.append(
                    {
                        "id": (s - 1) * per_session + i + 1,
                        "session_id": s,
                        "file_name": f"IMG_{i:04d}.jpg",
                        "source_path": f"/media/card/{s}/IMG_{i:04d}.jpg",
                        "content_hash": f"{s:06d}{i:04d}",
                        "width": 6000,
                        "height": 4000,
                        "capture_time": f"2024-05-01T10:{i // 60:02d}:{i % 60:02d}",
                        "preview_path": str(preview),
                        "thumb_path": str(preview),
                    }
                )
            shown = start + timedelta(hours=12 * s)
            views.append({"session_id": s, "screen": "select", "updated": shown.isoformat()})
        db["images"].insert_all(images, batch_size=5000)
        db["session_views"].insert_all(views)

        def events():
            for s in range(1, sessions + 1):
                when = (start + timedelta(hours=12 * s)).isoformat(timespec="seconds")
                for e in range(events_each):
                    image = (s - 1) * per_session + (e % per_session) + 1
                    if e % 4 == 3:
                        command = {"kind": "show", "image": image}
                    else:
                        command = {"kind": "decide", "image": image, "decision": DECISIONS[e % 3]}
                    yield (s, when, "touch", json.dumps(command, sort_keys=True))

        db.conn.executemany(
            "insert into events (session_id, time, actor, command) values (?, ?, ?, ?)", events()
        )
        db["invoices"].insert_all(
            {
                "number": n,
                "session_id": n,
                "issued": "2024-05-02",
                "client_name": f"Client {n}",
                "breakdown": "{}",
                "total": 10000,
                "status": "paid",
                "status_changed": "2024-05-03",
            }
            for n in range(1, invoices + 1)
        )
        db["outbox"].insert_all(
            {
                "message_id": f"<{n}@reveal>",
                "kind": "invoice",
                "invoice": n // 2 + 1,
                "message": b"x" * 200,
                "status": "sent",
                "next_attempt": 0.0,
                "created": 0.0,
            }
            for n in range(invoices * 2)
        )
    refresh_indexes(studio.store)  # as the daily quiet-moment round leaves a studio
    studio.close()
    return root


def timed(action, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        action()
        out.append(time.perf_counter() - t)
    return out


def p99(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(len(samples) * 0.99) - 1)]


class Measured:
    """The operations measured on one studio, each a call."""

    def __init__(self, root: Path, sessions: int) -> None:
        self.root, self.sessions = root, sessions
        self.studio = open_studio(root)
        self.rng = random.Random(1)
        self.live = LiveSession(self.studio.store, sessions, self.studio.pricelist)

    def start(self) -> None:
        studio = open_studio(self.root)
        sid, _ = studio.store.last_shown()
        live = LiveSession(studio.store, sid, studio.pricelist)
        PILImage.open(live.images[0].preview_path).load()
        studio.close()

    def open_session(self) -> None:
        LiveSession(self.studio.store, self.rng.randint(1, self.sessions), self.studio.pricelist)

    def listed(self, search: str = "") -> None:  # what the tablet's Sessions page asks for
        session_summaries(self.studio.store, search=search, limit=PAGE)
        count_sessions(self.studio.store, search=search)

    def search(self) -> None:  # the photographer finds the client they are about to see
        self.listed(f"{self.rng.choice(CLIENTS)} {self.rng.randint(1, self.sessions):04d}")

    def search_a_page(self) -> None:
        """A search whose matches fill the first page: a surname, in five years 333 clients.
        A month has no surname that fills a page, so its figure is its full list's page: the
        same rows to show, which is what such a search costs beyond finding them."""
        self.listed(self.rng.choice(CLIENTS) if self.sessions > PAGE else "")

    def price_and_save(self) -> None:
        live = self.live
        live.do(AddLine("print", "8x10", {}, (live.images[0].id,)))
        breakdown, _ = live.breakdown(date(2026, 12, 4))
        record = {
            "session_id": live.session_id,
            "issued": "2026-12-04",
            "client_name": "Bench",
            "breakdown": json.dumps(breakdown.to_dict() if breakdown else {}),
            "total": 0,
            "status": "confirmed",
            "status_changed": "2026-12-04T12:00:00",
        }
        insert_invoice(self.studio.store, record, f"{time.perf_counter_ns()}", 0.0, 1.0)

    def close(self) -> None:
        self.studio.close()


FIGURES = [
    ("start to the first frame", "start", statistics.median),
    ("open a session of 40", "open_session", statistics.median),
    ("sessions list p99", "listed", p99),
    ("sessions list median", "listed", statistics.median),
    ("client search p99", "search", p99),
    ("client search median", "search", statistics.median),
    ("surname, a full page p99 *", "search_a_page", p99),
    ("price and save an invoice", "price_and_save", statistics.median),
]


def measure(small: Measured, big: Measured, repeat: int) -> dict[str, tuple[float, float]]:
    """Each figure on both studios, their calls alternating, so a busy machine weighs on both
    alike: {name: (one month, five years)} in seconds."""
    figures = {}
    taken: dict[str, tuple[list[float], list[float]]] = {}  # a method's samples, once
    for name, method, summary in FIGURES:
        if method not in taken:
            taken[method] = ([], [])
            for _ in range(repeat):
                for studio, out in zip((small, big), taken[method], strict=True):
                    t = time.perf_counter()
                    getattr(studio, method)()
                    out.append(time.perf_counter() - t)
        one, five = taken[method]
        figures[name] = (summary(one), summary(five))
    return figures


def cache_round(root: Path, sessions: int, opens: int) -> tuple[int, int, int, int]:
    """Open `opens` old sessions in turn, their removed previews written again as the rebuild
    would, with a budget of nine tenths of the cache, a round of the budget every 20 opens:
    the budget, the cache's largest size after a round (measured on disk after the last), and
    the files removed and rebuilt."""
    studio = open_studio(root)
    budget = cache_contents(studio.store, studio.paths.cache).size * 9 // 10
    worst = removed = rebuilt = 0
    now = datetime(2026, 12, 4, tzinfo=UTC)
    blob = tiny_jpeg(7)
    for n, sid in enumerate(random.Random(2).sample(range(1, sessions + 1), opens)):
        now += timedelta(hours=1)
        save_view(studio.store.db.conn, sid, "select")
        for image in studio.store.images(sid):
            if not Path(image.preview_path).exists():
                Path(image.preview_path).write_bytes(blob)
                rebuilt += 1
        if n % 20 == 19 or n == opens - 1:
            done = keep_within_budget(studio.store, studio.paths.cache, budget, now, on_tv=sid)
            removed += done.files
            worst = max(worst, done.plan.size_after)
    worst = max(worst, cache_contents(studio.store, studio.paths.cache).size)
    studio.close()
    return budget, worst, removed, rebuilt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="3 million events, not 600,000")
    parser.add_argument("--opens", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    events_each = 1000 if args.full else 200
    folder = Path(tempfile.mkdtemp(prefix="reveal-years-"))
    try:
        t = time.perf_counter()
        years = build(folder / "years", 3000, 40, events_each, 2500)
        print(f"five-year studio built in {time.perf_counter() - t:.1f} s", flush=True)
        month = build(folder / "month", 50, 40, events_each, 42)
        small, big = Measured(month, 50), Measured(years, 3000)
        figures = measure(small, big, args.repeat)
        small.close()
        big.close()
        worst = 0.0
        print(f"{'':28} {'one month':>12} {'five years':>12} {'ratio':>7}")
        for name, (one, five) in figures.items():
            ratio = five / one
            if not name.endswith("*"):
                worst = max(worst, ratio)
            print(f"{name:28} {one * 1e3:9.2f} ms {five * 1e3:9.2f} ms {ratio:7.2f}")
        budget, seen, removed, rebuilt = cache_round(years, 3000, args.opens)
        within = "within" if seen <= budget else "OVER"
        print(
            f"cache: budget {budget} bytes, at most {seen} after a round ({within}); "
            f"{removed} files removed, {rebuilt} rebuilt over {args.opens} sessions opened"
        )
        print(f"studio years slowdown: {worst:.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
