"""The remote's commands: the touch screen's own selection commands, plus three of its own.

A selection or cart command (as `kiosk.core.selection` and `kiosk.core.cart` spell them in
JSON) goes through LiveSession exactly as a touch does, logged with the actor "remote". That
actor is what lets the photographer give a studio discount, which the touch screen may not:

    {"kind": "apply_promo", "code": "FAMILY10"}       from the TV or here
    {"kind": "remove_promo", "code": "FAMILY10"}
    {"kind": "set_studio_discount", "percent": 10, "amount": null, "reason": "loyal client"}
    {"kind": "set_studio_discount", "percent": null, "amount": null}     takes it off

The remote adds:

    {"kind": "screen", "name": "select"}      which screen the TV shows (kiosk.live.SCREENS)
    {"kind": "play", "on": false}             pause or play the slideshow
    {"kind": "private_note", "image": 7, "text": "..."}   the photographer's own note
    {"kind": "music", "volume": 0.6}          the slideshow music's volume, 0 to 1
    {"kind": "music", "muted": true}          and its mute (either field, or both)

Anything else, or any field of the wrong type, raises CommandError and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kiosk.core import selection
from kiosk.core.cart import CART_COMMANDS, STUDIO_DISCOUNT_ACTORS
from kiosk.core.errors import CommandError
from kiosk.core.selection import Decide
from kiosk.live import Ack, LiveSession, command_from_json
from kiosk.store.private_notes import PrivateNotes

PRIVATE_NOTE_CHARS = 1000
ACTOR = "remote"  # who the event log says did it; kiosk.core.cart trusts it with discounts
assert ACTOR in STUDIO_DISCOUNT_ACTORS

# kind -> {field: JSON type}
REMOTE_ONLY: Mapping[str, Mapping[str, type]] = {
    "screen": {"name": str},
    "play": {"on": bool},
    "private_note": {"image": int, "text": str},
    "music": {"volume": float, "muted": bool},  # either field, or both
}


class RemoteCommands:
    def __init__(
        self,
        live: LiveSession,
        private_notes: PrivateNotes,
        announce: Callable[[], None],
        music: Any = None,
    ) -> None:
        self.live = live
        self.music = music  # the TV's SlideshowMusic (kiosk.ui.music); None without a TV
        self.private_notes = private_notes
        self.announce = announce  # private notes change outside LiveSession: tell the views

    def run(self, data: Any) -> Ack | None:
        """Carry out a command; the receipt of a logged one, to await until it is durable."""
        if not isinstance(data, dict):
            raise CommandError(f"A command must be a JSON object, not {data!r}.")
        kind = data.get("kind")
        if kind == "music":
            self._music(data)
            return None
        if kind in REMOTE_ONLY:
            values = _fields(kind, data)
            if kind == "screen":
                self.live.set_screen(values["name"])
            elif kind == "play":
                self.live.set_playing(values["on"])
            else:
                self._private_note(values["image"], values["text"])
            return None
        if kind not in selection.COMMANDS and kind not in CART_COMMANDS:
            known = ", ".join([*selection.COMMANDS, *CART_COMMANDS, *REMOTE_ONLY])
            raise CommandError(f"Unknown command {kind!r}; known: {known}.")
        command = command_from_json(data)  # the photographer can edit the cart too
        if type(command) is Decide and command.image == self.live.state.current_image:
            # Deciding on the image on the TV moves on, as a swipe does; deciding on another
            # one (from the grid) must not pull the TV away from what the client looks at.
            return self.live.decide(command.image, command.decision, actor=ACTOR)
        return self.live.do(command, actor=ACTOR)

    def _private_note(self, image_id: int, text: str) -> None:
        if image_id not in self.live.by_id:
            raise CommandError(f"Image {image_id} is not in this session; reload the remote.")
        text = text.strip()
        if len(text) > PRIVATE_NOTE_CHARS:
            raise CommandError(
                f"The private note has {len(text)} characters; keep it to {PRIVATE_NOTE_CHARS}."
            )
        self.private_notes.set(image_id, text)
        self.announce()

    def _music(self, data: dict[str, Any]) -> None:
        extra = sorted(k for k in data if k not in ("kind", "volume", "muted"))
        if extra or len(data) == 1:
            raise CommandError(
                "A 'music' command takes 'volume' (0 to 1) and/or 'muted' (true or false)"
                + (f", not {extra}." if extra else ".")
            )
        volume, muted = data.get("volume"), data.get("muted", False)
        if "volume" in data and (
            type(volume) not in (int, float) or not 0 <= volume <= 1  # type(): True is no volume
        ):
            raise CommandError(
                f"The music's 'volume' must be a number from 0 to 1, not {volume!r}."
            )
        if type(muted) is not bool:
            raise CommandError(f"The music's 'muted' must be true or false, not {muted!r}.")
        if self.music is None:
            raise CommandError("This kiosk has no TV playing music; nothing was changed.")
        if "volume" in data:
            self.music.set_volume(volume)
        if "muted" in data:
            self.music.set_muted(muted)


def _fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    spec = REMOTE_ONLY[kind]
    extra = sorted(k for k in data if k != "kind" and k not in spec)
    if extra:
        raise CommandError(f"A '{kind}' command has unexpected field(s): {extra}.")
    values = {}
    for name, expected in spec.items():
        if name not in data:
            raise CommandError(f"A '{kind}' command needs the field '{name}'.")
        value = data[name]
        if type(value) is not expected:  # type(): True is not an int here
            raise CommandError(
                f"In a '{kind}' command, '{name}' must be {expected.__name__}, not {value!r}."
            )
        values[name] = value
    return values
