"""The price list in force while the photographer edits the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.core.errors import PriceListError
from kiosk.core.pricelist.models import PriceList
from kiosk.core.pricelist.reader import load, parse


class PriceListHolder:
    """The price list in force, kept when a reload finds the edited file malformed.

    `reload()` (from the file) or `replace(text)` (from the database's stored source) return
    the error, if any, so the caller can show it while the previous list stays in use.
    """

    def __init__(self, path: str | Path | None = None, current: PriceList | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.current = current
        self.error: PriceListError | None = None

    def reload(self) -> PriceListError | None:
        if self.path is None:
            raise ValueError("PriceListHolder has no path to reload from")
        path = self.path
        return self._keep(lambda: load(path))

    def replace(self, text: str, *, file: str = "") -> PriceListError | None:
        return self._keep(lambda: parse(text, file=file))

    def _keep(self, read: Callable[[], PriceList]) -> PriceListError | None:
        try:
            self.current = read()
        except PriceListError as exc:
            self.error = exc
            return exc
        self.error = None
        return None
