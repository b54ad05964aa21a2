"""The folders the tablet may import from: the drives mounted under /media, /run/media and
/mnt (a USB stick, an SD card), and the studio's `import_roots` setting.

What must stay true: nothing outside these roots is ever listed or imported. The tablet names a
root exactly as it was listed and a path relative to it; `..`, absolute paths, NUL and
backslashes are refused before the disk is touched, and the path is then resolved (symlinks
followed) and must still lie inside the root. A folder that links outside is not listed; a file
that links outside is not imported.

    roots = import_roots(studio.settings.import_roots)    # [Root("/media/ada/CARD", "CARD")...]
    listing = browse(roots, "/media/ada/CARD", "DCIM")    # its folders, with their image counts
    folder, root = inside(roots, "/media/ada/CARD", "DCIM/100CANON")   # or ImportRefused
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from kiosk.core.errors import ImportRefused
from kiosk.imaging.importer import IMAGE_SUFFIXES

MOUNT_BASES = (Path("/media"), Path("/run/media"), Path("/mnt"))
MAX_PATH_CHARS = 1024
MAX_LISTED = 500  # folders listed in one folder; a drive's root with more is not a shoot


@dataclass(frozen=True)
class Root:
    path: str  # as listed, and as the tablet sends it back
    name: str
    kind: str  # "drive" or "folder" (the studio's import_roots)


@dataclass(frozen=True)
class Folder:
    name: str
    path: str  # relative to its root, "/"-separated
    images: int  # pictures directly in it
    folders: int  # folders directly in it


def mounted_drives(
    bases: Iterable[Path] = MOUNT_BASES, is_mount: Callable[[str], bool] = os.path.ismount
) -> list[Path]:
    """Mount points at most two levels under each base (/media/<user>/<drive>, /mnt/<drive>)."""
    found: list[Path] = []
    for base in bases:
        for entry in _subfolders(base):
            if is_mount(str(entry)):
                found.append(entry)
            else:
                found.extend(e for e in _subfolders(entry) if is_mount(str(e)))
    return found


def import_roots(
    studio_roots: Iterable[str] = (),
    bases: Iterable[Path] = MOUNT_BASES,
    is_mount: Callable[[str], bool] = os.path.ismount,
) -> list[Root]:
    """Every root the tablet may browse, drives first; roots that are not folders now are left
    out (a stick pulled out, a share not mounted)."""
    roots = [Root(str(p), p.name, "drive") for p in mounted_drives(bases, is_mount)]
    for folder in studio_roots:
        path = Path(folder).expanduser()
        if path.is_absolute() and path.is_dir() and str(path) not in {r.path for r in roots}:
            roots.append(Root(str(path), path.name or str(path), "folder"))
    return roots


def inside(roots: list[Root], root: str, path: str) -> tuple[Path, Path]:
    """The folder `path` names under `root`, resolved, and the root resolved; ImportRefused when
    the root is not one of `roots`, the path is malformed or leads outside, or it is no folder."""
    chosen = next((r for r in roots if r.path == root), None)
    if chosen is None:
        raise ImportRefused(
            "That drive or folder is not one Reveal may import from (was the card taken out?). "
            "Choose one from the list."
        )
    parts = relative_parts(path)
    base = Path(chosen.path).resolve()
    try:
        folder = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing, or a symlink loop
        raise ImportRefused(
            f"There is no folder {'/'.join(parts) or '/'} on {chosen.name} any more; choose "
            "another."
        ) from exc
    if not folder.is_relative_to(base):
        raise ImportRefused(
            f"{'/'.join(parts)} leads outside {chosen.name}: Reveal imports only from the "
            "drives and folders it lists."
        )
    if not folder.is_dir():
        raise ImportRefused(f"{'/'.join(parts)} is a file, not a folder; choose its folder.")
    return folder, base


def relative_parts(path: str) -> list[str]:
    """`path`'s parts, for a path relative to a root; ImportRefused for anything else."""
    if len(path) > MAX_PATH_CHARS or "\x00" in path or "\\" in path:
        raise ImportRefused("That folder's name cannot be used; choose it from the list.")
    pure = PurePosixPath(path)
    if pure.is_absolute() or path.startswith("~"):
        raise ImportRefused(
            "Give a folder inside one of the listed drives, not a path from the disk's root."
        )
    parts = [p for p in pure.parts if p != "."]
    if ".." in parts:
        raise ImportRefused("'..' is not allowed: choose the folder from the list.")
    return parts


def browse(roots: list[Root], root: str, path: str = "") -> dict:
    """What the tablet shows of one folder: its subfolders (with their image counts), how many
    pictures it holds directly, and its parent ("" at the root, None above it)."""
    folder, base = inside(roots, root, path)
    relative = folder.relative_to(base).as_posix()
    here = "" if relative == "." else relative
    folders: list[Folder] = []
    for entry in _subfolders(folder)[:MAX_LISTED]:
        try:
            real = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if not real.is_relative_to(base):
            continue  # a link leading out of the root is not offered
        images, subfolders = _counts(real)
        named = f"{here}/{entry.name}" if here else entry.name
        folders.append(Folder(entry.name, named, images, subfolders))
    return {
        "root": root,
        "path": here,
        "parent": None if not here else (str(PurePosixPath(here).parent).lstrip(".")),
        "images": _counts(folder)[0],
        "folders": [asdict(f) for f in folders],
    }


def files_inside(files: list[Path], base: Path) -> tuple[list[Path], list[Path]]:
    """`files` split into those that really lie under `base` and those that link outside."""
    kept: list[Path] = []
    outside: list[Path] = []
    for file in files:
        try:
            real = file.resolve(strict=True)
        except (OSError, RuntimeError):
            kept.append(file)  # the importer names why it cannot be read
            continue
        (kept if real.is_relative_to(base) else outside).append(file)
    return kept, outside


def _subfolders(folder: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name.lower())
    except OSError:
        return []
    found = []
    for entry in entries:
        try:
            if not entry.name.startswith(".") and entry.is_dir():
                found.append(Path(entry.path))
        except OSError:
            continue
    return found


def _counts(folder: Path) -> tuple[int, int]:
    images = folders = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_dir():
                        folders += 1
                    elif Path(entry.name).suffix.lower() in IMAGE_SUFFIXES:
                        images += 1
                except OSError:
                    continue
    except OSError:
        pass
    return images, folders
