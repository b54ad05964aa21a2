"""How fast a tablet's command reaches the other screens: the real kiosk, a real server.

    .venv/bin/python bench/remote_bench.py                  # 300 images, 250 commands a phase
    .venv/bin/python bench/remote_bench.py --full           # 1,000 commands a phase
    .venv/bin/python bench/remote_bench.py --commands 200 --count 100

With no display it runs itself under `xvfb-run -a -s "-screen 0 1920x1080x24"`.

The kiosk runs in its own process as it does in the studio (`kiosk/kiosk.py`): the real
`RevealApp` in a 1920x1080 Kivy window and uvicorn on 127.0.0.1, in one asyncio loop on one
thread, on a session of 300 images recorded from the demo photographs (2560x1440 JPEGs used as
their own previews, as tests/conftest.py's `session_factory` does). This process plays the
tablets. The sender pairs with the code the TV shows and then does what the remote page does: it
holds its websocket open and POSTs each command to /api/command (cookie, Origin and CSRF header)
on one keep-alive connection. A second tablet listens on its websocket; the time measured is
from just before the POST is written to the moment the second tablet has a state message that
shows the change. Commands alternate keep and maybe over ten images the TV is not showing (so
the TV itself has nothing to redraw), one at a time, with a random 5-35 ms pause between them so
they land anywhere in Kivy's frame.

Phases, in one kiosk run:
- static: the slideshow paused, nothing moving on the TV; two tablets.
- 10 more: the same with five more remotes and five mirror pages connected (12 websockets).
- cross-fade: the slideshow playing with a 1.2 s cross-fade every 0.3 s, so the TV is almost
  always drawing; two tablets. Kivy draws on the loop's thread, so a command that arrives while
  a frame is drawn waits for it: the goal is p99 <= one frame + 5 ms, with the frame time (the
  loop's own work from the end of Kivy's clock sleep to the next sleep, for frames that drew)
  measured in the kiosk in the same phase.
- naive: what a remote without a websocket would do, measured in the same run, TV static: the
  sender opens a new connection for every command and the second tablet polls GET /api/state
  every 100 ms.

Timings are wall-clock on a shared two-core machine with Mesa's llvmpipe: noisy, and compared
within one run. Less noisy columns beside them: "frames waited" (frames Kivy drew between a
command's sending and its arrival), "kiosk CPU per cmd" (the loop thread's CPU outside Kivy's
frames: the server's work) and the tablets' own CPU (this process, which shares the two cores).
The last line is `remote p99 round trip: X ms` for the static phase.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import gc
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]
DEMO = ROOT / "assets" / "demo" / "session"
EXTRA_REMOTES, EXTRA_MIRRORS = 5, 5
TARGETS = 10  # images the commands cycle over
GAP_MS = (5, 35)
POLL_SECONDS = 0.1
SLOW_MS = 15  # the static goal: slower commands are looked at one by one
SLIDESHOW_SECONDS, CROSSFADE_SECONDS = 0.3, 1.2
# After a pause, the cross-fade under way ends and the caption fades out (theme.OVERLAY_SECONDS).
STILL_SECONDS = 5.5
CSRF_META = re.compile(rb'name="csrf-token" content="([0-9a-f]+)"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def record_session(studio_root: Path, count: int) -> int:
    """`count` images, the demo's 30 photographs in turn, each its own preview and thumbnail."""
    from PIL import Image

    from kiosk.studio import open_studio

    photos = sorted(DEMO.glob("*.jpg"))
    sizes = {}
    for path in photos:
        with Image.open(path) as im:
            sizes[path] = im.size
    studio = open_studio(studio_root)
    session = studio.store.create_session("Bench Family", "bench@example.com")
    for n in range(count):
        path = photos[n % len(photos)]
        studio.store.add_image(
            session.id,
            file_name=f"IMG_{n:04}.jpg",
            source_path=str(path),
            content_hash=f"bench-{n:04}",
            width=sizes[path][0],
            height=sizes[path][1],
            capture_time=f"2026-05-01T{10 + n // 3600:02}:{n // 60 % 60:02}:{n % 60:02}",
            preview_path=str(path),
            thumb_path=str(path),
        )
    studio.close()
    return session.id


# -- the kiosk, in its own process ----------------------------------------------------------
def run_kiosk(studio_root: Path, session_id: int) -> None:
    """The real kiosk (window + server in one loop). Prints one JSON line when it listens, and
    the frames it drew as another when a line arrives on stdin (then it quits)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kiosk.kiosk import configure_window

    configure_window(windowed=True, size=(1920, 1080))
    import threading

    from kivy.clock import Clock
    from kivy.core.window import Window

    from kiosk.kiosk import _serve as serve
    from kiosk.studio import open_studio
    from kiosk.ui.app import RevealApp

    studio = open_studio(studio_root)
    studio.settings = replace(
        studio.settings,
        slideshow_seconds=SLIDESHOW_SECONDS,
        crossfade_seconds=CROSSFADE_SECONDS,
        pin="",
    )
    app = RevealApp(studio, session_id)

    # A frame's work: from the end of Kivy's clock sleep (when the server's tasks stop running)
    # to the start of the next one. Clock events, input, layout, drawing and the flip are in it.
    frames: list[tuple[float, float, bool]] = []  # (ended, seconds, drew)
    served: list[tuple[float, float]] = []  # (ended, CPU seconds) of each sleep between frames
    # Python's own pauses on the loop's thread: a full collection in a process that holds a
    # Kivy window is one of the things a slow command can be waiting for.
    collections: list[tuple[float, float, int]] = []  # (ended, seconds, generation)
    collecting = [0.0]

    def on_collection(phase: str, info: dict) -> None:
        now = time.monotonic()
        if phase == "start":
            collecting[0] = now
        else:
            collections.append((now, now - collecting[0], info["generation"]))

    gc.callbacks.append(on_collection)
    flips = [0]
    woke = [0.0, 0]

    async def main() -> None:
        loop = asyncio.get_running_loop()

        def wait_for_stop() -> None:
            sys.stdin.readline()
            loop.call_soon_threadsafe(app.stop)

        async def hand_over() -> None:
            while getattr(app, "web_server", None) is None or not app.web_server.started:
                await asyncio.sleep(0.05)
            # Measured from here, around whatever the kiosk itself put around Kivy's sleep.
            sleep = Clock.async_idle

            async def timed_sleep():
                now, cpu = time.monotonic(), time.thread_time()
                if woke[0]:
                    frames.append((now, now - woke[0], flips[0] != woke[1]))
                result = await sleep()
                woke[0], woke[1] = time.monotonic(), flips[0]
                # The loop thread's CPU between frames: the server's work (and idle select()s).
                served.append((woke[0], time.thread_time() - cpu))
                return result

            Clock.async_idle = timed_sleep
            Window.bind(on_flip=lambda *_: flips.__setitem__(0, flips[0] + 1))
            # The extra tablets are paired as the first one is, minus the HTTP round (each code
            # works once); the sender pairs over HTTP with the code the TV shows.
            pairing = app.pairing
            tokens = [
                pairing.pair(pairing.current_code(), "127.0.0.1", name="bench tablet")
                for _ in range(1 + EXTRA_REMOTES)
            ]
            hello = {
                "port": app.web_server.port,
                "code": pairing.current_code(),
                "tokens": tokens,
                "mirror": pairing.mirror_token(),
                "pid": os.getpid(),
            }
            print(json.dumps(hello), flush=True)
            threading.Thread(target=wait_for_stop, daemon=True).start()

        handing = asyncio.ensure_future(hand_over())
        try:
            await serve(app, "127.0.0.1", 0)  # the kiosk's own start: window and server
        finally:
            handing.cancel()

    asyncio.run(main())
    from kivy.graphics.opengl import glGetString

    renderer = glGetString(0x1F01).decode(errors="replace")  # GL_RENDERER
    gc.callbacks.remove(on_collection)
    print(
        json.dumps(
            {
                "frames": frames,
                "served": served,
                "collections": collections,
                "renderer": renderer,
            }
        ),
        flush=True,
    )
    studio.close()


# -- the tablets ----------------------------------------------------------------------------
class Http:
    """HTTP/1.1 on one connection, as small as it can be so that the client's own Python time
    (it shares two cores with the kiosk) stays out of what is measured."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes = b"", *, close: bool = False, **extra: str
    ) -> tuple[int, dict[str, str], bytes]:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        headers = {**self.headers, **extra, "Content-Length": str(len(body))}
        if close:
            headers["Connection"] = "close"
        lines += [f"{name}: {value}" for name, value in headers.items()]
        request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        fresh = self.writer is None
        if fresh:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(request)
        first = await self.reader.readline()
        if not first and not fresh:
            # The server closed the idle connection (uvicorn: after 5 s); a browser reconnects.
            await self.close()
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.writer.write(request)
            first = await self.reader.readline()
        status = int(first.split()[1])
        got: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            got.setdefault(name.strip().lower(), value.strip())
        data = await self.reader.readexactly(int(got.get("content-length", "0")))
        if close or got.get("connection") == "close":
            await self.close()
        return status, got, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
            self.reader = self.writer = None


class Listener:
    """A websocket that reads every message; the measured one also checks each state message
    against the change it waits for."""

    def __init__(self, ws, measured: bool) -> None:
        self.ws = ws
        self.measured = measured
        self.first = asyncio.get_running_loop().create_future()
        self.waiting: tuple[int, str, asyncio.Future] | None = None
        self.task = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for message in self.ws:
                if not self.first.done():
                    self.first.set_result(json.loads(message))
                if self.measured and self.waiting is not None:
                    index, decision, done = self.waiting
                    if json.loads(message)["images"][index]["decision"] == decision:
                        self.waiting = None
                        done.set_result(time.monotonic())
        except ConnectionClosed:
            pass

    def expect(self, index: int, decision: str) -> asyncio.Future:
        done = asyncio.get_running_loop().create_future()
        self.waiting = (index, decision, done)
        return done

    async def close(self) -> None:
        await self.ws.close()
        await self.task


async def open_ws(port: int, path: str, token: str | None, measured: bool = False) -> Listener:
    from websockets.asyncio.client import connect

    headers = {"Cookie": f"reveal_session={token}"} if token else {}
    ws = await connect(
        f"ws://127.0.0.1:{port}{path}",
        origin=f"http://127.0.0.1:{port}",
        additional_headers=headers,
        max_size=2**24,
        proxy=None,
    )
    listener = Listener(ws, measured)
    await asyncio.wait_for(listener.first, 10)
    return listener


def commands(targets: list[tuple[int, int]], n: int):
    """(index in the state's images, command): keep, then maybe, over the target images."""
    for i in range(n):
        index, image_id = targets[i % len(targets)]
        decision = "keep" if (i // len(targets)) % 2 == 0 else "maybe"
        yield index, {"kind": "decide", "image": image_id, "decision": decision}


async def measure(sender: Http, listener: Listener, targets, n: int, rng) -> list[tuple]:
    """(sent, seen) for each command, in time.monotonic() seconds."""
    times = []
    for index, command in commands(targets, n):
        await asyncio.sleep(rng.uniform(*GAP_MS) / 1000)
        seen = listener.expect(index, command["decision"])
        started = time.monotonic()
        status, _, body = await sender.request("POST", "/api/command", json.dumps(command).encode())
        if status != 200:
            raise RuntimeError(f"the command was refused ({status}): {body[:300]!r}")
        times.append((started, await asyncio.wait_for(seen, 10)))
    return times


async def measure_naive(port: int, headers, token: str, targets, n: int, rng) -> list[tuple]:
    """A new connection per command; the second tablet polls the state every 100 ms."""
    poller = Http(port, {"Cookie": f"reveal_session={token}"})
    latest: dict[str, object] = {"state": None, "at": 0.0}

    async def poll() -> None:
        while True:
            _, _, body = await poller.request("GET", "/api/state")
            latest["state"], latest["at"] = json.loads(body), time.monotonic()
            latest["new"].set()
            await asyncio.sleep(POLL_SECONDS)

    latest["new"] = asyncio.Event()
    polling = asyncio.ensure_future(poll())
    times = []
    try:
        for index, command in commands(targets, n):
            await asyncio.sleep(rng.uniform(*GAP_MS) / 1000)
            started = time.monotonic()
            status, _, body = await Http(port, headers).request(
                "POST", "/api/command", json.dumps(command).encode(), close=True
            )
            if status != 200:
                raise RuntimeError(f"the command was refused ({status}): {body[:300]!r}")
            while True:
                latest["new"].clear()
                await asyncio.wait_for(latest["new"].wait(), 10)
                state = latest["state"]
                if state["images"][index]["decision"] == command["decision"]:
                    break
            times.append((started, latest["at"]))
    finally:
        polling.cancel()
        await poller.close()
    return times


async def drive(hello: dict, n: int, naive_n: int, seed: int) -> dict:
    port, tokens = hello["port"], hello["tokens"]
    origin = f"http://127.0.0.1:{port}"
    rng = random.Random(seed)

    # Pairing as the tablet does: the code the TV shows, then the remote page for its CSRF token.
    pairing = Http(port, {"Origin": origin})
    status, headers, _ = await pairing.request(
        "POST",
        "/pair",
        f"code={hello['code']}".encode(),
        close=True,
        **{"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 303:
        raise RuntimeError(f"pairing failed with {status}")
    token = headers["set-cookie"].split(";")[0].split("=", 1)[1]
    cookie = {"Cookie": f"reveal_session={token}"}
    status, _, page = await Http(port, cookie).request("GET", "/remote", close=True)
    csrf = CSRF_META.search(page).group(1).decode()
    command_headers = {
        **cookie,
        "Origin": origin,
        "X-CSRF-Token": csrf,
        "Content-Type": "application/json",
    }
    sender = Http(port, command_headers)

    own = await open_ws(port, "/ws", token)  # the sender's own page listens too
    second = await open_ws(port, "/ws", tokens[0], measured=True)
    state = await second.first
    current = state["current"]
    images = [(i, image["id"]) for i, image in enumerate(state["images"])]
    targets = [t for t in images if t[1] != current][-TARGETS:]

    async def send(command: dict) -> None:
        status, _, body = await sender.request("POST", "/api/command", json.dumps(command).encode())
        assert status == 200, body[:300]

    phases: dict[str, dict] = {}

    async def phase(name: str, run) -> None:
        started, cpu = time.monotonic(), time.process_time()
        spans = await run()
        times = [(seen - sent) * 1000 for sent, seen in spans]
        phases[name] = {
            "ms": times,
            "spans": spans,
            "from": started,
            "to": time.monotonic(),
            "client_cpu": time.process_time() - cpu,
        }
        print(
            f"  {name}: {len(times)} commands, p50 {percentile(times, 50):.1f} ms, "
            f"p99 {percentile(times, 99):.1f} ms",
            flush=True,
        )

    await send({"kind": "play", "on": False})
    await asyncio.sleep(STILL_SECONDS)  # the TV is still from here on
    await phase("static", lambda: measure(sender, second, targets, n, rng))

    more = [await open_ws(port, "/ws", t) for t in tokens[1 : 1 + EXTRA_REMOTES]]
    mirror = f"/mirror/{hello['mirror']}/ws"
    more += [await open_ws(port, mirror, None) for _ in range(EXTRA_MIRRORS)]
    await phase("10 more", lambda: measure(sender, second, targets, n, rng))
    for listener in more:
        await listener.close()

    await send({"kind": "play", "on": True})
    await asyncio.sleep(2)
    await phase("cross-fade", lambda: measure(sender, second, targets, n, rng))
    await send({"kind": "play", "on": False})
    await asyncio.sleep(STILL_SECONDS)

    await own.close()
    await second.close()
    await sender.close()
    await phase(
        "naive", lambda: measure_naive(port, command_headers, tokens[0], targets, naive_n, rng)
    )
    return {"phases": phases, "state_bytes": len(json.dumps(state, separators=(",", ":")))}


# -- the report -----------------------------------------------------------------------------
def frames_in(frames: list, phase: dict) -> tuple[list[float], int]:
    """The drawn frames' work (ms) within a phase, and how many loop turns drew nothing."""
    inside = [f for f in frames if phase["from"] <= f[0] <= phase["to"]]
    return [f[1] * 1000 for f in inside if f[2]], sum(1 for f in inside if not f[2])


def frames_waited(frames: list, spans: list[tuple]) -> list[int]:
    """For each command, the frames drawn between its sending and its arrival: each one held
    the loop's thread (and with it the server) for a whole frame."""
    ends = sorted(f[0] for f in frames if f[2])
    return [bisect.bisect(ends, seen) - bisect.bisect(ends, sent) for sent, seen in spans]


def report(result: dict, kiosk: dict, count: int) -> float:
    phases, frames = result["phases"], kiosk["frames"]
    print(
        f"1920x1080 window on {kiosk['renderer']}; {os.cpu_count()} CPUs shared with other "
        f"work (load {os.getloadavg()[0]:.1f}): wall-clock figures are noisy"
    )
    print(
        f"session of {count} images; the remote's state message is "
        f"{result['state_bytes'] / 1024:.0f} KB of JSON (permessage-deflate on the wire)"
    )
    served = kiosk["served"]
    print(
        f"{'round trip':24}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'max ms':>8}"
        f"{'frames waited':>16}{'kiosk CPU':>11}{'tablets':>9}   frames drawn, ms"
    )
    print(f"{'':24}{'':32}{'p50/p99/max':>16}{'per cmd':>11}{'CPU':>9}   (p50 / p99)")
    for name, phase in phases.items():
        ms = phase["ms"]
        drawn, _idle = frames_in(frames, phase)
        waited = frames_waited(frames, phase["spans"])
        # CPU of the kiosk's loop thread outside Kivy's frames (the server's own work, with
        # a few idle select()s) and of this process (the tablets), per command: less noisy
        # than wall-clock times on a busy machine.
        server = sum(c for t, c in served if phase["from"] <= t <= phase["to"]) / len(ms) * 1000
        tablets = phase["client_cpu"] / len(ms) * 1000
        waits = f"{percentile(waited, 50)}/{percentile(waited, 99)}/{max(waited)}"
        frame_text = (
            f"{len(drawn)} ({percentile(drawn, 50):.1f} / {percentile(drawn, 99):.1f})"
            if drawn
            else "0"
        )
        print(
            f"{name + ' (' + str(len(ms)) + ')':24}{percentile(ms, 50):8.1f}"
            f"{percentile(ms, 90):8.1f}{percentile(ms, 99):8.1f}{max(ms):8.1f}"
            f"{waits:>16}{server:8.2f} ms{tablets:6.2f} ms   {frame_text}"
        )
    for name, phase in phases.items():
        pauses = [
            (c[1] * 1000, c[2])
            for c in kiosk["collections"]
            if phase["from"] <= c[0] <= phase["to"]
        ]
        full = [ms for ms, generation in pauses if generation == 2]
        slow = sorted(
            (sent, seen) for sent, seen in phase["spans"] if (seen - sent) * 1000 > SLOW_MS
        )
        # A slow command that overlapped a full collection waited (partly) for Python's GC.
        ends = [c[0] for c in kiosk["collections"] if c[2] == 2]
        with_gc = sum(
            1 for sent, seen in slow if bisect.bisect(ends, seen) > bisect.bisect(ends, sent)
        )
        print(
            f"  {name}: {len(pauses)} garbage collections on the loop's thread, "
            f"{len(full)} full ({max(full, default=0):.1f} ms at most); "
            f"{len(slow)} commands over {SLOW_MS} ms, {with_gc} of them during a full collection"
        )
    static = percentile(phases["static"]["ms"], 99)
    print(f"goal static: p99 <= 15 ms: {'met' if static <= 15 else 'MISSED'} ({static:.1f} ms)")
    fading, _ = frames_in(frames, phases["cross-fade"])
    if fading:
        frame50, frame99 = percentile(fading, 50), percentile(fading, 99)
        p99 = percentile(phases["cross-fade"]["ms"], 99)
        verdict = "met" if p99 <= frame99 + 5 else "MISSED"
        waited = frames_waited(frames, phases["cross-fade"]["spans"])
        print(
            f"goal cross-fade: p99 <= one frame + 5 ms: {verdict} ({p99:.1f} ms against a frame "
            f"of {frame50:.1f} ms p50, {frame99:.1f} ms p99, measured in the same phase; "
            f"{sum(w <= 1 for w in waited)} of {len(waited)} commands waited at most one frame)"
        )
    naive = percentile(phases["naive"]["ms"], 50)
    print(
        f"naive (new connection per command, poll every {POLL_SECONDS * 1000:.0f} ms): "
        f"p50 {naive:.1f} ms, {naive / percentile(phases['static']['ms'], 50):.1f}x the websocket's"
    )
    return static


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="images in the session (300)")
    parser.add_argument("--commands", type=int, default=250, help="commands a phase (250)")
    parser.add_argument("--full", action="store_true", help="1,000 commands a phase")
    parser.add_argument("--naive", type=int, help="commands in the naive phase (as --commands)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kiosk", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kiosk:
        run_kiosk(Path(args.kiosk[0]), int(args.kiosk[1]))
        return
    if args.full:
        args.commands = 1000
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        if not shutil.which("xvfb-run"):
            sys.exit("No display and no xvfb-run: run the bench under xvfb-run.")
        sys.exit(subprocess.call([*XVFB, sys.executable, __file__, *sys.argv[1:]]))

    with tempfile.TemporaryDirectory(prefix="reveal-remote-bench-") as tmp:
        studio_root = Path(tmp) / "studio"
        session_id = record_session(studio_root, args.count)
        env = {**os.environ, "KIVY_HOME": str(Path(tmp) / "kivy")}
        kiosk = subprocess.Popen(
            [sys.executable, __file__, "--kiosk", str(studio_root), str(session_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            hello = None
            for line in kiosk.stdout:
                if line.startswith("{"):
                    hello = json.loads(line)
                    break
            if hello is None:
                sys.exit("the kiosk did not start")
            print(f"kiosk listening on 127.0.0.1:{hello['port']}; {args.commands} commands a phase")
            result = asyncio.run(
                drive(hello, args.commands, args.naive or args.commands, args.seed)
            )
            kiosk.stdin.write("stop\n")
            kiosk.stdin.flush()
            drawn = None
            for line in kiosk.stdout:
                if line.startswith('{"frames"'):
                    drawn = json.loads(line)
            kiosk.wait(30)
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
    p99 = report(result, drawn, args.count)
    print(f"remote p99 round trip: {p99:.1f} ms")


if __name__ == "__main__":
    main()
