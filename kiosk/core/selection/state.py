"""A session's selection state, its undo stack, and how decisions are kept per image.

`SessionState` is immutable: `kiosk.core.selection.rules.apply` makes the next one with
`evolve`. Decisions are one byte per image in session order (`CODE`, `DECISION`), which keeps
a decision a memcpy and counting a `bytes.count` on sessions of thousands of images.

    state = SessionState.new([101, 102, 103])
    state.current_image                        # 101
    DECISION[state.decision_codes[0]]          # None: undecided
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from kiosk.core.narrowing import ImageId, Narrowing
from kiosk.core.selection.commands import Command, Decision

T = TypeVar("T")


@dataclass(frozen=True)
class RetouchNote:
    text: str = ""
    tags: tuple[str, ...] = ()  # names from RETOUCH_TAGS, in its order


class UndoStep(NamedTuple):
    """What one command changed, to put back: (field, image or None, previous value)."""

    command: Command
    image: ImageId | None  # shown again after the undo, so the client sees what came back
    changes: tuple[tuple[str, ImageId | None, Any], ...]


class UndoStack:
    """An immutable linked stack: push and pop share the rest, so undo history costs O(1)."""

    __slots__ = ("top", "rest", "size")
    top: UndoStep | None
    rest: UndoStack | None
    size: int

    def __init__(self, top: UndoStep | None = None, rest: UndoStack | None = None) -> None:
        object.__setattr__(self, "top", top)
        object.__setattr__(self, "rest", rest)
        object.__setattr__(self, "size", 0 if rest is None else rest.size + 1)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("UndoStack is immutable; push() makes a new one.")

    def push(self, step: UndoStep) -> UndoStack:
        return UndoStack(step, self)

    def __iter__(self) -> Iterator[UndoStep]:  # newest first
        node = self
        while node.rest is not None:
            yield node.top  # type: ignore[misc]
            node = node.rest

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other: object) -> bool:
        # Iterative: a recursive == would overflow on thousands of steps.
        if not isinstance(other, UndoStack):
            return NotImplemented
        return self.size == other.size and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"UndoStack(size={self.size})"


# One byte per image: a decision copies 500 bytes (a memcpy) where a dict would copy 500
# entries, which was most of replay's time; and counting is bytes.count.
UNDECIDED = 0
CODE: Mapping[Decision, int] = {d: i for i, d in enumerate(Decision, 1)}
DECISION: tuple[Decision | None, ...] = (None, *Decision)
_BYTE = tuple(bytes((i,)) for i in range(len(DECISION)))


@dataclass(frozen=True)
class SessionState:
    """Everything the client has chosen in a session. Make one with `SessionState.new`."""

    image_ids: tuple[ImageId, ...]  # session order
    decision_codes: bytes = b""  # per image in session order; read with decision_of()
    favourites: frozenset[ImageId] = frozenset()
    # Preference order, best first, as of the last Rank. It may still list images dropped
    # since (keepers() skips them), so undoing a drop puts the image back in its place.
    ranking: tuple[ImageId, ...] = ()
    notes: Mapping[ImageId, RetouchNote] = field(default_factory=lambda: MappingProxyType({}))
    current: int = 0  # index into image_ids of the image on screen
    narrowing: Narrowing | None = None  # the running one, or the last one until stopped
    undo_stack: UndoStack = field(default_factory=UndoStack)
    positions: Mapping[ImageId, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Only for states built by hand: apply() makes new states without running this.
        if not self.positions:
            positions = {image: i for i, image in enumerate(self.image_ids)}
            if len(positions) != len(self.image_ids):
                raise ValueError("A session's image ids must be unique.")
            # A plain dict, not a read-only proxy: it is looked up for nearly every command.
            object.__setattr__(self, "positions", positions)
        if not self.decision_codes:
            object.__setattr__(self, "decision_codes", bytes(len(self.image_ids)))

    @classmethod
    def new(cls, image_ids: Sequence[ImageId]) -> SessionState:
        """A session where nothing is decided yet; `image_ids` in session order."""
        return cls(tuple(image_ids))

    @property
    def current_image(self) -> ImageId | None:
        return self.image_ids[self.current] if self.image_ids else None

    @property
    def can_undo(self) -> bool:
        return self.undo_stack.size > 0

    @property
    def decisions(self) -> Mapping[ImageId, Decision]:
        """Every decided image's decision (built on each call: prefer `decision_of`)."""
        codes, ids = self.decision_codes, self.image_ids
        return MappingProxyType({ids[i]: DECISION[c] for i, c in enumerate(codes) if c})

    def memo(self, key: str, compute: Callable[[SessionState], T]) -> T:
        """`compute(self)`, worked out once per state: states never change, and `evolve`
        leaves the cache behind."""
        cache = self.__dict__.get("_memo")
        if cache is None:
            cache = self.__dict__["_memo"] = {}
        if key not in cache:
            cache[key] = compute(self)
        return cache[key]


def evolve(state: SessionState, changed: dict[str, Any]) -> SessionState:
    """`state` with the `changed` fields replaced, without checking them (apply has)."""
    # dataclasses.replace re-runs __init__ over every field, a third of replay time at 10,000
    # commands. Copying the instance dict is equivalent here (no __post_init__), minus the
    # per-state cache.
    new = object.__new__(SessionState)
    values = new.__dict__
    values.update(state.__dict__)
    values.pop("_memo", None)
    values.update(changed)
    return new


def with_decision(codes: bytes, positions: Iterable[int], decision: Decision | None) -> bytes:
    """`codes` with the images at `positions` set to `decision` (None: undecided)."""
    code = UNDECIDED if decision is None else CODE[decision]
    for p in positions:
        codes = codes[:p] + _BYTE[code] + codes[p + 1 :]
    return codes
