"""The kiosk's one loop: Kivy's frames and the web server's work take turns on one thread."""

from __future__ import annotations

import asyncio
import time

from kiosk.kiosk import share_frames_with_the_server

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
