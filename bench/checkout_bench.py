"""How long checkout makes the kiosk wait: the invoice PDF, and handing its e-mail to the outbox.

    .venv/bin/python bench/checkout_bench.py              # 5 PDFs (1 naive), 20 e-mails each way
    .venv/bin/python bench/checkout_bench.py --runs 3 --sends 10 --keep /tmp/bench

The order has 40 lines, one archival print per image, 40 images at camera size (4000 px on the
long edge, from the demo session's photos) with their 480-px thumbnails as the import makes
them, plus a collection, a payment plan and retouch notes.

PDF: Reveal's `render_invoice_pdf` draws each line's thumbnail from a small JPEG it makes of
the thumbnail (`pdf_kit._shrink`, cached per image). Times are cold: that cache is emptied
before every run, as for the first PDF of an order. The naive baseline, timed on the same order
with the same layout, embeds each line's original file instead (what `Image(source_path)`
does), so the PDF carries 40 full-size photos. Goal: 1 s.

Outbox: what the TV's thread does after confirming, `queue_prepared`: the client's message and
the studio's copy (each with the PDF and one wall-art mock-up) stored in the studio database in
one transaction with a full fsync. They are composed and serialised before that, in the PDF's
worker thread (`prepare_invoice_email`, timed too). The naive baseline sends the same two
messages synchronously over SMTP to an aiosmtpd server on loopback: the best case of the wait
the outbox removes (a real server is further away, and may be down). Goal: 50 ms.

Times are medians with the 95th percentile; the machine's other work shows in the spread. The
last line is `invoice pdf: X ms`.
"""

from __future__ import annotations

import argparse
import contextlib
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from kiosk.checkout import outbox, pdf_kit  # noqa: E402
from kiosk.checkout.invoice import Client, confirm_order, get_invoice  # noqa: E402
from kiosk.checkout.mailer import (  # noqa: E402
    compose_invoice_email,
    prepare_invoice_email,
    queue_prepared,
)
from kiosk.checkout.pdf import render_invoice_pdf  # noqa: E402
from kiosk.core.invoices import StudioDetails  # noqa: E402
from kiosk.core.pricelist import load  # noqa: E402
from kiosk.core.pricing import Cart, CartLine  # noqa: E402
from kiosk.studio import open_studio  # noqa: E402

DEMO = ROOT / "assets" / "demo" / "session"
LINES = 40
CAMERA_EDGE = 4000
THUMB_EDGE = 480
SIZES = ["5x7", "8x10", "11x14", "16x20"]
STUDIO = StudioDetails(
    name="Golden Hour Portraits",
    email="hello@goldenhour.example",
    phone="+1 503 555 0100",
    address="88 Pearl Street, Studio 3\nPortland, OR 97209",
    website="goldenhour.example",
    payment_instructions="Pay the deposit today by card at the studio, or by bank transfer.",
    terms="Orders go into production once the deposit is received.",
)
CLIENT = Client("Eleanor Whitfield", "eleanor@example.com", "+1 503 555 0142", "1420 Alder St")
PHONE_URL = "http://192.168.1.20:8470/i/" + "x" * 43


def make_photos(folder: Path) -> list[tuple[Path, Path]]:
    """40 (original, thumbnail) pairs: the demo's 30 photos, and 10 of them mirrored."""
    demo = sorted(DEMO.glob("*.jpg"))
    out = []
    for n in range(LINES):
        with Image.open(demo[n % len(demo)]) as im:
            photo = im.convert("RGB")
        if n >= len(demo):
            photo = ImageOps.mirror(photo)
        scale = CAMERA_EDGE / max(photo.size)
        original = photo.resize((round(photo.width * scale), round(photo.height * scale)))
        source = folder / f"IMG_{n:04d}.jpg"
        original.save(source, quality=92)
        photo.thumbnail((THUMB_EDGE, THUMB_EDGE))
        thumb = folder / f"thumb_{n:04d}.jpg"
        photo.save(thumb, quality=85)
        out.append((source, thumb))
    return out


def make_order(root: Path, photos: list[tuple[Path, Path]]):
    studio = open_studio(root / "studio")
    session = studio.store.create_session(CLIENT.name, CLIENT.email)
    ids = [
        studio.store.add_image(
            session.id,
            file_name=source.name,
            source_path=str(source),
            content_hash=f"bench-{n}",
            width=CAMERA_EDGE,
            height=CAMERA_EDGE,
            capture_time=f"2026-05-01T10:{n:02d}:00",
            preview_path=str(source),
            thumb_path=str(thumb),
        )
        for n, (source, thumb) in enumerate(photos)
    ]
    studio.store.append_events(
        session.id,
        [
            {"kind": "note", "image": ids[n], "text": "Soften the shadows", "tags": []}
            for n in range(0, LINES, 7)
        ],
    )
    lines = tuple(
        CartLine("print", SIZES[n % len(SIZES)], images=(image_id,), quantity=1 + n % 3)
        for n, image_id in enumerate(ids)
    )
    cart = Cart(lines=lines, collection="heirloom", shipping="install", payment_plan="three")
    pricelist = load(ROOT / "assets" / "pricelist.toml")
    invoice = confirm_order(studio.store, session.id, pricelist, cart, CLIENT, today=date.today())
    return studio, invoice


def timed(fn, runs: int, before=None) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def summary(times: list[float]) -> str:
    p95 = sorted(times)[max(0, round(len(times) * 0.95) - 1)]
    return f"median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   (n={len(times)})"


@contextlib.contextmanager
def full_size_images():
    """The naive PDF: every thumbnail call embeds the file it is given, whole."""
    shrink = pdf_kit._shrink
    pdf_kit._shrink = lambda path: Path(path).read_bytes()
    try:
        yield
    finally:
        pdf_kit._shrink = shrink


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Accept:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        return "250 OK"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="PDFs rendered each way")
    parser.add_argument(
        "--baseline-runs", type=int, default=1, help="naive PDFs (about 100 s each here)"
    )
    parser.add_argument("--sends", type=int, default=20, help="e-mails handed over each way")
    parser.add_argument("--keep", type=Path, help="keep the photos, studio and PDFs here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="reveal-checkout-bench-") as tmp:
        root = args.keep or Path(tmp)
        (root / "photos").mkdir(parents=True, exist_ok=True)
        print(f"Making {LINES} photos at {CAMERA_EDGE} px with {THUMB_EDGE}-px thumbnails…")
        photos = make_photos(root / "photos")
        studio, invoice = make_order(root, photos)
        invoice = get_invoice(studio.store, invoice.number)
        print(
            f"Order {invoice.reference}: {len(invoice.breakdown['lines'])} breakdown lines, "
            f"{len(invoice.lines)} products, {len(invoice.images)} images, "
            f"total {invoice.money(invoice.total)}"
        )

        # The PDF --------------------------------------------------------------------------
        render = lambda: render_invoice_pdf(invoice, STUDIO, phone_url=PHONE_URL)  # noqa: E731
        render()  # fonts registered and modules warm, as on a kiosk that has run a while
        pdf_times, pdf = timed(render, args.runs, before=pdf_kit._shrink.cache_clear)
        originals = replace(
            invoice,
            images=tuple(replace(i, thumb_path=i.source_path) for i in invoice.images),
        )
        with full_size_images():
            naive = lambda: render_invoice_pdf(originals, STUDIO, phone_url=PHONE_URL)  # noqa: E731
            naive_times, naive_pdf = timed(naive, args.baseline_runs)
        if args.keep:
            (root / "invoice.pdf").write_bytes(pdf)
            (root / "invoice-naive.pdf").write_bytes(naive_pdf)
        print()
        print(f"invoice PDF, thumbnails      {summary(pdf_times)}   {len(pdf) / 1e6:5.1f} MB")
        print(
            f"  baseline, full-size images {summary(naive_times)}   {len(naive_pdf) / 1e6:5.1f} MB"
        )

        # The e-mail -----------------------------------------------------------------------
        mockup = ("living-room.jpg", (DEMO / "01-meadow-golden-hour.jpg").read_bytes())
        # Each round queues a new e-mail (a new Message-ID: the outbox keeps one copy of each).
        prepare = lambda: prepare_invoice_email(  # noqa: E731
            invoice, STUDIO, pdf, phone_url=PHONE_URL, mockups=[mockup]
        )
        prepare_times, mails = [], []
        for _ in range(args.sends):
            start = time.perf_counter()
            mails.append(prepare())
            prepare_times.append((time.perf_counter() - start) * 1000)
        pending = iter(mails)
        queue_times, _ = timed(lambda: queue_prepared(studio.store, next(pending)), args.sends)
        assert len(outbox.entries(studio.store)) == 2 * args.sends

        port = free_port()
        controller = Controller(Accept(), hostname="127.0.0.1", port=port)
        controller.start()

        def send_now() -> None:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                for copy in (False, True):
                    message = compose_invoice_email(
                        invoice, STUDIO, pdf, PHONE_URL, [mockup], studio_copy=copy
                    )
                    smtp.send_message(message)

        try:
            send_times, _ = timed(send_now, args.sends)
        finally:
            controller.stop()
        print(f"e-mail into the outbox       {summary(queue_times)}   (the UI thread's part)")
        print(f"  composed first, in a worker {summary(prepare_times)}")
        print(f"  baseline, SMTP on loopback {summary(send_times)}")
        studio.close()

    print()
    print(
        f"Goals: PDF <= 1000 ms ({statistics.median(pdf_times):.0f}), "
        f"outbox hand-off <= 50 ms ({statistics.median(queue_times):.1f})."
    )
    print(f"invoice pdf: {statistics.median(pdf_times):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
