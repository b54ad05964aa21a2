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

import platformdirs

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
    "welcome screen; empty: the studio's name alone",
    "import_roots": 'folders the tablet may browse and import photos from, e.g. ["/srv/shoots"], '
    "besides the drives mounted under /media, /run/media and /mnt; nothing outside is reachable",
    "slideshow_music": "a music file, or a folder of them (MP3, OGG or WAV), played while the "
    "slideshow runs, faded in and out with it; volume and mute on the remote; empty: no music",
    "cache_max_gb": "gigabytes the previews and thumbnails may take; the least recently shown "
    "sessions' previews are removed first and rebuilt from the originals when opened again; "
    "0: 20% of the disk's free space at the first start",
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
    known = {f.name: f for f in fields(Settings)}
    values = {}
    for key, value in data.items():
        if key in _RETIRED:
            continue
        if key not in known:
            raise StudioError(
                f"{paths.settings}: unknown setting '{key}'. Known: {', '.join(sorted(known))}."
            )
        if key == "import_roots":
            values[key] = _folders(paths, key, value)
            continue
        expected = type(getattr(Settings(), key))
        if expected is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, expected) or (
            expected is not str and (value < 0 if key in _MAY_BE_ZERO else value <= 0)
        ):
            kind = expected.__name__
            raise StudioError(
                f"{paths.settings}: '{key}' should be a positive {kind}, got {value!r}."
            )
        values[key] = value
    pin = values.get("pin", "")
    if pin and not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise StudioError(f"{paths.settings}: 'pin' should be {PIN_RULE}; it is {pin!r}.")
    if values.get("paper", "") not in ("", *PAPERS):
        raise StudioError(
            f'{paths.settings}: \'paper\' should be "letter" or "a4" (or empty to follow the '
            f"price list's units), got {values['paper']!r}."
        )
    if values.get("start_screen", "welcome") not in START_SCREENS:
        raise StudioError(
            f'{paths.settings}: \'start_screen\' should be "welcome" or "last_session", got '
            f"{values['start_screen']!r}."
        )
    return replace(Settings(), **values)


def _folders(paths: StudioPaths, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise StudioError(
            f'{paths.settings}: \'{key}\' should be a list of folders, e.g. ["/srv/shoots"]; '
            f"got {value!r}."
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


def save_setting(paths: StudioPaths, key: str, value: float | int | str) -> None:
    """Set one setting in settings.toml, keeping the rest of the hand-edited file as it is:
    its line is rewritten where it stands, or added with its comment at the end."""
    if key not in _HELP:
        raise StudioError(f"There is no setting called '{key}'.")
    if not paths.settings.exists():
        write_default_settings(paths.settings)
    # json.dumps writes a string as a TOML basic string, quotes and backslashes escaped.
    line = f"{key} = {json.dumps(value) if isinstance(value, str) else value}"
    lines = paths.settings.read_text(encoding="utf-8").splitlines()
    at = [i for i, text in enumerate(lines) if text.split("=")[0].strip() == key]
    if at:
        lines[at[0]] = line
    else:
        lines += [f"# {_HELP[key]}", line]
    # Written aside and renamed over: a power cut leaves the old file or the new, never half.
    fresh = paths.settings.with_name(paths.settings.name + ".new")
    with open(fresh, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(fresh, paths.settings)
