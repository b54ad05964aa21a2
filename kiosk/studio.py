"""Opening a studio: its folder, settings and database together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings, StudioPaths, default_data_dir, load_settings
from kiosk.store.db import Store


@dataclass
class Studio:
    paths: StudioPaths
    settings: Settings
    store: Store

    def close(self) -> None:
        self.store.close()


def open_studio(data_dir: Path | None = None) -> Studio:
    paths = StudioPaths(Path(data_dir) if data_dir else default_data_dir()).ensure()
    return Studio(paths=paths, settings=load_settings(paths), store=Store(paths.database))
