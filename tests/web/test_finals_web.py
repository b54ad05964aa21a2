"""Finals added from the tablet for real: uvicorn on 127.0.0.1, httpx as the tablet, and chromium
at iPad size answering a file that could be two images (docs/orders-finals.png)."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from kiosk.checkout.invoice import Client, confirm_order
from kiosk.checkout.settings import save_studio_details
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine
from kiosk.store import delivery as rows
from tests.checkout.conftest import STUDIO
from tests.conftest import ROOT
from tests.web.tablet import tablet_page

CHROMIUM = Path("/usr/bin/chromium")
DOCS = ROOT / "docs"
DEMO = sorted((ROOT / "assets" / "demo" / "session").glob("*.jpg"))
CLIENT = Client("Eleanor Whitfield", "eleanor@example.com", "+1 503 555 0142", "1420 Alder St")
# Two cards of the same wedding both had an IMG_1001: its edit could be either.
IMAGES = [("a", "IMG_1001", 0), ("b", "IMG_1001", 1), ("a", "IMG_1002", 2), ("a", "IMG_1003", 3)]


def photo(n: int, edge: int) -> Image.Image:
    with Image.open(DEMO[n]) as image:
        image.thumbnail((edge, edge))
        return image.convert("RGB")


@pytest.fixture
def finals_order(studio, tmp_path):
    """An order of four images bought as files, and a drive the import may browse holding
    their exports: one matched by name, one by picture, one that could be two images (card a's
    IMG_1001 or card b's) and one that is none of them."""
    save_studio_details(studio.store, STUDIO)
    session = studio.store.create_session(CLIENT.name, CLIENT.email)
    thumbs = tmp_path / "thumbs"
    thumbs.mkdir()
    for card, name, n in IMAGES:
        thumb = thumbs / f"{card}-{name}.jpg"
        photo(n, 400).save(thumb, quality=85)
        studio.store.add_image(
            session.id,
            file_name=f"{name}.CR3",
            source_path=f"/cards/{card}/{name}.CR3",
            content_hash=f"{card}{name}",
            width=6000,
            height=4000,
            capture_time=f"2026-05-01T10:00:0{n}",
            preview_path=str(thumb),
            thumb_path=str(thumb),
        )
    ids = [i.id for i in studio.store.images(session.id)]
    pricelist = load(ROOT / "assets" / "pricelist.toml")
    cart = Cart(lines=(CartLine("digital", "single", images=tuple(ids)),))
    invoice = confirm_order(studio.store, session.id, pricelist, cart, CLIENT, today=date.today())
    drive = tmp_path / "Retouched"
    exports = drive / "Whitfield"
    exports.mkdir(parents=True)
    photo(1, 1600).save(exports / "IMG_1001-edit.jpg", quality=90)  # card b's, as it happens
    photo(2, 1600).save(exports / "IMG_1002-edit.jpg", quality=90)
    photo(3, 1600).save(exports / "first dance.jpg", quality=90)  # renamed: by the picture
    photo(6, 1600).save(exports / "sunset.jpg", quality=90)  # none of the order's
    secret = tmp_path / "private"
    secret.mkdir()
    photo(4, 300).save(secret / "other-client.jpg")
    os.symlink(secret / "other-client.jpg", exports / "IMG_1003-edit.jpg")  # leads outside
    studio.paths.settings.write_text(f'import_roots = ["{drive}"]\n')
    return invoice, ids, drive


def matched_first(tablet, number: int, folder: dict, ids: list[int]) -> dict:
    """The folder matched for the order, as the fixture's exports match it the first time:
    one final by its name, one by its picture; the answer."""
    answer = tablet.post(f"/api/finals/{number}/folder", json=folder)
    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert view["text"] == "2 of 4 retouched"
    assert {(m["file"], m["imageId"], m["by"]) for m in view["matched"]} == {
        ("IMG_1002-edit.jpg", ids[2], "name"),
        ("first dance.jpg", ids[3], "picture"),
    }
    return view


def test_finals_are_added_from_a_browsable_folder_and_a_doubt_is_answered(
    server_factory, studio, finals_order
):
    invoice, ids, drive = finals_order
    tablet = server_factory(invoice.session_id).paired_client()
    before = tablet.get(f"/api/finals/{invoice.number}").json()
    assert before["text"] == "0 of 4 retouched" and len(before["missing"]) == 4

    folder = {"root": str(drive), "path": "Whitfield"}
    view = matched_first(tablet, invoice.number, folder, ids)
    (asked,) = view["ambiguous"]
    assert asked["file"] == "IMG_1001-edit.jpg"
    assert [c["imageId"] for c in asked["candidates"]] == ids[:2]
    assert [c["image"] for c in asked["candidates"]] == ["IMG_1001.CR3 (a)", "IMG_1001.CR3 (b)"]
    assert "sunset.jpg" in view["unmatched"]
    assert "IMG_1003-edit.jpg" not in str(view["matched"])  # the link outside is never copied

    thumb = tablet.get(asked["candidates"][1]["thumb"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    preview = tablet.get("/api/finals/preview", params={**folder, "file": asked["file"]})
    assert preview.status_code == 200
    assert max(Image.open(io.BytesIO(preview.content)).size) <= 360

    none = {**folder, "file": asked["file"], "imageId": None}
    answer = tablet.post(f"/api/finals/{invoice.number}/choose", json=none)
    assert answer.status_code == 200 and answer.json()["text"] == "2 of 4 retouched"
    chosen = {**none, "imageId": ids[1]}
    answer = tablet.post(f"/api/finals/{invoice.number}/choose", json=chosen)
    assert answer.status_code == 200, answer.text
    assert answer.json()["text"] == "3 of 4 retouched"
    assert answer.json()["missing"] == ["IMG_1001.CR3 (a)"]  # card a's, still to retouch
    final = next(f for f in rows.finals(studio.store, invoice.number) if f.image_id == ids[1])
    assert final.matched_by == "chosen" and final.source_name == "IMG_1001-edit.jpg"
    assert Path(final.path).read_bytes() == (drive / "Whitfield" / "IMG_1001-edit.jpg").read_bytes()


def test_finals_routes_need_the_pairing_and_never_leave_the_roots(
    server_factory, studio, finals_order, tmp_path
):
    invoice, ids, drive = finals_order
    server = server_factory(invoice.session_id)
    stranger = server.client(Origin=server.url)
    assert stranger.get(f"/api/finals/{invoice.number}").status_code == 401
    folder = {"root": str(drive), "path": "Whitfield"}
    assert stranger.post(f"/api/finals/{invoice.number}/folder", json=folder).status_code == 401
    file = {**folder, "file": "IMG_1001-edit.jpg", "imageId": ids[0]}
    assert stranger.post(f"/api/finals/{invoice.number}/choose", json=file).status_code == 401
    assert (
        stranger.get("/api/finals/preview", params={**folder, "file": "sunset.jpg"}).status_code
        == 401
    )
    assert stranger.get(f"/api/finals/{invoice.number}/thumb/{ids[0]}").status_code == 401

    tablet = server.paired_client()
    url = f"/api/finals/{invoice.number}"
    for outside in (
        {"root": str(tmp_path), "path": "private"},  # not a root
        {"root": str(drive), "path": ".."},
        {"root": str(drive), "path": "/etc"},
        {"root": str(drive), "path": "Whitfield/../.."},
    ):
        answer = tablet.post(f"{url}/folder", json=outside)
        assert answer.status_code == 422 and answer.json()["error"], outside
    for name in ("../private/other-client.jpg", "IMG_1003-edit.jpg", "/etc/passwd", "a\\b.jpg"):
        answer = tablet.post(f"{url}/choose", json={**file, "file": name})
        assert answer.status_code == 422, name
        assert tablet.get("/api/finals/preview", params={**folder, "file": name}).status_code == 422
    assert tablet.post(f"{url}/choose", json={**file, "imageId": 999999}).status_code == 404
    assert tablet.post(f"{url}/choose", json={**file, "imageId": "1"}).status_code == 422
    assert tablet.post(f"{url}/folder", json={"root": str(drive)}).status_code == 422
    assert tablet.get("/api/finals/99/thumb/1").status_code == 404
    assert tablet.get("/api/finals/abc").status_code == 422
    assert rows.finals(studio.store, invoice.number) == []


@pytest.fixture
def orders_page(server_factory, finals_order):
    """The Orders page of a paired tablet in chromium (skipped where there is none), and the
    finals order on it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed")
    server = server_factory(finals_order[0].session_id)
    with tablet_page(server) as page:
        page.goto(f"{server.url}/remote/orders")
        yield page, sync_api.expect


def test_the_orders_page_asks_which_image_a_final_is_at_ipad_size(
    orders_page, studio, finals_order
):
    page, expect = orders_page
    invoice, ids, drive = finals_order
    card = page.locator(f'article.order[data-number="{invoice.number}"]')
    section = card.locator(".finals")
    expect(section.locator(".fin-state")).to_have_text("0 of 4 retouched")
    section.get_by_role("button", name="Add retouched finals").click()
    section.get_by_role("button", name="Retouched").click()
    section.get_by_role("button", name="Whitfield").click()
    use = section.locator(".fin-use")
    expect(use).to_have_text("Use this folder (5 pictures)")  # the link outside counted too
    use.click()
    question = section.locator(".fin-question")
    expect(question).to_have_count(1)
    expect(question.locator(".fin-file")).to_have_text("IMG_1001-edit.jpg")
    expect(question.locator(".fin-candidate")).to_have_count(2)
    expect(section.locator(".fin-state")).to_have_text("2 of 4 retouched")
    expect(section.locator(".fin-unmatched")).to_contain_text("sunset.jpg")
    page.wait_for_function(
        "[...document.querySelectorAll('.fin-question img')]"
        ".every(i => i.complete && i.naturalWidth)"
    )
    section.evaluate("e => e.scrollIntoView({block: 'center'})")
    png = page.screenshot()
    DOCS.joinpath("orders-finals.png").write_bytes(png)

    question.get_by_role("button", name="It is IMG_1001.CR3 (b)").click()
    expect(page.locator("#toast")).to_contain_text("IMG_1001-edit.jpg is the final of")
    expect(question).to_have_count(0)
    expect(section.locator(".fin-state")).to_have_text("3 of 4 retouched")
    expect(card.locator(".gal-state")).to_contain_text("3 of 4")
    final = next(f for f in rows.finals(studio.store, invoice.number) if f.image_id == ids[1])
    assert final.matched_by == "chosen"
    assert Image.open(io.BytesIO(png)).size[0] >= 600


def send(client, number: int, name: str, data: bytes, sha256: str | None = None):
    """A final sent as the Orders page sends it: its hash, then two chunks."""
    start = {"name": name, "size": len(data), "sha256": sha256 or hashlib.sha256(data).hexdigest()}
    answer = client.post(f"/api/finals/{number}/uploads", json=start)
    if answer.status_code != 200:
        return answer
    upload, half = answer.json()["upload"], len(data) // 2
    url = f"/api/finals-uploads/{number}/{upload}"
    first = client.put(url, params={"offset": 0}, content=data[:half])
    assert first.status_code == 200 and not first.json()["whole"], first.text
    return client.put(url, params={"offset": half}, content=data[half:])


def test_finals_uploaded_from_the_tablet_are_matched_as_a_folder_is(
    server_factory, studio, finals_order
):
    invoice, ids, drive = finals_order
    server = server_factory(invoice.session_id)
    tablet = server.paired_client()
    exports = drive / "Whitfield"
    for name in ("IMG_1002-edit.jpg", "first dance.jpg"):
        done = send(tablet, invoice.number, name, (exports / name).read_bytes())
        assert done.status_code == 200, done.text
        assert done.json()["whole"] and done.json()["stored"] == name
    folder = {"root": done.json()["root"], "path": done.json()["path"]}
    assert folder["path"] == f"order-{invoice.number}"

    matched_first(tablet, invoice.number, folder, ids)
    final = next(f for f in rows.finals(studio.store, invoice.number) if f.image_id == ids[2])
    assert Path(final.path).read_bytes() == (exports / "IMG_1002-edit.jpg").read_bytes()

    # Refused, with the reason: not a picture the gallery can show, a file that arrived
    # different from the one sent, a name that climbs out; and nothing for a stranger.
    raw = send(tablet, invoice.number, "IMG_1001.CR3", b"raw" * 100)
    assert raw.status_code == 422 and "not a JPEG, PNG or TIFF" in raw.json()["error"]
    wrong = send(tablet, invoice.number, "IMG_1001-edit.jpg", b"x" * 1000, sha256="0" * 64)
    assert wrong.status_code == 422 and "arrived different" in wrong.json()["error"]
    climbing = send(tablet, invoice.number, "../../etc/evil.jpg", b"y" * 10)
    assert climbing.status_code == 422
    stranger = server.client(Origin=server.url)
    start = {"name": "a.jpg", "size": 3, "sha256": "0" * 64}
    assert stranger.post(f"/api/finals/{invoice.number}/uploads", json=start).status_code == 401
    assert tablet.post("/api/finals/99/uploads", json=start).status_code == 404
    # Once copied into the order's finals, the uploads are not kept twice; one in doubt stays
    # until it is answered.
    staged = studio.paths.root / "finals-uploads" / folder["path"]
    assert list(staged.glob("*.jpg")) == []
    doubt = (exports / "IMG_1001-edit.jpg").read_bytes()
    assert send(tablet, invoice.number, "IMG_1001-edit.jpg", doubt).status_code == 200
    view = tablet.post(f"/api/finals/{invoice.number}/folder", json=folder).json()
    assert [q["file"] for q in view["ambiguous"]] == ["IMG_1001-edit.jpg"]
    assert [p.name for p in staged.glob("*.jpg")] == ["IMG_1001-edit.jpg"]
    chosen = {**folder, "file": "IMG_1001-edit.jpg", "imageId": ids[1]}
    answer = tablet.post(f"/api/finals/{invoice.number}/choose", json=chosen)
    assert answer.status_code == 200 and answer.json()["text"] == "3 of 4 retouched"
    assert list(staged.glob("*.jpg")) == []


def test_the_orders_page_uploads_finals_from_this_device(orders_page, studio, finals_order):
    page, expect = orders_page
    invoice, ids, drive = finals_order
    section = page.locator(f'article.order[data-number="{invoice.number}"] .finals')
    section.get_by_role("button", name="Add retouched finals").click()
    exports = drive / "Whitfield"
    files = [exports / "IMG_1002-edit.jpg", exports / "sunset.jpg"]
    section.locator(".fin-files").set_input_files([str(f) for f in files])
    expect(section.locator(".fin-state")).to_have_text("1 of 4 retouched")
    expect(section.locator(".fin-said")).to_contain_text("1 final added")
    expect(section.locator(".fin-unmatched")).to_contain_text("sunset.jpg")
    expect(section.locator(".fin-browser")).to_be_hidden()
    assert [f.image_id for f in rows.finals(studio.store, invoice.number)] == [ids[2]]
    staged = studio.paths.root / "finals-uploads" / f"order-{invoice.number}"
    assert sorted(p.name for p in staged.glob("*.jpg")) == ["sunset.jpg"]  # none of the order's
