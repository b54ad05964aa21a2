"""A large JPEG encoded on every core: the picture is cut into bands of rows, each band coded
as a JPEG of its own on a worker thread, and the bands' coded data joined by restart markers
into one baseline JPEG that every decoder reads.

Why: libjpeg-turbo codes a picture on one thread, and a lab's 40×60 at 300 ppi (216 MP) spent
most of its time there, with the other core idle. A restart marker is plain JPEG: the DC
prediction starts afresh after it, so bands coded apart, each exactly one restart interval
long, join into the file one encoder would write with that interval. Every band is coded with
the same quality and the standard Huffman tables, so their tables are the same; this is
checked, not assumed.

    write_banded_jpeg(Path("out.jpg"), (12000, 18000), band, quality=95, ppi=300, icc=SRGB)

`band(top, rows)` returns the picture's rows `top` to `top + rows` as an RGB uint8 array; it
runs on the worker threads, so the resampling before the coding is shared out too. Only a few
bands are in memory at once, whatever the picture's size. A band may be drawn into `scratch`
arrays, which its thread reuses for the next band once this one is coded: fresh arrays of a
few MB a band cost a third of a 30×40's time in the kernel's page faults (measured).
"""

from __future__ import annotations

import os
import struct
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

Band = Callable[[int, int], np.ndarray]

FULL_COLOUR_QUALITY = 90  # at a lab's quality and above, colour is kept at full resolution
MAX_SIDE = 65_500  # libjpeg's largest picture, either way
MAX_INTERVAL = 0xFFFF  # a restart interval is a 16-bit count of MCUs
BAND_ROWS = 64  # rows a band aims at: a few MB of pixels, enough work to share out
_SOF0, _DHT, _DQT, _SOS, _APP0, _EOI = 0xC0, 0xC4, 0xDB, 0xDA, 0xE0, b"\xff\xd9"


_scratch = threading.local()


def scratch(name: str, shape: tuple[int, ...]) -> np.ndarray:
    """This thread's uint8 array called `name`, of `shape`: the same one each time while the
    shape holds, so a band's working arrays are allocated once per thread, not per band."""
    arrays = _scratch.__dict__.setdefault("arrays", {})
    array = arrays.get(name)
    if array is None or array.shape != shape:
        array = arrays[name] = np.empty(shape, np.uint8)
    return array


class BandError(ValueError):
    """The picture cannot be one banded JPEG: larger than JPEG allows, or a band that would
    not join the others (not a JPEG, cut short, or coded with other tables)."""


def write_banded_jpeg(
    dest: Path,
    size: tuple[int, int],
    band: Band,
    *,
    quality: int,
    ppi: int,
    icc: bytes,
    workers: int | None = None,
) -> None:
    """The picture `band` draws, `size` (width, height), as a JPEG at `dest` with the `icc`
    profile and `ppi` recorded; written aside and renamed, so a file with the name is whole."""
    width, height = size
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise BandError(f"a JPEG holds 1 to {MAX_SIDE:,} pixels a side, not {width} × {height}")
    mcu = 8 if quality >= FULL_COLOUR_QUALITY else 16  # colour at half resolution: 16 × 16
    rows = band_rows(width, mcu=mcu)
    interval = -(-width // mcu) * (rows // mcu)  # MCUs in a band
    tops = range(0, height, rows)
    workers = workers or min(4, len(os.sched_getaffinity(0)))
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        with open(partial, "wb") as out, ThreadPoolExecutor(workers) as pool:
            first: list[bytes] = []
            coded = _in_order(pool, band, tops, rows, height, quality, ahead=2 * workers)
            for n, data in enumerate(coded):
                head, scan = _split(data)
                if n == 0:
                    first = _tables(head)
                    out.write(_header(head, size, interval, ppi, icc))
                else:
                    if _tables(head) != first:
                        raise BandError("a band was coded with other tables")
                    out.write(bytes((0xFF, 0xD0 + (n - 1) % 8)))  # RST0 to RST7, in turn
                out.write(scan)
            out.write(_EOI)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)


def _in_order(
    pool: ThreadPoolExecutor,
    band: Band,
    tops: range,
    rows: int,
    height: int,
    quality: int,
    *,
    ahead: int,
) -> Iterator[bytes]:
    """The bands coded, in order, with at most `ahead` being coded before the writer takes
    them: the memory of a few bands, never of the picture."""
    pending: deque[Future[bytes]] = deque()
    for top in tops:
        pending.append(pool.submit(_code, band, top, min(rows, height - top), quality))
        if len(pending) > ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def band_rows(width: int, *, mcu: int) -> int:
    """Rows in a band: whole MCU rows, as many as `BAND_ROWS` and a 16-bit restart interval
    allow (a 12000 px wide picture's interval is 1,500 MCUs a row)."""
    per_row = -(-width // mcu)
    return mcu * max(1, min(BAND_ROWS // mcu, MAX_INTERVAL // per_row))


def _code(band: Band, top: int, rows: int, quality: int) -> bytes:
    pixels = band(top, rows)
    sampling = (
        cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444
        if quality >= FULL_COLOUR_QUALITY
        else cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420
    )
    params = [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_SAMPLING_FACTOR, sampling]
    bgr = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR, dst=scratch("bgr", pixels.shape))
    ok, data = cv2.imencode(".jpg", bgr, params)
    if not ok:
        raise BandError(f"rows {top} to {top + rows} could not be coded")
    return data.tobytes()


def _split(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """A band's JPEG as its segments up to and including the scan's header, and the coded
    data after it (its end-of-image marker dropped)."""
    segments: list[tuple[int, bytes]] = []
    at = 2  # after the start-of-image marker
    while True:
        if data[at] != 0xFF:
            raise BandError("a band is not a JPEG")
        marker = data[at + 1]
        (length,) = struct.unpack_from(">H", data, at + 2)
        segments.append((marker, data[at : at + 2 + length]))
        at += 2 + length
        if marker == _SOS:
            if not data.endswith(_EOI):
                raise BandError("a band's data is cut short")
            return segments, data[at:-2]


def _tables(head: list[tuple[int, bytes]]) -> list[bytes]:
    return [segment for marker, segment in head if marker in (_DQT, _DHT)]


def _header(
    head: list[tuple[int, bytes]], size: tuple[int, int], interval: int, ppi: int, icc: bytes
) -> bytes:
    """The first band's header made the whole picture's: its height, the restart interval,
    the print's resolution (JFIF) and the colour profile (APP2)."""
    width, height = size
    parts = [b"\xff\xd8", _jfif(ppi), _icc_segment(icc)]
    for marker, segment in head:
        if marker == _APP0:
            continue  # replaced by ours, with the resolution
        if marker == _SOF0:
            patched = bytearray(segment)
            struct.pack_into(">HH", patched, 5, height, width)
            segment = bytes(patched)
        if marker == _SOS:
            parts.append(b"\xff\xdd" + struct.pack(">HH", 4, interval))
        parts.append(segment)
    return b"".join(parts)


def _jfif(ppi: int) -> bytes:
    body = b"JFIF\x00\x01\x01\x01" + struct.pack(">HH", ppi, ppi) + b"\x00\x00"
    return b"\xff\xe0" + struct.pack(">H", len(body) + 2) + body


def _icc_segment(icc: bytes) -> bytes:
    body = b"ICC_PROFILE\x00\x01\x01" + icc  # one chunk of one: profiles here are small
    if len(body) + 2 > 0xFFFF:
        raise BandError("the colour profile is too large for one segment")
    return b"\xff\xe2" + struct.pack(">H", len(body) + 2) + body
