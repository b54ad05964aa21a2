"""The kiosk's one loop: Kivy's frames and the web server's work take turns on one thread."""

from __future__ import annotations

import asyncio
import threading
import time

from kiosk.kiosk import (
    STILL_SHARE,
    UPLOAD_SHARE,
    WRITE_WAIT,
    serve_between_frames,
    share_frames_with_the_server,
)

FRAME_SECONDS = 0.02


class SlowFramesClock:
    """Kivy's clock when each frame takes longer than 1/60 s (a cross-fade on the software
    renderer): it yields to asyncio with a single sleep(0) between frames."""

    async def async_idle(self) -> float:
        await asyncio.sleep(0)
        return time.monotonic()


def frames_while_a_request_is_served(clock, turns: int = 3) -> int:
    """How many frames are drawn while a piece of server work that needs `turns` turns of the
    loop (bytes read, the handler, the websocket sends) runs to its end."""

    async def main() -> int:
        drawn: list[float] = []

        async def kivy() -> None:
            for _ in range(30):
                await clock.async_idle()
                time.sleep(FRAME_SECONDS)  # drawing holds the loop's thread
                drawn.append(time.monotonic())

        frames = asyncio.ensure_future(kivy())
        await asyncio.sleep(0)  # Kivy is under way
        before = len(drawn)
        for _ in range(turns):
            await asyncio.sleep(0)
        during = len(drawn) - before
        await frames
        return during

    return asyncio.run(main())


def test_a_request_waits_a_frame_for_each_turn_of_the_loop_without_sharing():
    assert frames_while_a_request_is_served(SlowFramesClock()) >= 3


def test_shared_frames_serve_a_request_within_one_frame():
    clock = SlowFramesClock()
    share_frames_with_the_server(clock)
    assert frames_while_a_request_is_served(clock) <= 1


def frames_while_a_write_is_answered(clock, write_seconds: float) -> tuple[int, float]:
    """Frames drawn between a command's hand-over to a writer thread (durable after
    `write_seconds`) and its answer; and the longest pause between two frames meanwhile."""

    async def main() -> tuple[int, float]:
        loop = asyncio.get_running_loop()
        drawn: list[float] = []
        durable = loop.create_future()

        async def kivy() -> None:
            for _ in range(20):
                await clock.async_idle()
                time.sleep(FRAME_SECONDS)
                drawn.append(time.monotonic())

        frames = asyncio.ensure_future(kivy())
        await asyncio.sleep(0)
        threading.Timer(
            write_seconds, lambda: loop.call_soon_threadsafe(durable.set_result, None)
        ).start()
        saving[0] = True
        before = len(drawn)
        await durable
        saving[0] = False
        for _ in range(2):  # the answer's own turns: the response and the websocket sends
            await asyncio.sleep(0)
        during = len(drawn) - before
        await frames
        gaps = [b - a - FRAME_SECONDS for a, b in zip(drawn, drawn[1:], strict=False)]
        return during, max(gaps)

    saving = [False]
    share_frames_with_the_server(clock, saving=lambda: saving[0])
    return asyncio.run(main())


def test_a_quick_write_is_answered_before_the_next_frame():
    # Without the wait every answer waits for one frame; with it, nearly all come first (a
    # busy machine may wake the writer thread late once in a while).
    runs = [frames_while_a_write_is_answered(SlowFramesClock(), 0.0005)[0] for _ in range(5)]
    assert max(runs) <= 1 and runs.count(0) >= 3, runs


def test_a_slow_write_delays_a_frame_by_at_most_the_write_wait():
    during, gap = frames_while_a_write_is_answered(SlowFramesClock(), write_seconds=0.3)
    assert during >= 3  # the frames went on while the disk took its time
    # No frame waited for the write: the pause between two is WRITE_WAIT (4 ms) plus whatever
    # a busy machine adds, far below the 300 ms the disk took.
    assert gap < 0.1 and WRITE_WAIT < 0.1


def test_while_an_upload_streams_in_the_server_gets_many_turns_a_frame():
    """A chunk of a photo arrives 256 KB a turn: forty turns of work are done within a frame
    or two while `busy()`, where four turns a frame would take ten frames."""
    busy = [True]
    clock = SlowFramesClock()
    share_frames_with_the_server(clock, busy=lambda: busy[0])
    assert frames_while_a_request_is_served(clock, turns=40) <= 2
    plain = SlowFramesClock()
    share_frames_with_the_server(plain)
    assert frames_while_a_request_is_served(plain, turns=40) >= 8


def test_while_nothing_moves_on_the_tv_an_upload_gets_most_of_the_time_between_frames():
    """The client looks at a photo: the server gets STILL_SHARE after a frame; while a card
    flies or a finger is down, UPLOAD_SHARE only, so the motion stays smooth."""

    def pause_after_a_frame(still: bool) -> float:
        async def main() -> float:
            async def work() -> None:  # an upload's reads, one turn each, never finishing
                while True:
                    await asyncio.sleep(0)

            reading = asyncio.ensure_future(work())
            started = time.perf_counter()
            await serve_between_frames(lambda: False, lambda: True, lambda: still)
            reading.cancel()
            return time.perf_counter() - started

        return asyncio.run(main())

    assert STILL_SHARE > 3 * UPLOAD_SHARE
    assert pause_after_a_frame(still=True) >= STILL_SHARE
    assert UPLOAD_SHARE <= pause_after_a_frame(still=False) < STILL_SHARE
