"""import_folder and the `import` command on real folders, a real studio and real processes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from kiosk.cli.imports import main
from kiosk.core.errors import ImportFolderError
from kiosk.imaging.importer import import_folder, sniff, start_pool
from kiosk.studio import open_studio

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reasons(summary) -> dict[str, str]:
    return dict(summary.skipped)


def all_cache_files(studio) -> list[Path]:
    return [p for p in studio.paths.cache.rglob("*") if p.is_file()]


# -- the good path ----------------------------------------------------------
def test_import_records_every_image_in_capture_time_order(studio, pictures, pool):
    pictures.jpeg("a.jpg", seed=1, taken="2024:05:01 10:00:05")
    pictures.jpeg("b.jpg", seed=2, taken="2024:05:01 10:03:00")
    pictures.jpeg("c.jpg", seed=3, taken="2024:05:01 09:59:00")
    pictures.jpeg("d.jpg", seed=4, taken="2024:05:01 10:01:00", orientation=8)
    undated = pictures.jpeg("e.jpg", seed=5)  # no EXIF date: its modification time counts
    stamp = datetime(2020, 1, 2, 3, 4, 5).timestamp()
    os.utime(undated, (stamp, stamp))

    summary = import_folder(studio, pictures.folder, "Ada Lovelace", "ada@example.com", pool=pool)

    assert summary.imported == ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"]
    assert summary.skipped == [] and summary.unchanged == []
    assert summary.session.client == "Ada Lovelace" and summary.session.email == "ada@example.com"
    images = studio.store.images(summary.session.id)
    assert [i.file_name for i in images] == ["e.jpg", "c.jpg", "a.jpg", "d.jpg", "b.jpg"]
    assert [i.position for i in images] == [1, 2, 3, 4, 5]
    by_name = {i.file_name: i for i in images}
    assert by_name["e.jpg"].capture_time == "2020-01-02T03:04:05"
    assert (by_name["a.jpg"].width, by_name["a.jpg"].height) == (1200, 800)
    assert (by_name["d.jpg"].width, by_name["d.jpg"].height) == (800, 1200)  # upright
    for image in images:
        source = pictures.folder / image.file_name
        assert image.source_path == str(source)
        assert image.content_hash == sha256(source)
        assert Path(image.preview_path).is_file() and Path(image.thumb_path).is_file()
        assert Path(image.preview_path).name == f"{image.content_hash}-3840.jpg"
        assert Path(image.preview_path).parent.name == image.content_hash[:2]


def test_same_client_reuses_the_session_and_another_client_gets_a_new_one(studio, pictures, pool):
    pictures.jpeg("one/a.jpg", seed=1)
    pictures.jpeg("two/b.jpg", seed=2)
    first = import_folder(studio, pictures.folder / "one", "Ada", progress=False, pool=pool)
    again = import_folder(studio, pictures.folder / "two", "Ada", progress=False, pool=pool)
    other = import_folder(studio, pictures.folder / "two", "Grace", progress=False, pool=pool)
    assert again.session.id == first.session.id != other.session.id
    assert [i.file_name for i in studio.store.images(first.session.id)] == ["a.jpg", "b.jpg"]
    assert [i.file_name for i in studio.store.images(other.session.id)] == ["b.jpg"]


def test_reimport_skips_unchanged_files_quickly_and_leaves_the_cache_alone(studio, pictures, pool):
    for n in range(6):
        pictures.jpeg(f"IMG_{n:04}.JPG", seed=n)
    first = import_folder(studio, pictures.folder, "Ada", progress=False, pool=pool)
    assert len(first.imported) == 6
    before = {p: p.stat().st_mtime_ns for p in all_cache_files(studio)}

    started = time.perf_counter()
    again = import_folder(studio, pictures.folder, "Ada", progress=False)  # no pool: none needed
    elapsed = time.perf_counter() - started

    assert again.imported == [] and again.skipped == []
    assert again.unchanged == [f"IMG_{n:04}.JPG" for n in range(6)]
    assert elapsed < 1.0
    assert {p: p.stat().st_mtime_ns for p in all_cache_files(studio)} == before
    assert len(studio.store.images(first.session.id)) == 6


def test_previews_are_made_again_when_missing_or_the_preview_size_changes(studio, pictures, pool):
    for n in range(3):
        pictures.jpeg(f"{n}.jpg", seed=n)
    first = import_folder(studio, pictures.folder, "Ada", progress=False, pool=pool)
    images = studio.store.images(first.session.id)
    Path(images[0].thumb_path).unlink()
    again = import_folder(studio, pictures.folder, "Ada", progress=False, pool=pool)
    assert again.imported == [images[0].file_name] and len(again.unchanged) == 2

    studio.settings = replace(studio.settings, preview_edge=1000)
    resized = import_folder(studio, pictures.folder, "Ada", progress=False, pool=pool)
    assert resized.imported == ["0.jpg", "1.jpg", "2.jpg"]
    images = studio.store.images(first.session.id)
    assert len(images) == 3  # updated in place, not added twice
    for image in images:
        assert image.preview_path.endswith("-1000.jpg")
        with Image.open(image.preview_path) as im:
            assert max(im.size) == 1000


# -- bad input ----------------------------------------------------------
def test_every_bad_file_gets_a_reason_and_the_good_ones_import(studio, pictures, pool):
    pictures.jpeg("good1.jpg", seed=1)
    pictures.jpeg("good2.jpg", seed=2)
    pictures.jpeg("day2/good3.jpg", seed=3)
    pictures.empty("empty.jpg")
    pictures.truncated("cut.jpg")
    pictures.text("notes.jpg")
    pictures.photo(seed=4).save(pictures.path("actually-png.jpg"), "PNG")
    pictures.jpeg("IMG_0007", seed=5)  # no extension at all
    pictures.flat("cmyk.jpg", (0, 255, 255, 0), mode="CMYK")
    pictures.rgb16("deep.png")
    pictures.rgb16("deep.tif", (20000, 40000, 60000))
    pictures.flat("grey.jpg", 100, mode="L")
    pictures.palette_with_transparency("logo.png")
    pictures.bomb("bomb.png")
    shutil.copy(pictures.folder / "good1.jpg", pictures.path("good1_copy.jpg"))
    shutil.copy(pictures.folder / "good2.jpg", pictures.path("IMG_0009.CR2"))
    shutil.copy(pictures.folder / "good2.jpg", pictures.path("._good2.jpg"))  # macOS companion
    pictures.text("README.txt")
    pictures.photo().save(pictures.path("banner.gif"))

    summary = import_folder(studio, pictures.folder, "Ada", progress=False, pool=pool)

    assert summary.imported == sorted(
        ["IMG_0007", "actually-png.jpg", "cmyk.jpg", "day2/good3.jpg", "deep.png", "deep.tif"]
        + ["good1.jpg", "good2.jpg", "grey.jpg", "logo.png"]
    )
    why = reasons(summary)
    assert sorted(why) == sorted(
        ["IMG_0009.CR2", "bomb.png", "good1_copy.jpg", "cut.jpg", "empty.jpg", "notes.jpg"]
        + ["banner.gif"]
    )
    assert "GIF file, which Reveal does not import" in why["banner.gif"]
    assert "empty (0 bytes)" in why["empty.jpg"]
    assert "cut short (truncated)" in why["cut.jpg"]
    assert "not a picture" in why["notes.jpg"]
    assert "16000 × 16000 pixels" in why["bomb.png"]
    assert "camera RAW file (CR2)" in why["IMG_0009.CR2"]
    assert "same picture as good1.jpg" in why["good1_copy.jpg"]
    for reason in why.values():  # one sentence a photographer can act on
        assert reason[0].isupper() and reason.endswith(".") and "Traceback" not in reason
    assert dict(summary.notes) == {
        "IMG_0007": "This is a JPEG picture without an extension; it was imported by its content.",
        "actually-png.jpg": "This is a PNG picture named '.jpg'; it was imported by its content.",
    }
    assert summary.ignored == ["README.txt"]
    assert len(studio.store.images(summary.session.id)) == 10


def test_pixel_limit_comes_from_the_studio_settings(tmp_path, pictures, pool):
    root = tmp_path / "strict-studio"
    root.mkdir()
    (root / "settings.toml").write_text("max_pixels = 500000\n")
    studio = open_studio(root)
    try:
        pictures.jpeg("big.jpg", size=(1200, 800))
        pictures.jpeg("small.jpg", size=(600, 400))
        summary = import_folder(studio, pictures.folder, "Ada", progress=False, pool=pool)
    finally:
        studio.close()
    assert summary.imported == ["small.jpg"]
    assert "1200 × 800 pixels (0.96 megapixels)" in reasons(summary)["big.jpg"]
    assert "limit of 0.5 megapixels" in reasons(summary)["big.jpg"]


def test_missing_folder_is_an_import_folder_error(studio, tmp_path):
    with pytest.raises(ImportFolderError, match="does not exist"):
        import_folder(studio, tmp_path / "no-such-card", "Ada", progress=False)
    (tmp_path / "a-file.jpg").write_bytes(b"x")
    with pytest.raises(ImportFolderError, match="is a file, not a folder"):
        import_folder(studio, tmp_path / "a-file.jpg", "Ada", progress=False)


UNREADABLE_IMPORT = """
import json, sys
from kiosk.imaging.importer import import_folder
from kiosk.studio import open_studio
studio = open_studio(sys.argv[1])
summary = import_folder(studio, sys.argv[2], "Ada", progress=False, workers=1)
print(json.dumps({"imported": summary.imported, "skipped": summary.skipped}))
"""


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file: see the setpriv test below")
def test_unreadable_file_gets_a_permission_reason(studio, pictures, pool):
    pictures.jpeg("ok.jpg")
    locked = pictures.jpeg("locked.jpg", seed=1)
    locked.chmod(0)
    try:
        summary = import_folder(studio, pictures.folder, "Ada", progress=False, pool=pool)
    finally:
        locked.chmod(0o644)
    assert summary.imported == ["ok.jpg"]
    assert "not allowed to read this file" in reasons(summary)["locked.jpg"]


@pytest.mark.skipif(os.geteuid() != 0, reason="the test above covers an ordinary user")
@pytest.mark.skipif(not shutil.which("setpriv"), reason="needs setpriv (util-linux)")
def test_unreadable_file_gets_a_permission_reason_for_root_without_override(tmp_path, pictures):
    # Root ignores permission bits through CAP_DAC_OVERRIDE; an import run without it meets a
    # real EACCES on a mode-000 file, as any ordinary user would.
    pictures.jpeg("ok.jpg")
    pictures.jpeg("locked.jpg", seed=1).chmod(0)
    no_override = ["--inh-caps=-dac_override,-dac_read_search"]
    no_override += ["--bounding-set=-dac_override,-dac_read_search"]
    done = subprocess.run(
        [shutil.which("setpriv"), *no_override, sys.executable, "-c", UNREADABLE_IMPORT]
        + [str(tmp_path / "studio"), str(pictures.folder)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["imported"] == ["ok.jpg"]
    assert dict(result["skipped"]) == {
        "locked.jpg": "Reveal is not allowed to read this file: check its permissions, or copy "
        "the files to this computer first."
    }


# -- interruptions ----------------------------------------------------------
SLOW_IMPORT = """
import sys, time
from kiosk.imaging.importer import import_folder
from kiosk.store.db import Store
from kiosk.studio import open_studio

record = Store.add_image
def record_slowly(self, *args, **kwargs):  # a slow machine: the kill lands between two images
    image_id = record(self, *args, **kwargs)
    time.sleep(0.3)
    return image_id
Store.add_image = record_slowly

studio = open_studio(sys.argv[1])
import_folder(studio, sys.argv[2], "Grace", progress=False, workers=2)
"""


def count_images(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("select count(*) from images").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.slow
def test_killed_import_resumes_with_each_image_once_and_no_half_files(tmp_path, pictures, pool):
    names = [f"IMG_{n:04}.JPG" for n in range(12)]
    for n, name in enumerate(names):
        pictures.jpeg(name, seed=n, taken=f"2024:06:01 12:00:{n:02}")
    root = tmp_path / "studio"
    database = root / "studio.db"
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_IMPORT, str(root), str(pictures.folder)],
        cwd=PROJECT_ROOT,
        start_new_session=True,  # its own process group: the kill takes its workers too
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while count_images(database) < 1:
            assert child.poll() is None, child.stderr.read().decode()
            assert time.monotonic() < deadline, "the import recorded nothing within 60 s"
            time.sleep(0.01)
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    recorded = count_images(database)
    assert 1 <= recorded < 12, "the kill should land mid-import"

    studio = open_studio(root)
    try:
        summary = import_folder(studio, pictures.folder, "Grace", progress=False, pool=pool)
        images = studio.store.images(summary.session.id)
    finally:
        studio.close()
    assert len(summary.imported) == 12 - recorded
    assert sorted(summary.imported + summary.unchanged) == names
    assert [i.file_name for i in images] == names  # each once, in capture order
    assert len({i.content_hash for i in images}) == 12
    cache = root / "cache"
    assert list((cache / "tmp").iterdir()) == []  # the killed run's temporary files are gone
    made = sorted(p for p in cache.rglob("*.jpg"))
    assert made == sorted(Path(p) for i in images for p in (i.preview_path, i.thumb_path))
    for path in made:  # every cache file is whole
        with Image.open(path) as im:
            im.load()


@pytest.mark.slow
def test_a_worker_killed_mid_import_loses_no_image(studio, pictures):
    for n in range(10):
        pictures.jpeg(f"{n}.jpg", size=(2400, 1600), seed=n)
    doomed = start_pool(2)
    database = studio.paths.database
    workers = list(doomed._processes.values())  # the OOM killer's view: some PID

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 30
        while count_images(database) < 1 and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(workers[0].pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    try:
        summary = import_folder(studio, pictures.folder, "Ada", progress=False, pool=doomed)
    finally:
        killer.join()
        doomed.shutdown()
    assert summary.skipped == []
    assert summary.imported == [f"{n}.jpg" for n in range(10)]
    assert len(studio.store.images(summary.session.id)) == 10


# -- the command ----------------------------------------------------------
def test_import_command_prints_a_summary_and_exits_0(tmp_path, pictures, capsys):
    pictures.jpeg("a.jpg")
    pictures.empty("b.jpg")
    code = main(
        ["--data", str(tmp_path / "studio"), "import", str(pictures.folder), "--client", "Ada"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "1 imported" in out and "1 skipped" in out and "empty (0 bytes)" in out


def test_import_command_exits_2_for_a_missing_folder(tmp_path, capsys):
    code = main(
        ["--data", str(tmp_path / "studio"), "import", str(tmp_path / "nope"), "--client", "A"]
    )
    assert code == 2
    assert "does not exist" in capsys.readouterr().err


def test_sniff_knows_the_formats_by_their_first_bytes(pictures):
    assert sniff(b"\xff\xd8\xff\xe1....") == "JPEG"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "PNG"
    assert sniff(b"II*\x00....") == sniff(b"MM\x00*....") == "TIFF"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WebP"
    assert sniff(pictures.heic("x.heic").read_bytes()[:64]) == "HEIC"
    assert sniff(b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf") == "AVIF"
    assert sniff(b"Session notes") == ""
