"""Saving the studio's price list from the tablet, and the versions it replaced.

What must stay true: `pricelist.toml` is only ever replaced by a list that parses, in one
rename (written aside, fsync'd, renamed over: a power cut leaves the old file or the new);
the list it replaces is kept first in `pricelist-versions/` beside it, named by the time it was
replaced, and the newest `KEEP` of those are kept. Restoring a version saves it like an edit,
so the list it replaces becomes a version in turn and nothing is ever lost by a restore.

    saved = save_pricelist(file, text)        # the version made of the old list, or None
    for version in versions(file): version.name, version.replaced, version.size
    restore_version(file, "pricelist-20261204-181133-000001.toml")
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.core.errors import CommandError
from kiosk.core.pricelist import PriceList, parse

KEEP = 20
FOLDER = "pricelist-versions"
NAME = re.compile(r"pricelist-(\d{8}-\d{6}-\d{6})\.toml")
STAMP = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class Version:
    name: str  # the file's name in the versions folder
    replaced: datetime  # when a save put another list in its place
    size: int

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "replaced": f"{self.replaced:%Y-%m-%d %H:%M:%S}",
            "size": self.size,
        }


def versions_folder(file: Path) -> Path:
    return file.parent / FOLDER


def versions(file: Path) -> list[Version]:
    """The kept versions, newest first."""
    folder = versions_folder(file)
    found = []
    for path in folder.glob("pricelist-*.toml") if folder.is_dir() else ():
        match = NAME.fullmatch(path.name)
        if match:
            stamp = datetime.strptime(match.group(1), STAMP)
            found.append(Version(path.name, stamp, path.stat().st_size))
    return sorted(found, key=lambda v: v.name, reverse=True)


def save_pricelist(
    file: Path,
    text: str,
    *,
    now: Callable[[], datetime] = datetime.now,
    keep: int = KEEP,
) -> Version | None:
    """Write `text` (checked: it must parse) as the studio's list; the list it replaces is
    kept as a version first. Nothing is written when the text is the file's already."""
    parse(text, file=str(file))  # a PriceListError leaves every file as it was
    data = text.encode("utf-8")
    before = file.read_bytes() if file.exists() else None
    if before == data:
        return None
    kept = None
    if before is not None:
        folder = versions_folder(file)
        folder.mkdir(exist_ok=True)
        stamp = now()
        path = folder / f"pricelist-{stamp:{STAMP}}.toml"
        while path.exists():  # two saves in one microsecond (a fast test, a clock set back)
            stamp = stamp.replace(microsecond=(stamp.microsecond + 1) % 1_000_000)
            path = folder / f"pricelist-{stamp:{STAMP}}.toml"
        write_atomically(path, before)
        kept = Version(path.name, stamp, len(before))
    write_atomically(file, data)
    for old in versions(file)[keep:]:
        (versions_folder(file) / old.name).unlink(missing_ok=True)
    return kept


def restore_version(
    file: Path, name: str, *, now: Callable[[], datetime] = datetime.now
) -> tuple[str, PriceList]:
    """Bring a kept version back as the studio's list; the one in force becomes a version."""
    if not NAME.fullmatch(name) or not (versions_folder(file) / name).is_file():
        raise CommandError(f'There is no kept version "{name[:60]}"; reload the page.')
    text = (versions_folder(file) / name).read_bytes().decode("utf-8")
    pricelist = parse(text, file=str(file))
    save_pricelist(file, text, now=now)
    return text, pricelist


def write_atomically(path: Path, data: bytes) -> None:
    """Written aside and renamed over, as settings.toml is."""
    aside = path.with_name(path.name + ".new")
    with open(aside, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(aside, path)
