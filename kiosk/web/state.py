"""What the websockets send: the remote's full state and the mirror's view-only subset.

Always the whole state, never a diff: a tablet that reconnects (or missed a message) is right
again with the next one. Private notes are only ever put in `remote_state`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from kiosk.core import selection
from kiosk.live import SCREENS, LiveSession
from kiosk.web.cart_state import cart_state


def remote_state(
    live: LiveSession,
    private_notes: Mapping[int, str],
    revision: int,
    client: str,
    music: Any = None,
) -> dict[str, Any]:
    state = live.state
    counts = live.counts()
    undoable = selection.last_undoable(state)
    narrowing = state.narrowing
    # Rendered once per change for every open page, over every image of the session: the
    # loop reads the state's own tables rather than asking per image.
    codes, positions, notes, favourites = (
        state.decision_codes,
        state.positions,
        state.notes,
        state.favourites,
    )
    values: dict[int, str | None] = {}  # decision code -> its JSON value
    images = []
    for image in live.images:
        image_id = image.id
        code = codes[positions[image_id]]
        if code not in values:
            decision = live.decision(image_id)
            values[code] = decision.value if decision else None
        note = notes.get(image_id)
        images.append(
            {
                "id": image_id,
                "position": image.position,
                "name": image.file_name,
                "decision": values[code],
                "favourite": image_id in favourites,
                "note": {"text": note.text, "tags": list(note.tags)} if note else None,
                "private_note": private_notes.get(image_id, ""),
            }
        )
    return {
        "type": "state",
        "rev": revision,
        "client": client,
        "screen": live.screen,
        "screens": list(SCREENS),
        "playing": live.playing,
        "current": state.current_image,
        "counts": {**asdict(counts), "total": counts.total},
        "can_undo": live.can_undo,
        "problem": live.write_error,  # a change the kiosk could not save, said until one is
        "undo": undoable.kind if undoable else None,
        "comparing": (
            {"target": narrowing.target, "remaining": narrowing.remaining}
            if narrowing is not None and not narrowing.finished
            else None
        ),
        "images": images,
        "cart": cart_state(live),
        "music": music.state() if music is not None else None,  # kiosk.ui.music
    }


def mirror_state(live: LiveSession, revision: int, client: str) -> dict[str, Any]:
    """What the TV shows, and nothing the client may not see: no notes of any kind."""
    if live.screen == "welcome":  # between clients: nothing of this one
        return {
            "type": "mirror",
            "rev": revision,
            "client": "",
            "screen": "welcome",
            "playing": True,
            "current": None,
            "position": 0,
            "total": 0,
            "decision": None,
        }
    current = live.current_image
    decision = live.decision(current.id) if current else None
    return {
        "type": "mirror",
        "rev": revision,
        "client": client,
        "screen": live.screen,
        "playing": live.playing,
        "current": current.id if current else None,
        "position": current.position if current else 0,
        "total": len(live.images),
        "decision": decision.value if decision else None,
    }
