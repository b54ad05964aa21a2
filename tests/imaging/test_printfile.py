"""The lab's print files made band by band on every core: the same picture libvips would make,
whatever way the original is stored, and a JPEG every decoder reads whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import pyvips
from PIL import Image

from kiosk.imaging.bandedjpeg import BandError, band_rows, write_banded_jpeg
from kiosk.imaging.printfile import (
    SRGB,
    Decoding,
    _stored_rows,
    filled,
    render_print,
    save_picture_for_lab,
    upright_rows,
)

ORIENTATIONS = range(1, 9)


def asymmetric(width: int, height: int) -> np.ndarray:
    """A picture no turn or mirror maps onto itself: ramps that differ across and down, a
    block in one corner."""
    x = np.linspace(0, 1, width)[None, :]
    y = np.linspace(0, 1, height)[:, None]
    red = 30 + 200 * x + 0 * y
    green = 30 + 200 * y + 0 * x
    blue = 60 + 120 * x * y
    picture = np.stack([red, green, blue], axis=2).astype(np.uint8)
    picture[: height // 5, : width // 7] = (250, 20, 20)
    return picture


def stored_with(path: Path, upright: np.ndarray, turn: int) -> Path:
    """`upright` saved as a camera would store it with EXIF orientation `turn`: the stored
    pixels are such that turning them by `turn` shows `upright`."""
    image = pyvips.Image.new_from_memory(
        np.ascontiguousarray(upright).tobytes(), upright.shape[1], upright.shape[0], 3, "uchar"
    )
    undo = {  # the stored pixels, from the upright ones
        2: lambda im: im.fliphor(),
        3: lambda im: im.rot180(),
        4: lambda im: im.flipver(),
        5: lambda im: im.rot90().fliphor(),
        6: lambda im: im.rot270(),
        7: lambda im: im.rot90().flipver(),
        8: lambda im: im.rot90(),
    }
    stored = undo[turn](image) if turn in undo else image
    stored = stored.copy()
    stored.set_type(pyvips.GValue.gint_type, "orientation", turn)
    stored.jpegsave(str(path), Q=97, subsample_mode="off")
    return path


def mean_difference(a: np.ndarray, b: np.ndarray, size=(60, 40)) -> float:
    small = [
        np.asarray(Image.fromarray(p).resize(size, Image.Resampling.BOX), float) for p in (a, b)
    ]
    return float(np.abs(small[0] - small[1]).mean())


def read(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


@pytest.mark.parametrize("turn", ORIENTATIONS)
def test_an_enlargement_shows_the_chosen_box_upright_whatever_the_orientation(tmp_path, turn):
    upright = asymmetric(600, 400)
    source = stored_with(tmp_path / f"o{turn}.jpg", upright, turn)
    turned_by_libvips = pyvips.Image.new_from_file(str(source)).autorot()
    assert (turned_by_libvips.width, turned_by_libvips.height) == (600, 400)  # as stored
    box = (40, 30, 340, 230)  # 300 × 200 of the upright picture, with part of the block
    render_print(source, box, (1500, 1000), tmp_path / "print.jpg", quality=95, ppi=300)
    made = read(tmp_path / "print.jpg")
    assert made.shape == (1000, 1500, 3)
    wanted = upright[30:230, 40:340]
    assert mean_difference(made, wanted) < 4
    red = np.full((20, 20, 3), (250, 20, 20), np.uint8)  # the block, top left and only there
    assert mean_difference(made[:20, :20], red, size=(4, 4)) < 4
    assert mean_difference(made[:20, -20:], red, size=(4, 4)) > 40


def test_a_shrink_and_an_enlargement_of_the_same_box_agree(tmp_path):
    """The libvips path (shrinking) and the banded one (enlarging) show the same picture."""
    upright = asymmetric(1200, 800)
    source = stored_with(tmp_path / "o6.jpg", upright, 6)
    box = (100, 100, 1000, 700)
    render_print(source, box, (450, 300), tmp_path / "small.jpg", quality=95, ppi=300)
    render_print(source, box, (2700, 1800), tmp_path / "large.jpg", quality=95, ppi=300)
    small, large = read(tmp_path / "small.jpg"), read(tmp_path / "large.jpg")
    assert small.shape == (300, 450, 3) and large.shape == (1800, 2700, 3)
    assert mean_difference(small, large) < 3


@pytest.mark.parametrize("turn", ORIENTATIONS)
def test_a_band_waits_only_for_the_stored_rows_it_is_made_from(turn):
    """The bands of an enlargement start on the rows already decoded: each band's upright
    rows must come from no stored row past the count it waits for."""
    stored = np.zeros((90, 140, 3), np.uint8)
    stored[:, :, 0] = np.arange(90)[:, None]  # each pixel says which stored row it is
    upright_height = 140 if turn in (5, 6, 7, 8) else 90
    for lo, hi in [(0, 10), (30, 47), (upright_height - 5, upright_height)]:
        rows = upright_rows(stored, turn, lo, hi)
        assert rows[:, :, 0].max() < _stored_rows(turn, lo, hi, 90)
        if turn in (1, 2):  # upright: no more than the rows themselves
            assert _stored_rows(turn, lo, hi, 90) == hi


@pytest.mark.parametrize("turn", [1, 6])  # read as it decodes, and waited for whole
def test_an_original_cut_short_fails_the_enlargement_and_leaves_no_file(tmp_path, turn):
    source = stored_with(tmp_path / "o.jpg", asymmetric(900, 600), turn)
    whole = source.read_bytes()
    source.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(pyvips.Error):
        render_print(
            source, (0, 0, 900, 600), (2700, 1800), tmp_path / "p.jpg", quality=95, ppi=300
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.jpg"]


def test_decoding_given_up_early_stops_without_reading_the_rest():
    """A band that fails ends the export's decoding too, and nothing waits for ever."""
    tall = pyvips.Image.black(4000, 30000, bands=3).cast("uchar")
    with Decoding(tall) as decoding:
        first = decoding.rows(10)
        assert first.shape == (30000, 4000, 3)
    assert decoding._written < first.size  # it stopped before the end (360 MB)


@pytest.mark.parametrize("quality", [95, 80])  # full colour, and colour at half resolution
def test_bands_join_into_one_jpeg_every_decoder_reads_whole(tmp_path, quality):
    width, height = 1000, 700  # bands of band_rows() rows, the last one short
    picture = asymmetric(width, height)
    dest = tmp_path / "banded.jpg"
    write_banded_jpeg(
        dest,
        (width, height),
        lambda top, rows: picture[top : top + rows],
        quality=quality,
        ppi=240,
        icc=SRGB,
        workers=2,
    )
    data = dest.read_bytes()
    assert data.count(b"\xff\xdd") == 1  # one restart interval, declared once
    restarts = sum(data.count(bytes((0xFF, 0xD0 + k))) for k in range(8))
    assert restarts == -(-height // band_rows(width, mcu=8 if quality >= 90 else 16)) - 1
    with Image.open(dest) as im:
        im.load()  # Pillow (libjpeg) reads every band
        assert im.size == (width, height) and im.info["dpi"] == pytest.approx((240, 240))
        assert im.info["icc_profile"] == SRGB
        pillow = np.asarray(im)
    strict = pyvips.Image.new_from_file(str(dest), fail_on="warning")  # libvips, strictly
    assert strict.avg() == pytest.approx(pillow.mean(), abs=0.01)
    whole = tmp_path / "whole.jpg"  # the same picture coded in one piece
    Image.fromarray(picture).save(whole, quality=quality, subsampling=0 if quality >= 90 else 2)
    assert np.abs(pillow.astype(int) - read(whole).astype(int)).max() <= 2
    # and every band's rows are the band's: the last rows are the picture's last rows
    assert mean_difference(pillow[-40:], picture[-40:], size=(50, 10)) < 2


def test_a_band_that_fails_leaves_no_file(tmp_path):
    dest = tmp_path / "print.jpg"

    def band(top: int, rows: int) -> np.ndarray:
        if top > 200:
            raise OSError("the disk is gone")
        return np.zeros((rows, 400, 3), np.uint8)

    with pytest.raises(OSError):
        write_banded_jpeg(dest, (400, 600), band, quality=95, ppi=300, icc=SRGB)
    assert list(tmp_path.iterdir()) == []


def test_bands_of_a_very_wide_picture_keep_the_restart_interval_in_16_bits():
    for width in (1, 1000, 12000, 36000, 65_500):
        for mcu in (8, 16):
            rows = band_rows(width, mcu=mcu)
            assert rows % mcu == 0 and -(-width // mcu) * (rows // mcu) <= 0xFFFF
    assert band_rows(65_500, mcu=8) == 64  # 8,188 MCUs a row: eight rows fit 65,535


def test_a_picture_larger_than_a_jpeg_holds_is_refused_before_any_work(tmp_path):
    def band(top: int, rows: int) -> np.ndarray:
        raise AssertionError("no band is drawn")

    with pytest.raises(BandError, match="65,500"):
        write_banded_jpeg(tmp_path / "x.jpg", (70_000, 100), band, quality=95, ppi=300, icc=SRGB)
    assert list(tmp_path.iterdir()) == []


def test_a_spread_is_saved_with_its_profile_and_resolution(tmp_path):
    picture = Image.fromarray(asymmetric(900, 450))
    save_picture_for_lab(picture, tmp_path / "spread.jpg", quality=95, ppi=300)
    with Image.open(tmp_path / "spread.jpg") as im:
        assert im.size == (900, 450) and im.info["dpi"] == pytest.approx((300, 300))
        assert im.info["icc_profile"] == SRGB
        assert mean_difference(np.asarray(im), np.asarray(picture)) < 1.5


@pytest.mark.parametrize("turn", ORIENTATIONS)
@pytest.mark.parametrize("cell", [(300, 100), (100, 300), (1300, 900)])  # wide, tall, larger
def test_an_album_cell_is_filled_upright_about_the_centre(tmp_path, turn, cell):
    upright = asymmetric(1200, 800)
    source = stored_with(tmp_path / f"o{turn}.jpg", upright, turn)
    made = filled(source, cell)
    assert (made.shape[1], made.shape[0]) == cell
    wanted = pyvips.Image.thumbnail(
        str(source), cell[0], height=cell[1], crop="centre", size="both"
    )
    libvips = np.ndarray(
        buffer=wanted.write_to_memory(), dtype=np.uint8, shape=(wanted.height, wanted.width, 3)
    )
    assert mean_difference(np.ascontiguousarray(made), libvips) < 3


@pytest.mark.parametrize("size_px", [(450, 300), (2700, 1800)])  # a shrink, an enlargement
def test_a_crop_too_large_to_hold_is_streamed_into_the_same_picture(tmp_path, monkeypatch, size_px):
    """Past `IN_MEMORY_PIXELS` libvips streams the crop in constant memory; the lab gets the
    same print either way (the bound lowered here, so that a small original crosses it)."""
    from kiosk.imaging import printfile

    source = stored_with(tmp_path / "o6.jpg", asymmetric(1200, 800), 6)
    box = (100, 100, 1000, 700)
    render_print(source, box, size_px, tmp_path / "held.jpg", quality=95, ppi=300)
    monkeypatch.setattr(printfile, "IN_MEMORY_PIXELS", 1000)
    render_print(source, box, size_px, tmp_path / "streamed.jpg", quality=95, ppi=300)
    held, streamed = read(tmp_path / "held.jpg"), read(tmp_path / "streamed.jpg")
    assert held.shape == streamed.shape == (size_px[1], size_px[0], 3)
    assert mean_difference(held, streamed) < 2
    assert (
        pyvips.Image.new_from_file(str(tmp_path / "streamed.jpg")).get("icc-profile-data") == SRGB
    )
