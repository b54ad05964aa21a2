"""The tablet's answer waits for the disk, never the loop: the kiosk's writer thread, over HTTP.

The server runs on its own loop with the kiosk's threaded writer (as main.py runs it): a POST is
answered once its command is committed, with the state right after it; a write the disk refuses
is answered 503 with why, and the remote's state says so until a change is saved again.
"""

from __future__ import annotations

import concurrent.futures
import time

from kiosk.store.writer import Writer


def threaded_writer(server, commit_delay: float = 0.0) -> Writer:
    """Swap the test server's inline writer for the kiosk's own, on the server's loop."""

    def swap() -> Writer:
        writer = Writer(
            server.studio.paths.database,
            server.loop.call_soon_threadsafe,
            commit_delay=commit_delay,
        )
        server.live.writer = writer
        return writer

    return server.call(swap)


def test_a_tablet_is_answered_once_its_command_is_on_disk(server):
    writer = threaded_writer(server, commit_delay=1.0)
    try:
        tablet, other = server.paired_client(), server.paired_client()
        image = tablet.get("/api/state").json()["images"][2]["id"]
        command = {"kind": "decide", "image": image, "decision": "keep"}
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            started = time.monotonic()
            sent = pool.submit(tablet.post, "/api/command", json=command)
            time.sleep(0.1)
            # While the disk takes its time the loop is free: another tablet is served at once,
            # and sees nothing of the command yet (it is not durable).
            seen = other.get("/api/state").json()
            assert not sent.done()
            assert seen["counts"]["kept"] == 0
            answer = sent.result(timeout=10)
            waited = time.monotonic() - started
        assert answer.status_code == 200, answer.text
        assert waited >= 1.0  # the answer waited for the commit...
        assert [e["kind"] for e in server.events()] == ["decide"]  # ...which is on disk
        decided = {i["id"]: i["decision"] for i in answer.json()["state"]["images"]}
        assert decided[image] == "keep"
    finally:
        writer.close()


def test_a_refused_write_is_answered_503_and_the_remote_says_so_until_one_is_saved(server):
    writer = threaded_writer(server)
    try:
        tablet = server.paired_client()
        ids = [i["id"] for i in tablet.get("/api/state").json()["images"]]
        server.call(writer.conn.execute, "PRAGMA query_only = 1")  # the disk went read-only
        refused = tablet.post(
            "/api/command", json={"kind": "decide", "image": ids[0], "decision": "keep"}
        )
        assert refused.status_code == 503
        assert "could not be saved" in refused.json()["error"]
        state = tablet.get("/api/state").json()
        assert "could not be saved" in state["problem"]
        assert state["counts"]["kept"] == 0 and server.events() == []
        server.call(writer.conn.execute, "PRAGMA query_only = 0")
        saved = tablet.post(
            "/api/command", json={"kind": "decide", "image": ids[0], "decision": "keep"}
        )
        assert saved.status_code == 200, saved.text
        state = saved.json()["state"]
        assert state["problem"] == "" and state["counts"]["kept"] == 1
    finally:
        writer.close()
