"""The import runner: the CLI's pipeline on a thread of its own, its word delivered to the
loop's thread, and the TV told of new photos without being flooded."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from kiosk.imports import runner as runners
from kiosk.imports.runner import ImportRunner
from tests.imaging.conftest import Pictures


@pytest.fixture
def loop():
    """An asyncio loop on its own thread, standing in for the kiosk's."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def on_loop(loop, fn, *args):
    async def call():
        return fn(*args)

    return asyncio.run_coroutine_threadsafe(call(), loop).result(10)


def test_files_imported_one_by_one_reach_the_tv_in_few_reloads(loop, studio, tmp_path, monkeypatch):
    monkeypatch.setattr(runners, "RELOAD_SECONDS", 1.0)
    folder = tmp_path / "originals"
    pictures = Pictures(folder)
    paths = [pictures.jpeg(f"IMG_{n}.JPG", (900, 600), seed=n) for n in range(4)]
    pictures.truncated("IMG_9.JPG")
    session = studio.store.create_session("Ada Lovelace", "ada@example.com")
    reloads: list[tuple[int, float]] = []
    threads: list[int] = []
    loop_thread = on_loop(loop, threading.get_ident)

    def images_added(session_id: int) -> None:
        threads.append(threading.get_ident())
        reloads.append((session_id, time.monotonic()))

    imports = ImportRunner(
        studio, deliver=loop.call_soon_threadsafe, images_added=images_added, workers=1
    )
    try:
        for path in [*paths, folder / "IMG_9.JPG"]:  # as uploads finish, one at a time
            on_loop(loop, imports.files, session.id, folder, [path])
            time.sleep(0.05)
        deadline = time.monotonic() + 60
        while on_loop(loop, imports.busy, session.id) or not reloads:
            assert time.monotonic() < deadline, on_loop(loop, imports.progress, session.id)
            time.sleep(0.05)
        progress = on_loop(loop, imports.progress, session.id)
        assert sorted(progress["imported"]) == [f"IMG_{n}.JPG" for n in range(4)]
        assert [name for name, _ in progress["skipped"]] == ["IMG_9.JPG"]
        assert progress["done"] == progress["total"] == 5 and not progress["running"]
        time.sleep(1.5)  # a reload that was due has come
        assert 1 <= len(reloads) <= 3 and {r[0] for r in reloads} == {session.id}
        assert all(b[1] - a[1] >= 0.9 for a, b in zip(reloads, reloads[1:], strict=False))
        assert set(threads) == {loop_thread}  # the TV is told on the loop's thread
        assert len(studio.store.images(session.id)) == 4
    finally:
        imports.close()


def test_a_session_gone_before_its_import_says_so_and_the_runner_goes_on(loop, studio, tmp_path):
    pictures = Pictures(tmp_path / "originals")
    path = pictures.jpeg("A.JPG", (600, 400))
    session = studio.store.create_session("Grace Hopper", "grace@example.com")
    imports = ImportRunner(studio, deliver=loop.call_soon_threadsafe, workers=1)
    try:
        on_loop(loop, imports.files, 999, pictures.folder, [path])
        on_loop(loop, imports.files, session.id, pictures.folder, [path])
        deadline = time.monotonic() + 60
        while on_loop(loop, imports.busy, session.id) or on_loop(loop, imports.busy, 999):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "999" in on_loop(loop, imports.progress, 999)["error"]
        assert on_loop(loop, imports.progress, session.id)["imported"] == ["A.JPG"]
    finally:
        imports.close()


def test_uploads_that_arrive_while_one_imports_are_imported_together(loop, studio, tmp_path):
    """A shoot streaming in: the files finished while an import runs go to the workers as one
    job, so every worker has a file, and the round still ends once, with every file counted."""
    folder = tmp_path / "originals"
    pictures = Pictures(folder)
    paths = [pictures.jpeg(f"IMG_{n}.JPG", (1200, 800), seed=n) for n in range(7)]
    session = studio.store.create_session("Ada Lovelace", "ada@example.com")
    other = studio.store.create_session("Grace Hopper", "grace@example.com")
    other_photo = Pictures(tmp_path / "grace").jpeg("G.JPG", (600, 400))
    imports = ImportRunner(studio, deliver=loop.call_soon_threadsafe, workers=2)
    batches: list[int] = []
    one = imports._one

    def counted(studio_, job):
        batches.append(len(job.files))
        time.sleep(0.3)  # long enough for the rest to queue behind the first
        one(studio_, job)

    imports._one = counted
    try:
        for path in paths:
            on_loop(loop, imports.files, session.id, folder, [path])
        on_loop(loop, imports.files, other.id, other_photo.parent, [other_photo])
        deadline = time.monotonic() + 60
        while on_loop(loop, imports.busy, session.id) or on_loop(loop, imports.busy, other.id):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        imports.close()
    # Eight files, one a job, would be eight jobs: those queued behind a job went together (the
    # other session's file in a job of its own).
    assert sum(batches) == 8 and len(batches) <= 4 and batches[-1] == 1, batches
    progress = on_loop(loop, imports.progress, session.id)
    assert sorted(progress["imported"]) == [f"IMG_{n}.JPG" for n in range(7)]
    assert progress["done"] == progress["total"] == 7 and not progress["running"]
    assert len(studio.store.images(session.id)) == 7 and len(studio.store.images(other.id)) == 1
