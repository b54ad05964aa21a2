"""The price list as the tablet edits it: a JSON draft of the file, written back through tomlkit.

What must stay true: the file the studio wrote is the source. A draft is the file's values as
JSON (dates as "2026-11-01", money as the file spells it); writing it back changes only the
values that differ, in the tomlkit document of the file as it is, so a draft saved unchanged
gives the same bytes and one changed price changes one line, comments and order kept. A draft
is checked by the kiosk's own reader (`kiosk.core.pricelist.parse`), so the editor refuses what
`main.py pricelist check` refuses, with the same message, and names the field at fault.

    draft = draft_of(text)                          # lists' tables carry "_at": their index
    draft["product"][0]["variants"][3]["price"] = "250"
    checked = check_draft(text, draft)              # .text (TOML), .pricelist or .problem
    checked.problem.path                            # ("product", 0, "variants", 3, "price")

A table added to a list has no "_at"; one removed is missing from it. Only additions at a
list's end keep every other table's lines as they are; a list reordered is rewritten in place.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, Comment, InlineTable, Item, Table

from kiosk.core.errors import PriceListError
from kiosk.core.pricelist import PriceList, parse
from kiosk.core.pricelist.table import parse_money

AT = "_at"  # a draft table's index in the file's list, so edits find their lines
# Lists written as [[key]] tables; every other list of tables is an array of inline tables.
TABLE_LISTS = {"product", "collection", "discount", "shipping", "payment_plan", "options"}
MONEY = {
    "price",
    "extra_spread",
    "amount",
    "minimum",
    "session_fee_credit",
    "upgrade_within",
    "min_total",
    "deposit",
}
DATES = {"starts", "expires"}
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """What the reader refused: its message, and the draft path of the value at fault."""

    message: str
    path: tuple[str | int, ...]
    where: str

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "path": list(self.path), "where": self.where}


@dataclass(frozen=True)
class Checked:
    text: str  # the TOML the draft writes (unchanged parts byte for byte)
    pricelist: PriceList | None
    problem: Problem | None


def draft_of(text: str) -> dict[str, Any]:
    """The file's values as JSON, each table of a list marked with its index."""
    return _marked(_jsonable(tomlkit.parse(text).unwrap()))


def check_draft(text: str, draft: dict[str, Any], *, file: str = "") -> Checked:
    """The TOML the draft writes over `text`, and the price list it reads as (or the problem)."""
    try:
        written = write_draft(text, draft)
    except (TOMLKitError, ValueError, TypeError, KeyError, RecursionError) as exc:
        return Checked(text, None, Problem(f"cannot be written as TOML ({exc})", (), ""))
    try:
        return Checked(written, parse(written, file=file), None)
    except PriceListError as exc:
        return Checked(written, None, problem_of(exc))


def problem_of(exc: PriceListError) -> Problem:
    message = getattr(exc, "message", str(exc))
    return Problem(message, tuple(getattr(exc, "path", ())), exc.where)


def write_draft(text: str, draft: dict[str, Any]) -> str:
    """`text` with the draft's values in place; what is unchanged keeps its bytes."""
    if not isinstance(draft, dict):
        raise ValueError("the draft must be an object of tables")
    document = tomlkit.parse(text)
    decimals = _decimals(draft)
    _patch_table(document, draft, decimals, top=True)
    return tomlkit.dumps(document)


def money_text(cents: int, decimals: int) -> str:
    """Minor units as the price list spells money: 24500 → "245.00"."""
    if decimals == 0:
        return str(cents)
    return f"{cents // 10**decimals}.{cents % 10**decimals:0{decimals}d}"


def _decimals(draft: dict[str, Any]) -> int:
    currency = draft.get("currency")
    value = currency.get("decimals", 2) if isinstance(currency, dict) else 2
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 2


# reading: the document as JSON ------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _marked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [{AT: n, **_marked(v)} if isinstance(v, dict) else v for n, v in enumerate(value)]
    return value


def unmarked(value: Any) -> Any:
    """The draft without its "_at" marks: the file's values as JSON."""
    if isinstance(value, dict):
        return {k: unmarked(v) for k, v in value.items() if k != AT}
    if isinstance(value, list):
        return [unmarked(v) for v in value]
    return value


# writing: only what changed ---------------------------------------------------------------------
def _same(old: Item | Any, new: Any) -> bool:
    plain = old.unwrap() if isinstance(old, Item) else old
    return _jsonable(plain) == unmarked(new) and type(_jsonable(plain)) is type(unmarked(new))


def _patch_table(
    table: Any, new: dict[str, Any], decimals: int, *, top: bool = False, prices: bool = False
) -> None:
    """`prices`: the table is a choice's per-size prices, whose every value is money."""
    for key in [k for k in table if k not in new or new[k] is None]:
        del table[key]
    for key, value in new.items():
        if key == AT or value is None:
            continue
        if not isinstance(key, str) or not key:
            raise ValueError(f"{key!r} is not a key")
        if key in table:
            old = table[key]
            if _same(old, value):
                continue
            if isinstance(old, InlineTable) and isinstance(value, dict) and _reshaped(old, value):
                table[key] = _inline(value, decimals, quoted=key == "prices")
                continue
            if isinstance(old, Table | InlineTable) and isinstance(value, dict):
                _patch_table(old, value, decimals, prices=key == "prices")
                continue
            if isinstance(old, AoT | Array) and _tables(value) and _tables(list(old)):
                _patch_list(old, value, key, decimals)
                continue
            table[key] = _fresh(key, value, decimals, top=top, price=prices)
        elif top and isinstance(value, dict):
            table.add(tomlkit.nl())
            table.add(key, _table(value, decimals))
        elif top and key in TABLE_LISTS and _tables(value):
            table.add(tomlkit.nl())
            table.append(key, _fresh(key, value, decimals, top=True))
        else:
            table[key] = _fresh(key, value, decimals, top=top, price=prices)


def _tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _patch_list(old: AoT | Array, new: list[dict[str, Any]], key: str, decimals: int) -> None:
    kept = [v.get(AT) for v in new if AT in v]
    first_added = next((n for n, v in enumerate(new) if AT not in v), len(new))
    in_order = (
        all(isinstance(k, int) and not isinstance(k, bool) and 0 <= k < len(old) for k in kept)
        and kept == sorted(set(kept))
        and all(AT not in v for v in new[first_added:])
    )
    if in_order:  # removals anywhere, additions at the end: every other table keeps its lines
        for index in sorted(set(range(len(old))) - set(kept), reverse=True):
            if isinstance(old, AoT) and index == len(old) - 1 and index > 0:
                _pass_tail(old[index], old[index - 1])  # the next section's heading stays
            del old[index]
        pairs = list(zip(range(len(kept)), new[: len(kept)], strict=True))
        added = new[len(kept) :]
    else:  # reordered: table n takes the values of the draft's table n
        while len(old) > len(new):
            del old[len(old) - 1]
        pairs = list(enumerate(new[: len(old)]))
        added = new[len(old) :]
    for index, value in pairs:
        if _same(old[index], value):
            continue
        if isinstance(old[index], InlineTable) and _reshaped(old[index], value):
            old[index] = _inline(value, decimals)  # keys added or removed: one tidy line
        else:
            _patch_table(old[index], value, decimals)
    for value in added:
        if isinstance(old, AoT):
            fresh = _table(value, decimals)
            if len(old):
                _pass_tail(old[len(old) - 1], fresh)
            old.append(fresh)
        else:
            old.append(_inline(value, decimals))


def _reshaped(old: InlineTable, new: dict[str, Any]) -> bool:
    return list(old) != [k for k, v in new.items() if k != AT and v is not None]


def _last(table: Table) -> Table:
    """The table whose lines end this one: its last [[sub-table]], if it has any."""
    while table.value.body and isinstance(table.value.body[-1][1], AoT) and table.value.body[-1][1]:
        table = table.value.body[-1][1][-1]
    return table


def _pass_tail(source: Table, target: Table) -> None:
    """The comments that close `source` (the next section's heading, "# --- Collections") move
    to the end of `target`, which now comes last before that section."""
    body = _last(source).value.body
    tail: list[tuple[Any, Item]] = []
    while body and body[-1][0] is None:
        tail.insert(0, body.pop())
    first = next((n for n, (_, item) in enumerate(tail) if isinstance(item, Comment)), len(tail))
    body.extend(tail[:first])
    _last(target).value.body.extend(tail[first:])


def _fresh(key: str, value: Any, decimals: int, *, top: bool = False, price: bool = False) -> Any:
    """A new value for `key`, spelt as the studio's files spell it."""
    if isinstance(value, dict):
        return _table(value, decimals) if top else _inline(value, decimals, quoted=key == "prices")
    if isinstance(value, list):
        if _tables(value) and key in TABLE_LISTS:
            tables = tomlkit.aot()
            for item in value:
                tables.append(_table(item, decimals))
            return tables
        if _tables(value):
            rows = "".join(f"  {_inline_text(v, decimals)},\n" for v in value)
            return tomlkit.parse(f"x = [\n{rows}]\n")["x"]
        return tomlkit.item([_scalar(key, v, decimals) for v in value])
    return tomlkit.item(_scalar(key, value, decimals, price=price))


def _scalar(key: str, value: Any, decimals: int, *, price: bool = False) -> Any:
    if isinstance(value, str) and (key in MONEY or price):
        try:  # typed "250": written as the file spells money, "250.00"
            return money_text(parse_money(value, decimals), decimals)
        except ValueError:
            return value  # the reader says what is wrong with it
    if isinstance(value, str) and key in DATES and DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value  # a float stays a float, and the reader says why it will not do


def _table(value: dict[str, Any], decimals: int) -> Table:
    table = tomlkit.table()
    for key, item in value.items():
        if key == AT or item is None:
            continue
        if isinstance(item, list) and _tables(item) and key in TABLE_LISTS:
            continue  # sub-tables ([[product.options]]) come after the table's own keys
        table.add(key, _fresh(key, item, decimals))
    table.add(tomlkit.nl())
    for key, item in value.items():
        if key != AT and isinstance(item, list) and _tables(item) and key in TABLE_LISTS:
            table.add(key, _fresh(key, item, decimals))
    return table


def _inline(value: dict[str, Any], decimals: int, *, quoted: bool = False) -> InlineTable:
    return tomlkit.parse(f"x = {_inline_text(value, decimals, quoted=quoted)}\n")["x"]


def _inline_text(value: dict[str, Any], decimals: int, *, quoted: bool = False) -> str:
    parts = []
    for key, item in value.items():
        if key == AT or item is None:
            continue
        name = json.dumps(key) if quoted or not re.fullmatch(r"[A-Za-z0-9_-]+", key) else key
        if isinstance(item, dict):
            text = _inline_text(item, decimals, quoted=key == "prices")
        else:
            scalar = _scalar(key, item, decimals, price=quoted)
            text = tomlkit.item(
                [_scalar(key, v, decimals) for v in scalar] if isinstance(scalar, list) else scalar
            ).as_string()
        parts.append(f"{name} = {text}")
    return "{ " + ", ".join(parts) + " }" if parts else "{}"
