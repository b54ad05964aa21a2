"""The selection's commands, the values they carry, and their JSON.

A command is what a touch or the remote asks for (`Decide(101, Decision.KEEP)`, `Undo()`); the
event log stores `cmd.to_json()` and replay reads it back with `command_from_json`, which
refuses (CommandError) anything the remote's JavaScript could send wrong: an unknown kind, a
missing or unexpected field, a value of the wrong JSON type.

    Decide(101, "keep").to_json()             # {"kind": "decide", "image": 101, "decision": "keep"}
    command_from_json({"kind": "undo"})       # Undo()
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, TypeAlias

from kiosk.core.errors import CommandError
from kiosk.core.narrowing import ImageId

MAX_NOTE_CHARS = 280  # fits the retouch sheet's line and a phone screen
RETOUCH_TAGS: Mapping[str, str] = MappingProxyType(
    {  # stored name -> label; the order here is the order on screen and on the sheet
        "skin_smoothing": "Skin smoothing",
        "remove_stray_hair": "Remove stray hair",
        "open_eyes": "Open eyes",
        "swap_head": "Swap head",
        "remove_object": "Remove object",
        "black_and_white": "Black & white",
    }
)


class Decision(StrEnum):
    """What became of an image. Compares equal to its JSON string ("keep" == Decision.KEEP)."""

    KEEP = "keep"
    DROP = "drop"
    MAYBE = "maybe"
    # Set only by a comparison (never by `Decide`), so the screens can say why an image went
    # and the client can bring it back.
    DROPPED_IN_COMPARISON = "dropped_in_comparison"


CLIENT_DECISIONS = (Decision.KEEP, Decision.DROP, Decision.MAYBE)


class _Command:
    """JSON for all commands: {"kind": ..., field: value, ...}, lists for tuples."""

    kind: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else _plain(value)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Command:
        spec = _SPECS.get(cls) or _spec(cls)
        if not data.keys() <= spec.keys() | {"kind"}:
            extra = sorted(str(k) for k in data.keys() - spec.keys() - {"kind"})
            raise CommandError(f"A '{cls.kind}' command has unexpected field(s): {extra}.")
        values = {}
        for name, (hint, required) in spec.items():
            if name in data:
                values[name] = _checked(cls.kind, name, hint, data[name])
            elif required:
                raise CommandError(f"A '{cls.kind}' command needs the field '{name}'.")
        return cls(**values)  # type: ignore[return-value]


_SPECS: dict[type, dict[str, tuple[str, bool]]] = {}


def _spec(cls: type) -> dict[str, tuple[str, bool]]:
    # Worked out once per class: parsing is on the replay path, 10,000 commands at a time.
    spec = {
        f.name: (f.type, f.default is MISSING and f.default_factory is MISSING) for f in fields(cls)
    }
    _SPECS[cls] = spec
    return spec  # type: ignore[return-value]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _is_id(v: Any) -> bool:
    return type(v) is int or type(v) is str


# Commands also arrive from the remote's JavaScript: check JSON types before they reach the
# state, so a bad message is refused instead of corrupting the log. Keys are the field hints.
_JSON_TYPES: Mapping[str, Any] = {
    "ImageId": _is_id,
    "int": lambda v: type(v) is int,
    "bool": lambda v: type(v) is bool,
    "str": lambda v: type(v) is str,
    "Decision": lambda v: type(v) is str and v in CLIENT_DECISIONS,
    "tuple[str, ...]": lambda v: type(v) is list and all(type(x) is str for x in v),
    "tuple[ImageId, ...]": lambda v: type(v) is list and all(map(_is_id, v)),
}


def _checked(kind: str, name: str, hint: str, value: Any) -> Any:
    if not _JSON_TYPES[hint](value):
        expected = "keep, drop or maybe" if hint == "Decision" else hint
        raise CommandError(f"In a '{kind}' command, '{name}' must be {expected}, not {value!r}.")
    return tuple(value) if type(value) is list else value


@dataclass(frozen=True)
class Decide(_Command):
    kind: ClassVar[str] = "decide"
    image: ImageId
    decision: Decision

    def __post_init__(self) -> None:
        # Decide(7, "keep") is as good as Decide(7, Decision.KEEP); anything else is left for
        # `validate` to refuse with a readable message.
        if self.decision in CLIENT_DECISIONS:
            object.__setattr__(self, "decision", Decision(self.decision))


@dataclass(frozen=True)
class Undo(_Command):
    kind: ClassVar[str] = "undo"


@dataclass(frozen=True)
class Favourite(_Command):
    kind: ClassVar[str] = "favourite"
    image: ImageId
    on: bool = True


@dataclass(frozen=True)
class Rank(_Command):
    """Move a keeper to `position` (0 = best) in the keepers' preference order."""

    kind: ClassVar[str] = "rank"
    image: ImageId
    position: int


@dataclass(frozen=True)
class Note(_Command):
    """Set an image's retouch note (replacing the previous one); empty text and tags clear it."""

    kind: ClassVar[str] = "note"
    image: ImageId
    text: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Show(_Command):
    """Make `image` the current one. Navigation: not undoable."""

    kind: ClassVar[str] = "show"
    image: ImageId


@dataclass(frozen=True)
class NarrowStart(_Command):
    kind: ClassVar[str] = "narrow_start"
    target: int
    group_size: int = 2


@dataclass(frozen=True)
class ComparePick(_Command):
    """The client kept `keep`; `drop` are the others that were on screen (see `pick`)."""

    kind: ClassVar[str] = "compare_pick"
    keep: ImageId
    drop: tuple[ImageId, ...]


@dataclass(frozen=True)
class NarrowStop(_Command):
    """Stop narrowing; images already compared out stay out (undo brings them back)."""

    kind: ClassVar[str] = "narrow_stop"


Command: TypeAlias = (
    Decide | Undo | Favourite | Rank | Note | Show | NarrowStart | ComparePick | NarrowStop
)
COMMANDS: Mapping[str, type[_Command]] = MappingProxyType(
    {
        c.kind: c
        for c in (Decide, Undo, Favourite, Rank, Note, Show, NarrowStart, ComparePick, NarrowStop)
    }
)


def command_from_json(data: Mapping[str, Any]) -> Command:
    """The command a `to_json()` dict describes; CommandError if it is not a valid one."""
    if type(data) is not dict and not isinstance(data, Mapping):  # the ABC check is slow
        raise CommandError(f"A command must be a JSON object, not {data!r}.")
    kind = data.get("kind")
    if kind not in COMMANDS:
        raise CommandError(f"Unknown command {kind!r}; known: {', '.join(COMMANDS)}.")
    return COMMANDS[kind].from_json(data)
