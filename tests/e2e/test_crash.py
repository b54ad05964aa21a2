"""kill -9 loses nothing that was acknowledged: the real kiosk, killed mid-stream, again and again.

A tablet's command is acknowledged by its 200 answer, which the kiosk sends only after the
event is committed. So after a SIGKILL the event log on disk must hold every acknowledged
command, no command that was refused (422) and nothing that was never sent. A command whose
answer never arrived (in flight when the kill landed) may or may not be there: it is there
exactly when its transaction committed before the kill, and then it is the last of its sender's.

Three senders post at once, each with commands only it sends (keeps; drops; maybes and undos),
so every logged step can be traced to its sender and each sender's steps checked in order. Each
200 answer carries the state right after its command; replaying the log up to that command's
step must give the same state, so the log's order is the order the kiosk really applied.

A SIGKILL leaves the operating system's page cache alone: this shows that nothing is
acknowledged before it is committed and that a killed kiosk reopens from its log, not that the
fsync survives a power cut (that is SQLite's synchronous=FULL, kiosk.store.db).

    REVEAL_CRASH_SEED=7 .venv/bin/pytest tests/e2e/test_crash.py    # another sequence of kills
"""

from __future__ import annotations

import colorsys
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image as PILImage
from PIL import ImageGrab

from kiosk.core import selection
from kiosk.kiosk import SLOW_DISK
from kiosk.studio import open_studio
from kiosk.web.auth import COOKIE, CSRF_HEADER
from kiosk.web.pairing import Pairing
from tests.conftest import ROOT, write_photo

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SEED = int(os.environ.get("REVEAL_CRASH_SEED", "20260501"))
IMAGES = 40
KILLS = 4
# Each sender owns its kind of step, so a logged step names the sender that asked for it.
SENDERS = {"keep": ("keep",), "drop": ("drop",), "maybe": ("maybe", "undo")}

Step = tuple  # ("decide", image, decision) or ("undo",)
Summary = tuple  # (current image, ((image, decision or None), ...), can_undo)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def colour(index: int) -> tuple[int, int, int]:
    """Forty hues far enough apart to tell from a screenshot which image the TV shows."""
    r, g, b = colorsys.hsv_to_rgb(index / IMAGES, 0.85, 0.9)
    return round(r * 255), round(g * 255), round(b * 255)


@dataclass
class StudioFolder:
    """The studio folder the kiosk runs on, the session in it and a paired tablet's keys."""

    root: Path
    session_id: int
    image_ids: list[int]
    colours: dict[int, tuple[int, int, int]]
    token: str
    csrf: str

    @property
    def database(self) -> Path:
        return self.root / "studio.db"


def make_studio(tmp_path: Path) -> StudioFolder:
    studio = open_studio(tmp_path / "studio")
    try:
        session = studio.store.create_session("Crash Family", "crash@example.com")
        folder = tmp_path / "previews"
        folder.mkdir()
        ids, colours = [], {}
        for i in range(IMAGES):
            path = write_photo(folder / f"{i:03d}.jpg", (800, 600), colour(i))
            image_id = studio.store.add_image(
                session.id,
                file_name=path.name,
                source_path=str(path),
                content_hash=f"crash-{i:03d}",
                width=800,
                height=600,
                capture_time=f"2026-05-01T10:00:{i:02d}",
                preview_path=str(path),
                thumb_path=str(path),
            )
            ids.append(image_id)
            colours[image_id] = colour(i)
        # Paired before the kiosk starts: the kiosk finds the device in the same database.
        pairing = Pairing.for_store(studio.store)
        token = pairing.pair(pairing.current_code(), client="127.0.0.1", name="crash test")
        csrf = pairing.csrf_token(token)
    finally:
        studio.close()
    return StudioFolder(tmp_path / "studio", session.id, ids, colours, token, csrf)


class Kiosk:
    """`python main.py` on the studio, as the TV runs it; `kill()` is the power cord, almost."""

    def __init__(
        self, studio: StudioFolder, tmp_path: Path, port: int, commit_delay_ms: int = 0
    ) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = tmp_path / "kiosk.log"
        env = {**os.environ, "KIVY_HOME": str(tmp_path / "kivy")}
        env[SLOW_DISK] = str(commit_delay_ms)
        command = [sys.executable, "main.py", "--data", str(studio.root), "--size", "1280x720"]
        command += ["--port", str(port), "--session", str(studio.session_id)]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/health", timeout=1, trust_env=False).is_success:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError(f"the kiosk did not come up:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


def tablet(studio: StudioFolder, url: str) -> httpx.Client:
    """What the remote page sends: the pairing cookie, its Origin and the CSRF header."""
    return httpx.Client(
        base_url=url,
        timeout=10,
        trust_env=False,
        cookies={COOKIE: studio.token},
        headers={"Origin": url, CSRF_HEADER: studio.csrf},
    )


# -- the senders ------------------------------------------------------------------------------
@dataclass
class Sent:
    step: Step
    outcome: str  # "ok" (200: acknowledged), "refused" (422) or "unknown" (no answer)
    state: dict[str, Any] | None = None  # the 200 answer's state


class Sender(threading.Thread):
    """One tablet posting commands of its own kinds, one at a time, until the kiosk dies."""

    def __init__(self, kind: str, studio: StudioFolder, url: str, rng: random.Random) -> None:
        super().__init__(name=f"sender-{kind}", daemon=True)
        self.kind, self.studio, self.url, self.rng = kind, studio, url, rng
        self.sent: list[Sent] = []
        self.unexpected: list[str] = []

    def run(self) -> None:
        current = self.studio.image_ids[0]
        with tablet(self.studio, self.url) as client:
            while True:
                kind = self.rng.choice(SENDERS[self.kind])
                if kind == "undo":
                    step, body = ("undo",), {"kind": "undo"}
                else:
                    # Mostly the image on the TV (it moves on, as a swipe does), sometimes
                    # another one, as from the remote's grid.
                    image = (
                        current
                        if self.rng.random() < 0.6
                        else self.rng.choice(self.studio.image_ids)
                    )
                    step = ("decide", image, kind)
                    body = {"kind": "decide", "image": image, "decision": kind}
                try:
                    answer = client.post("/api/command", json=body)
                except httpx.TransportError:
                    self.sent.append(Sent(step, "unknown"))  # killed: no answer will come
                    return
                if answer.status_code == 200:
                    state = answer.json()["state"]
                    self.sent.append(Sent(step, "ok", state))
                    current = state["current"]
                elif answer.status_code == 422:  # e.g. nothing to undo: nothing written
                    self.sent.append(Sent(step, "refused"))
                else:
                    self.unexpected.append(f"{answer.status_code} {answer.text[:200]}")
                    return


def owner(step: Step) -> str:
    return "maybe" if step[0] == "undo" else step[2]


# -- the log on disk --------------------------------------------------------------------------
def read_log(studio: StudioFolder) -> list[dict[str, Any]]:
    """The session's event log, read-only, from the database the killed kiosk left behind."""
    with sqlite3.connect(f"file:{studio.database}?mode=ro", uri=True) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        rows = db.execute(
            "select command from events where session_id = ? order by seq", [studio.session_id]
        ).fetchall()
    db.close()
    return [json.loads(row[0]) for row in rows]


def split_steps(events: list[dict[str, Any]]) -> list[tuple[Step, int]]:
    """The log as the tablet's steps, each with the number of events up to its end. Deciding
    on the TV's image logs a decide and the show of the next image in one transaction."""
    steps, i = [], 0
    while i < len(events):
        event = events[i]
        if event["kind"] == "decide":
            step: Step = ("decide", event["image"], event["decision"])
            if i + 1 < len(events) and events[i + 1]["kind"] == "show":
                i += 1
        elif event["kind"] == "undo":
            step = ("undo",)
        else:
            raise AssertionError(f"event {i} was never sent by anyone: {event}")
        i += 1
        steps.append((step, i))
    return steps


def summaries(studio: StudioFolder, events: list[dict[str, Any]]) -> list[Summary]:
    """What replaying the log gives after each of its events (index 0: nothing logged)."""
    state = selection.SessionState.new(studio.image_ids)
    out = [summary_of_state(state)]
    for event in events:
        state = selection.apply(state, selection.command_from_json(event))
        out.append(summary_of_state(state))
    return out


def summary_of_state(state: selection.SessionState) -> Summary:
    decisions = tuple((i, selection.decision_of(state, i)) for i in state.image_ids)
    return state.current_image, tuple((i, d and d.value) for i, d in decisions), state.can_undo


def summary_of_answer(state: dict[str, Any]) -> Summary:
    decisions = tuple((image["id"], image["decision"]) for image in state["images"])
    return state["current"], decisions, state["can_undo"]


def check_round(
    studio: StudioFolder, before: list[dict], after: list[dict], senders: list[Sender]
) -> dict[str, int]:
    assert after[: len(before)] == before, "the log changed below what was already there"
    replayed = summaries(studio, after)
    steps = split_steps(after[len(before) :])
    by_sender: dict[str, list[tuple[Step, int]]] = {s.kind: [] for s in senders}
    for step, end in steps:
        by_sender[owner(step)].append((step, len(before) + end))
    landed = 0
    for sender in senders:
        assert not sender.unexpected, sender.unexpected
        acknowledged = [s for s in sender.sent if s.outcome == "ok"]
        unknown = [s for s in sender.sent if s.outcome == "unknown"]
        logged = by_sender[sender.kind]
        # Exactly the acknowledged steps, in the order sent; then, perhaps, the one in flight.
        assert [step for step, _ in logged[: len(acknowledged)]] == [
            s.step for s in acknowledged
        ], f"{sender.kind}: an acknowledged command is missing, or a refused one was logged"
        extra = logged[len(acknowledged) :]
        assert len(extra) <= len(unknown), f"{sender.kind}: logged but never sent: {extra}"
        if extra:
            assert extra[0][0] == unknown[0].step
            landed += 1
        for sent, (_, end) in zip(acknowledged, logged, strict=False):
            assert replayed[end] == summary_of_answer(sent.state), (
                f"{sender.kind}: the answer to {sent.step} is not the state the log replays to"
            )
    return {
        "acknowledged": sum(s.outcome == "ok" for x in senders for s in x.sent),
        "refused": sum(s.outcome == "refused" for x in senders for s in x.sent),
        "in_flight": sum(s.outcome == "unknown" for x in senders for s in x.sent),
        "in_flight_logged": landed,
    }


# -- what the TV shows ------------------------------------------------------------------------
def shown_colour() -> tuple[int, int, int] | None:
    """The colour in the middle of the kiosk's window (found on the X screen by its
    background: the screen around it is black)."""
    screen = ImageGrab.grab(xdisplay=os.environ["DISPLAY"]).convert("RGB")
    box = screen.getbbox()
    if box is None:
        return None
    cx, cy = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
    patch = screen.crop((cx - 10, cy - 10, cx + 10, cy + 10)).resize((1, 1), PILImage.BOX)
    return patch.getpixel((0, 0))


def nearest_image(studio: StudioFolder, rgb: tuple[int, int, int] | None) -> int | None:
    if rgb is None:
        return None
    image, distance = min(
        (
            (i, sum((a - b) ** 2 for a, b in zip(c, rgb, strict=True)))
            for i, c in studio.colours.items()
        ),
        key=lambda pair: pair[1],
    )
    return image if distance < 30**2 else None


def check_reopened(studio: StudioFolder, kiosk: Kiosk, expected: Summary) -> None:
    with tablet(studio, kiosk.url) as client:
        state = client.get("/api/state").json()
        assert summary_of_answer(state) == expected, "the restarted kiosk is not where it was"
        assert client.post("/api/command", json={"kind": "screen", "name": "select"}).is_success
    # The choosing screen on the TV shows the same image the remote calls current.
    deadline, seen = time.monotonic() + 8, None
    while time.monotonic() < deadline:
        seen = nearest_image(studio, shown_colour())
        if seen == expected[0]:
            return
        time.sleep(0.1)
    raise AssertionError(f"the TV shows image {seen}, not the current image {expected[0]}")


def wait_for_acknowledged(senders: list[Sender], count: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while sum(s.outcome == "ok" for x in senders for s in list(x.sent)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} commands were acknowledged"
        stopped = [x.unexpected for x in senders if not x.is_alive()]
        assert not stopped, f"a sender stopped before the kill: {stopped}"
        time.sleep(0.002)


@pytest.mark.parametrize("commit_delay_ms", [0, 100], ids=["disk", "slow-disk"])
def test_kill_9_loses_no_acknowledged_command_and_reopens_on_the_same_image(
    tmp_path, commit_delay_ms
):
    """With the slow disk every commit takes 100 ms more, so commands from the three senders
    queue behind one another and are written in groups: still, what was answered is kept."""
    rng = random.Random(SEED + commit_delay_ms)
    studio = make_studio(tmp_path)
    log: list[dict[str, Any]] = []
    totals: dict[str, int] = {}
    kiosk = None
    try:
        for round_ in range(KILLS + 1):
            kiosk = Kiosk(studio, tmp_path, free_port(), commit_delay_ms)
            kiosk.wait_ready()
            check_reopened(studio, kiosk, summaries(studio, log)[-1])
            if round_ == KILLS:
                break
            senders = [
                Sender(kind, studio, kiosk.url, random.Random(rng.random())) for kind in SENDERS
            ]
            for sender in senders:
                sender.start()
            # The kill lands at a random point of the stream, while all three are sending.
            wait_for_acknowledged(senders, rng.randint(5, 40))
            time.sleep(rng.uniform(0, 0.05))
            kiosk.kill()
            for sender in senders:
                sender.join(15)
                assert not sender.is_alive()
            after = read_log(studio)  # the process is gone: this is what it left on disk
            for key, value in check_round(studio, log, after, senders).items():
                totals[key] = totals.get(key, 0) + value
            log = after
    finally:
        if kiosk is not None and kiosk.process.poll() is None:
            kiosk.kill()
    print(f"seed {SEED}: {KILLS} kills, {len(log)} events, {totals}")
    assert totals["in_flight"] >= KILLS, "a kill should catch commands in flight"
