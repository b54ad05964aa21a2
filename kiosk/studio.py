"""Opening a studio: its folder, settings, database and price list together."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import ASSETS, Settings, StudioPaths, default_data_dir, load_settings
from kiosk.core.pricelist import PriceListHolder
from kiosk.store.db import Store

PRICELIST_FILE = "pricelist.toml"
_LAST_GOOD = "pricelist_source"  # settings key: the last price list that parsed


@dataclass
class Studio:
    paths: StudioPaths
    settings: Settings
    store: Store
    pricelist: PriceListHolder

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
