"""Reading one TOML table: typed values, and errors that name the file, line and key.

tomllib reports no positions for values, so `line_of` finds a key path's line by following
the table headers, which is how price lists are written. Every reader of a table (products,
collections, discounts, the studio's tables) takes a `Table` and calls `done()` last, so a
misspelt key is an error rather than silently ignored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kiosk.core.errors import PriceListError
from kiosk.core.pricelist.models import Product, Size

NOT_NEGATIVE = "expected zero or more (reductions are written as a [[discount]])"


def parse_money(value: object, decimals: int) -> int:
    """A price as written in the file: an int of minor units, or a decimal string ("45.00").

    Raises ValueError with the reason; the parser adds file, line and key.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        if isinstance(value, float):
            raise ValueError(
                f"is a float ({value!r}); floats cannot hold money exactly. Write it as a "
                f'string such as "{value:.{decimals}f}" or in minor units (cents) such as '
                f"{round(value * 10**decimals)}"
            )
        raise ValueError(f'is {type(value).__name__}; expected a price such as "45.00" or 4500')
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"is negative ({value}); {NOT_NEGATIVE}")
        return value
    text = value.strip()
    found = re.fullmatch(r"(-?)(\d+)(?:\.(\d*))?", text)
    if not found:
        raise ValueError(
            f'is "{value}"; expected a plain decimal such as "2400.00" '
            "(no currency symbol or thousands separator)"
        )
    sign, whole, fraction = found.groups()
    fraction = fraction or ""
    if len(fraction) > decimals:
        raise ValueError(f'is "{value}"; this currency has {decimals} decimals')
    if sign:
        raise ValueError(f'is negative ("{value}"); {NOT_NEGATIVE}')
    return int(whole) * 10**decimals + int(fraction.ljust(decimals, "0") or 0)


MISSING: Any = object()
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*[x×X]\s*(\d+(?:\.\d+)?)\s*(in|cm|\"|″)?\s*", re.IGNORECASE)


class Table:
    def __init__(self, reader: Reader, data: dict[str, Any], path: tuple, label: str) -> None:
        self.reader = reader
        self.data = data
        self.path = path
        self.label = label
        self.used: set[str] = set()

    def error(self, message: str, key: str | None = None) -> PriceListError:
        path = self.path if key is None else (*self.path, key)
        label = self.label if key is None else " → ".join(x for x in (self.label, key) if x)
        return self.reader.error(message, path, label)

    def has(self, key: str) -> bool:
        self.used.add(key)
        return key in self.data

    def raw(self, key: str, default: Any, expected: str) -> Any:
        self.used.add(key)
        if key in self.data:
            return self.data[key]
        if default is MISSING:
            raise self.error(f"missing; expected {expected}", key)
        return default

    def text(self, key: str, default: Any = MISSING) -> str:
        value = self.raw(key, default, "text in quotes")
        if not isinstance(value, str):
            raise self.error(f"is {show(value)}; expected text in quotes", key)
        return value

    def ident(self, key: str = "id", default: Any = MISSING) -> str:
        value = self.raw(key, default, 'an id such as "heirloom"')
        if not isinstance(value, str) or not ID.fullmatch(value):
            raise self.error(
                f"is {show(value)}; expected an id of letters, digits, '-', '_' or '.' "
                'such as "16x20" or "heirloom"',
                key,
            )
        return value

    def integer(self, key: str, default: Any = MISSING, minimum: int = 0) -> int:
        value = self.raw(key, default, f"a whole number of at least {minimum}")
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(
                f"is {show(value)}; expected a whole number of at least {minimum}", key
            )
        return value

    def flag(self, key: str, default: Any = MISSING) -> bool:
        value = self.raw(key, default, "true or false")
        if not isinstance(value, bool):
            raise self.error(f"is {show(value)}; expected true or false", key)
        return value

    def money(self, key: str, default: Any = MISSING) -> int:
        value = self.raw(key, default, 'a price such as "45.00"')
        try:
            return parse_money(value, self.reader.decimals)
        except ValueError as exc:
            raise self.error(str(exc), key) from None

    def percent(self, key: str, default: Any = MISSING, *, low: int = 0) -> Decimal:
        value = self.raw(key, default, 'a percentage such as "8.25"')
        if isinstance(value, float):
            raise self.error(
                f'is a float ({value!r}); write it as a string such as "{value}" so it is exact',
                key,
            )
        try:
            number = Decimal(value) if isinstance(value, int | str | Decimal) else None
        except InvalidOperation:
            number = None
        if isinstance(value, bool) or number is None or not number.is_finite():
            raise self.error(f'is {show(value)}; expected a percentage such as "8.25"', key)
        if not low <= number <= 100:
            raise self.error(f"is {show(value)}; expected a percentage from {low} to 100", key)
        return number

    def day(self, key: str) -> date | None:
        value = self.raw(key, None, "a date")
        if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(f"is {show(value)}; expected a date such as 2025-06-30", key)

    def words(self, key: str) -> tuple[str, ...]:
        value = self.raw(key, [], "a list of ids")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f'is {show(value)}; expected a list such as ["print", "canvas"]', key)
        return tuple(value)

    def size(self, key: str, units: str) -> Size | None:
        value = self.raw(key, None, 'a size such as "16x20"')
        if value is None:
            return None
        found = SIZE.fullmatch(value) if isinstance(value, str) else None
        if found:
            unit = (found.group(3) or units).lower()
            unit = "in" if unit in ('"', "″") else unit
            width, height = Decimal(found.group(1)), Decimal(found.group(2))
        elif (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            unit, width, height = units, Decimal(str(value[0])), Decimal(str(value[1]))
        else:
            raise self.error(
                f'is {show(value)}; expected width×height such as "16x20" or "30x40 cm"', key
            )
        if width <= 0 or height <= 0:
            raise self.error(f"is {show(value)}; width and height must be more than 0", key)
        return Size(width, height, unit)

    def tables(self, key: str, what: str) -> list[Table]:
        value = self.raw(key, [], f"a list of {what}")
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(f"is {show(value)}; expected a list of {what} tables", key)
        out = []
        for n, item in enumerate(value):
            # Variants may be named by their size alone.
            ident = item.get("id", item.get("size") if key == "variants" else None)
            name = f'{key} "{ident}"' if isinstance(ident, str) else f"{key} #{n + 1}"
            label = " → ".join(x for x in (self.label, name) if x)
            out.append(Table(self.reader, item, (*self.path, key, n), label))
        return out

    def table(self, key: str) -> Table:
        value = self.raw(key, {}, "a table")
        if not isinstance(value, dict):
            raise self.error(f"is {show(value)}; expected a [{key}] table", key)
        label = " → ".join(x for x in (self.label, f"[{key}]") if x)
        return Table(self.reader, value, (*self.path, key), label)

    def done(self) -> None:
        """Unknown keys are errors: a misspelt key would otherwise be silently ignored."""
        for key in self.data:
            if key not in self.used:
                close = difflib.get_close_matches(key, sorted(self.used), n=1)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                known = ", ".join(sorted(self.used))
                raise self.error(f"unknown key (known here: {known}){hint}", key)


class Reader:
    """The file being read: its lines (for error positions), its name, the currency's decimals."""

    def __init__(self, text: str, file: str) -> None:
        self.lines = text.splitlines()
        self.file = file
        self.decimals = 2

    def error(self, message: str, path: tuple, label: str) -> PriceListError:
        line = line_of(self.lines, path)
        where = ", ".join(x for x in (f"line {line}" if line else "", label) if x)
        return PriceListError(message, file=self.file, where=where, path=path)

    def read(self, data: dict[str, Any]) -> Table:
        """The file's top level, as a table."""
        return Table(self, data, (), "")


def unique(tables: list[Table], items: Iterable[Any]) -> dict[str, Any]:
    """Items by id; a repeated id is an error naming the table that repeats it."""
    seen: dict[str, Any] = {}
    for table, item in zip(tables, items, strict=True):
        if item.id in seen:
            raise table.error(f'duplicate id "{item.id}"; every id must be unique here', "id")
        seen[item.id] = item
    return seen


HEADER = re.compile(r"\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?")
KEY = re.compile(r'\s*"?([A-Za-z0-9_\-]+)"?\s*=\s*(.*)')


def line_of(lines: list[str], path: tuple) -> int:
    """Best-effort 1-based line of a key path such as ("product", 2, "variants", 0, "price").

    tomllib does not report positions of values, so this follows the table headers, array-of-
    tables counters and the inline tables of multi-line arrays, which is how price lists are
    written. 0 when not found; the key path in the message still says where.
    """
    arrays: dict[tuple, int] = {}
    table: tuple = ()
    open_array: tuple | None = None  # a multi-line `key = [` array being read
    element = -1
    best, best_len = 0, -1

    def consider(candidate: tuple, line: int) -> None:
        nonlocal best, best_len
        if path[: len(candidate)] == candidate and len(candidate) > best_len:
            best, best_len = line, len(candidate)

    for number, text in enumerate(lines, 1):
        stripped = text.strip()
        header = HEADER.fullmatch(text) if stripped.startswith("[") and open_array is None else None
        if header:
            keys = [k.strip().strip('"') for k in header.group(2).split(".")]
            concrete: tuple = ()
            for i, key in enumerate(keys):
                concrete = (*concrete, key)
                last = i == len(keys) - 1
                if last and header.group(1) == "[[":
                    index = arrays.get(concrete, 0)
                    arrays[concrete] = index + 1
                    concrete = (*concrete, index)
                elif not last and concrete in arrays:
                    concrete = (*concrete, arrays[concrete] - 1)
            table = concrete
            consider(table, number)
            continue
        if open_array is not None:
            if stripped.startswith("{"):
                element += 1
                consider((*open_array, element), number)
                for key in re.findall(r"([A-Za-z0-9_\-]+)\s*=", stripped):
                    consider((*open_array, element, key), number)
            if stripped.startswith("]"):
                open_array = None
            continue
        found = KEY.fullmatch(text)
        if found:
            key, value = found.groups()
            consider((*table, key), number)
            value = value.split("#")[0].strip()
            if value.startswith("[") and value.count("[") > value.count("]"):
                open_array, element = (*table, key), -1
            elif value.startswith("{"):
                for inner in re.findall(r"([A-Za-z0-9_\-]+)\s*=", value):
                    consider((*table, key, inner), number)
    return best


def unknown_product(pid: str, products: dict[str, Product]) -> str:
    close = difflib.get_close_matches(pid, list(products), n=1)
    hint = f'did you mean "{close[0]}"?' if close else f"products: {', '.join(products)}"
    return f'names "{pid}", which is not a product in this list; {hint}'


def show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)
