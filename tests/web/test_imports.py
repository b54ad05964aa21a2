"""Photos into a session from the tablet, against the real server: a drive's folder, and a
browser's upload in chunks that resumes where it was cut; both through the import pipeline."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from kiosk.imports.uploads import CHUNK
from tests.imaging.conftest import Pictures
from tests.web.test_server import close_code, open_ws, receive


def wait_for_import(tablet, session_id: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = tablet.get(f"/api/sessions/{session_id}/import").json()
        if not progress["running"] and progress["total"]:
            return progress
        time.sleep(0.1)
    raise AssertionError(f"the import did not end: {progress}")


def upload(tablet, session_id: int, name: str, data: bytes, stop_after: int | None = None):
    """Send `data` as the page's script does; `stop_after` chunks, then give up (a cut)."""
    started = tablet.post(
        f"/api/sessions/{session_id}/uploads",
        json={"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
    )
    assert started.status_code == 200, started.text
    answer = started.json()
    sent = 0
    at = answer["received"] if answer["have"] == [[0, answer["received"]]] else 0
    while at < len(data) and not answer["whole"]:
        if stop_after is not None and sent == stop_after:
            return answer
        chunk = data[at : at + CHUNK]
        put = tablet.put(
            f"/api/uploads/{session_id}/{answer['upload']}",
            params={"offset": at},
            content=chunk,
            headers={"Content-Type": "application/octet-stream"},
        )
        assert put.status_code == 200, put.text
        answer, at, sent = put.json(), at + len(chunk), sent + 1
    return answer


@pytest.fixture
def shoot(tmp_path: Path) -> Pictures:
    pictures = Pictures(tmp_path / "shoot")
    pictures.jpeg("IMG_0001.JPG", (3000, 2000), seed=1, quality=100)  # a few chunks long
    pictures.jpeg("IMG_0002.JPG", seed=2, taken="2026:05:01 10:00:02")
    pictures.truncated("IMG_0003.JPG")
    pictures.text("IMG_0004.JPG")
    return pictures


def test_an_upload_cut_halfway_resumes_and_is_imported_byte_identical(server, shoot, studio):
    tablet = server.paired_client()
    sid = studio.store.create_session("Grace Hopper", "grace@example.com").id
    big = (shoot.folder / "IMG_0001.JPG").read_bytes()
    assert len(big) > CHUNK  # two chunks at least
    cut = upload(tablet, sid, "Shoot/IMG_0001.JPG", big, stop_after=1)
    assert cut["have"] == [[0, CHUNK]] and not cut["whole"]
    # The page is reloaded: the file is hashed again and the kiosk says what it has.
    resumed = upload(tablet, sid, "Shoot/IMG_0001.JPG", big)
    assert resumed["whole"] and resumed["stored"] == "Shoot/IMG_0001.JPG"
    for path in sorted(shoot.folder.iterdir())[1:]:
        upload(tablet, sid, f"Shoot/{path.name}", path.read_bytes())
    progress = wait_for_import(tablet, sid)
    kept = studio.paths.root / "originals" / f"session-{sid}" / "Shoot" / "IMG_0001.JPG"
    assert kept.read_bytes() == big
    images = {i.file_name: i for i in server.call(studio.store.images, sid)}
    assert sorted(images) == ["Shoot/IMG_0001.JPG", "Shoot/IMG_0002.JPG"]
    assert Path(images["Shoot/IMG_0001.JPG"].source_path) == kept
    assert images["Shoot/IMG_0001.JPG"].content_hash == hashlib.sha256(big).hexdigest()
    why = dict(map(tuple, progress["skipped"]))
    assert "cut short (truncated)" in why["Shoot/IMG_0003.JPG"]
    assert "not a picture" in why["Shoot/IMG_0004.JPG"]
    assert progress["done"] == progress["total"] == 4


def test_a_drives_folder_is_imported_with_links_outside_refused(server_factory, studio, tmp_path):
    drive = tmp_path / "shoots"
    pictures = Pictures(drive / "Park")
    pictures.jpeg("A.JPG", seed=3)
    pictures.jpeg("B.JPG", seed=4)
    pictures.truncated("C.JPG")
    secret = Pictures(tmp_path / "secret").jpeg("private.jpg", seed=5)
    os.symlink(secret, drive / "Park" / "D.JPG")
    studio.paths.settings.write_text(f"import_roots = [{str(drive)!r}]\n".replace("'", '"'))
    sid = studio.store.create_session("Ada Lovelace", "ada@example.com").id
    server = server_factory(sid)
    tablet = server.paired_client()
    roots = tablet.get("/api/imports/roots").json()["roots"]
    assert {"path": str(drive), "name": "shoots", "kind": "folder"} in roots
    listing = tablet.get("/api/imports/browse", params={"root": str(drive)}).json()
    assert listing["folders"] == [{"name": "Park", "path": "Park", "images": 4, "folders": 0}]
    for path in ("..", "/etc", "Park/../..", "Park/D.JPG"):
        refused = tablet.get("/api/imports/browse", params={"root": str(drive), "path": path})
        assert refused.status_code == 422 and refused.json()["error"]
    outside = tablet.post(
        f"/api/sessions/{sid}/import/folder", json={"root": str(tmp_path), "path": "secret"}
    )
    assert outside.status_code == 422
    started = tablet.post(
        f"/api/sessions/{sid}/import/folder", json={"root": str(drive), "path": "Park"}
    )
    assert started.status_code == 202, started.text
    progress = wait_for_import(tablet, sid)
    assert sorted(progress["imported"]) == ["A.JPG", "B.JPG"]
    why = dict(map(tuple, progress["skipped"]))
    assert "outside the drives and folders" in why["D.JPG"]
    assert "truncated" in why["C.JPG"]
    assert [i.file_name for i in server.call(studio.store.images, sid)] == ["A.JPG", "B.JPG"]


ROUTES = [
    ("get", "/api/imports/roots", None),
    ("get", "/api/imports/browse?root=/", None),
    ("get", "/api/sessions/1/import", None),
    ("post", "/api/sessions/1/import/folder", {"root": "/", "path": ""}),
    ("post", "/api/sessions/1/uploads", {"name": "a.jpg", "size": 1, "sha256": "a" * 64}),
    ("put", f"/api/uploads/1/{'a' * 32}?offset=0", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_import_route_is_for_paired_tablets_and_this_sites_pages(server, method, path, body):
    stranger = server.client(Origin=server.url)
    assert stranger.request(method, path, json=body).status_code == 401
    if method != "get":
        tablet = server.paired_client()
        other = {"Origin": "http://evil.example", "X-CSRF-Token": tablet.headers["X-CSRF-Token"]}
        assert tablet.request(method, path, json=body, headers=other).status_code == 403
        without = {"X-CSRF-Token": "0" * 32}
        assert tablet.request(method, path, json=body, headers=without).status_code == 403


def test_odd_parameters_are_422_and_a_chunk_over_its_cap_413(server, studio):
    tablet = server.paired_client()
    sid = server.live.session_id
    for path in (
        f"/api/uploads/{sid}/XYZ?offset=0",
        f"/api/uploads/{sid}/{'a' * 32}?offset=-1",
        f"/api/uploads/{sid}/{'a' * 32}?offset=x",
        f"/api/uploads/0/{'a' * 32}?offset=0",
    ):
        assert tablet.put(path, content=b"x").status_code == 422, path
    for body in ({"name": "a.jpg", "size": "1", "sha256": "a" * 64}, {"name": 1}, [], {"x": 1}):
        answer = tablet.post(f"/api/sessions/{sid}/uploads", json=body)
        assert answer.status_code == 422 and answer.json()["error"]
    assert (
        tablet.post(
            "/api/sessions/999/uploads", json={"name": "a.jpg", "size": 1, "sha256": "a" * 64}
        ).status_code
        == 404
    )
    big = tablet.put(f"/api/uploads/{sid}/{'a' * 32}?offset=0", content=bytes(CHUNK + 70_000))
    assert big.status_code == 413
    assert (
        tablet.get("/api/imports/browse", params={"root": "/", "path": "x" * 2000}).status_code
        == 422
    )


def test_the_imports_websocket_streams_progress_to_paired_tablets_only(
    server_factory, studio, tmp_path
):
    drive = tmp_path / "card"
    pictures = Pictures(drive / "DCIM")
    pictures.jpeg("A.JPG", seed=1)
    pictures.text("B.JPG")
    studio.paths.settings.write_text(f'import_roots = ["{drive}"]\n')
    sid = studio.store.create_session("Ada Lovelace", "ada@example.com").id
    server = server_factory(sid)
    with open_ws(server, "/ws/imports") as stranger:
        assert close_code(stranger) == 4401
    tablet = server.paired_client()
    with open_ws(server, "/ws/imports", token=tablet.cookies["reveal_session"]) as ws:
        assert receive(ws) == {"type": "imports", "sessions": {}}
        started = tablet.post(
            f"/api/sessions/{sid}/import/folder", json={"root": str(drive), "path": "DCIM"}
        )
        assert started.status_code == 202
        seen = []
        while not seen or seen[-1]["running"] or seen[-1]["done"] < 2:
            seen.append(receive(ws)["sessions"][str(sid)])
    assert seen[0]["running"] and seen[-1]["imported"] == ["A.JPG"]
    assert [name for name, _why in seen[-1]["skipped"]] == ["B.JPG"]
    assert seen[-1]["total"] == seen[-1]["done"] == 2
