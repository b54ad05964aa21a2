"""How soon the room display shows what the kiosk did, and what displays cost the kiosk.

    .venv/bin/python bench/display_bench.py                 # 40 decisions a phase, 30 drag steps
    .venv/bin/python bench/display_bench.py --decisions 100 --steps 60 --moves 20

With no display it runs itself under `xvfb-run -a -s "-screen 0 1920x1080x24"`.

The kiosk runs in its own process as in the studio: the real `RevealApp` in a 1920x1080 Kivy
window and uvicorn on 127.0.0.1 in one loop, on a session recorded from the demo photographs
(tests/conftest.py's way: each its own preview). This process plays the tablet (decisions
POSTed to /api/command with cookie, Origin and CSRF header) and opens the display page in
Debian's chromium through Playwright, 1920x1080. Times are taken on one clock: the page stamps
`Date.now()` when the photo's layer turns on (its cross-fade starts) or the wall's new picture
is swapped in, and this process stamps `time.time()` just before it sends the command.

Phases, in one kiosk run, all on the choosing screen except the last:
- 0 displays: the kiosk's CPU per decision with no display open (the baseline);
- 1 display and 5 displays: the time from a decision to the display showing the next photo,
  and the kiosk's CPU per decision, whose difference from the baseline is what a display costs
  (the whole process's, mostly Kivy drawing the screen, and the loop thread's between Kivy's
  frames: the web server's own work, the steadier figure);
- wall drag: the wall-art screen, one piece dragged an inch at a time at 10 steps a second (the
  screen's own `drag_to`, as a finger does), then let go; the time from each step to the
  display showing that step or a later one (drawn at half width while the finger moves), the
  final picture's exactness; then short drags each let go (a saved design, which the display
  asks for at its full width): the time from each let-go to the display showing it, and the
  renderer's own time per 1920-pixel picture.
Before the kiosk starts, the wall renderer alone in this process (the hallway's eight-piece
gallery wall, a drag of one piece at 1920 and 960 pixels), and the machine's load average.
The kiosk's frame time (its loop's work per drawn frame) is measured in the same run. Goals: a
photo change p99 within one frame + 50 ms; a wall render at 1920 px p99 <= 300 ms. The last
line is `display p99 photo change: X ms`, with one display.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from remote_bench import XVFB, percentile, record_session  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
GAP_SECONDS = 0.35  # between decisions: the previous photo's fade has started
STEP_SECONDS = 0.1  # between drag steps


# -- the kiosk, in its own process ----------------------------------------------------------
def run_kiosk(studio_root: Path, session_id: int) -> None:
    """The real kiosk. Prints a JSON hello when it listens; then obeys lines on stdin:
    `screen NAME`, `drag DX` (the selected piece DX inches right of where the drag began),
    `let-go`, `cpu`, `stop` (then it prints its frames and render times and quits)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kiosk.kiosk import configure_window

    configure_window(windowed=True, size=(1920, 1080))
    from kivy.clock import Clock

    from kiosk.display.links import DisplayLinks
    from kiosk.display.wallfeed import FEED
    from kiosk.kiosk import _serve as serve
    from kiosk.studio import open_studio
    from kiosk.ui.app import RevealApp

    studio = open_studio(studio_root)
    studio.settings = replace(studio.settings, pin="")
    app = RevealApp(studio, session_id)
    frames: list[float] = []
    served = [0.0]  # the loop thread's CPU between frames: the web server's work
    start: list[tuple[float, float]] = []

    def say(data: dict) -> None:
        print(json.dumps(data), flush=True)

    def obey(line: str) -> None:
        word, *rest = line.split()
        if word == "screen":
            app.live.set_screen(rest[0])
            say({"screen": rest[0]})
        elif word == "drag":
            wall = app.wallart
            if not start:
                wall.select(0)
                p = wall.design.pieces[0].placement
                start.append((p.x, p.y))
            wall.drag_to(start[0][0] + float(rest[0]), start[0][1])
            say({"version": FEED.version, "at": time.time()})
        elif word == "let-go":
            app.wallart.drag_done()
            latest = FEED.latest(app.live.session_id)
            # Not final: the drag ended where it began (snapped back), so nothing was saved.
            say({"version": latest[0], "final": latest[2], "at": time.time()})
        elif word == "cpu":
            t = os.times()
            say({"cpu": t.user + t.system, "served": served[0]})
        elif word == "stop":
            app.stop()

    async def main() -> None:
        loop = asyncio.get_running_loop()

        def read_lines() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(obey, line)

        async def hand_over() -> None:
            while getattr(app, "web_server", None) is None or not app.web_server.started:
                await asyncio.sleep(0.05)
            sleep = Clock.async_idle
            woke = [0.0]

            async def timed_sleep():
                if woke[0]:
                    frames.append(time.monotonic() - woke[0])
                cpu = time.thread_time()
                result = await sleep()
                served[0] += time.thread_time() - cpu
                woke[0] = time.monotonic()
                return result

            Clock.async_idle = timed_sleep
            pairing = app.pairing
            say(
                {
                    "port": app.web_server.port,
                    "token": pairing.pair(pairing.current_code(), "127.0.0.1", name="bench"),
                    "display": DisplayLinks.of(pairing).display_token(),
                }
            )
            threading.Thread(target=read_lines, daemon=True).start()

        handing = asyncio.ensure_future(hand_over())
        try:
            await serve(app, "127.0.0.1", 0)
        finally:
            handing.cancel()

    asyncio.run(main())
    reveal = app.session_listeners[0].__self__  # the web pages' context (Reveal.switch)
    room = getattr(reveal, "display_room", None)
    say({"frames": frames, "render_ms": room.pictures.render_ms if room else []})
    studio.close()


class Kiosk:
    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    def ask(self, line: str) -> dict:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        while True:
            answer = self.process.stdout.readline()
            if not answer:
                raise RuntimeError("the kiosk stopped")
            if answer.startswith("{"):
                return json.loads(answer)


# -- the tablet and the displays --------------------------------------------------------------
WATCH = """() => {
  window.__shown = [];
  const stamp = (what) => window.__shown.push([what, Date.now()]);
  const turnedOn = (c) => c.attributeName === "class" && c.target.classList.contains("on")
    && !(c.oldValue || "").split(" ").includes("on");
  new MutationObserver((changes) => {
    for (const c of changes) {
      const el = c.target;
      if (el.classList.contains("layer") && turnedOn(c)) stamp(el.getAttribute("src"));
      if (el.classList.contains("wall") && c.attributeName === "data-version"
          && el.dataset.version) stamp("wall:" + el.dataset.version);
    }
  }).observe(document.body, {
    subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ["class", "data-version"],
  });
}"""


def decide(tablet, image_id: int) -> float:
    command = {"kind": "decide", "image": image_id, "decision": "keep"}
    sent = time.time()
    response = tablet.post("/api/command", content=json.dumps(command).encode())
    if response.status_code != 200:
        raise RuntimeError(f"the command was refused ({response.status_code}): {response.text}")
    return sent


def photo_phase(kiosk: Kiosk, hello: dict, pages, ids: list[int], n: int) -> tuple[list, tuple]:
    """`n` decisions from ids[0] on: the latency in ms of each (on the first page), and the
    kiosk's CPU seconds (the whole process's, and its server's work between frames)."""
    import httpx

    port, token = hello["port"], hello["token"]
    csrf = hmac.new(token.encode(), b"reveal csrf", hashlib.sha256).hexdigest()
    headers = {
        "Origin": f"http://127.0.0.1:{port}",
        "Cookie": f"reveal_session={token}",
        "X-CSRF-Token": csrf,
        "Content-Type": "application/json",
    }
    for page in pages:
        page.evaluate("() => { window.__shown = []; }")
    before = kiosk.ask("cpu")
    sent = []
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers=headers, trust_env=False
    ) as tablet:
        for image_id in ids[:n]:
            sent.append((decide(tablet, image_id), image_id))
            if pages:
                pages[0].wait_for_timeout(GAP_SECONDS * 1000)
            else:
                time.sleep(GAP_SECONDS)
    after = kiosk.ask("cpu")
    cpu = (after["cpu"] - before["cpu"], after["served"] - before["served"])
    if not pages:
        return [], cpu
    pages[0].wait_for_timeout(1000)
    shown = pages[0].evaluate("() => window.__shown")
    latencies = []
    for at, image_id in sent:
        following = ids[ids.index(image_id) + 1]
        when = [t for src, t in shown if src.endswith(f"/img/{following}")]
        if when:
            latencies.append(when[0] - at * 1000)
    return latencies, cpu


def wall_phase(kiosk: Kiosk, page, steps: int) -> tuple[list, bool]:
    page.evaluate("() => { window.__shown = []; }")
    sent = []
    for step in range(1, steps + 1):
        sent.append(kiosk.ask(f"drag {step * 0.5}"))
        page.wait_for_timeout(STEP_SECONDS * 1000)
    final = kiosk.ask("let-go")
    page.wait_for_selector(f'.wall.on[data-version="{final["version"]}"]', timeout=20_000)
    shown = [(int(what[5:]), t) for what, t in page.evaluate("() => window.__shown")
             if what.startswith("wall:")]  # fmt: skip
    latencies = []
    for step in sent:
        when = [t for version, t in shown if version >= step["version"]]
        if when:
            latencies.append(when[0] - step["at"] * 1000)
    return latencies, shown[-1][0] == final["version"]


def moves_phase(kiosk: Kiosk, page, moves: int, start: float) -> list:
    """`moves` short drags, each let go (a saved design: the display asks for it at its full
    width): the time from the let-go to the display showing that design."""
    latencies = []
    for move in range(moves):
        kiosk.ask(f"drag {start - 1.5 * (move + 1)}")  # back the way it came, 1.5 in a time
        final = kiosk.ask("let-go")
        if not final["final"]:
            continue
        page.wait_for_selector(f'.wall.on[data-version="{final["version"]}"]', timeout=20_000)
        shown = page.evaluate("() => window.__shown")
        when = [t for what, t in shown if what == f"wall:{final['version']}"]
        if when:
            latencies.append(when[0] - final["at"] * 1000)
        page.wait_for_timeout(STEP_SECONDS * 1000)
    return latencies


def renderer_alone(steps: int) -> dict:
    """The wall renderer by itself, in this process, on the hallway's eight-piece gallery wall
    (bench/wallart_bench.py's scene): the first 1920-pixel picture of the design (photos and
    room decoded), then a drag of one piece, each step at 1920 and at 960 pixels wide, JPEG
    included, as the display's route makes them."""
    import io
    from dataclasses import replace as moved

    from wallart_bench import scene

    from kiosk.display.wallrender import JPEG_QUALITY, WallRenderer

    room, arts = scene()[:2]
    renderer = WallRenderer()

    def timed(artworks, width: int) -> float:
        started = time.perf_counter()
        picture = renderer.render(room, artworks, width)
        picture.save(io.BytesIO(), "JPEG", quality=JPEG_QUALITY)
        return (time.perf_counter() - started) * 1000

    out: dict = {"first": timed(arts, 1920), 1920: [], 960: []}
    for step in range(steps):
        for width in (1920, 960):
            art = arts[0]
            placement = moved(art.placement, x=art.placement.x + 0.25 * (step + 1))
            out[width].append(timed([moved(art, placement=placement), *arts[1:]], width))
    renderer.shutdown()
    return out


def drive(kiosk: Kiosk, hello: dict, ids: list[int], n: int, steps: int, moves: int) -> dict:
    from playwright.sync_api import sync_playwright

    url = f"http://127.0.0.1:{hello['port']}/display/{hello['display']}"
    kiosk.ask("screen select")
    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        _, out["cpu0"] = photo_phase(kiosk, hello, [], ids, n)
        ids = ids[n:]
        pages = []
        for count in (1, 5):
            while len(pages) < count:
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.goto(url)
                page.wait_for_selector("#view-photo:not([hidden])")
                page.evaluate(WATCH)
                pages.append(page)
            out[f"photo{count}"], out[f"cpu{count}"] = photo_phase(kiosk, hello, pages, ids, n)
            ids = ids[n:]
        for page in pages[1:]:
            page.close()
        kiosk.ask("screen wallart")
        pages[0].wait_for_selector(".wall.on[data-version]", timeout=30_000)
        out["wall"], out["exact"] = wall_phase(kiosk, pages[0], steps)
        out["moves"] = moves_phase(kiosk, pages[0], moves, steps * 0.5)
        browser.close()
    return out


def stats(values: list[float]) -> str:
    if not values:
        return "no samples"
    p50, p99 = percentile(values, 50), percentile(values, 99)
    return f"p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=40, help="decisions a phase (40)")
    parser.add_argument("--steps", type=int, default=30, help="drag steps (30)")
    parser.add_argument("--moves", type=int, default=12, help="drags let go (12)")
    parser.add_argument("--kiosk", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kiosk:
        run_kiosk(Path(args.kiosk[0]), int(args.kiosk[1]))
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        if not shutil.which("xvfb-run"):
            sys.exit("No display and no xvfb-run: run the bench under xvfb-run.")
        sys.exit(subprocess.call([*XVFB, sys.executable, __file__, *sys.argv[1:]]))

    alone = renderer_alone(args.steps)
    print(f"load average before the run: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"renderer alone, first picture of the design at 1920 px: {alone['first']:.0f} ms")
    print(f"renderer alone, a drag step at 1920 px:  {stats(alone[1920])}")
    print(f"renderer alone, a drag step at 960 px:   {stats(alone[960])}")
    n = args.decisions
    with tempfile.TemporaryDirectory(prefix="reveal-display-bench-") as tmp:
        studio_root = Path(tmp) / "studio"
        session_id = record_session(studio_root, 3 * n + 10)
        from kiosk.studio import open_studio

        studio = open_studio(studio_root)
        ids = [image.id for image in studio.store.images(session_id)]
        studio.close()
        env = {**os.environ, "KIVY_HOME": str(Path(tmp) / "kivy")}
        process = subprocess.Popen(
            [sys.executable, __file__, "--kiosk", str(studio_root), str(session_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        kiosk = Kiosk(process)
        try:
            hello = None
            for line in process.stdout:
                if line.startswith("{"):
                    hello = json.loads(line)
                    break
            if hello is None:
                sys.exit("the kiosk did not start")
            out = drive(kiosk, hello, ids, n, args.steps, args.moves)
            process.stdin.write("stop\n")
            process.stdin.flush()
            end = {}
            for line in process.stdout:
                if line.startswith('{"frames"'):
                    end = json.loads(line)
            process.wait(30)
        finally:
            if process.poll() is None:
                process.kill()
    frames = [f * 1000 for f in end.get("frames", []) if f > 0.002]  # frames that did work
    frame_p99 = percentile(frames, 99) if frames else 0.0
    per = {k: out[f"cpu{k}"][0] / n * 1000 for k in (0, 1, 5)}
    web = {k: out[f"cpu{k}"][1] / n * 1000 for k in (0, 1, 5)}
    print(f"kiosk frame time:             {stats(frames)}")
    print(f"photo change, 1 display:      {stats(out['photo1'])}")
    print(f"photo change, 5 displays:     {stats(out['photo5'])}")
    print(f"goal: p99 <= one frame + 50 ms = {frame_p99 + 50:.1f} ms")
    print(
        f"kiosk CPU per decision:       {per[0]:.2f} ms with no display, {per[1]:.2f} ms with 1, "
        f"{per[5]:.2f} ms with 5: {per[1] - per[0]:+.2f} ms for 1 display, "
        f"{(per[5] - per[0]) / 5:+.2f} ms per display with 5"
    )
    print(
        f"  of which its server's work:  {web[0]:.2f} ms, {web[1]:.2f} ms, {web[5]:.2f} ms: "
        f"{web[1] - web[0]:+.2f} ms for 1 display, {(web[5] - web[0]) / 5:+.2f} ms per display "
        "with 5"
    )
    print(f"wall drag step to display:    {stats(out['wall'])}")
    renders = end.get("render_ms", [])
    full = [ms for width, ms in renders if width >= 1920]
    half = [ms for width, ms in renders if width < 1920]
    print(f"wall let go to display:       {stats(out['moves'])}")
    print(f"wall render at 1920 px:       {stats(full[1:])}   (goal p99 <= 300 ms)")
    if full:
        print(f"  the design's first picture: {full[0]:.0f} ms (photos and room decoded)")
    print(f"wall render at 960 px (drag): {stats(half)}")
    print(f"final wall position exact:    {'yes' if out['exact'] else 'NO'}")
    photo = out["photo1"]  # one display: the studio's usual room
    print(f"display p99 photo change: {percentile(photo, 99) if photo else float('nan'):.1f} ms")


if __name__ == "__main__":
    main()
