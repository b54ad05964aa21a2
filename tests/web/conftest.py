"""A real Reveal web server on 127.0.0.1 for the web tests.

It runs in a thread with its own asyncio loop, and (as in the kiosk, where the Kivy app and
uvicorn share one thread) everything that touches its LiveSession, Pairing and Store happens
on that thread: `server.call(fn)` runs `fn` there, the way a touch on the TV would.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from kiosk.live import LiveSession
from kiosk.store.private_notes import PrivateNotes
from kiosk.studio import Studio, open_studio
from kiosk.web.app import create_app
from kiosk.web.pairing import Pairing
from kiosk.web.server import bind, make_server
from tests.conftest import demo_session

CSRF_META = re.compile(r'name="csrf-token" content="([0-9a-f]+)"')


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RunningServer:
    url: str
    clock: FakeClock
    loop: asyncio.AbstractEventLoop
    live: LiveSession
    pairing: Pairing
    studio: Studio
    clients: list[httpx.Client] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run fn on the server's thread (where the TV's touches run) and return its result."""

        async def run() -> Any:
            return fn(*args, **kwargs)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=10)

    def events(self) -> list[dict[str, Any]]:
        return self.call(self.studio.store.events, self.live.session_id)

    def private_notes_for(self) -> dict[int, str]:
        """The session's private notes as stored (call it through `call`)."""
        return PrivateNotes(self.studio.store).for_session(self.live.session_id)

    def code(self) -> str:
        return self.call(self.pairing.current_code)

    def pair_url(self) -> str:
        """What the TV's QR code holds."""
        return self.call(self.pairing.pair_url, self.url)

    def client(self, **headers: str) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=10, headers=headers, trust_env=False)
        self.clients.append(client)
        return client

    def paired_client(self) -> httpx.Client:
        """A tablet that paired with the code on the TV and loaded the remote page: it sends
        the cookie, the page's Origin and the CSRF header, as the page's script does."""
        client = self.client(Origin=self.url)
        response = client.post("/pair", data={"code": self.code()})
        assert response.status_code == 303, response.text
        page = client.get("/remote")
        assert page.status_code == 200
        client.headers["X-CSRF-Token"] = CSRF_META.search(page.text).group(1)
        return client


def _serve(studio_root, session_id, clock, started: threading.Event, box: dict) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    studio = open_studio(studio_root)
    live = LiveSession(studio.store, session_id)
    pairing = Pairing.for_store(studio.store, clock=clock)
    server = make_server(create_app(live, studio, pairing))
    sock = bind("127.0.0.1", 0)
    box.update(loop=loop, live=live, pairing=pairing, studio=studio, server=server)
    box["port"] = sock.getsockname()[1]

    async def main() -> None:
        serving = asyncio.ensure_future(server.serve(sockets=[sock]))
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        started.set()
        await serving

    try:
        loop.run_until_complete(main())
    finally:
        started.set()
        studio.close()
        loop.close()


@pytest.fixture
def server_factory(studio: Studio) -> Iterator[Callable[[int], RunningServer]]:
    running: list[tuple[threading.Thread, dict, RunningServer]] = []

    def start(session_id: int) -> RunningServer:
        clock = FakeClock()
        started, box = threading.Event(), {}
        thread = threading.Thread(
            target=_serve,
            args=(studio.paths.root, session_id, clock, started, box),
            daemon=True,
        )
        thread.start()
        assert started.wait(10) and box["server"].started, "the web server did not start"
        server = RunningServer(
            url=f"http://127.0.0.1:{box['port']}",
            clock=clock,
            loop=box["loop"],
            live=box["live"],
            pairing=box["pairing"],
            studio=box["studio"],
        )
        running.append((thread, box, server))
        return server

    yield start
    for thread, box, server in running:
        for client in server.clients:
            client.close()
        box["server"].should_exit = True
        thread.join(10)


@pytest.fixture
def server(server_factory, session_factory) -> RunningServer:
    """A server on a session of five images (distinct colours, landscape and portrait)."""
    session_id = session_factory(
        [(1500, 1000), (1000, 1500), (1500, 1000), (1200, 1200), (1500, 1000)]
    )
    return server_factory(session_id)


@pytest.fixture
def demo_server(studio: Studio, server_factory) -> RunningServer:
    """A server on twelve of the demo session's real photographs (recorded as their own
    previews and thumbnails: the import has its own tests), for screenshots worth looking at."""
    return server_factory(demo_session(studio))


def refuses_strangers_and_other_sites(server, page: str, routes) -> httpx.Client:
    """Every one of `routes` ((method, path) pairs) and the `page` answer 401 to a device that
    never paired, and each POST 403 from a paired tablet when it comes from another site.
    The paired tablet, for the test's next steps."""
    stranger = server.client(Origin=server.url)
    assert stranger.get(page).status_code == 401
    for method, path in routes:
        assert getattr(stranger, method)(path).status_code == 401, path
    tablet = server.paired_client()
    elsewhere = {"Origin": "http://evil.example", "X-CSRF-Token": tablet.headers["X-CSRF-Token"]}
    for method, path in routes:
        if method == "post":
            assert tablet.post(path, json={}, headers=elsewhere).status_code == 403, path
    return tablet
