"""A ZIP of the gallery's files, laid out before a byte is sent, so it can be streamed while it
is written, in constant memory, with no temporary archive, and any part of it sent again.

    layout = ZipLayout([Member("whitfield-001.jpg", path, size, crc, mtime), ...])
    layout.size                           # the archive's exact length: Content-Length
    for chunk in layout.read(start, end): # bytes [start, end) of the archive
        ...

Why this is possible: the files are stored (photos do not compress) and each one's CRC-32 is
computed once, when its final is added (kiosk/delivery/finals.py), so every header is known
before the archive starts. A range request resumes a cut download anywhere: only the headers
around it are rebuilt (a few dozen bytes), the files' bytes are read from the files.
ZIP64 records are written for members or offsets past 4 GiB, so a gallery of any size opens.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

CHUNK = 256 * 1024  # small: a chunk freed stays resident (read_file says why)
LIMIT = 0xFFFFFFFF


@dataclass(frozen=True)
class Member:
    name: str  # ASCII, as kiosk/core/finals.clean_names makes them
    path: Path
    size: int
    crc: int
    mtime: float


def _dos_time(mtime: float) -> tuple[int, int]:
    t = datetime.fromtimestamp(mtime)
    year = min(max(t.year, 1980), 2107)
    return (t.hour << 11) | (t.minute << 5) | (t.second // 2), (
        ((year - 1980) << 9) | (t.month << 5) | t.day
    )


def _local_header(m: Member, offset: int) -> bytes:
    name = m.name.encode("ascii")
    time_, date_ = _dos_time(m.mtime)
    big = m.size >= LIMIT
    extra = struct.pack("<HHQQ", 0x0001, 16, m.size, m.size) if big else b""
    size32 = LIMIT if big else m.size
    version = 45 if big else 20
    return (
        struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            version,
            0,
            0,  # stored
            time_,
            date_,
            m.crc,
            size32,
            size32,
            len(name),
            len(extra),
        )
        + name
        + extra
    )


def _central_header(m: Member, offset: int) -> bytes:
    name = m.name.encode("ascii")
    time_, date_ = _dos_time(m.mtime)
    values = []
    size32 = m.size
    if m.size >= LIMIT:
        values += [m.size, m.size]
        size32 = LIMIT
    offset32 = offset
    if offset >= LIMIT:
        values.append(offset)
        offset32 = LIMIT
    extra = struct.pack(f"<HH{len(values)}Q", 0x0001, 8 * len(values), *values) if values else b""
    version = 45 if values else 20
    return (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            version,
            version,
            0,
            0,
            time_,
            date_,
            m.crc,
            size32,
            size32,
            len(name),
            len(extra),
            0,
            0,
            0,
            0o100644 << 16,
            offset32,
        )
        + name
        + extra
    )


def _end_records(count: int, cd_offset: int, cd_size: int) -> bytes:
    out = b""
    if count >= 0xFFFF or cd_offset >= LIMIT or cd_size >= LIMIT:
        zip64_end = cd_offset + cd_size
        out += struct.pack(
            "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, cd_size, cd_offset
        )
        out += struct.pack("<IIQI", 0x07064B50, 0, zip64_end, 1)
    out += struct.pack(
        "<IHHHHIIH",
        0x06054B50,
        0,
        0,
        min(count, 0xFFFF),
        min(count, 0xFFFF),
        min(cd_size, LIMIT),
        min(cd_offset, LIMIT),
        0,
    )
    return out


class ZipLayout:
    """The archive as a list of pieces: header bytes, or a span of a file."""

    def __init__(self, members: Sequence[Member]) -> None:
        self.pieces: list[tuple[int, bytes | Member]] = []  # (offset, piece)
        offset = 0
        central = []
        for m in members:
            header = _local_header(m, offset)
            central.append(_central_header(m, offset))
            self._add(offset, header)
            offset += len(header)
            self._add(offset, m)
            offset += m.size
        directory = b"".join(central)
        tail = directory + _end_records(len(members), offset, len(directory))
        self._add(offset, tail)
        self.size = offset + len(tail)

    def _add(self, offset: int, piece: bytes | Member) -> None:
        self.pieces.append((offset, piece))

    def parts(self, start: int = 0, end: int | None = None) -> Iterator[bytes | Span]:
        """Bytes [start, end) of the archive as header bytes and spans of the files, in order:
        a server may send a span with sendfile(2) (kiosk/web/zerocopy.py)."""
        end = self.size if end is None else end
        for offset, piece in self.pieces:
            length = len(piece) if isinstance(piece, bytes) else piece.size
            low, high = max(start, offset), min(end, offset + length)
            if low >= high:
                continue
            if isinstance(piece, bytes):
                yield piece[low - offset : high - offset]
            else:
                yield Span(piece.path, low - offset, high - offset)

    def read(self, start: int = 0, end: int | None = None) -> Iterator[bytes | memoryview]:
        """Bytes [start, end) of the archive, in chunks of at most CHUNK bytes (a file's chunk
        holds only until the next is asked for: read_file)."""
        return read_parts(self.parts(start, end))


@dataclass(frozen=True)
class Span:
    """Bytes [start, end) of a file."""

    path: Path
    start: int
    end: int


def read_parts(parts: Iterable[bytes | Span]) -> Iterator[bytes | memoryview]:
    """The bytes of header bytes and file spans, each span read a chunk at a time."""
    for part in parts:
        if isinstance(part, bytes):
            yield part
        else:
            yield from read_file(part.path, part.start, part.end)


def read_file(path: Path, start: int, end: int) -> Iterator[memoryview]:
    """Bytes [start, end) of a file, a chunk at a time, each read into the same buffer: a chunk
    holds until the next one is asked for (a sender copies it on; keep one with bytes(chunk)).

    Why one buffer, and small chunks: every chunk the server frees stays resident in a malloc
    arena once glibc has raised its mmap threshold to the chunk's size, so the server's memory
    grows by a few chunks per thread that touched them, whatever the gallery's size.
    bench/delivery_bench.py measured it 6-8 MB larger after its first ZIP with fresh 1 MB
    chunks, 3 MB with 256 kB read into one buffer, at the same throughput within its noise."""
    buffer = bytearray(min(CHUNK, max(end - start, 0)))
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as f:
        f.seek(start)
        left = end - start
        while left > 0:
            n = f.readinto(view[: min(CHUNK, left)])
            if not n:
                raise OSError(f"{path} is shorter than when it was added")
            left -= n
            yield view[:n]
