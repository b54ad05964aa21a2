"""Importing a session folder into a studio.

The parent process finds the files, reads and hashes each one (a reader thread, so reading the
card overlaps with decoding), skips what the session already has, and hands the rest to a *spawn*
process pool running `make_previews`. Each finished image is recorded in the store at once, from
the parent, so a killed import resumes where it stopped: the next run finds those hashes done.
Bad files never stop the import; each gets one reason in the summary.

    >>> from kiosk.studio import open_studio
    >>> studio = open_studio(data_dir)
    >>> summary = import_folder(studio, "/media/card/DCIM", "Ada Lovelace", "ada@example.com")
    >>> len(summary.imported), summary.skipped
    (212, [('IMG_0413.JPG', 'The file is cut short (truncated), ...')])
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from kiosk.core.errors import ImageRejected, ImportFolderError
from kiosk.core.models import Session
from kiosk.imaging.previews import (
    PreviewResult,
    cache_paths,
    init_worker,
    make_previews,
    temp_folder,
    warm_up,
)
from kiosk.studio import Studio

# Names a photographer's images go by, per content format; a file named otherwise is still
# imported when its content is one of these (a PNG called .jpg, a JPEG without an extension).
SUFFIXES = {
    "JPEG": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "PNG": {".png"},
    "TIFF": {".tif", ".tiff"},
    "WebP": {".webp"},
    "HEIC": {".heic", ".heif", ".hif"},
    "AVIF": {".avif"},
}
IMAGE_SUFFIXES = set().union(*SUFFIXES.values())
# Many RAW formats are TIFF inside: they would "import" as their tiny embedded preview.
RAW_SUFFIXES = {
    ".3fr", ".arw", ".cr2", ".cr3", ".crw", ".dcr", ".dng", ".erf", ".iiq", ".kdc", ".mef",
    ".mos", ".mrw", ".nef", ".nrw", ".orf", ".pef", ".raf", ".raw", ".rw2", ".rwl", ".sr2",
    ".srf", ".srw", ".x3f",
}  # fmt: skip
# Pictures in formats Reveal does not import, recognised so the reason can name them.
OTHER_FORMATS = {b"GIF87a": "GIF", b"GIF89a": "GIF", b"8BPS": "Photoshop (PSD)"}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
_RECOPY = "copy it again from the camera card."


@dataclass
class ImportSummary:
    """What one import did, file by file (names relative to the imported folder)."""

    session: Session
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # already in the session, same content
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # imported, worth knowing
    ignored: list[str] = field(default_factory=list)  # neither named nor made like a picture
    seconds: float = 0.0


@dataclass(frozen=True)
class _Read:
    """What reading one file in the parent found."""

    path: Path
    name: str
    content_hash: str = ""
    format: str = ""
    reason: str = ""  # set when the file is skipped
    note: str = ""
    ignore: bool = False


def import_folder(
    studio: Studio,
    folder: Path | str,
    client: str,
    email: str = "",
    *,
    progress: bool = True,
    workers: int | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> ImportSummary:
    """Import every picture under `folder` into the client's session (reused if one exists).

    Raises ImportFolderError when the folder itself cannot be used; a bad file only lands in
    `summary.skipped` with its reason. `workers` defaults to the usable cores; pass a warmed
    `pool` from `start_pool` to reuse one across imports (it is left running).
    """
    started = time.perf_counter()
    folder = _usable_folder(folder)
    session = studio.store.find_session(client) or studio.store.create_session(client, email)
    run = _Run(studio, ImportSummary(session))
    files, unreadable = find_files(folder)
    run.summary.skipped.extend(unreadable)
    _remove_stale_temp_files(studio.paths.cache)
    with (
        _progress_bar(progress, len(files)) as bar,
        _Workers(pool, workers, studio.settings.max_pixels) as workers_,
        _reader() as reader,
    ):
        # Only a few jobs wait in the pool at a time: if a worker dies, every job queued in the
        # pool fails with it and has to be retried alone. Reading stays a little ahead of the
        # workers, so the file is still in the page cache when a worker decodes it.
        capacity = 2 * (workers or _pool_size(pool) or usable_cores())
        unread = iter(files)
        # Reads finish in file order (one reader thread) and are taken in that order, so which
        # of two identical files counts as the duplicate does not depend on timing.
        reads: deque[Future] = deque()
        ready: deque[_Read] = deque()
        jobs: dict[Future, _Read] = {}
        suspects: list[_Read] = []  # in the pool when a worker process died

        def read_ahead() -> None:
            while len(reads) + len(ready) < 2 * capacity and (path := next(unread, None)):
                reads.append(reader.submit(_read, path, folder))

        while True:
            read_ahead()
            if not (reads or ready or jobs):
                break
            while reads and reads[0].done():
                read = reads.popleft().result()
                if run.needs_previews(read):
                    ready.append(read)
                else:
                    bar.advance(read.name)
            while ready and len(jobs) < capacity:
                read = ready.popleft()
                jobs[workers_.submit(*run.job(read))] = read
            for future in [f for f in jobs if f.done()]:
                read = jobs.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    suspects.append(read)
                else:
                    run.settle(read, future)
                    bar.advance(read.name)
            read_ahead()
            waiting = [*jobs, reads[0]] if reads else list(jobs)
            if waiting and not (ready and len(jobs) < capacity):
                wait(waiting, return_when=FIRST_COMPLETED)
        # A file that kills its worker (a decoder crash, the OOM killer) takes the jobs queued
        # with it: run those again one at a time in one process, so a crash names its file.
        if suspects:
            with _Workers(None, 1, studio.settings.max_pixels) as alone:
                for read in suspects:
                    future = alone.one_at_a_time(run.job(read))
                    if isinstance(future.exception(), BrokenProcessPool):
                        run.summary.skipped.append((read.name, _crashed()))
                    else:
                        run.settle(read, future)
                    bar.advance(read.name)
    summary = run.summary
    for names in (summary.imported, summary.unchanged, summary.ignored):
        names.sort()
    summary.skipped.sort()
    summary.notes.sort()
    summary.seconds = time.perf_counter() - started
    return summary


class _Run:
    """One import's bookkeeping; every store write happens here, in the parent process."""

    def __init__(self, studio: Studio, summary: ImportSummary) -> None:
        self.store, self.settings, self.cache = studio.store, studio.settings, studio.paths.cache
        self.summary = summary
        self.done_before = {i.content_hash: i for i in self.store.images(summary.session.id)}
        self.seen: dict[str, str] = {}  # content hash -> first file name in this run

    def needs_previews(self, read: _Read) -> bool:
        """Sort a file that was read: skipped, ignored, unchanged, or (True) to be decoded."""
        if read.ignore:
            self.summary.ignored.append(read.name)
        elif read.reason:
            self.summary.skipped.append((read.name, read.reason))
        elif read.content_hash in self.seen:
            self.summary.skipped.append((read.name, _duplicate(self.seen[read.content_hash])))
        else:
            self.seen[read.content_hash] = read.name
            if not self._cached(read.content_hash):
                return True
            self.summary.unchanged.append(read.name)
        return False

    def job(self, read: _Read) -> tuple:
        s = self.settings
        args = (read.path, self.cache, read.content_hash, s.preview_edge, s.thumb_edge)
        return (make_previews, *args, s.max_pixels)

    def settle(self, read: _Read, future: Future) -> None:
        """Record a finished image at once, or the reason it was refused."""
        try:
            result: PreviewResult = future.result()
        except ImageRejected as exc:
            self.summary.skipped.append((read.name, str(exc)))
            return
        except Exception as exc:  # one file must never stop the import
            self.summary.skipped.append((read.name, _unexpected(exc)))
            return
        self.store.add_image(
            self.summary.session.id,
            file_name=read.name,
            source_path=str(read.path),
            content_hash=read.content_hash,
            width=result.width,
            height=result.height,
            capture_time=result.capture_time,
            preview_path=result.preview_path,
            thumb_path=result.thumb_path,
        )
        self.summary.imported.append(read.name)
        if read.note:
            self.summary.notes.append((read.name, read.note))

    def _cached(self, content_hash: str) -> bool:
        """Already in the session, with both cache files where the current settings put them."""
        earlier = self.done_before.get(content_hash)
        if earlier is None:
            return False
        edges = (self.settings.preview_edge, self.settings.thumb_edge)
        preview, thumb = cache_paths(self.cache, content_hash, *edges)
        return (
            Path(earlier.preview_path) == preview
            and Path(earlier.thumb_path) == thumb
            and preview.is_file()
            and thumb.is_file()
        )


def start_pool(workers: int | None = None, max_pixels: int = 250_000_000) -> ProcessPoolExecutor:
    """A process pool for `make_previews`, its processes started and imported before it returns.

    Spawn, not fork: libvips in a forked child deadlocks once the parent has used it.
    """
    count = workers or usable_cores()
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        initargs=(max_pixels,),
    )
    for future in [pool.submit(warm_up) for _ in range(count)]:
        future.result()
    return pool


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may use, not what the host has
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def find_files(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every non-hidden file under `folder`, sorted; and subfolders that could not be read."""
    files: list[Path] = []
    unreadable: list[tuple[str, str]] = []

    def note_error(error: OSError) -> None:
        name = Path(error.filename).relative_to(folder).as_posix() + "/"
        unreadable.append((name, f"Reveal cannot read this folder ({error.strerror}): {_PERMS}"))

    for root, dirs, names in os.walk(folder, onerror=note_error):
        # Hidden: macOS "._IMG_0001.JPG" companions, .Trashes, .thumbnails ...
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(root) / n for n in sorted(names) if not n.startswith("."))
    return files, unreadable


def sniff(head: bytes) -> str:
    """The picture format the first bytes of a file announce, or "" when they name none."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp":
        box = int.from_bytes(head[:4], "big")
        brands = {head[i : i + 4] for i in range(8, min(box, len(head)), 4)}
        if brands & _AVIF_BRANDS and head[8:12] in _AVIF_BRANDS:
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIC"
        if brands & _AVIF_BRANDS:
            return "AVIF"
    return ""


# reading in the parent ------------------------------------------------------------------------
_PERMS = "check its permissions, or copy the files to this computer first."


def _read(path: Path, folder: Path) -> _Read:
    name = path.relative_to(folder).as_posix()
    suffix = path.suffix.lower()
    if suffix in RAW_SUFFIXES:
        return _Read(path, name, reason=_raw(suffix))
    try:
        with open(path, "rb") as file:
            head = file.read(64)
            content = sniff(head)
            if not content:
                other = next((k for m, k in OTHER_FORMATS.items() if head.startswith(m)), "")
                if other:
                    return _Read(path, name, reason=_unsupported(other))
                if suffix not in IMAGE_SUFFIXES:
                    return _Read(path, name, ignore=True)
                if not head:
                    return _Read(path, name, reason=f"The file is empty (0 bytes): {_RECOPY}")
                return _Read(path, name, reason=_not_a_picture(suffix))
            file.seek(0)
            content_hash = hashlib.file_digest(file, "sha256").hexdigest()
    except PermissionError:
        return _Read(path, name, reason=f"Reveal is not allowed to read this file: {_PERMS}")
    except OSError as exc:
        return _Read(path, name, reason=f"The file cannot be read ({exc.strerror}): {_RECOPY}")
    note = ""
    if suffix not in SUFFIXES[content]:
        called = f"named '{path.suffix}'" if path.suffix else "without an extension"
        note = f"This is a {content} picture {called}; it was imported by its content."
    return _Read(path, name, content_hash, content, note=note)


@contextmanager
def _reader() -> Iterator[ThreadPoolExecutor]:
    # One thread: a card reads fastest sequentially, and hashlib releases the GIL.
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reveal-import-read")
    try:
        yield reader
    finally:
        reader.shutdown(wait=True, cancel_futures=True)  # on Ctrl-C, don't read the rest


def _usable_folder(folder: Path | str) -> Path:
    path = Path(folder).expanduser().absolute()
    if not path.exists():
        raise ImportFolderError(
            f"The folder {path} does not exist. Check the path, and that the memory card or "
            "drive is connected."
        )
    if not path.is_dir():
        raise ImportFolderError(
            f"{path} is a file, not a folder. Give the folder that holds the session's images."
        )
    try:
        os.listdir(path)
    except OSError as exc:
        raise ImportFolderError(
            f"Reveal cannot read the folder {path} ({exc.strerror}): {_PERMS}"
        ) from exc
    return path


def _remove_stale_temp_files(cache: Path) -> None:
    """Temporary files left by a killed import; those of a running one (its pid) stay."""
    folder = temp_folder(cache)
    if not folder.is_dir():
        return
    for tmp in folder.iterdir():
        pid = tmp.name.rsplit(".", 2)[-2] if tmp.name.count(".") >= 2 else ""
        if pid.isdigit() and _alive(int(pid)):
            continue
        tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    # A killed import's workers, orphaned, stay zombies until something reaps them (in a
    # container PID 1 may never do it): a zombie answers kill(0) but writes nothing more.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


# the process pool -----------------------------------------------------------------------------
class _Workers:
    """The pool `import_folder` uses: started on first need (a re-run of an unchanged folder
    starts none), replaced if a worker dies, shut down at the end unless the caller owns it."""

    def __init__(self, pool: ProcessPoolExecutor | None, workers: int | None, max_pixels: int):
        self.pool, self.owned = pool, pool is None
        self.workers, self.max_pixels = workers, max_pixels
        self.broken = False

    def submit(self, *call) -> Future:
        if self.pool is None:
            self.pool = self._new()
        try:
            return self.pool.submit(*call)
        except BrokenProcessPool:
            self._close()
            self.pool, self.owned = self._new(), True
            return self.pool.submit(*call)

    def one_at_a_time(self, call: tuple) -> Future:
        """Run one call with nothing else in the pool, so a crash can be pinned on it."""
        if self.pool is None or self.broken:
            self._close()
            self.pool, self.owned, self.broken = self._new(), True, False
            try:
                self.pool.submit(warm_up).result()
            except BrokenProcessPool as exc:
                # Not a file's fault: no worker starts at all (e.g. a script that spawns
                # workers without an `if __name__ == "__main__":` guard).
                raise ImportFolderError(
                    "Reveal could not start its image worker processes, so nothing more can "
                    "be imported; run the import again, and report it if it keeps happening."
                ) from exc
        future = self.pool.submit(*call)
        wait([future])
        self.broken = isinstance(future.exception(), BrokenProcessPool)
        return future

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers or usable_cores(),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(self.max_pixels,),
        )

    def _close(self) -> None:
        if self.pool is not None and self.owned:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()


def _pool_size(pool: ProcessPoolExecutor | None) -> int:
    return getattr(pool, "_max_workers", 0) if pool is not None else 0


# progress -------------------------------------------------------------------------------------
class _Bar:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.task = progress.add_task("Importing", total=total) if progress else None

    def advance(self, name: str) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=_short(name))


@contextmanager
def _progress_bar(show: bool, total: int) -> Iterator[_Bar]:
    if not show:
        yield _Bar(None, total)
        return
    columns = (
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        yield _Bar(progress, total)


def _short(name: str, width: int = 28) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]


# reasons --------------------------------------------------------------------------------------
def _raw(suffix: str) -> str:
    return (
        f"This is a camera RAW file ({suffix.lstrip('.').upper()}): export it as JPEG or TIFF "
        "from your editor, then import that."
    )


def _not_a_picture(suffix: str) -> str:
    return (
        f"This file is not a picture, although its name ends in '{suffix}': it may be damaged "
        f"or renamed; {_RECOPY}"
    )


def _unsupported(kind: str) -> str:
    return (
        f"This is a {kind} file, which Reveal does not import: save it as JPEG, PNG or TIFF, "
        "then import that."
    )


def _duplicate(first: str) -> str:
    return f"This is the same picture as {first} (identical content), so it was imported once."


def _crashed() -> str:
    return (
        "Reveal's image decoder crashed on this file, so it is probably damaged: open it in "
        "your editor and save it again as JPEG."
    )


def _unexpected(exc: BaseException) -> str:
    return (
        f"Reveal could not make a preview of this file ({type(exc).__name__}: {exc}); please "
        "report this with the file."
    )
