"""The lab's production files, for real: generated originals in a real studio, an order
confirmed through checkout, the export written to tmp_path and read back with Pillow."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import pyvips
from PIL import Image, ImageCms, ImageDraw, ImageOps

from kiosk.checkout.export import write_order
from kiosk.checkout.export_jobs import ExportJobs, production_process
from kiosk.checkout.invoice import confirm_order
from kiosk.checkout.production import (
    COLUMNS,
    Lab,
    PrintJob,
    Progress,
    file_name,
    make_file,
    pairs,
    plan,
    size_of_label,
)
from kiosk.config import StudioPaths, load_settings, save_setting
from kiosk.core.album import Spread
from kiosk.core.crop import Crop, crop_box_px, default_crop
from kiosk.core.errors import CheckoutError, StudioError
from kiosk.core.invoices import Invoice
from kiosk.core.pricing import Cart, CartLine
from kiosk.imaging import printfile
from kiosk.imaging.printfile import SRGB
from tests.checkout.conftest import CLIENT, TODAY
from tests.conftest import ROOT

LOW = Lab(ppi=40, quality=92, min_ppi=20)  # small files: the pipeline is the same at any ppi


def original(path: Path, size: tuple[int, int], exif: Image.Exif | None = None) -> Path:
    """A photo whose every region differs: gradients across and down, and a few blocks."""
    w, h = size
    across = Image.linear_gradient("L").resize((h, w)).transpose(Image.Transpose.ROTATE_90)
    down = Image.linear_gradient("L").resize((w, h))
    im = Image.merge("RGB", (across, down, Image.new("L", (w, h), 90)))
    draw = ImageDraw.Draw(im)
    for n in range(6):
        x, y = (n * 37 % 100) * w // 100, (n * 61 % 100) * h // 100
        draw.rectangle((x, y, x + w // 9, y + h // 9), fill=(250, 240 - 40 * n, 20 + 40 * n))
    im.save(path, quality=95, **({"exif": exif} if exif is not None else {}))
    return path


def order(studio, tmp_path, pricelist, lines, sizes, names=None, exif=None) -> Invoice:
    """An invoice of `lines` (CartLines built from the image ids) over originals of `sizes`."""
    session = studio.store.create_session("Eleanor Whitfield", "eleanor@example.com")
    for n, size in enumerate(sizes):
        name = names[n] if names else f"IMG_{n + 1:04d}.jpg"
        path = original(tmp_path / name.replace("|", "_"), size, exif)
        studio.store.add_image(
            session.id,
            file_name=name,
            source_path=str(path),
            content_hash=f"p-{n}",
            width=size[0],
            height=size[1],
            capture_time=f"2026-05-01T10:00:{n:02d}",
            preview_path=str(path),
            thumb_path=str(path),
        )
    ids = [image.id for image in studio.store.images(session.id)]
    cart = Cart(lines=tuple(lines(ids)))
    return confirm_order(studio.store, session.id, pricelist, cart, CLIENT, today=TODAY)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def production(folder: Path) -> tuple[Path, list[dict[str, str]]]:
    return folder / "production", read_csv(folder / "production" / "production.csv")


def test_prints_are_exactly_their_size_at_the_labs_ppi_in_both_orientations_with_srgb(
    studio, tmp_path, pricelist
):
    def lines(ids):
        return [
            CartLine("print", "8x10", images=(ids[0],), id="a"),  # a landscape photo: 10×8
            CartLine("print", "8x10", images=(ids[1],), id="b"),  # a portrait one: 8×10
        ]

    invoice = order(studio, tmp_path, pricelist, lines, [(1800, 1200), (1200, 1800)])
    folder = write_order(invoice, tmp_path / "out", lab=Lab(ppi=300, quality=90))
    files, rows = production(folder)

    assert [(r["width_px"], r["height_px"]) for r in rows] == [("3000", "2400"), ("2400", "3000")]
    for row in rows:
        with Image.open(files / row["file"]) as im:
            assert (str(im.width), str(im.height)) == (row["width_px"], row["height_px"])
            assert im.mode == "RGB" and im.info["dpi"] == pytest.approx((300, 300))
            profile = ImageCms.ImageCmsProfile(io.BytesIO(im.info["icc_profile"]))
            assert "sRGB" in ImageCms.getProfileDescription(profile)
    # 1200 px across 8 inches: 150 ppi, below the ideal, so the manifest says so.
    assert [r["ppi"] for r in rows] == ["150", "150"]
    assert rows[0]["note"] == "prints at 150 ppi at 8×10: sharp from a step back"


def test_names_and_manifest_trace_each_file_to_its_line_and_crop(studio, tmp_path, pricelist):
    def lines(ids):
        return [
            CartLine("canvas", "30x40", {"depth": "1.5"}, images=(ids[0],), id="wall"),
            CartLine("print", "5x7", images=(ids[1], ids[2]), quantity=2, id="prints"),
            CartLine("digital", "single", images=tuple(ids), id="files"),
        ]

    names = ["IMG_1234.JPG", "=cmd|calc.jpg", "DSC 0099.jpeg"]
    sizes = [(1600, 1200), (1000, 1400), (1400, 1000)]
    invoice = order(studio, tmp_path, pricelist, lines, sizes, names=names)
    folder = write_order(invoice, tmp_path / "out", lab=LOW)
    files, rows = production(folder)
    numbers = {r["product"]: r["line"] for r in read_csv(folder / "lines.csv") if r["product"]}

    with open(files / "production.csv", encoding="utf-8") as f:
        assert next(csv.reader(f)) == COLUMNS
    canvas = f"0001-{int(numbers['canvas']):02d}-canvas-30x40"
    prints = f"0001-{int(numbers['print']):02d}-print-5x7"
    assert [r["file"] for r in rows] == [
        f"{canvas}-IMG_1234.jpg",
        f"{prints}-cmd-calc.jpg",  # a name a spreadsheet would run is made plain
        f"{prints}-DSC-0099.jpg",
    ]
    assert sorted(p.name for p in files.iterdir()) == sorted(
        [*(r["file"] for r in rows), "production.csv"]
    )
    canvas_row = rows[0]
    crop = default_crop(1600, 1200, 30, 40)  # a landscape photo: the canvas hangs 40×30
    assert tuple(
        int(canvas_row[k]) for k in ("crop_left", "crop_top", "crop_right", "crop_bottom")
    ) == (crop_box_px(crop, 1600, 1200))
    assert (canvas_row["width_px"], canvas_row["height_px"]) == ("1600", "1200")  # 40×30 at 40
    assert canvas_row["ppi"] == "40"  # 1600 px over 40 inches
    assert canvas_row["note"] == ""  # at the lab's ideal (40 here): nothing to remark
    assert (canvas_row["size"], canvas_row["copies"], canvas_row["product"]) == (
        "30×40",
        "1",
        "canvas",
    )
    assert canvas_row["original"] == str(tmp_path / "IMG_1234.JPG")
    assert [r["copies"] for r in rows[1:]] == ["2", "2"]
    # 5×7 at 40 ppi, each in its photo's orientation.
    assert [(r["width_px"], r["height_px"]) for r in rows[1:]] == [("200", "280"), ("280", "200")]


def test_the_file_shows_the_region_the_client_chose(studio, tmp_path, pricelist):
    chosen = Crop(0.5, 0.1, 0.4, 0.75)  # 720 × 900 px: an upright 8×10, right of centre

    def lines(ids):
        return [CartLine("print", "8x10", images=(ids[0],), crop=chosen.as_tuple(), id="p")]

    invoice = order(studio, tmp_path, pricelist, lines, [(1800, 1200)])
    folder = write_order(invoice, tmp_path / "out", lab=LOW)
    files, [row] = production(folder)
    box = tuple(int(row[k]) for k in ("crop_left", "crop_top", "crop_right", "crop_bottom"))
    assert box == (900, 120, 1620, 1020)
    assert (row["width_px"], row["height_px"]) == ("320", "400")  # 8×10 upright: the crop's shape

    with Image.open(files / row["file"]) as made, Image.open(tmp_path / "IMG_0001.jpg") as photo:
        wanted = photo.crop(box)
        elsewhere = photo.crop((0, 0, box[2] - box[0], box[3] - box[1]))  # the default's region
        assert difference(made, wanted) < 6
        assert difference(made, elsewhere) > 30


def test_an_original_turned_by_its_exif_prints_upright(studio, tmp_path, pricelist):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: shown turned a quarter clockwise

    def lines(ids):
        return [CartLine("print", "8x10", images=(ids[0],), id="p")]

    invoice = order(studio, tmp_path, pricelist, lines, [(1500, 1200)], exif=exif)
    folder = write_order(invoice, tmp_path / "out", lab=LOW)
    files, [row] = production(folder)
    assert (row["width_px"], row["height_px"]) == ("320", "400")  # upright 1200×1500: portrait
    box = tuple(int(row[k]) for k in ("crop_left", "crop_top", "crop_right", "crop_bottom"))
    with Image.open(files / row["file"]) as made, Image.open(tmp_path / "IMG_0001.jpg") as photo:
        assert made.getexif().get(0x0112, 1) == 1  # upright pixels, nothing left to turn
        assert difference(made, ImageOps.exif_transpose(photo).crop(box)) < 6


def test_a_missing_original_is_a_line_in_the_manifest_not_a_failed_export(
    studio, tmp_path, pricelist
):
    def lines(ids):
        return [CartLine("print", "5x7", images=(ids[0], ids[1]), id="p")]

    invoice = order(studio, tmp_path, pricelist, lines, [(700, 500), (700, 500)])
    (tmp_path / "IMG_0001.jpg").unlink()  # the drive it was on is unplugged
    seen: list[Progress] = []
    folder = write_order(invoice, tmp_path / "out", lab=LOW, progress=seen.append)
    files, rows = production(folder)

    assert rows[0]["width_px"] == "" and not (files / rows[0]["file"]).exists()
    assert rows[0]["note"].startswith(f"the original is not at {tmp_path / 'IMG_0001.jpg'}")
    assert "plug in the drive" in rows[0]["note"]
    assert (files / rows[1]["file"]).is_file() and rows[1]["width_px"] == "280"
    # two small prints are made at once, and said so
    assert [(p.done, p.total) for p in seen] == [(0, 2), (2, 2)]
    assert seen[0].current == f"{rows[0]['file']} and {rows[1]['file']}"
    assert seen[-1].problems == (f"{rows[0]['file']}: {rows[0]['note']}",)


def test_small_prints_are_made_two_at_a_time_and_large_ones_alone():
    def job(size: str, **more) -> PrintJob:
        return PrintJob(f"{size}.jpg", 1, "print", size, 1, "IMG_0001.jpg", **more)

    spread = Spread("single", (1,))
    jobs = [job("5×7"), job("40×60"), job("8×10"), job("10×10", spread=spread), job("4×6")]
    jobs += [job("16×20"), job("30×40 cm")]
    # at 300 ppi a 16×20 is 28.8 MP, large; 30×40 cm (11.8×15.7 in) is 16.7 MP, small
    assert pairs(jobs, Lab(ppi=300)) == [(0, 2), (1,), (3,), (4, 6), (5,)]
    assert pairs(jobs, Lab(ppi=80)) == [(0, 1), (2, 4), (3,), (5, 6)]  # 40×60 is 15.4 MP
    assert pairs([], Lab()) == []


def test_a_damaged_original_is_said_and_leaves_no_half_file(studio, tmp_path, pricelist):
    def lines(ids):
        return [CartLine("print", "5x7", images=(ids[0],), id="p")]

    invoice = order(studio, tmp_path, pricelist, lines, [(1400, 1000)])
    whole = (tmp_path / "IMG_0001.jpg").read_bytes()
    (tmp_path / "IMG_0001.jpg").write_bytes(whole[: len(whole) // 2])  # a copy cut short
    folder = write_order(invoice, tmp_path / "out", lab=LOW)
    files, [row] = production(folder)
    assert row["width_px"] == "" and row["note"].startswith("the original IMG_0001.jpg cannot")
    assert "copy it again from the camera card" in row["note"]
    assert sorted(p.name for p in files.iterdir()) == ["production.csv"]


def test_each_album_spread_is_a_file_at_the_spreads_print_size(studio, tmp_path, pricelist):
    def lines(ids):
        design = (("single", (ids[0],)), ("two-up", (ids[1], ids[2])))
        return [
            CartLine("album", "8x8", {"cover": "linen"}, images=tuple(ids), design=design, id="al")
        ]

    invoice = order(studio, tmp_path, pricelist, lines, [(900, 600), (600, 900), (600, 900)])
    (tmp_path / "IMG_0003.jpg").unlink()
    folder = write_order(invoice, tmp_path / "out", lab=LOW)
    files, rows = production(folder)

    assert [r["file"][-23:] for r in rows] == ["album-8x8-spread-01.jpg", "album-8x8-spread-02.jpg"]
    for row in rows:
        with Image.open(files / row["file"]) as im:
            assert im.size == (640, 320)  # two 8-inch pages across, 8 down, at 40 ppi
            assert "icc_profile" in im.info
    # The single fills the right-hand 8×8 page: 600 px down 8 inches, 75 ppi.
    assert (rows[0]["ppi"], rows[0]["note"]) == ("75", "")
    assert "the original is not at" in rows[1]["note"] and "IMG_0003.jpg" in rows[1]["note"]


def test_the_labs_quality_is_a_setting_from_70_to_100(tmp_path):
    paths = StudioPaths(tmp_path).ensure()
    assert load_settings(paths).lab_jpeg_quality == 95
    assert save_setting(paths, "lab_jpeg_quality", 80).lab_jpeg_quality == 80
    for wrong in (69, 101):
        with pytest.raises(StudioError, match="'lab_jpeg_quality' should be from 70 to 100"):
            save_setting(paths, "lab_jpeg_quality", wrong)
    assert Lab.from_settings(load_settings(paths)) == Lab(ppi=300, quality=80, min_ppi=150)


def test_names_sizes_and_the_plan_skip_what_is_not_printed(invoice):
    assert file_name("0042", 3, "canvas", "30×40", "IMG_1234.jpg") == (
        "0042-03-canvas-30x40-IMG_1234.jpg"
    )
    assert (
        file_name("0042", 3, "print", "30×40 cm", "../a b.tif") == "0042-03-print-30x40-cm-a-b.jpg"
    )
    assert size_of_label("30×40 cm").inches() == pytest.approx((30 / 2.54, 40 / 2.54))
    assert size_of_label("") is None and size_of_label("single") is None
    jobs = plan(invoice)  # the checkout fixture: a canvas, an album, files, prints, a frame
    assert {job.product for job in jobs} == {"canvas", "print", "framed"}  # undesigned album
    assert all(job.source for job in jobs)


@pytest.mark.parametrize(
    ("orientation", "box", "size_px"),
    [
        (1, (1625, 0, 5267, 5464), (12000, 18000)),  # upright: streamed top to bottom
        (6, (0, 1625, 5464, 5267), (18000, 12000)),  # on its side: decoded once, then turned
    ],
)
def test_a_45_mp_original_makes_a_40x60_at_300_ppi_in_bounded_memory(
    tmp_path, orientation, box, size_px
):
    """In a process of its own, so its peak memory is its own: the bound holds however large
    the print, where Pillow needs 1.3 GB for the same file."""
    script = textwrap.dedent(
        f"""
        import pyvips
        from pathlib import Path
        from kiosk.imaging.memory import peak_memory_mb
        from kiosk.imaging.printfile import render_print
        w, h = 8192, 5464
        ramp = pyvips.Image.grey(w, h) * 200 + 20
        noise = pyvips.Image.gaussnoise(256, 256, sigma=6).replicate(33, 22).crop(0, 0, w, h)
        photo = (ramp.bandjoin([ramp * 0.8, ramp * 0.5]) + noise).cast("uchar").copy()
        photo.set_type(pyvips.GValue.gint_type, "orientation", {orientation})
        photo.jpegsave("{tmp_path}/big.jpg", Q=90)
        render_print(Path("{tmp_path}/big.jpg"), {box}, {size_px},
                     Path("{tmp_path}/print.jpg"), quality=95, ppi=300)
        print(round(peak_memory_mb()))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=240
    )
    assert done.returncode == 0, done.stderr
    peak_mb = int(done.stdout)
    assert peak_mb < 500, f"peak RSS {peak_mb} MB"
    made = pyvips.Image.new_from_file(str(tmp_path / "print.jpg"))  # Pillow: "a bomb"
    assert (made.width, made.height, made.get("icc-profile-data")) == (*size_px, SRGB)
    assert printfile.orientation(made) == 1  # no EXIF orientation: the pixels are upright


def difference(made: Image.Image, wanted: Image.Image) -> float:
    """The mean difference per channel (0-255) of the two pictures shrunk to 40×50."""
    a = made.convert("RGB").resize((40, 50), Image.Resampling.BOX)
    b = wanted.convert("RGB").resize((40, 50), Image.Resampling.BOX)
    pairs = zip(a.tobytes(), b.tobytes(), strict=True)
    return sum(abs(x - y) for x, y in pairs) / (40 * 50 * 3)


def test_an_export_runs_in_the_background_once_per_order_and_says_why_it_failed(
    studio, tmp_path, pricelist
):
    def lines(ids):
        return [CartLine("print", "5x7", images=(ids[0],), id="p")]

    invoice = order(studio, tmp_path, pricelist, lines, [(700, 500)])
    jobs = ExportJobs()
    release = threading.Event()

    def export(progress):
        release.wait(10)
        with production_process() as process:  # the worker the tablet's export uses
            return write_order(
                invoice, tmp_path / "out", lab=LOW, progress=progress, executor=process
            )

    job = jobs.start(1, export)
    assert jobs.start(1, lambda progress: tmp_path) is job  # not twice at once
    assert [j.number for j in jobs.running()] == [1] and job.view()["state"] == "running"
    release.set()
    wait_for(lambda: job.state != "running")
    view = job.view()
    assert (view["state"], view["done"], view["total"], view["problems"]) == ("done", 1, 1, [])
    assert "production" in view["files"] and Path(view["folder"]).is_dir()
    with Image.open(Path(view["folder"]) / "production" / plan(invoice)[0].name) as im:
        assert im.size == (280, 200)  # a landscape 5×7 at 40 ppi

    def unwritable(progress):
        raise CheckoutError("The order could not be exported to /nowhere (Permission denied).")

    failed = jobs.start(1, unwritable)  # the last one is over: a new one starts
    wait_for(lambda: failed.state != "running")
    assert failed.view()["error"].startswith("The order could not be exported to /nowhere")
    assert jobs.get(1) is failed and jobs.running() == []


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_print_larger_than_a_jpeg_holds_gets_a_note_not_a_failed_export(tmp_path):
    """A 40×60 at 1,200 ppi is 48,000 × 72,000 pixels: past JPEG's 65,500. The row says what
    to change, and the other files are still made."""

    source = original(tmp_path / "IMG_0001.jpg", (600, 400))
    job = PrintJob("0042-01-print-40x60-IMG_0001.jpg", 1, "print", "40×60", 1, str(source))
    (tmp_path / "production").mkdir()
    row, problem = make_file(job, tmp_path / "production", Lab(ppi=1200))
    assert "cannot be one JPEG" in problem and "lab_ppi" in problem and row["note"] == problem
    assert not (tmp_path / "production" / job.name).exists()
    row, problem = make_file(job, tmp_path / "production", Lab(ppi=30))  # the same, made
    assert problem == "" and (row["width_px"], row["height_px"]) == (1800, 1200)  # landscape
