"""Fixtures for the import tests: a real studio, a warmed worker pool, and real image files.

Every picture is generated into tmp_path, small (1200×800) unless its size is the point.
`icc_profile()` writes genuine ICC v2 matrix/TRC profiles from a colour space's published
primaries, white point and transfer curve, so no profile file has to be shipped.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import pyvips
from PIL import Image, ImageDraw

from kiosk.imaging.importer import start_pool
from kiosk.studio import Studio, open_studio

# -- ICC profiles ---------------------------------------------------------------------------------
D50 = (0.9642, 1.0, 0.8249)  # the ICC profile connection space's white
BRADFORD = ((0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296))
D65_XY = (0.3127, 0.3290)
# name: (primaries xy R, G, B; white xy; transfer: a gamma, or "srgb" for the sRGB curve)
SPACES = {
    "adobe-rgb": (((0.64, 0.33), (0.21, 0.71), (0.15, 0.06)), D65_XY, 563 / 256),
    "display-p3": (((0.680, 0.320), (0.265, 0.690), (0.150, 0.060)), D65_XY, "srgb"),
    "prophoto": (((0.7347, 0.2653), (0.1596, 0.8404), (0.0366, 0.0001)), (0.3457, 0.3585), 1.8),
}


def _mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def _inv(m):
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return [
        [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
        [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
        [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
    ]


def _xyz(xy):
    x, y = xy
    return [x / y, 1.0, (1 - x - y) / y]


def _rgb_to_xyz(primaries, white):
    """The RGB→XYZ matrix from chromaticities: primaries scaled so R+G+B is the white."""
    columns = [_xyz(p) for p in primaries]
    m = [[columns[j][i] for j in range(3)] for i in range(3)]
    scale = [sum(r * w for r, w in zip(row, _xyz(white), strict=True)) for row in _inv(m)]
    return [[m[i][j] * scale[j] for j in range(3)] for i in range(3)]


def _bradford_to_d50(white):
    cone = [sum(BRADFORD[i][k] * _xyz(white)[k] for k in range(3)) for i in range(3)]
    cone_d50 = [sum(BRADFORD[i][k] * D50[k] for k in range(3)) for i in range(3)]
    scale = [[cone_d50[i] / cone[i] if i == j else 0.0 for j in range(3)] for i in range(3)]
    return _mul(_inv(BRADFORD), _mul(scale, BRADFORD))


def _s15(*values: float) -> bytes:
    return b"".join(struct.pack(">i", round(v * 65536)) for v in values)


def icc_profile(space: str) -> bytes:
    """An ICC v2 display profile (matrix + TRC) for 'adobe-rgb', 'display-p3' or 'prophoto'."""
    primaries, white, transfer = SPACES[space]
    m = _mul(_bradford_to_d50(white), _rgb_to_xyz(primaries, white))
    text = f"{space} (generated for tests)".encode() + b"\0"
    if transfer == "srgb":  # parametric curve type 3: the sRGB piecewise function
        curve = (
            b"para"
            + bytes(4)
            + struct.pack(">HH", 3, 0)
            + _s15(2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)
        )
    else:
        curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(transfer * 256))
    tags = {
        b"desc": b"desc"
        + bytes(4)
        + struct.pack(">I", len(text))
        + text
        + bytes(4 + 4 + 2 + 1 + 67),
        b"cprt": b"text" + bytes(4) + b"Public domain\0",
        b"wtpt": b"XYZ " + bytes(4) + _s15(*D50),
        b"rXYZ": b"XYZ " + bytes(4) + _s15(m[0][0], m[1][0], m[2][0]),
        b"gXYZ": b"XYZ " + bytes(4) + _s15(m[0][1], m[1][1], m[2][1]),
        b"bXYZ": b"XYZ " + bytes(4) + _s15(m[0][2], m[1][2], m[2][2]),
        b"rTRC": curve,
        b"gTRC": curve,
        b"bTRC": curve,
    }
    table = struct.pack(">I", len(tags))
    data = b""
    start = 128 + 4 + 12 * len(tags)
    for signature, body in tags.items():
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", start + len(data), len(body))
        data += body
    header = (
        struct.pack(">I", start + len(data))
        + b"lcms"
        + struct.pack(">I", 0x02100000)  # version 2.1
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + bytes(4 + 4 + 4 + 4 + 8)  # platform, flags, manufacturer, model, attributes
        + struct.pack(">I", 0)  # perceptual intent
        + _s15(*D50)
        + b"lcms"
        + bytes(44)
    )
    assert len(header) == 128
    return header + table + data


# -- pictures -------------------------------------------------------------------------------------
class Pictures:
    """Writes real image files of every kind the import meets into one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def photo(self, size: tuple[int, int] = (1200, 800), seed: int = 0) -> Image.Image:
        """Photo-like content: a gradient, noise and a red marker in the stored top-left."""
        w, h = size
        gradient = Image.linear_gradient("L").resize(size)
        noise = Image.effect_noise(size, 24 + seed % 7)
        im = Image.merge("RGB", (gradient, noise, gradient.rotate(180)))
        draw = ImageDraw.Draw(im)
        draw.ellipse((w // 3, h // 3, w // 3 + h // 3, 2 * h // 3), fill=(40 + seed % 200, 90, 160))
        draw.rectangle((0, 0, w // 6, h // 6), fill=(255, 0, 0))
        return im

    def jpeg(
        self,
        name: str,
        size: tuple[int, int] = (1200, 800),
        *,
        seed: int = 0,
        orientation: int | None = None,
        taken: str | None = None,
        image: Image.Image | None = None,
        icc: bytes | None = None,
        quality: int = 92,
    ) -> Path:
        im = image or self.photo(size, seed)
        exif = Image.Exif()
        if orientation:
            exif[0x0112] = orientation
        if taken:
            exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal, "YYYY:MM:DD HH:MM:SS"
        path = self.path(name)
        options = {"icc_profile": icc} if icc else {}
        im.save(path, "JPEG", quality=quality, exif=exif.tobytes(), **options)
        return path

    def flat(self, name: str, colour, *, mode: str = "RGB", icc: bytes | None = None, **kw) -> Path:
        """One flat colour: JPEG compresses a flat area almost exactly."""
        im = Image.new(mode, (1200, 800), colour)
        path = self.path(name)
        options = {"icc_profile": icc} if icc else {}
        im.save(path, quality=kw.get("quality", 95), **options)
        return path

    def rgb16(self, name: str, value: tuple[int, int, int] = (60000, 30000, 1000)) -> Path:
        image = (pyvips.Image.black(1200, 800, bands=3) + list(value)).cast("ushort")
        image = image.copy(interpretation="rgb16")
        path = self.path(name)
        image.write_to_file(str(path))
        assert pyvips.Image.new_from_file(str(path)).format == "ushort"
        return path

    def grey16(self, name: str, value: int = 40000) -> Path:
        path = self.path(name)
        Image.new("I;16", (1200, 800), value).save(path)
        return path

    def palette_with_transparency(self, name: str) -> Path:
        """Left half opaque blue, right half fully transparent (palette index 0)."""
        im = Image.new("P", (1200, 800), 0)
        im.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
        im.paste(1, (0, 0, 600, 800))
        path = self.path(name)
        im.save(path, transparency=0)
        return path

    def heic(self, name: str) -> Path:
        import pillow_heif

        if not pillow_heif.libheif_info().get("HEIF"):
            pytest.skip("this pillow-heif has no HEIC encoder to make a test file")
        path = self.path(name)
        pillow_heif.from_pillow(self.photo((600, 400), seed=5)).save(path, quality=70)
        return path

    def truncated(self, name: str) -> Path:
        good = self.jpeg(name, seed=3)
        data = good.read_bytes()
        good.write_bytes(data[: len(data) * 6 // 10])
        return good

    def text(self, name: str) -> Path:
        path = self.path(name)
        path.write_text("Session notes: client prefers black and white.\n")
        return path

    def empty(self, name: str) -> Path:
        path = self.path(name)
        path.write_bytes(b"")
        return path

    def bomb(self, name: str, side: int = 16_000) -> Path:
        """A valid 1-bit PNG of side² pixels (256 MP): tiny on disk, 256 MB once decoded."""
        row = bytes(1 + (side + 7) // 8)  # filter byte + packed zero bits
        squash = zlib.compressobj(1)
        body = b"".join(squash.compress(row) for _ in range(side)) + squash.flush()

        def chunk(kind: bytes, data: bytes) -> bytes:
            crc = zlib.crc32(kind + data)
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

        ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
        path = self.path(name)
        path.write_bytes(
            b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
        )
        return path


@pytest.fixture(name="icc_profile")
def icc_profile_fixture():
    """`icc_profile(space)`: profile bytes for "adobe-rgb", "display-p3" or "prophoto"."""
    return icc_profile


@pytest.fixture
def pictures(tmp_path: Path) -> Pictures:
    return Pictures(tmp_path / "card")


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    studio = open_studio(tmp_path / "studio")
    yield studio
    studio.close()


@pytest.fixture(scope="session")
def pool():
    """One warmed pool for the whole run: spawning workers per test would dominate its time."""
    workers = start_pool(2)
    yield workers
    workers.shutdown(cancel_futures=True)
