"""A browser's photos put back together on the kiosk, chunk by chunk, resumably.

What must stay true: a file is imported only once every byte has arrived and the whole file's
SHA-256 is the one the browser computed before sending it; until then it is a `.part` file
that nothing serves or imports. A file is known by its name, size and hash, so an interrupted
upload (a closed laptop, a lost Wi-Fi, a restarted kiosk) continues where it stopped: the
kiosk answers which byte ranges it has, the browser sends the rest. Originals are kept in
`<studio>/originals/session-N/`, never served back.

    uploads = Uploads(studio.paths.originals)
    upload = uploads.start(3, "Shoot/IMG_0001.JPG", size, sha256)     # checks, ranges it has
    upload = uploads.write(upload.id, 0, first_4_mb)                   # on an I/O thread
    if upload.whole:
        path = uploads.finish(upload.id)    # hash checked, moved to originals/session-3/Shoot/

`start` and `write` raise ImportRefused (422) with a sentence for the photographer: a file or
session too large, a disk too full, a chunk outside the file, a hash that does not match.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.core import byteranges
from kiosk.core.byteranges import Ranges
from kiosk.core.errors import ImportRefused

CHUNK = 4 * 1024 * 1024  # what the browser sends at once
MAX_FILE_BYTES = 400 * 1024 * 1024  # a 100 MP 16-bit TIFF is 600 MB: export it as JPEG
MAX_SESSION_BYTES = 40 * 1024**3  # about 2,000 camera JPEGs
KEEP_FREE_BYTES = 2 * 1024**3  # the kiosk's disk keeps this much for its own work
MAX_NAME_CHARS = 255
MAX_DEPTH = 8
PARTIAL = ".partial"  # hidden: find_files passes it by
_ID = re.compile(r"^[0-9a-f]{32}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Upload:
    id: str
    session_id: int
    name: str  # relative path under the session's originals, "/"-separated
    size: int
    sha256: str
    have: Ranges = ()
    stored: str = ""  # once finished: the name it was kept under (a clash adds " (2)")

    @property
    def whole(self) -> bool:
        return byteranges.covers(self.have, self.size)

    def answer(self) -> dict:
        return {
            "upload": self.id,
            "name": self.name,
            "have": [list(r) for r in self.have],
            "received": byteranges.total(self.have),
            "whole": self.whole,
            "stored": self.stored,
        }


@dataclass
class Uploads:
    originals: Path  # <studio>/originals; <studio>/finals-uploads for an order's finals
    prefix: str = "session"  # each session's folder is session-N; an order's is order-N
    max_file: int = MAX_FILE_BYTES
    max_session: int = MAX_SESSION_BYTES
    keep_free: int = KEEP_FREE_BYTES
    _open: dict[str, Upload] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def folder(self, session_id: int) -> Path:
        return self.originals / f"{self.prefix}-{session_id}"

    def start(self, session_id: int, name: str, size: int, sha256: str) -> Upload:
        """The upload of this file to this session: a new one, or the one under way with the
        ranges already received. Refused when the file or the session would be too large."""
        parts = upload_name(name)
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ImportRefused("The file is empty: copy it again from the camera card.")
        if size > self.max_file:
            raise ImportRefused(
                f"{parts[-1]} is {size / 1e6:.0f} MB, more than the {self.max_file / 1e6:.0f} MB "
                "a photo may be: export it as a JPEG and upload that."
            )
        if not isinstance(sha256, str) or not _SHA256.match(sha256):
            raise ImportRefused("The file's SHA-256 should be 64 lowercase hex digits.")
        name = "/".join(parts)
        key = f"{session_id}\0{name}\0{size}\0{sha256}".encode()
        upload_id = hashlib.sha256(key).hexdigest()[:32]
        with self._lock:
            known = self._open.get(upload_id) or self._read_record(session_id, upload_id)
            if known is not None:
                self._open[upload_id] = known
                return known
            self._check_room(session_id, size)
            upload = Upload(upload_id, session_id, name, size, sha256)
            self._open[upload_id] = upload
        self._save_record(upload)
        return upload

    def get(self, session_id: int, upload_id: str) -> Upload:
        if not _ID.match(upload_id):
            raise ImportRefused("That upload's number is not one the kiosk gave.")
        with self._lock:
            upload = self._open.get(upload_id) or self._read_record(session_id, upload_id)
        if upload is None or upload.session_id != session_id:
            raise ImportRefused("The kiosk knows no such upload; start the file again.")
        return upload

    def write(self, session_id: int, upload_id: str, offset: int, data: bytes) -> Upload:
        """Write one chunk where it belongs (call it off the loop's thread)."""
        upload = self.get(session_id, upload_id)
        if upload.stored:
            return upload
        if not data or len(data) > CHUNK or offset < 0 or offset + len(data) > upload.size:
            raise ImportRefused(
                f"That chunk ({len(data)} bytes at {offset}) does not fit in the file's "
                f"{upload.size} bytes (at most {CHUNK} bytes at once)."
            )
        part = self._partial(session_id) / f"{upload_id}.part"
        fd = os.open(part, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, data, offset)
        finally:
            os.close(fd)
        with self._lock:
            current = self._open.get(upload_id, upload)
            upload = replace(current, have=byteranges.add(current.have, offset, offset + len(data)))
            self._open[upload_id] = upload
        self._save_record(upload)
        return upload

    def finish(self, session_id: int, upload_id: str) -> tuple[Upload, Path]:
        """Check the whole file's hash and keep it among the session's originals (off the loop's
        thread). A file whose hash differs is dropped, to be sent again from the start."""
        upload = self.get(session_id, upload_id)
        if upload.stored:
            return upload, self.folder(session_id) / upload.stored
        if not upload.whole:
            raise ImportRefused("The file has not arrived whole yet; send the rest first.")
        partial = self._partial(session_id)
        part = partial / f"{upload_id}.part"
        with open(part, "rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
        if digest != upload.sha256 or part.stat().st_size != upload.size:
            self.forget(session_id, upload_id)
            raise ImportRefused(
                f"{upload.name} arrived different from the file on your computer (its "
                "checksum does not match); it was dropped: send it again."
            )
        target = self._free_name(self.folder(session_id), upload.name, upload.sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(part, "rb") as file:
                os.fsync(file.fileno())
            os.replace(part, target)
        stored = target.relative_to(self.folder(session_id)).as_posix()
        upload = replace(upload, stored=stored)
        with self._lock:
            self._open[upload_id] = upload
        part.unlink(missing_ok=True)
        (partial / f"{upload_id}.json").unlink(missing_ok=True)
        return upload, target

    def forget(self, session_id: int, upload_id: str) -> None:
        partial = self._partial(session_id)
        with self._lock:
            self._open.pop(upload_id, None)
        for suffix in (".part", ".json"):
            (partial / f"{upload_id}{suffix}").unlink(missing_ok=True)

    # ---------------------------------------------------------------------------------
    def _partial(self, session_id: int) -> Path:
        folder = self.folder(session_id) / PARTIAL
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _record(self, session_id: int, upload_id: str) -> Path:
        return self._partial(session_id) / f"{upload_id}.json"

    def _save_record(self, upload: Upload) -> None:
        record = self._record(upload.session_id, upload.id)
        fresh = record.with_suffix(".new")
        data = {k: v for k, v in upload.__dict__.items() if k != "stored"}
        fresh.write_text(json.dumps({**data, "have": [list(r) for r in upload.have]}))
        os.replace(fresh, record)

    def _read_record(self, session_id: int, upload_id: str) -> Upload | None:
        """An upload a restarted kiosk had under way: its ranges, where its part file is as
        long as they say (a part file lost with the record's promises starts again)."""
        record = self._record(session_id, upload_id)
        part = record.with_suffix(".part")
        try:
            data = json.loads(record.read_text())
            have = tuple((int(a), int(b)) for a, b in data["have"])
            upload = Upload(upload_id, session_id, data["name"], data["size"], data["sha256"], have)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        length = part.stat().st_size if part.exists() else 0
        if have and have[-1][1] > length:
            upload = replace(upload, have=())
        return upload

    def _check_room(self, session_id: int, size: int) -> None:
        used = _bytes_under(self.folder(session_id))
        if used + size > self.max_session:
            raise ImportRefused(
                f"This session already holds {used / 1e9:.1f} GB of photos; at most "
                f"{self.max_session / 1e9:.0f} GB may be uploaded to one session. Make a new "
                "session for the rest."
            )
        self.originals.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(self.originals).free
        if free - size < self.keep_free:
            raise ImportRefused(
                f"The kiosk's disk has {free / 1e9:.1f} GB free, too little for this file and "
                "the work the kiosk does: free some space (old sessions' originals) first."
            )

    def _free_name(self, folder: Path, name: str, sha256: str) -> Path:
        """Where to keep `name`: its own name, or the same file already kept there, or
        "name (2).jpg" when another picture has that name."""
        target = folder / name
        stem, suffix = target.stem, target.suffix
        for n in range(2, 10_000):
            if not target.exists() or _same(target, sha256):
                return target
            target = target.with_name(f"{stem} ({n}){suffix}")
        raise ImportRefused(f"Too many files are called {name} in this session.")


def upload_name(name: object) -> list[str]:
    """The parts of a name the browser sent (a file's name, or its path in a dropped folder);
    ImportRefused for a name that could leave the session's folder or is not a file's name."""
    if not isinstance(name, str) or not name or len(name) > 1024 or "\x00" in name:
        raise ImportRefused("Each file needs its name (at most 1024 characters).")
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or len(parts) > MAX_DEPTH:
        raise ImportRefused(f"'{name[:80]}' is not a file's name (at most {MAX_DEPTH} folders).")
    for part in parts:
        if part == ".." or part.startswith(".") or len(part.encode()) > MAX_NAME_CHARS:
            raise ImportRefused(
                f"'{name[:80]}' cannot be kept under that name: no '..', hidden files or "
                "names longer than 255 bytes."
            )
        if any(ord(c) < 32 or c == "\x7f" for c in part):
            raise ImportRefused(f"'{name[:80]}' has control characters in its name.")
    return parts


def _same(path: Path, sha256: str) -> bool:
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest() == sha256
    except OSError:
        return False


def _bytes_under(folder: Path) -> int:
    total = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total
