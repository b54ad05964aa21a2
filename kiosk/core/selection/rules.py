"""What each command may do to a selection state, and what it does: validate, apply, undo.

`validate` refuses a command with a message for the person at the screen; `apply` checks and
then returns the next state, pushing what the command changed onto the undo stack so that
`Undo` can put it back; `replay` folds a logged session from the start.

    state = apply(SessionState.new([101, 102]), Decide(101, Decision.KEEP))
    apply(state, Undo()) == SessionState.new([101, 102])      # True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from kiosk.core.errors import CommandError, ReplayError
from kiosk.core.narrowing import ImageId, Narrowing
from kiosk.core.selection.commands import (
    CLIENT_DECISIONS,
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
)
from kiosk.core.selection.queries import decision_of, keepers, narrowing_order
from kiosk.core.selection.state import (
    DECISION,
    RetouchNote,
    SessionState,
    UndoStep,
    evolve,
    with_decision,
)


# validate ----------------------------------------------------------------------------------
def validate(state: SessionState, command: Command) -> None:
    """Raise CommandError, with a message for the person at the screen, if `command` cannot
    be applied to `state`."""
    check = _CHECKS.get(type(command))
    if check is None:
        raise CommandError(f"{command!r} is not a selection command.")
    image = getattr(command, "image", None)
    if image is not None and image not in state.positions:
        raise CommandError(f"Image {image} is not in this session; reload the session.")
    check(state, command)


def _running(state: SessionState) -> Narrowing | None:
    n = state.narrowing
    return n if n is not None and not n.finished else None


def _check_decide(state: SessionState, cmd: Decide) -> None:
    if cmd.decision not in CLIENT_DECISIONS:
        raise CommandError(f"Decide keep, drop or maybe, not {cmd.decision!r}.")
    n = _running(state)
    if n is None:
        return
    # The narrowing works on the keepers as they were when it started; changing them under it
    # would make "12 left to remove" wrong.
    if cmd.image in n.members:
        raise CommandError(
            f"Image {cmd.image} is being compared: choose in the comparison, undo, "
            "or stop comparing first."
        )
    if cmd.decision is Decision.KEEP:
        raise CommandError(
            f"Keepers are being narrowed to {n.target}: stop comparing before keeping more."
        )


def _check_undo(state: SessionState, cmd: Undo) -> None:
    if not state.can_undo:
        raise CommandError("There is nothing to undo.")


def _check_rank(state: SessionState, cmd: Rank) -> None:
    if decision_of(state, cmd.image) is not Decision.KEEP:
        raise CommandError(f"Only kept images can be ordered; keep image {cmd.image} first.")
    count = len(keepers(state))
    if not 0 <= cmd.position < count:
        raise CommandError(f"Position {cmd.position + 1} is outside 1 to {count}.")


def _check_note(state: SessionState, cmd: Note) -> None:
    text = cmd.text.strip()
    if len(text) > MAX_NOTE_CHARS:
        raise CommandError(f"The note has {len(text)} characters; keep it to {MAX_NOTE_CHARS}.")
    unknown = [t for t in cmd.tags if t not in RETOUCH_TAGS]
    if unknown:
        raise CommandError(f"Unknown retouch tag(s) {unknown}; use: {', '.join(RETOUCH_TAGS)}.")


def _check_narrow_start(state: SessionState, cmd: NarrowStart) -> None:
    n = _running(state)
    if n is not None:
        raise CommandError(
            f"A comparison is already running ({n.remaining} left to remove): "
            "finish it, stop it, or undo it first."
        )
    Narrowing.start(narrowing_order(state), cmd.target, cmd.group_size)  # raises if invalid


def _check_compare_pick(state: SessionState, cmd: ComparePick) -> None:
    n = _running(state)
    if n is None:
        raise CommandError("No comparison is in progress.")
    # The whole group is in the command, so a stale or doubled tap (which would otherwise
    # remove an image from the *next* comparison) is refused.
    others = n.others(cmd.keep)
    if cmd.keep not in n.group or len(cmd.drop) != len(others) or set(cmd.drop) != set(others):
        raise CommandError("That comparison is no longer on screen; choose again.")


def _check_narrow_stop(state: SessionState, cmd: NarrowStop) -> None:
    if state.narrowing is None:
        raise CommandError("No comparison is in progress.")


def _no_check(state: SessionState, cmd: Command) -> None:
    pass


_CHECKS: Mapping[type, Any] = {
    Decide: _check_decide,
    Undo: _check_undo,
    Favourite: _no_check,
    Rank: _check_rank,
    Note: _check_note,
    Show: _no_check,
    NarrowStart: _check_narrow_start,
    ComparePick: _check_compare_pick,
    NarrowStop: _check_narrow_stop,
}


# apply -------------------------------------------------------------------------------------
def apply(state: SessionState, command: Command) -> SessionState:
    """The state after `command`; CommandError (state unchanged) if it is invalid."""
    validate(state, command)
    if type(command) is Undo:
        return evolve(state, _undo(state))
    if type(command) is Show:
        return evolve(state, {"current": state.positions[command.image]})
    changed, image, undo = _APPLY[type(command)](state, command)
    changed["undo_stack"] = state.undo_stack.push(UndoStep(command, image, undo))
    return evolve(state, changed)


def replay(image_ids: Sequence[ImageId], commands: Iterable[Command]) -> SessionState:
    """The state the logged `commands` lead to, from a fresh session of `image_ids`."""
    state = SessionState.new(image_ids)
    for index, command in enumerate(commands):
        try:
            state = apply(state, command)
        except CommandError as error:
            raise ReplayError(str(error), index=index) from error
    return state


# Each returns (fields changed, image to show on undo, what to put back on undo).
def _decide(state: SessionState, cmd: Decide):
    p = state.positions[cmd.image]
    before = DECISION[state.decision_codes[p]]
    codes = with_decision(state.decision_codes, (p,), cmd.decision)
    return {"decision_codes": codes}, cmd.image, (("decision", cmd.image, before),)


def _favourite(state: SessionState, cmd: Favourite):
    before = cmd.image in state.favourites
    favourites = state.favourites | {cmd.image} if cmd.on else state.favourites - {cmd.image}
    return {"favourites": favourites}, cmd.image, (("favourite", cmd.image, before),)


def _rank(state: SessionState, cmd: Rank):
    order = list(keepers(state))
    order.remove(cmd.image)
    order.insert(cmd.position, cmd.image)
    # Only today's keepers: remembering every image ever ranked made the ranking grow to the
    # whole session, and every keepers() call scans it.
    return {"ranking": tuple(order)}, cmd.image, (("ranking", None, state.ranking),)


def _note(state: SessionState, cmd: Note):
    tags = tuple(t for t in RETOUCH_TAGS if t in cmd.tags)
    notes = state.notes.copy()
    if cmd.text.strip() or tags:
        notes[cmd.image] = RetouchNote(cmd.text.strip(), tags)
    else:
        notes.pop(cmd.image, None)
    return {"notes": MappingProxyType(notes)}, cmd.image, (("notes", None, state.notes),)


def _narrow_start(state: SessionState, cmd: NarrowStart):
    narrowing = Narrowing.start(narrowing_order(state), cmd.target, cmd.group_size)
    return {"narrowing": narrowing}, None, (("narrowing", None, state.narrowing),)


def _compare_pick(state: SessionState, cmd: ComparePick):
    narrowing = state.narrowing
    assert narrowing is not None  # validated
    after = narrowing.pick(cmd.keep)
    dropped = after.removed[len(narrowing.removed) :]
    positions = [state.positions[i] for i in dropped]
    codes = with_decision(state.decision_codes, positions, Decision.DROPPED_IN_COMPARISON)
    # Every image in a running narrowing is a keeper (see _check_decide), so undo keeps them.
    undo = (("narrowing", None, narrowing), *[("decision", i, Decision.KEEP) for i in dropped])
    return {"decision_codes": codes, "narrowing": after}, None, undo


def _narrow_stop(state: SessionState, cmd: NarrowStop):
    return {"narrowing": None}, None, (("narrowing", None, state.narrowing),)


_APPLY: Mapping[type, Any] = {
    Decide: _decide,
    Favourite: _favourite,
    Rank: _rank,
    Note: _note,
    NarrowStart: _narrow_start,
    ComparePick: _compare_pick,
    NarrowStop: _narrow_stop,
}


def _undo(state: SessionState) -> dict[str, Any]:
    step = state.undo_stack.top
    assert step is not None and state.undo_stack.rest is not None  # validated
    changed: dict[str, Any] = {"undo_stack": state.undo_stack.rest}
    if step.image is not None:
        changed["current"] = state.positions[step.image]
    for name, image, before in step.changes:
        if name == "decision":
            codes = changed.get("decision_codes", state.decision_codes)
            changed["decision_codes"] = with_decision(codes, (state.positions[image],), before)
        elif name == "favourite":
            favourites = state.favourites
            changed["favourites"] = favourites | {image} if before else favourites - {image}
        else:  # fields put back whole: ranking, notes, narrowing
            changed[name] = before
    return changed
