"""Opening a studio: its folder, settings, database and price list together; and the watch on
the price list while the kiosk runs.

What must stay true: the price list in force is always one that parsed. An edit to
`pricelist.toml` is read within seconds (`PriceListWatcher`); a good edit replaces the list at
once, a broken one leaves the last good list in force with `holder.error` saying where the
file is wrong, until it is fixed. Reading and parsing happen off the UI thread; only the
swap happens on it.

    watcher = PriceListWatcher(studio, deliver=app.deliver, on_change=live.pricelist_changed)
    watcher.start()        # a daemon thread: stat every 2 s, parse only when the file changed
    watcher.check()        # one look now (tests call it instead of waiting)
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kiosk.config import ASSETS, Settings, StudioPaths, default_data_dir, load_settings
from kiosk.core.errors import PriceListError
from kiosk.core.pricelist import PriceList, PriceListHolder
from kiosk.core.pricelist.reader import parse
from kiosk.store.db import Store

log = logging.getLogger(__name__)

PRICELIST_FILE = "pricelist.toml"
_LAST_GOOD = "pricelist_source"  # settings key: the last price list that parsed
WATCH_SECONDS = 2.0


@dataclass
class Studio:
    paths: StudioPaths
    settings: Settings
    store: Store
    pricelist: PriceListHolder

    @property
    def paper(self) -> str:
        """The paper every invoice and printout uses: `paper` in settings.toml, else Letter for
        a studio that measures in inches and A4 for one in centimetres."""
        if self.settings.paper:
            return self.settings.paper
        current = self.pricelist.current
        return "a4" if current is not None and current.units == "cm" else "letter"

    @property
    def pricelist_file(self) -> Path:
        return self.paths.root / PRICELIST_FILE

    def close(self) -> None:
        self.store.close()


def open_studio(data_dir: Path | None = None) -> Studio:
    paths = StudioPaths(Path(data_dir) if data_dir else default_data_dir()).ensure()
    store = Store(paths.database)
    return Studio(paths, load_settings(paths), store, load_pricelist(paths, store))


def load_pricelist(paths: StudioPaths, store: Store) -> PriceListHolder:
    """The studio's price list (the demo's on first start). When the file has been edited into
    an error, the last list that parsed stays in force and `holder.error` says what is wrong."""
    file = paths.root / PRICELIST_FILE
    if not file.exists():
        shutil.copy(ASSETS / PRICELIST_FILE, file)
    holder = PriceListHolder(file)
    error = holder.reload()
    if error is None:
        store.set_setting(_LAST_GOOD, file.read_text(encoding="utf-8"))
        return holder
    stored = store.setting(_LAST_GOOD)
    if stored:
        holder.replace(stored, file=f"{file} (last good copy)")
        holder.error = error
    return holder


class PriceListWatcher:
    """Reads `pricelist.toml` again whenever its modification time or size changes.

    A stat every `interval` seconds on its own thread costs microseconds; the file is read and
    parsed only after a change, on that thread too. The outcome reaches the holder through
    `deliver` (a callable that runs its argument on the UI thread, such as `RevealApp.deliver`),
    then `on_change()` lets every view re-price. A good list is also stored as the last good
    copy, through a connection of the thread's own."""

    def __init__(
        self,
        studio: Studio,
        *,
        deliver: Callable[[Callable[[], None]], None],
        on_change: Callable[[], None],
        interval: float = WATCH_SECONDS,
    ) -> None:
        self.file = studio.pricelist_file
        self.database = studio.paths.database
        self.holder = studio.pricelist
        self.deliver = deliver
        self.on_change = on_change
        self.interval = interval
        self._seen = self._signature()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PriceListWatcher:
        self._thread = threading.Thread(target=self._run, name="reveal-pricelist", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the watch must outlive any one bad look at the file
                log.exception("Reading the price list again failed")

    def _signature(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.file)
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size

    def check(self) -> bool:
        """Look at the file once; True when it changed (and its outcome was delivered)."""
        signature = self._signature()
        if signature == self._seen:
            return False
        self._seen = signature
        try:
            text = self.file.read_bytes().decode("utf-8")
            outcome: PriceList | PriceListError = parse(text, file=str(self.file))
        except OSError as exc:
            outcome = PriceListError(f"cannot be read ({exc.strerror or exc})", file=str(self.file))
        except UnicodeDecodeError:
            outcome = PriceListError("is not UTF-8 text; save it as UTF-8", file=str(self.file))
        except PriceListError as exc:
            outcome = exc
        if isinstance(outcome, PriceList):
            self._keep_copy(text)
        self.deliver(partial(self._apply, outcome))
        return True

    def _keep_copy(self, text: str) -> None:
        store = Store(self.database)
        try:
            store.set_setting(_LAST_GOOD, text)
        finally:
            store.close()

    def _apply(self, outcome: PriceList | PriceListError) -> None:
        """On the UI thread: the new list in force, or the error beside the last good one."""
        if isinstance(outcome, PriceListError):
            self.holder.error = outcome
        else:
            self.holder.current, self.holder.error = outcome, None
        self.on_change()
