"""`main.py deliver ORDER --to DIR`: the gallery as a static folder that opens from file:// in
chromium, every link and picture working, its ZIP whole."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import main
from kiosk.delivery.finals import add_finals
from kiosk.payments.ledger import record_payment
from tests.delivery.conftest import export

CHROMIUM = Path("/usr/bin/chromium")
FINALS = {"IMG_1001-edit.jpg": 0, "IMG_1002-edit.jpg": 1, "IMG_1003-edit.jpg": 2}


def test_deliver_refuses_a_locked_gallery_then_writes_the_folder(studio, order, tmp_path, capsys):
    folder = export(tmp_path / "exports", FINALS)
    add_finals(studio.store, studio.paths.root / "finals", order, folder)
    data, out = str(studio.paths.root), tmp_path / "usb" / "Whitfield"
    assert main.main(["--data", data, "deliver", "1", "--to", str(out)]) == 1
    assert "locked (not paid in full)" in capsys.readouterr().err
    assert not out.exists()
    record_payment(studio.store, order.number, order.total, "card")
    assert main.main(["--data", data, "deliver", "1", "--to", str(out)]) == 0
    assert "(3 photos)" in capsys.readouterr().out

    names = sorted(p.name for p in (out / "photos").iterdir())
    assert names == [f"eleanor-whitfield-00{n}.jpg" for n in (1, 2, 3)]
    assert (out / "photos" / names[0]).read_bytes() == (folder / "IMG_1001-edit.jpg").read_bytes()
    with zipfile.ZipFile(out / "eleanor-whitfield-0001.zip") as archive:
        assert archive.testzip() is None and archive.namelist() == names
    assert not list(out.parent.glob("*.part"))

    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium for the file:// check")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto((out / "index.html").as_uri())
        sync_api.expect(page.locator("h1")).to_have_text("Your photos")
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        pictures = page.eval_on_selector_all(
            "img", "is => Promise.all(is.map(i => i.decode().then(() => i.naturalWidth)))"
        )
        browser.close()
    assert len(links) == 7 and len(pictures) == 3 and min(pictures) > 0
    for link in links:
        target = Path(unquote(urlparse(link).path))
        assert link.startswith("file://") and target.is_file(), link
        assert out in target.parents
