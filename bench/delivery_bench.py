"""The client's gallery under load: "Download all" of a large order through the real server,
against a plain copy of the same files, and the server's memory while it streams.

    .venv/bin/python bench/delivery_bench.py                  # 200 finals of 10 MB; ~1-2 min
    .venv/bin/python bench/delivery_bench.py --files 20 --mb 5

Set-up (not timed): an order of N images bought as files, paid in full; N finals of about
`--mb` MB each are written (random bytes: photos do not compress, and the ZIP stores them) and
added with `add_finals`, as `main.py finals add` does (copied into the studio, CRCs taken).

Measured, in one run:
- plain copy: every final copied to another folder with shutil.copyfile (on Linux an in-kernel
  copy: the bytes never reach user space). The goal is measured against it.
- read/write copy: the same files read into one reused 1 MB buffer and written, as a program
  copies in user space; for scale (see below).
- ZIP: the kiosk's web server runs in its own process (create_app + uvicorn, as the kiosk
  serves it); this process downloads /g/<token>/all.zip over a plain socket (an 8 MB receive
  buffer, as a long download's window grows to) and moves the body into a file with splice(2),
  in the kernel (a lean client: the figure is the server's, not an
  HTTP library's re-chunking or its copies). Goal: throughput >= 0.8x the plain copy.
  The server sends the files with sendfile(2) (kiosk/web/zerocopy.py): one copy, from the page
  cache into the socket; the client's splice moves them on to the file. Without splice (not
  Linux), the client reads into one reused 4 MB buffer and writes it: each byte is copied
  twice more than in the in-kernel copy.
- the server's CPU time while it streams (utime + stime from /proc/<pid>/stat), per GB: what
  a download costs the loop the TV draws on.
- the server's RSS, sampled every 20 ms from /proc/<pid>/status while it streams, and its
  VmHWM at the end. Goal: peak <= 100 MB whatever the gallery's size (the archive is never
  held: it is read from the files a chunk at a time).
- the pricing guide's PDF for the demo price list with its product pictures, best of 3 once
  the pictures are made (they are kept). Goal: <= 1 s.
The ZIP is checked (its member count, and the CRC of the first members with zipfile).
Timings are wall-clock on a shared two-core machine: compare within one run.
The last line is `delivery zip rss: X MB`.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK = 1024 * 1024


def serve(studio_root: str) -> None:
    """The server process: the kiosk's web app on 127.0.0.1, its port on stdout."""
    from uvicorn.config import Config  # noqa: F401  (uvicorn is imported by make_server)

    from kiosk.live import LiveSession
    from kiosk.studio import open_studio
    from kiosk.web.app import create_app
    from kiosk.web.pairing import Pairing
    from kiosk.web.server import make_server

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    studio = open_studio(Path(studio_root))
    session_id = studio.store.sessions()[0].id
    live = LiveSession(studio.store, session_id)
    server = make_server(create_app(live, studio, Pairing.for_store(studio.store)))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    print(sock.getsockname()[1], flush=True)
    loop.run_until_complete(server.serve(sockets=[sock]))


def rss_of(pid: int, key: str = "VmRSS") -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith(key))


def cpu_of(pid: int) -> float:
    """Seconds of CPU the process has used, in user space and in the kernel."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def set_up(work: Path, files: int, megabytes: float):
    from PIL import Image

    from kiosk.checkout.invoice import Client, confirm_order
    from kiosk.core.pricelist import load
    from kiosk.core.pricing import Cart, CartLine
    from kiosk.delivery.finals import add_finals
    from kiosk.delivery.gallery import issue_gallery_link
    from kiosk.payments.ledger import record_payment
    from kiosk.studio import open_studio

    studio = open_studio(work / "studio")
    session = studio.store.create_session("Bench Family", "bench@example.com")
    thumb = work / "thumb.jpg"
    Image.new("RGB", (300, 200), (120, 90, 60)).save(thumb)
    for n in range(files):
        studio.store.add_image(
            session.id,
            file_name=f"IMG_{n:04d}.CR3",
            source_path=f"/cards/IMG_{n:04d}.CR3",
            content_hash=f"bench-{n}",
            width=6000,
            height=4000,
            capture_time="2026-05-01T10:00:00",
            preview_path=str(thumb),
            thumb_path=str(thumb),
        )
    ids = [i.id for i in studio.store.images(session.id)]
    pricelist = load(ROOT / "assets" / "pricelist.toml")
    cart = Cart(lines=(CartLine("digital", "single", images=tuple(ids)),))
    client = Client("Bench Family", "bench@example.com", "", "1 Bench Road")
    invoice = confirm_order(studio.store, session.id, pricelist, cart, client, today=date.today())
    record_payment(studio.store, invoice.number, invoice.total, "transfer")

    exports = work / "exports"
    exports.mkdir()
    size = int(megabytes * 1_000_000)
    block = os.urandom(size)
    for n in range(files):
        # Each file its own bytes at the start (its own CRC), the same block after.
        (exports / f"IMG_{n:04d}-edit.jpg").write_bytes(n.to_bytes(8, "big") + block[8:])
    start = time.perf_counter()
    report = add_finals(studio.store, studio.paths.root / "finals", invoice, exports)
    added = time.perf_counter() - start
    assert report.added == files, report.text
    token = issue_gallery_link(studio.store, invoice.number)
    studio.close()
    shutil.rmtree(exports)
    return token, work / "studio" / "finals" / invoice.reference, added


def plain_copy(finals: Path, dest: Path) -> tuple[float, int]:
    dest.mkdir()
    total = 0
    start = time.perf_counter()
    for path in sorted(finals.iterdir()):
        shutil.copyfile(path, dest / path.name)
        total += path.stat().st_size
    return time.perf_counter() - start, total


def read_write_copy(finals: Path, dest: Path) -> tuple[float, int]:
    dest.mkdir()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    total = 0
    start = time.perf_counter()
    for path in sorted(finals.iterdir()):
        with open(path, "rb", buffering=0) as src, open(dest / path.name, "wb") as out:
            while n := src.readinto(buffer):
                out.write(view[:n])
                total += n
    return time.perf_counter() - start, total


def download(port: int, path: str, to: Path) -> int:
    """GET `path` with HTTP/1.1 over a socket, the body written to `to`; its declared length."""
    buffer = bytearray(4 * CHUNK)
    view = memoryview(buffer)
    with socket.create_connection(("127.0.0.1", port)) as sock, open(to, "wb") as out:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            piece = sock.recv(65536)
            assert piece, "the server closed the connection before its headers"
            head += piece
        head, body = head.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        assert lines[0].split()[1] == "200", lines[0]
        fields = dict(line.split(":", 1) for line in lines[1:])
        declared = int(next(v for k, v in fields.items() if k.lower() == "content-length"))
        out.write(body)
        out.flush()
        got = len(body)
        if hasattr(os, "splice"):  # the socket's bytes go to the file without reaching us
            return _splice_rest(sock, out, got, declared)
        while got < declared:
            n = sock.recv_into(view)
            assert n, f"the server closed the connection after {got} of {declared} bytes"
            out.write(view[:n])
            got += n
    return declared


def _splice_rest(sock: socket.socket, out, got: int, declared: int) -> int:
    """The rest of the body moved from the socket to the file through a pipe, in the kernel:
    the client copies nothing, so the figure is the server's sending, as a download to a
    disk by a lean client (curl, a browser) would be if it did not copy either."""
    pipe_out, pipe_in = os.pipe()
    try:
        fcntl.fcntl(pipe_in, 1031, 1 << 20)  # F_SETPIPE_SZ: 1 MB at a time
        while got < declared:
            n = os.splice(sock.fileno(), pipe_in, min(1 << 20, declared - got))
            assert n, f"the server closed the connection after {got} of {declared} bytes"
            moved = 0
            while moved < n:
                moved += os.splice(pipe_out, out.fileno(), n - moved)
            got += n
    finally:
        os.close(pipe_out)
        os.close(pipe_in)
    return declared


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes per final")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0

    import httpx

    from kiosk.core.guide import pricing_guide
    from kiosk.core.invoices import StudioDetails
    from kiosk.core.pricelist import load
    from kiosk.guide.pdf import render_guide_pdf
    from kiosk.guide.pictures import guide_pictures

    work = Path(tempfile.mkdtemp(prefix="delivery-bench-"))
    server = None
    try:
        print(f"delivery bench: {args.files} finals of {args.mb:g} MB in {work}", flush=True)
        token, finals, added = set_up(work, args.files, args.mb)
        gallery_bytes = sum(p.stat().st_size for p in finals.iterdir())
        print(f"  finals added (copied, CRC-32 taken): {added:.1f} s", flush=True)

        copy_s, copied = plain_copy(finals, work / "copy")
        shutil.rmtree(work / "copy")
        copy_rate = copied / copy_s / 1e6
        print(f"  plain copy: {copied / 1e6:.0f} MB in {copy_s:.1f} s = {copy_rate:.0f} MB/s")
        rw_s, _ = read_write_copy(finals, work / "copy")
        shutil.rmtree(work / "copy")
        rw_rate = copied / rw_s / 1e6
        print(f"  read/write copy: {rw_s:.1f} s = {rw_rate:.0f} MB/s (for scale)")

        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(work / "studio")],
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        port = int(server.stdout.readline())
        with httpx.Client(timeout=60, trust_env=False) as client:
            assert client.get(f"http://127.0.0.1:{port}/g/{token}").status_code == 200
        before = rss_of(server.pid)
        samples: list[int] = []
        streaming = threading.Event()
        streaming.set()

        def sample() -> None:
            while streaming.is_set():
                samples.append(rss_of(server.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        zip_path = work / "all.zip"
        cpu_before = cpu_of(server.pid)
        start = time.perf_counter()
        declared = download(port, f"/g/{token}/all.zip", zip_path)
        zip_s = time.perf_counter() - start
        server_cpu = cpu_of(server.pid) - cpu_before
        streaming.clear()
        sampler.join()
        hwm = rss_of(server.pid, "VmHWM")
        size = zip_path.stat().st_size
        assert size == declared, (size, declared)
        with zipfile.ZipFile(zip_path) as archive:
            members = archive.infolist()
            assert len(members) == args.files
            for member in members[:3]:
                with archive.open(member) as f:  # reading to the end checks its CRC
                    while f.read(CHUNK):
                        pass
        zip_rate = size / zip_s / 1e6
        peak = max([*samples, hwm])
        print(
            f"  streamed ZIP: {size / 1e6:.0f} MB ({gallery_bytes / 1e6:.0f} MB of photos) in "
            f"{zip_s:.1f} s = {zip_rate:.0f} MB/s: {zip_rate / copy_rate:.2f}x the plain copy "
            "(goal >= 0.8x); "
            f"{zip_rate / rw_rate:.2f}x the read/write copy"
        )
        print(
            f"  server CPU while streaming: {server_cpu:.2f} s = "
            f"{server_cpu / (size / 1e9):.2f} s per GB"
        )
        print(
            f"  server RSS: {before / 1e6:.0f} MB before, peak {peak / 1e6:.0f} MB while "
            f"streaming (+{(peak - before) / 1e6:.0f} MB; {len(samples)} samples and VmHWM; "
            "goal <= 100 MB)"
        )

        pricelist = load(ROOT / "assets" / "pricelist.toml")
        studio = StudioDetails("Golden Hour Portraits", "hello@goldenhour.example")
        cache = work / "guide-pictures"
        start = time.perf_counter()
        guide_pictures(pricelist, cache)  # rendered once, then kept
        first = time.perf_counter() - start
        times = []
        for _ in range(3):
            start = time.perf_counter()
            pictures = guide_pictures(pricelist, cache)
            guide = pricing_guide(pricelist, today=date.today())
            render_guide_pdf(guide, studio, pictures=pictures)
            times.append(time.perf_counter() - start)
        print(
            f"  pricing guide PDF (demo list, product pictures): {min(times) * 1000:.0f} ms "
            f"(goal <= 1 s); its pictures rendered the first time in {first:.1f} s"
        )
        print(f"delivery zip rss: {peak / 1e6:.0f} MB")
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
