"""Strangers' wall-photo uploads against the real kiosk: how many are stored, how much memory
the kiosk takes, and what the TV's frames do meanwhile.

    .venv/bin/python bench/upload_bench.py                 # about a minute; at most three

With no display it runs itself under `xvfb-run -a -s "-screen 0 1920x1080x24"`.

The kiosk runs in its own process as in the studio (`kiosk/kiosk.py`): the real `RevealApp` in
a 1920x1080 window and uvicorn on 127.0.0.1 in one asyncio loop, the slideshow paused (a still
TV, so a long frame is the server's doing, and no new slideshow texture moves the memory
figures). This process plays the phones, with the upload links the TV's QR codes hold, each
request built beforehand and sent on its own connection from one asyncio thread (it shares the
two cores with the kiosk). Phases, in one run:
- still: nothing arrives for 4 s; the TV's frames are measured as the yardstick.
- 40 at once: 40 different 1600x1000 JPEGs sent in parallel to one session whose limit is 3
  wall photos (`max_photos = 3`). Goal: no more than 3 stored, the rest refused (409, or 429
  while the kiosk takes as many uploads as it may).
- 16 PNGs: 16 different 7000x7000 PNGs (about 150 KB each: 49 megapixels that compress to
  almost nothing) sent in parallel to another session with the usual limit, each phone sending
  again after the Retry-After it is given, as a person would, until all are in. Each decodes
  to 147 MB of pixels if decoded whole; the issue measured 287 MB -> 3.7 GB for this.
  Goal: the kiosk's peak RSS growth <= 300 MB over what it held before the bursts.

RSS is sampled in the kiosk every 10 ms (/proc/self/statm) and its high-water mark
(VmHWM, reset before the bursts through /proc/self/clear_refs) is read at the end; the larger
is reported. Frame time is the loop's own work from the end of Kivy's clock sleep to the next
sleep (as bench/remote_bench.py measures it), for each phase. Timings are wall-clock on a
shared two-core machine with a software renderer: compare within one run.
The last line is `upload burst rss growth: X MB`.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]
DEMO = ROOT / "assets" / "demo" / "session"
STILL_SECONDS = 4.0
PARALLEL_JPEGS, LIMIT = 40, 3
PARALLEL_PNGS, PNG_EDGE = 16, 7000
RSS_GOAL_MB = 300
PAGE = os.sysconf("SC_PAGE_SIZE")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if values else 0.0


def record_sessions(studio_root: Path) -> tuple[int, int]:
    """The session on the TV (12 demo photographs) and a second client's session."""
    from PIL import Image

    from kiosk.studio import open_studio

    studio = open_studio(studio_root)
    on_tv = studio.store.create_session("Bench Family", "bench@example.com")
    for n, path in enumerate(sorted(DEMO.glob("*.jpg"))[:12]):
        with Image.open(path) as im:
            width, height = im.size
        studio.store.add_image(
            on_tv.id,
            file_name=path.name,
            source_path=str(path),
            content_hash=f"bench-{n}",
            width=width,
            height=height,
            capture_time=f"2026-05-01T10:00:{n:02}",
            preview_path=str(path),
            thumb_path=str(path),
        )
    other = studio.store.create_session("Second Family", "second@example.com")
    studio.close()
    return on_tv.id, other.id


# -- the kiosk, in its own process ----------------------------------------------------------
def run_kiosk(studio_root: Path, session_id: int, other_id: int) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kiosk.kiosk import configure_window

    configure_window(windowed=True, size=(1920, 1080))
    from dataclasses import replace

    from kivy.clock import Clock

    from kiosk.kiosk import _serve as serve
    from kiosk.store.walls import issue_wall_token
    from kiosk.studio import open_studio
    from kiosk.ui.app import RevealApp
    from kiosk.web.walls import WallLimits

    studio = open_studio(studio_root)
    studio.settings = replace(studio.settings, pin="")
    app = RevealApp(studio, session_id)
    frames: list[tuple[float, float]] = []  # (ended, seconds)
    rss: list[tuple[float, int]] = []  # (time, bytes)
    stop = threading.Event()

    def sample() -> None:
        with open("/proc/self/statm") as statm:
            while not stop.is_set():
                statm.seek(0)
                rss.append((time.monotonic(), int(statm.read().split()[1]) * PAGE))
                time.sleep(0.01)

    async def main() -> None:
        loop = asyncio.get_running_loop()

        def wait_for_commands() -> None:
            for line in sys.stdin:
                if line.startswith("reset"):  # the baseline: forget the high-water mark
                    with open("/proc/self/clear_refs", "w") as refs:
                        refs.write("5")
                    print(json.dumps({"reset": time.monotonic()}), flush=True)
                elif line.startswith("limit"):  # the usual limit again, for the second burst
                    api.state.wall_limits = WallLimits()
                    print(json.dumps({"limit": WallLimits().max_photos}), flush=True)
                else:
                    break
            loop.call_soon_threadsafe(app.stop)

        api = None

        async def hand_over() -> None:
            nonlocal api
            while getattr(app, "web_server", None) is None or not app.web_server.started:
                await asyncio.sleep(0.05)
            sleep = Clock.async_idle
            woke = [0.0]

            async def timed_sleep():
                now = time.monotonic()
                if woke[0]:
                    frames.append((now, now - woke[0]))
                result = await sleep()
                woke[0] = time.monotonic()
                return result

            Clock.async_idle = timed_sleep
            app.live.set_playing(False)  # a still TV: any long frame is the server's doing
            limited = issue_wall_token(studio.store, session_id)
            usual = issue_wall_token(studio.store, other_id)
            api = app.web_server.config.app
            api.state.wall_limits = WallLimits(max_photos=LIMIT)
            threading.Thread(target=sample, daemon=True).start()
            hello = {"port": app.web_server.port, "limited": limited, "usual": usual}
            print(json.dumps(hello), flush=True)
            threading.Thread(target=wait_for_commands, daemon=True).start()

        handing = asyncio.ensure_future(hand_over())
        try:
            await serve(app, "127.0.0.1", 0)
        finally:
            handing.cancel()

    asyncio.run(main())
    stop.set()
    with open("/proc/self/status") as status:
        hwm = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))
    from kiosk.store.walls import list_wall_photos

    stored = {
        "limited": len(list_wall_photos(studio.store, session_id)),
        "usual": len(list_wall_photos(studio.store, other_id)),
        "sizes": [(p.width, p.height) for p in list_wall_photos(studio.store, other_id)],
    }
    print(json.dumps({"frames": frames, "rss": rss, "hwm": hwm, "stored": stored}), flush=True)
    studio.close()


# -- the phones -----------------------------------------------------------------------------
def jpegs(count: int) -> list[bytes]:
    from PIL import Image

    out = []
    for n in range(count):
        data = io.BytesIO()
        Image.new("RGB", (1600, 1000), (n * 6 % 256, 255 - n * 5, 120)).save(data, "JPEG")
        out.append(data.getvalue())
    return out


def pngs(count: int) -> list[bytes]:
    from PIL import Image, ImageDraw

    out = []
    for n in range(count):
        im = Image.new("RGB", (PNG_EDGE, PNG_EDGE), (40 + n * 9, 90, 160))
        ImageDraw.Draw(im).rectangle((0, 0, 200 + n * 50, 200), fill=(230, 20, 20))
        data = io.BytesIO()
        im.save(data, "PNG", compress_level=9)
        out.append(data.getvalue())
    return out


def request_bytes(port: int, token: str, photo: bytes, name: str) -> bytes:
    """The whole POST a phone's browser sends, built before the clock starts: this process
    shares the two cores with the kiosk, and must cost it as little as it can."""
    boundary = "reveal-bench-boundary"
    kind = "image/png" if name.endswith(".png") else "image/jpeg"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="{name}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST /wall/{token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Origin: http://127.0.0.1:{port}\r\nConnection: close\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def upload(port: int, request: bytes, retry: bool) -> tuple[int, int]:
    """One phone sending one photo; with `retry`, again after each 429's Retry-After.
    Returns (final status, 429s received)."""
    busy = 0
    while True:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        # A refusal (409, 429) comes before the kiosk reads the photo, and the connection
        # then closes under the rest of it: the answer is read all the same.
        with contextlib.suppress(ConnectionError):
            writer.write(request)
            await writer.drain()
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (ConnectionError, asyncio.IncompleteReadError):
            head = b"HTTP/1.1 000 reset before the answer"
        with contextlib.suppress(ConnectionError):
            await reader.read()  # the page, to the end (Connection: close)
        writer.close()
        status = int(head.split()[1])
        if status != 429 or not retry:
            return status, busy
        busy += 1
        wait = next(
            (
                float(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"retry-after:")
            ),
            1.0,
        )
        await asyncio.sleep(wait)


def burst(port, token, photos, suffix, retry) -> tuple[list[tuple[int, int]], float, float]:
    requests = [request_bytes(port, token, p, f"wall-{n}.{suffix}") for n, p in enumerate(photos)]

    async def all_at_once():
        return await asyncio.gather(*(upload(port, r, retry) for r in requests))

    started = time.monotonic()
    results = asyncio.run(all_at_once())
    return results, started, time.monotonic()


def frame_text(frames: list, start: float, end: float) -> str:
    inside = [seconds * 1000 for ended, seconds in frames if start <= ended <= end]
    if not inside:
        return "no frames"
    return (
        f"{len(inside) / (end - start):5.1f} frames/s, frame work p50 "
        f"{percentile(inside, 50):5.1f} ms, p99 {percentile(inside, 99):6.1f} ms, "
        f"max {max(inside):6.1f} ms"
    )


def rss_text(rss: list, start: float, end: float, baseline: int) -> str:
    inside = [b for t, b in rss if start <= t <= end]
    if not inside:
        return "not sampled"
    return f"peak {max(inside) / 2**20:.0f} MB (+{(max(inside) - baseline) / 2**20:.0f} MB)"


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--kiosk":
        run_kiosk(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        if not shutil.which("xvfb-run"):
            sys.exit("No display and no xvfb-run: run the bench under xvfb-run.")
        sys.exit(subprocess.call([*XVFB, sys.executable, __file__, *sys.argv[1:]]))

    begun = time.monotonic()
    print("making the photos...", flush=True)
    small, large = jpegs(PARALLEL_JPEGS), pngs(PARALLEL_PNGS)
    print(
        f"{PARALLEL_JPEGS} JPEGs of 1600x1000, {PARALLEL_PNGS} PNGs of {PNG_EDGE}x{PNG_EDGE} "
        f"({sum(map(len, large)) / len(large) / 1024:.0f} KB each)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="reveal-upload-bench-") as tmp:
        studio_root = Path(tmp) / "studio"
        session_id, other_id = record_sessions(studio_root)
        env = {**os.environ, "KIVY_HOME": str(Path(tmp) / "kivy")}
        kiosk = subprocess.Popen(
            [sys.executable, __file__, "--kiosk", str(studio_root), str(session_id), str(other_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            hello = next((json.loads(x) for x in kiosk.stdout if x.startswith("{")), None)
            if hello is None:
                sys.exit("the kiosk did not start")
            port = hello["port"]
            # The window settles: the cross-fade under way ends, the caption fades out (3.5 s).
            time.sleep(6)
            kiosk.stdin.write("reset\n")
            kiosk.stdin.flush()
            reset = next(json.loads(x) for x in kiosk.stdout if x.startswith('{"reset"'))
            still = (reset["reset"], reset["reset"] + STILL_SECONDS)
            time.sleep(STILL_SECONDS)
            limited = burst(port, hello["limited"], small, "jpg", retry=False)
            kiosk.stdin.write("limit\n")
            kiosk.stdin.flush()
            next(x for x in kiosk.stdout if x.startswith('{"limit"'))
            large_run = burst(port, hello["usual"], large, "png", retry=True)
            time.sleep(1)
            kiosk.stdin.write("stop\n")
            kiosk.stdin.flush()
            measured = next(json.loads(x) for x in kiosk.stdout if x.startswith('{"frames"'))
            kiosk.wait(30)
        finally:
            if kiosk.poll() is None:
                kiosk.kill()

    frames, rss = measured["frames"], measured["rss"]
    # This process's clock and the kiosk's are both CLOCK_MONOTONIC: one time line.
    baseline = max(b for t, b in rss if still[0] <= t <= still[1])
    peak = max(max(b for t, b in rss if t >= still[1]), measured["hwm"])
    growth = (peak - baseline) / 2**20

    statuses = [s for s, _ in limited[0]]
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    print(f"\nstill window ({STILL_SECONDS:.0f} s): {frame_text(frames, *still)}")
    print(
        f"{PARALLEL_JPEGS} parallel uploads, max_photos = {LIMIT}: answers {counts}, stored "
        f"{measured['stored']['limited']} (goal <= {LIMIT}: "
        f"{'met' if measured['stored']['limited'] <= LIMIT else 'MISSED'}), "
        f"{limited[2] - limited[1]:.1f} s"
    )
    print(f"  TV during it: {frame_text(frames, limited[1], limited[2])}")
    print(f"  kiosk RSS: {rss_text(rss, limited[1], limited[2], baseline)}")
    final = [s for s, _ in large_run[0]]
    retries = sum(b for _, b in large_run[0])
    sizes = measured["stored"]["sizes"]
    biggest = max((max(s) for s in sizes), default=0)
    print(
        f"{PARALLEL_PNGS} parallel {PNG_EDGE}x{PNG_EDGE} PNGs, sent again after each 429: "
        f"{final.count(200)} stored after {retries} 429s, in "
        f"{large_run[2] - large_run[1]:.1f} s; stored at most {biggest} px on a side"
    )
    print(f"  TV during it: {frame_text(frames, large_run[1], large_run[2])}")
    print(f"  kiosk RSS: {rss_text(rss, large_run[1], large_run[2], baseline)}")
    print(
        f"kiosk RSS: {baseline / 2**20:.0f} MB before the bursts, peak {peak / 2**20:.0f} MB "
        f"(goal: growth <= {RSS_GOAL_MB} MB: {'met' if growth <= RSS_GOAL_MB else 'MISSED'})"
    )
    print(f"whole run {time.monotonic() - begun:.0f} s")
    print(f"upload burst rss growth: {growth:.0f} MB")


if __name__ == "__main__":
    main()
