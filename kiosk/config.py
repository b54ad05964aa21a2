"""Where a studio lives on disk and the settings a photographer may change.

A studio is one folder: `studio.db`, `settings.toml` (hand-editable, written with its defaults on
first start), `pricelist.toml` and `cache/` for previews and thumbnails. `main.py where` prints
it.

Who the studio is (its name, address, e-mail...) is not here: it is kept with the invoice
settings in the database (kiosk.checkout.settings) and entered on the tablet.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomlkit
from tomlkit.exceptions import TOMLKitError

from kiosk.core.errors import StudioError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS = PROJECT_ROOT / "assets"
LAYOUTS = PROJECT_ROOT / "layouts"
SETTINGS_FILE = "settings.toml"


@dataclass(frozen=True)
class Settings:
    preview_edge: int = 3840  # long edge of the display preview, px (a 4K TV)
    thumb_edge: int = 480
    max_pixels: int = 250_000_000  # larger images are refused as decompression bombs
    slideshow_seconds: float = 6.0  # how long each image stays in the slideshow
    crossfade_seconds: float = 1.2
    web_host: str = "0.0.0.0"  # the remote and phone pages listen on every studio network
    web_port: int = 8470
    pin: str = ""  # the photographer's PIN for quitting and pairing; empty: no PIN asked
    screen_diagonal_in: float = 0.0  # the TV's picture diagonal, inches; 0: not entered
    screen_ppi: float = 0.0  # the TV's pixels per inch measured with a ruler; 0: not measured
    public_url: str = ""  # another address the pages are reached at (a proxy); empty: none
    paper: str = ""  # "letter" or "a4" for invoices; empty: from the price list's units
    backup_folder: str = ""  # where the daily backups go; empty: backups/ in the studio folder
    start_screen: str = "welcome"  # what the TV shows at a start: "welcome" or "last_session"
    portfolio_folder: str = ""  # photos for the welcome screen's quiet slideshow; empty: none
    import_roots: tuple[str, ...] = ()  # folders the tablet may import from, besides the drives
    slideshow_music: str = ""  # a music file or folder played with the slideshow; empty: none
    cache_max_gb: float = 0.0  # the previews' cache budget; 0: 20% of the free space at first start
    lab_min_ppi: int = 150  # below it a print's crop is called soft on the TV
    lab_ppi: int = 300  # the lab's ideal: at or above it a print is not remarked on
    lab_jpeg_quality: int = 95  # the JPEG quality of production files, 70 to 100


_HELP = {
    "preview_edge": "long edge of display previews in pixels (3840 for a 4K TV, 1920 for 1080p)",
    "thumb_edge": "long edge of thumbnails in pixels",
    "max_pixels": "images with more pixels than this are refused (decompression-bomb guard)",
    "slideshow_seconds": "seconds each image stays on screen in the slideshow",
    "crossfade_seconds": "length of the cross-fade between slideshow images",
    "web_host": "address the tablet remote and phone pages listen on (0.0.0.0: every network)",
    "web_port": "port of the tablet remote and phone pages",
    "pin": "photographer's PIN, 4 to 8 digits, asked before quitting, pairing a tablet or "
    "measuring the TV; empty: no PIN (a long press in the top-right corner asks before quitting)",
    "screen_diagonal_in": "the TV's diagonal in inches (e.g. 65), so prints show at actual size; "
    "0: not set",
    "screen_ppi": "pixels per inch measured with a ruler on the Actual size screen (wins over "
    "the diagonal); 0: not measured",
    "public_url": "another address tablets and phones reach the kiosk at, e.g. "
    "https://viewing.studio.example (the pages answer only to the kiosk's own addresses and "
    "this one), and the address every link and QR code a client takes home uses; empty: "
    "none (e-mails carry the PDF and say the page opens on the studio's Wi-Fi)",
    "paper": 'paper of invoices and other printouts, "letter" or "a4"; empty: from the price '
    "list's units (inches: letter, centimetres: a4)",
    "backup_folder": "folder the daily backups go to, best on another disk or a network share "
    "(e.g. /mnt/nas/reveal); empty: backups/ inside the studio folder, on the same disk",
    "start_screen": 'what the TV shows when the kiosk starts: "welcome" (the studio\'s welcome '
    "screen until the photographer shows a session, unless a session was shown earlier today) "
    'or "last_session" (the newest session, where it was left)',
    "portfolio_folder": "a folder of the studio's own photos, shown as a quiet slideshow on the "
    "welcome screen (a relative path is inside the studio folder); empty: the studio's name alone",
    "import_roots": 'folders the tablet may browse and import photos from, e.g. ["/srv/shoots"], '
    "besides the drives mounted under /media, /run/media and /mnt; nothing outside is reachable",
    "slideshow_music": "a music file, or a folder of them (MP3, OGG or WAV), played while the "
    "slideshow runs, faded in and out with it (a relative path is inside the studio folder); "
    "volume and mute on the remote; empty: no music",
    "cache_max_gb": "gigabytes the previews and thumbnails may take; the least recently shown "
    "sessions' previews are removed first and rebuilt from the originals when opened again; "
    "0: 20% of the disk's free space at the first start",
    "lab_min_ppi": "pixels per inch below which the TV tells the client a print's crop will be "
    "soft up close, and marks the sizes too large for it",
    "lab_ppi": "the lab's ideal pixels per inch: production files are made at it, and a crop "
    "that reaches it prints without a remark",
    "lab_jpeg_quality": "JPEG quality of the production files sent to the lab, 70 to 100 (95: "
    "no visible loss; 100 only makes the files larger)",
}
PAPERS = ("letter", "a4")
START_SCREENS = ("welcome", "last_session")
PIN_RULE = "4 to 8 digits (0-9), or empty for no PIN"
# Keys older versions wrote that are no longer settings: read past, never refused. The studio's
# name moved to the studio's details (see the module docstring).
_RETIRED = frozenset({"studio_name"})
# Settings where 0 means "not set" rather than a mistake.
_MAY_BE_ZERO = frozenset({"screen_diagonal_in", "screen_ppi", "cache_max_gb"})


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("reveal", appauthor=False))


@dataclass(frozen=True)
class StudioPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "studio.db"

    @property
    def settings(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def mockups(self, session_id: int) -> Path:
        """Where a session's exported wall-art mock-ups go (the e-mail and the order export
        take every JPEG in it)."""
        return self.root / "mockups" / f"session-{session_id}"

    def named(self, setting: str) -> str:
        """The path a setting names, as the kiosk opens it: `~` is the user's home and a
        relative path is inside the studio folder, wherever the kiosk was started from;
        "" stays "" (not set)."""
        if not setting:
            return ""
        path = Path(setting).expanduser()
        return str(path if path.is_absolute() else self.root / path)

    @property
    def originals(self) -> Path:
        """Where photos uploaded from the tablet are kept, a folder a session
        (kiosk/imports/uploads.py): a drive's photos stay where they are."""
        return self.root / "originals"

    def ensure(self) -> StudioPaths:
        """Make the folder; a new one is private (0700) and so is its database (0600): they
        hold the clients' details."""
        try:
            if not self.root.exists():
                self.root.mkdir(mode=0o700, parents=True)
            self.cache.mkdir(parents=True, exist_ok=True)
            if not self.database.exists():  # SQLite gives its WAL files the same mode
                os.close(os.open(self.database, os.O_WRONLY | os.O_CREAT, 0o600))
        except OSError as exc:
            raise StudioError(
                f"Cannot create the studio folder {self.root} ({exc.strerror}). "
                "Choose a writable folder with --data."
            ) from exc
        return self


def load_settings(paths: StudioPaths) -> Settings:
    """Read settings.toml, writing a commented default file the first time."""
    if not paths.settings.exists():
        write_default_settings(paths.settings)
    try:
        data = tomllib.loads(paths.settings.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StudioError(
            f"{paths.settings}: {exc}. Fix the file or delete it to restore defaults."
        ) from exc
    return check_settings(data, paths.settings)


def check_settings(data: dict[str, Any], where: Path | str) -> Settings:
    """The settings `data` holds, or StudioError naming the first wrong one: the one check of
    the file read at start and of every change the tablet saves."""
    known = {f.name: f for f in fields(Settings)}
    values = {}
    for key, value in data.items():
        if key in _RETIRED:
            continue
        if key not in known:
            raise StudioError(
                f"{where}: unknown setting '{key}'. Known: {', '.join(sorted(known))}."
            )
        if key == "import_roots":
            values[key] = _folders(where, key, value)
            continue
        expected = type(getattr(Settings(), key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if (
            not isinstance(value, expected)
            or isinstance(value, bool)
            or (expected is not str and (value < 0 if key in _MAY_BE_ZERO else value <= 0))
        ):
            kind = expected.__name__
            raise StudioError(f"{where}: '{key}' should be a positive {kind}, got {value!r}.")
        values[key] = value
    pin = values.get("pin", "")
    if pin and not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise StudioError(f"{where}: 'pin' should be {PIN_RULE}; it is {pin!r}.")
    if values.get("paper", "") not in ("", *PAPERS):
        raise StudioError(
            f'{where}: \'paper\' should be "letter" or "a4" (or empty to follow the '
            f"price list's units), got {values['paper']!r}."
        )
    if values.get("start_screen", "welcome") not in START_SCREENS:
        raise StudioError(
            f'{where}: \'start_screen\' should be "welcome" or "last_session", got '
            f"{values['start_screen']!r}."
        )
    if values.get("lab_min_ppi", 150) > values.get("lab_ppi", 300):
        raise StudioError(
            f"{where}: 'lab_min_ppi' ({values.get('lab_min_ppi', 150)}) should not be above "
            f"'lab_ppi' ({values.get('lab_ppi', 300)}), the lab's ideal."
        )
    if not 70 <= values.get("lab_jpeg_quality", 95) <= 100:
        raise StudioError(
            f"{where}: 'lab_jpeg_quality' should be from 70 to 100, got "
            f"{values['lab_jpeg_quality']!r}."
        )
    if values.get("web_port", 1) > 65535:
        raise StudioError(f"{where}: 'web_port' should be a port from 1 to 65535.")
    return replace(Settings(), **values)


def _folders(where: Path | str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise StudioError(
            f"{where}: '{key}' should be a list of folders, e.g. [\"/srv/shoots\"]; got {value!r}."
        )
    return tuple(value)


def write_default_settings(path: Path) -> None:
    lines = ["# Reveal studio settings. Delete a line to go back to its default.", ""]
    for f in fields(Settings):
        lines.append(f"# {_HELP[f.name]}")
        value = getattr(Settings(), f.name)
        if isinstance(value, tuple):  # a TOML array, as JSON writes it
            value = json.dumps(list(value))
        elif isinstance(value, str):
            value = f'"{value}"'
        lines.append(f"{f.name} = {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def save_setting(paths: StudioPaths, key: str, value: float | int | str) -> Settings:
    """Set one setting in settings.toml (see save_settings)."""
    return save_settings(paths, {key: value})


def save_settings(paths: StudioPaths, changes: dict[str, Any]) -> Settings:
    """Set some settings in settings.toml, keeping the rest of the hand-edited file as it is:
    its comments, blank lines and order. A changed value keeps its place and its end-of-line
    comment; a new one is added with its help at the end. The whole file is checked as
    load_settings checks it before anything is written; the settings it now holds are returned.
    """
    unknown = [key for key in changes if key not in _HELP]
    if unknown:
        raise StudioError(f"There is no setting called '{unknown[0]}'.")
    if not paths.settings.exists():
        write_default_settings(paths.settings)
    try:
        document = tomlkit.parse(paths.settings.read_text(encoding="utf-8"))
    except (TOMLKitError, UnicodeDecodeError) as exc:
        raise StudioError(
            f"{paths.settings}: {exc}. Fix the file or delete it to restore defaults."
        ) from exc
    for key, value in changes.items():
        fresh = tomlkit.item(list(value) if isinstance(value, tuple) else value)
        if key in document:
            old = document.item(key)
            fresh.trivia.comment_ws = old.trivia.comment_ws
            fresh.trivia.comment = old.trivia.comment
            document[key] = fresh
        else:
            document.add(tomlkit.comment(_HELP[key]))
            document.add(key, fresh)
    settings = check_settings(document.unwrap(), paths.settings)
    # Written aside and renamed over: a power cut leaves the old file or the new, never half.
    aside = paths.settings.with_name(paths.settings.name + ".new")
    with open(aside, "w", encoding="utf-8") as out:
        out.write(tomlkit.dumps(document))
        out.flush()
        os.fsync(out.fileno())
    os.replace(aside, paths.settings)
    return settings
