"""The client's gallery for real: uvicorn on 127.0.0.1, httpx as the client's phone, and chromium
at phone size for the screenshots (docs/gallery-locked.jpg, docs/gallery-open.jpg)."""

# ruff: noqa: F811  (the order fixture is imported from tests/delivery, then asked for by name)
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from kiosk.delivery.finals import add_finals
from kiosk.delivery.gallery import issue_gallery_link, withdraw_gallery_links
from kiosk.payments.ledger import record_payment
from kiosk.store import delivery as rows
from tests.checkout.conftest import wait_for
from tests.conftest import ROOT
from tests.delivery.conftest import demo_order, export, order, pricelist  # noqa: F401
from tests.web.tablet import tablet_page

CHROMIUM = Path("/usr/bin/chromium")
DOCS = ROOT / "docs"
NAMES = ["eleanor-whitfield-001.jpg", "eleanor-whitfield-002.jpg", "eleanor-whitfield-003.jpg"]
FINALS = {"IMG_1001-edit.jpg": 0, "IMG_1002-edit.jpg": 1, "IMG_1003_retouched.jpg": 2}


def open_up(studio, order, tmp_path, paid: int = 0) -> Path:
    """Paid in full (`paid` was paid before) and retouched: the gallery opens."""
    record_payment(studio.store, order.number, order.total - paid, "card")
    folder = export(tmp_path / "exports", FINALS)
    add_finals(studio.store, studio.paths.root / "finals", order, folder)
    return folder


def test_a_locked_gallery_says_what_is_due_and_no_file_answers(server, studio, order, tmp_path):
    token = issue_gallery_link(studio.store, order.number)
    assert len(token) >= 32  # 192 bits from secrets, URL-safe
    phone = server.client()
    page = phone.get(f"/g/{token}")
    assert page.status_code == 200
    assert "Left to pay" in page.text and order.money(order.total) in page.text
    assert "/f/" not in page.text and "all.zip" not in page.text
    folder = export(tmp_path / "exports", FINALS)
    add_finals(studio.store, studio.paths.root / "finals", order, folder)  # retouched, unpaid
    for path in [f"/g/{token}/all.zip", f"/g/{token}/t/{order.images[0].id}"] + [
        f"/g/{token}/f/{name}" for name in NAMES
    ]:
        assert phone.get(path).status_code == 404, path
    record_payment(studio.store, order.number, order.total - 100, "card")
    assert phone.get(f"/g/{token}/f/{NAMES[0]}").status_code == 404  # a dollar short
    assert rows.downloads(studio.store, order.number) == []


def test_an_open_gallery_serves_each_final_and_a_zip_that_resumes(server, studio, order, tmp_path):
    folder = open_up(studio, order, tmp_path)
    token = issue_gallery_link(studio.store, order.number)
    phone = server.client()
    page = phone.get(f"/g/{token}").text
    for name in NAMES:
        assert f"/g/{token}/f/{name}" in page
    assert "eleanor-whitfield-004" not in page  # the print's image is not a file bought

    answer = phone.get(f"/g/{token}/f/{NAMES[2]}")
    assert answer.status_code == 200
    assert answer.content == (folder / "IMG_1003_retouched.jpg").read_bytes()
    assert answer.headers["content-disposition"] == f'attachment; filename="{NAMES[2]}"'
    assert answer.headers["accept-ranges"] == "bytes"
    part = phone.get(f"/g/{token}/f/{NAMES[2]}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == answer.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(answer.content)}"

    whole = phone.get(f"/g/{token}/all.zip")
    assert whole.status_code == 200
    assert int(whole.headers["content-length"]) == len(whole.content)
    archive = zipfile.ZipFile(io.BytesIO(whole.content))
    assert archive.testzip() is None and archive.namelist() == NAMES
    assert archive.read(NAMES[0]) == (folder / "IMG_1001-edit.jpg").read_bytes()
    assert 'filename="eleanor-whitfield-0001.zip"' in whole.headers["content-disposition"]

    # A download cut off after 5000 bytes resumes with a range request.
    etag = whole.headers["etag"]
    first = phone.get(f"/g/{token}/all.zip", headers={"Range": "bytes=0-4999"}).content
    rest = phone.get(f"/g/{token}/all.zip", headers={"Range": "bytes=5000-", "If-Range": etag})
    assert rest.status_code == 206 and first + rest.content == whole.content
    stale = phone.get(f"/g/{token}/all.zip", headers={"Range": "bytes=5000-", "If-Range": '"x"'})
    assert stale.status_code == 200 and stale.content == whole.content
    beyond = phone.get(f"/g/{token}/all.zip", headers={"Range": f"bytes={len(whole.content)}-"})
    assert beyond.status_code == 416

    # Each download is logged once its last byte has gone out, with what went out.
    wait_for(lambda: len(rows.downloads(studio.store, order.number)) == 6)
    logged = {(d.what, d.start, d.bytes) for d in rows.downloads(studio.store, order.number)}
    size = len(whole.content)
    assert logged == {
        (NAMES[2], 0, len(answer.content)),
        (NAMES[2], 100, 100),
        ("all.zip", 0, size),
        ("all.zip", 0, 5000),
        ("all.zip", 5000, size - 5000),
    }


def test_a_download_cut_off_is_logged_with_what_went_out(server, studio, order, tmp_path):
    # Finals far larger than the sockets' buffers, so the cut comes before the server is done.
    exports = tmp_path / "large"
    exports.mkdir()
    for n, name in enumerate(FINALS):
        (exports / name).write_bytes(bytes([n]) * 16_000_000)
    add_finals(studio.store, studio.paths.root / "finals", order, exports)
    record_payment(studio.store, order.number, order.total, "card")
    token = issue_gallery_link(studio.store, order.number)
    phone = server.client()
    with phone.stream("GET", f"/g/{token}/all.zip") as answer:
        size = int(answer.headers["content-length"])
        next(answer.iter_raw(1000))  # the phone's connection drops after its first bytes
    wait_for(lambda: rows.downloads(studio.store, order.number))
    (cut,) = rows.downloads(studio.store, order.number)
    assert cut.what == "all.zip" and 0 < cut.bytes < size


def test_expired_withdrawn_and_tricked_links_are_refused(server, studio, order, tmp_path):
    open_up(studio, order, tmp_path)
    old = issue_gallery_link(studio.store, order.number, now=time.time() - 91 * 86400)
    phone = server.client()
    assert phone.get(f"/g/{old}").status_code == 404
    assert phone.get(f"/g/{old}/f/{NAMES[0]}").status_code == 404
    token = issue_gallery_link(studio.store, order.number)
    for trick in (
        "..%2F..%2Fstudio.db",
        "%2e%2e%2fsettings.toml",
        "IMG_1001-edit.jpg",  # the export's own name: not the gallery's
        "eleanor-whitfield-004.jpg",  # an image not bought as a file
        "ELEANOR-WHITFIELD-001.JPG",
        "eleanor-whitfield-001.jpg%00.png",
    ):
        answer = phone.get(f"/g/{token}/f/{trick}")
        assert answer.status_code == 404, trick
    assert phone.get(f"/g/{token}/../../studio.db").status_code == 404
    assert phone.get(f"/g/{token}/t/abc").status_code == 404
    assert phone.get("/g/short").status_code == 404
    assert phone.get(f"/g/{token}x").status_code == 404
    assert phone.get(f"/g/{token}/f/{NAMES[0]}").status_code == 200
    assert withdraw_gallery_links(studio.store, order.number) == 2
    assert phone.get(f"/g/{token}/f/{NAMES[0]}").status_code == 404
    assert phone.get(f"/g/{token}").status_code == 404


def test_the_orders_page_makes_a_link_lists_downloads_and_withdraws(
    server, studio, order, tmp_path
):
    tablet = server.paired_client()
    view = tablet.get(f"/api/gallery/{order.number}").json()
    assert not view["open"] and view["wanted"] == 3
    assert view["stateText"].startswith("Locked: not paid in full; 0 of 3 retouched")
    assert view["missing"] == ["IMG_1001.CR3", "IMG_1002.CR3", "IMG_1003.CR3"]
    open_up(studio, order, tmp_path)

    made = tablet.post(f"/api/gallery/{order.number}/link", json={})
    assert made.status_code == 200, made.text
    url = made.json()["url"]
    assert url.startswith(f"{server.url}/g/") and made.json()["link"]["open"]
    phone = server.client()
    assert phone.get(f"{url}/f/{NAMES[0]}").status_code == 200
    # A download is logged once its last byte has gone out, just after the phone has it.
    wait_for(lambda: tablet.get(f"/api/gallery/{order.number}").json()["downloads"])
    view = tablet.get(f"/api/gallery/{order.number}").json()
    assert view["open"] and view["stateText"] == "Open: 3 photos, paid in full."
    assert [d["what"] for d in view["downloads"]] == [NAMES[0]]

    assert tablet.post(f"/api/gallery/{order.number}/withdraw", json={}).json()["withdrawn"] == 1
    assert phone.get(url).status_code == 404
    stranger = server.client(Origin=server.url)
    assert stranger.get(f"/api/gallery/{order.number}").status_code == 401
    assert stranger.post(f"/api/gallery/{order.number}/link", json={}).status_code == 401
    assert tablet.get("/api/gallery/abc").status_code == 422
    assert tablet.post("/api/gallery/99/link", json={}).status_code == 404


# the page on a phone -------------------------------------------------------------------------
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_the_gallery_on_a_phone_locked_then_open(server, studio, demo_order):
    sync_api = pytest.importorskip("playwright.sync_api")
    order, exports = demo_order
    token = issue_gallery_link(studio.store, order.number)
    url = f"{server.url}/g/{token}"
    expect = sync_api.expect
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, accept_downloads=True
        )
        record_payment(studio.store, order.number, 10_000, "card")
        page.goto(url)
        expect(page.locator("#locked")).to_contain_text("Left to pay")
        expect(page.locator("#balance")).to_have_text(order.money(order.total - 10_000))
        assert page.locator("a[href*='/f/']").count() == 0
        shot(page, DOCS / "gallery-locked.jpg")

        record_payment(studio.store, order.number, order.total - 10_000, "card")
        add_finals(studio.store, studio.paths.root / "finals", order, exports)
        page.reload()
        expect(page.locator(".photos li")).to_have_count(3)
        expect(page.locator("#download-all")).to_contain_text("Download all")
        page.locator(".photos img").first.evaluate("img => img.decode()")
        shot(page, DOCS / "gallery-open.jpg")
        with page.expect_download() as info:
            page.get_by_role("link", name=f"Download {NAMES[1]}").click()
        download = info.value
        assert download.suggested_filename == NAMES[1]
        assert Path(download.path()).read_bytes() == (exports / "IMG_2001-edit.jpg").read_bytes()
        browser.close()


def shot(page, out: Path) -> None:
    image = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("RGB")
    image = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    image.save(out, "JPEG", quality=80, optimize=True)
    assert out.stat().st_size <= 200_000


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_the_orders_page_shows_the_gallery_makes_a_link_and_lists_downloads(
    server, studio, order, tmp_path
):
    sync_api = pytest.importorskip("playwright.sync_api")
    open_up(studio, order, tmp_path)
    expect = sync_api.expect
    with tablet_page(server) as page:
        page.goto(f"{server.url}/remote/orders")
        section = page.locator(f'article.order[data-number="{order.number}"] .gallery-admin')
        expect(section.locator(".gal-state")).to_have_text("Open: 3 photos, paid in full.")
        expect(section.locator(".gal-withdraw")).to_be_disabled()
        section.get_by_role("button", name="New link").click()
        link = section.locator(".gal-url a")
        expect(link).to_contain_text(f"{server.url}/g/")
        url = link.inner_text()
        assert server.client().get(f"{url}/f/{NAMES[0]}").status_code == 200
        wait_for(lambda: rows.downloads(studio.store, order.number))
        page.click("#refresh")  # the card redraws: its downloads with it
        expect(section.locator(".gal-downloads li")).to_contain_text([NAMES[0]])
        section.get_by_role("button", name="Withdraw").click()
        expect(section.locator(".gal-link-text")).to_have_text("Links: none open")
    assert server.client().get(url).status_code == 404
