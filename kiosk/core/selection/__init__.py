"""A session's selection as commands: decisions, favourites, ranking, retouch notes, narrowing.

The event log holds commands; the state is their fold. The store appends `cmd.to_json()`
after `validate` passes, and rebuilds with ``replay(image_ids, map(command_from_json, rows))``::

    state = SessionState.new([101, 102, 103])
    state = apply(state, Decide(101, Decision.KEEP))
    state = apply(state, Undo())                     # 101 is undecided again
    assert replay([101, 102, 103], [Decide(101, Decision.KEEP), Undo()]) == state

Undo is a command too: it reverts the most recent undoable command not yet undone
(everything except `Show` and `Undo`). To keep replay linear, every undoable command pushes
what it changed onto a persistent stack inside the state, and `Undo` pops it.

One idea per module; import the names below from `kiosk.core.selection`:

- commands.py  the commands, the values they carry (`Decision`, retouch tags), their JSON
- state.py     `SessionState`, its undo stack, and how decisions are kept per image
- queries.py   what the screens read: `counts`, `decision_of`, `keepers`, `next_undecided`…
- rules.py     what each command may do and does: `validate`, `apply`, `replay`, undo
"""

from kiosk.core.errors import CommandError, ReplayError  # what validate, apply, replay raise
from kiosk.core.selection.commands import (
    CLIENT_DECISIONS,
    COMMANDS,
    MAX_NOTE_CHARS,
    RETOUCH_TAGS,
    Command,
    ComparePick,
    Decide,
    Decision,
    Favourite,
    NarrowStart,
    NarrowStop,
    Note,
    Rank,
    Show,
    Undo,
    command_from_json,
)
from kiosk.core.selection.queries import (
    Counts,
    counts,
    decision_of,
    keepers,
    last_undoable,
    narrowing_order,
    next_undecided,
    pick,
)
from kiosk.core.selection.rules import apply, replay, validate
from kiosk.core.selection.state import RetouchNote, SessionState, UndoStack, UndoStep

__all__ = [
    "CLIENT_DECISIONS",
    "COMMANDS",
    "MAX_NOTE_CHARS",
    "RETOUCH_TAGS",
    "Command",
    "CommandError",
    "ComparePick",
    "Counts",
    "Decide",
    "Decision",
    "Favourite",
    "NarrowStart",
    "NarrowStop",
    "Note",
    "Rank",
    "ReplayError",
    "RetouchNote",
    "SessionState",
    "Show",
    "Undo",
    "UndoStack",
    "UndoStep",
    "apply",
    "command_from_json",
    "counts",
    "decision_of",
    "keepers",
    "last_undoable",
    "narrowing_order",
    "next_undecided",
    "pick",
    "replay",
    "validate",
]
