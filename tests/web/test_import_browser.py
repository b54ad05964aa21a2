"""Adding photos to a session in a real browser (Playwright with Debian's chromium): a folder
of generated JPEGs with bad files among them is uploaded from the session's page; each file's
bar fills, the import reaches 100 % and every bad file is named with its reason.

The screenshot of the import at iPad size is docs/import.jpg.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image as PILImage

from tests.conftest import ROOT
from tests.imaging.conftest import Pictures
from tests.web.test_browser import ARGS, CHROMIUM, sync_api

expect = sync_api.expect
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def paired_page(browser, server):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server.url}/remote")
    page.fill("#code", server.code())
    page.click("#pair")
    page.wait_for_url(f"{server.url}/remote")
    return page


@pytest.fixture
def folder(tmp_path) -> Pictures:
    """A shoot as it comes off a card: six photos, and the kinds of file that go wrong."""
    shoot = Pictures(tmp_path / "Park shoot")
    for n in range(6):
        shoot.jpeg(f"IMG_{n + 1:04d}.JPG", (1800, 1200), seed=n, taken=f"2026:05:01 10:00:0{n}")
    shoot.jpeg("IMG_0007.JPG", (3000, 2000), seed=7, quality=100)  # two chunks
    shoot.truncated("IMG_0008.JPG")
    shoot.text("IMG_0009.JPG")
    shoot.path("IMG_0010.CR2").write_bytes(b"II*\x00\x10\x00\x00\x00CR\x02\x00" + bytes(500))
    shoot.bomb("huge.png")
    gif = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 0, 0)).save(gif, "GIF")
    shoot.path("animation.gif").write_bytes(gif.getvalue())
    shoot.path(".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return shoot


BAD = {
    "IMG_0008.JPG": "cut short (truncated)",
    "IMG_0009.JPG": "not a picture",
    "IMG_0010.CR2": "camera RAW file (CR2)",
    "huge.png": "pixels",
    "animation.gif": "GIF file",
}


def test_a_folder_uploaded_from_the_session_page_is_imported_and_its_bad_files_named(
    browser, server, studio, folder
):
    session = studio.store.create_session("Grace Park", "grace@example.com")
    page = paired_page(browser, server)
    page.goto(f"{server.url}/remote/sessions/{session.id}")
    expect(page.locator("#imports")).to_be_visible()
    page.set_input_files("#import-folder", str(folder.folder))
    rows = page.locator(".import-file")
    expect(rows).to_have_count(12)  # .DS_Store left out
    expect(page.locator("#import-done-text")).to_contain_text("12 of 12 · 100 %", timeout=90_000)
    expect(page.locator("#import-sent-text")).to_contain_text(" MB")
    assert page.locator("#import-sent").evaluate("bar => bar.value") == 1
    for name, reason in BAD.items():
        row = rows.filter(has_text=f"Park shoot/{name}")
        expect(row).to_have_class("import-file is-skipped")
        expect(row.locator(".import-state")).to_contain_text(reason)
    expect(page.locator(".import-file.is-imported")).to_have_count(7)
    expect(page.locator("#import-now")).to_have_text("7 imported, 5 skipped: each says why below.")
    names = sorted(i.file_name for i in server.call(studio.store.images, session.id))
    assert names == sorted(f"Park shoot/IMG_{n:04d}.JPG" for n in range(1, 8))
    kept = studio.paths.root / "originals" / f"session-{session.id}" / "Park shoot"
    for n in range(1, 8):
        original = folder.folder / f"IMG_{n:04d}.JPG"
        assert (kept / original.name).read_bytes() == original.read_bytes()
    page.evaluate("window.scrollTo(0, 0)")
    DOCS.mkdir(exist_ok=True)
    shot = DOCS / "import.jpg"
    PILImage.open(io.BytesIO(page.screenshot())).convert("RGB").save(shot, quality=80)
    assert shot.stat().st_size <= 200_000
    page.close()


def test_the_pages_sha256_is_the_standard_one_with_or_without_crypto_subtle(browser, server):
    page = paired_page(browser, server)
    page.goto(f"{server.url}/remote/sessions/{server.live.session_id}/import")
    sizes = [0, 1, 55, 56, 63, 64, 65, 1000, 4 * 1024 * 1024 + 3]
    got = page.evaluate(
        """async (sizes) => {
            const out = [];
            for (const size of sizes) {
                const bytes = new Uint8Array(size);
                for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >> 8)) & 255;
                const sha = new RevealSha256.Sha256();
                sha.update(bytes.subarray(0, Math.floor(size / 3)));
                sha.update(bytes.subarray(Math.floor(size / 3)));
                out.push([sha.hex(), await RevealSha256.ofFile(new Blob([bytes]))]);
            }
            return out;
        }""",
        sizes,
    )
    for size, (by_hand, by_file) in zip(sizes, got, strict=True):
        data = bytes((i * 7 + (i >> 8)) & 255 for i in range(size))
        assert by_hand == by_file == hashlib.sha256(data).hexdigest(), size
    page.close()
