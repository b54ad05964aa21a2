"""make_previews on real files: orientation, colour, bit depth, transparency, bad input."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from kiosk.core.errors import ImageRejected
from kiosk.imaging import previews
from kiosk.imaging.previews import make_previews

ENGINES = ["vips", "pillow"]
CAP = 250_000_000


def previews_of(path: Path, cache: Path, engine: str = "auto", edge: int = 3840, thumb: int = 480):
    return make_previews(path, cache, f"{path.stem}-{engine}", edge, thumb, CAP, engine=engine)


def centre(path: str) -> tuple:
    with Image.open(path) as im:
        return im.getpixel((im.width // 2, im.height // 2))


# -- an independent route to the expected sRGB value: the colour spaces' published matrices ----
PUBLISHED_TO_XYZ = {  # RGB (linear) -> XYZ, each space at its own white
    "adobe-rgb": [
        [0.5767309, 0.1855540, 0.1881852],
        [0.2973769, 0.6273491, 0.0752741],
        [0.0270343, 0.0706872, 0.9911085],
    ],
    "display-p3": [
        [0.4865709, 0.2656677, 0.1982173],
        [0.2289746, 0.6917385, 0.0792869],
        [0.0000000, 0.0451134, 1.0439444],
    ],
    "prophoto": [  # D50, so Bradford-adapted to D65 below
        [0.7976749, 0.1351917, 0.0313534],
        [0.2880402, 0.7118741, 0.0000857],
        [0.0000000, 0.0000000, 0.8252100],
    ],
}
D50_TO_D65 = [
    [0.9555766, -0.0230393, 0.0631636],
    [-0.0282895, 1.0099416, 0.0210077],
    [0.0122982, -0.0204830, 1.3299098],
]
XYZ_TO_SRGB = [
    [3.2404542, -1.5371385, -0.4985314],
    [-0.9692660, 1.8760108, 0.0415560],
    [0.0556434, -0.2040259, 1.0572252],
]


def _apply(m, v):
    return [sum(m[i][k] * v[k] for k in range(3)) for i in range(3)]


def _decode(space: str, value: float) -> float:
    if space == "adobe-rgb":
        return value ** (563 / 256)
    if space == "prophoto":
        return value**1.8
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def expected_srgb(space: str, rgb: tuple[int, int, int]) -> tuple[int, ...]:
    xyz = _apply(PUBLISHED_TO_XYZ[space], [_decode(space, c / 255) for c in rgb])
    if space == "prophoto":
        xyz = _apply(D50_TO_D65, xyz)
    linear = _apply(XYZ_TO_SRGB, xyz)
    assert all(0 <= c <= 1 for c in linear), "pick a patch inside sRGB's gamut"
    encoded = [12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in linear]
    return tuple(round(255 * c) for c in encoded)


# -- orientation, size ---------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ENGINES)
def test_preview_is_upright_when_exif_says_rotate_90(pictures, tmp_path, engine):
    # Stored landscape with a red marker top-left; orientation 6 means "turn 90° clockwise".
    path = pictures.jpeg("IMG_0001.JPG", orientation=6)
    result = previews_of(path, tmp_path / "cache", engine)
    assert (result.width, result.height) == (800, 1200)
    with Image.open(result.preview_path) as im:
        assert im.size == (800, 1200)
        red = im.getpixel((im.width - 20, 20))  # the marker is now top-right
        assert red[0] > 200 and red[1] < 60 and red[2] < 60
        assert im.getpixel((20, 20))[0] < 200 or im.getpixel((20, 20))[1] > 60
        assert not im.getexif().get(0x0112)  # no orientation tag to rotate it twice
    with Image.open(result.thumb_path) as thumb:
        assert thumb.size == (320, 480)


@pytest.mark.parametrize("engine", ENGINES)
def test_smaller_image_is_never_upscaled_and_thumbnail_fits_its_edge(pictures, tmp_path, engine):
    result = previews_of(pictures.jpeg("small.jpg"), tmp_path / "cache", engine)
    with Image.open(result.preview_path) as p, Image.open(result.thumb_path) as t:
        assert p.size == (1200, 800)
        assert t.size == (480, 320)


@pytest.mark.parametrize("engine", ENGINES)
def test_preview_long_edge_is_the_configured_edge(pictures, tmp_path, engine):
    path = pictures.jpeg("tall.jpg", size=(1000, 1500))
    result = previews_of(path, tmp_path / "cache", engine, edge=600, thumb=120)
    assert (result.width, result.height) == (1000, 1500)  # the original's size is recorded
    with Image.open(result.preview_path) as p, Image.open(result.thumb_path) as t:
        assert p.size == (400, 600)
        assert t.size == (80, 120)


def test_cache_is_keyed_by_content_hash_and_edge(pictures, tmp_path):
    path = pictures.jpeg("a.jpg")
    result = make_previews(path, tmp_path / "cache", "ab" + "0" * 62, 3840, 480, CAP)
    assert result.preview_path == str(
        tmp_path / "cache/previews/ab" / ("ab" + "0" * 62 + "-3840.jpg")
    )
    assert result.thumb_path == str(tmp_path / "cache/thumbs/ab" / ("ab" + "0" * 62 + "-480.jpg"))
    assert not any((tmp_path / "cache/tmp").iterdir())  # temporary files renamed into place


# -- colour ----------------------------------------------------------
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "space, patch",
    [("adobe-rgb", (200, 120, 80)), ("display-p3", (200, 120, 80)), ("prophoto", (150, 110, 90))],
)
def test_embedded_profile_is_converted_to_srgb(
    pictures, tmp_path, icc_profile, engine, space, patch
):
    path = pictures.flat(f"{space}.jpg", patch, icc=icc_profile(space))
    got = centre(previews_of(path, tmp_path / "cache", engine).preview_path)
    want = expected_srgb(space, patch)
    assert got != patch  # the conversion did something
    assert all(abs(g - w) <= 2 for g, w in zip(got, want, strict=True)), (got, want)


@pytest.mark.parametrize("engine", ENGINES)
def test_cmyk_jpeg_without_profile_is_converted_to_srgb(pictures, tmp_path, engine):
    # Full magenta + yellow is a printer's red; a naive inversion would give pure (255, 0, 0).
    path = pictures.flat("cmyk.jpg", (0, 255, 255, 0), mode="CMYK")
    with Image.open(path) as im:
        assert im.mode == "CMYK"
    r, g, b = centre(previews_of(path, tmp_path / "cache", engine).preview_path)
    assert r > 200 and 15 < g < 50 and 25 < b < 60


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["deep.png", "deep.tif"])
def test_16_bit_colour_becomes_8_bit(pictures, tmp_path, engine, name):
    path = pictures.rgb16(name, (60000, 30000, 1000))
    result = previews_of(path, tmp_path / "cache", engine)
    with Image.open(result.preview_path) as im:
        assert im.mode == "RGB"
    got = centre(result.preview_path)
    want = (60000 / 257, 30000 / 257, 1000 / 257)
    assert all(abs(g - w) <= 2 for g, w in zip(got, want, strict=True)), got


@pytest.mark.parametrize("engine", ENGINES)
def test_16_bit_greyscale_becomes_8_bit_grey(pictures, tmp_path, engine):
    result = previews_of(pictures.grey16("deep-grey.png", 40000), tmp_path / "cache", engine)
    with Image.open(result.preview_path) as im:
        assert im.mode == "L"
    assert abs(centre(result.preview_path) - 40000 / 257) <= 2


@pytest.mark.parametrize("engine", ENGINES)
def test_greyscale_stays_grey(pictures, tmp_path, engine):
    path = pictures.flat("grey.jpg", 90, mode="L")
    result = previews_of(path, tmp_path / "cache", engine)
    for made in (result.preview_path, result.thumb_path):
        with Image.open(made) as im:
            assert im.mode == "L"
    assert abs(centre(result.preview_path) - 90) <= 1


@pytest.mark.parametrize("engine", ENGINES)
def test_palette_png_transparency_is_flattened_on_neutral_grey(pictures, tmp_path, engine):
    result = previews_of(pictures.palette_with_transparency("logo.png"), tmp_path / "cache", engine)
    with Image.open(result.preview_path) as im:
        assert im.mode == "RGB"
        blue = im.getpixel((300, 400))
        grey = im.getpixel((900, 400))
    assert blue[2] > 240 and blue[0] < 15 and blue[1] < 15
    assert all(abs(c - previews.NEUTRAL_GREY) <= 2 for c in grey), grey


def test_heic_is_imported(pictures, tmp_path):
    result = previews_of(pictures.heic("IMG_4001.HEIC"), tmp_path / "cache")
    assert result.format == "HEIC"
    assert (result.width, result.height) == (600, 400)
    with Image.open(result.preview_path) as im:
        assert im.format == "JPEG" and im.size == (600, 400)


def test_png_named_jpg_is_read_by_its_content(pictures, tmp_path):
    path = pictures.path("not-really.jpg")
    pictures.photo().save(path, "PNG")
    result = previews_of(path, tmp_path / "cache")
    assert result.format == "PNG"
    assert Path(result.preview_path).is_file()


@pytest.mark.parametrize("name", ["IMG[2].jpg", "scan[x]"])
def test_names_with_brackets_are_not_taken_for_libvips_options(pictures, tmp_path, name):
    result = previews_of(pictures.jpeg(name), tmp_path / "cache", "vips")
    assert (result.width, result.height) == (1200, 800)


# -- capture time ----------------------------------------------------------
def test_capture_time_comes_from_exif_date_time_original(pictures, tmp_path):
    path = pictures.jpeg("a.jpg", taken="2024:05:01 14:03:22")
    assert previews_of(path, tmp_path / "cache").capture_time == "2024-05-01T14:03:22"


@pytest.mark.parametrize("taken", [None, "0000:00:00 00:00:00"])
def test_capture_time_falls_back_to_file_modification_time(pictures, tmp_path, taken):
    path = pictures.jpeg("a.jpg", taken=taken)
    stamp = datetime(2023, 12, 24, 18, 30, 5).timestamp()
    os.utime(path, (stamp, stamp))
    assert previews_of(path, tmp_path / "cache").capture_time == "2023-12-24T18:30:05"


# -- bad input ----------------------------------------------------------
def test_decompression_bomb_is_refused_before_decoding(pictures, tmp_path):
    path = pictures.bomb("bomb.png")  # 16000 × 16000: 140 kB on disk, 256 MB decoded
    started = time.perf_counter()
    with pytest.raises(ImageRejected, match="16000 × 16000 pixels.*limit of 250 megapixels"):
        make_previews(path, tmp_path / "cache", "bomb", 3840, 480, CAP)
    assert time.perf_counter() - started < 2  # decoding it would take far longer
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
@pytest.mark.parametrize("name", ["cut.jpg", "cut[1]"])  # "[...]" at the end: libvips options
def test_truncated_jpeg_is_refused_and_leaves_nothing_in_the_cache(
    pictures, tmp_path, engine, name
):
    path = pictures.truncated(name)
    with pytest.raises(ImageRejected, match="cut short"):
        previews_of(path, tmp_path / "cache", engine)
    cache = tmp_path / "cache"
    leftovers = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert leftovers == []


def test_text_named_jpg_is_refused_as_not_a_picture(pictures, tmp_path):
    with pytest.raises(ImageRejected, match="not a picture.*'.jpg'"):
        previews_of(pictures.text("notes.jpg"), tmp_path / "cache")


def test_failed_save_leaves_neither_file_nor_temporary(tmp_path):
    dest, tmp = tmp_path / "previews/ab/x-3840.jpg", tmp_path / "tmp/x-3840.jpg.1.tmp"
    dest.parent.mkdir(parents=True)
    tmp.parent.mkdir()

    def half_then_fail(name: str) -> None:
        Path(name).write_bytes(b"\xff\xd8\xff half a JPEG")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        previews.save_atomic(dest, tmp, half_then_fail)
    assert not dest.exists() and not tmp.exists()


def test_an_unwritable_cache_is_blamed_on_the_studio_folder_not_the_picture(pictures, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "previews").write_text("a file where the previews folder should be")
    with pytest.raises(ImageRejected, match="could not write this picture's preview"):
        make_previews(pictures.jpeg("a.jpg"), cache, "ab12", 3840, 480, CAP)
