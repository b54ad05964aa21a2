"""The room display's links: who may watch, and until when.

A link is `/display/<token>` with a `secrets.token_urlsafe(32)` token (256 bits), stored only
as its SHA-256 among the paired devices (kiosk/store/devices.py), so a copy of the database lets
no one in. Two kinds:
- `display`: the room's second screen (the TV on the wall, a stick PC); the same link for 12
  hours, shown on the TV's pairing panel and opened by `main.py display`;
- `call`: sent from the tablet to a client on a video call; valid until the end of that day,
  and its pages get lighter previews (`CALL_EDGE` pixels).

What must stay true: nothing a link reaches changes anything (its routes only read), and every
link ends at once when the TV shows another session (`end_all`) or the photographer forgets
all tablets (`Pairing.revoke_all` removes every device). The clock is the pairing's::

    links = DisplayLinks.of(pairing)
    url = links.display_url(base)              # the TV's panel and `main.py display`
    links.kind(url.rsplit("/", 1)[1])          # "display"
    links.end_all()                            # another client: every display goes dark

A link may say how large the screen that opens it is (`with_diagonal(url, "65")` adds
`?diagonal=65`): that screen then shows the actual-size print at its true size
(kiosk/web/static/display.js works out its pixels per inch).
"""

from __future__ import annotations

import re
import secrets
import weakref
from datetime import datetime, timedelta

from kiosk.core.errors import CalibrationError
from kiosk.web.pairing import Pairing, hash_token

DISPLAY = "display"
CALL = "call"
KINDS = (DISPLAY, CALL)
DISPLAY_SECONDS = 12 * 3600  # a working day, as the mirror
RENEW_SECONDS = 3600  # the TV shows a new link when the old one has less than this left
CALL_EDGE = 1600  # px: previews for a client at home, sharper than a screen share
DIAGONAL = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*(cm|in|inch|inches|\"|″)?\s*", re.IGNORECASE)
CM_PER_INCH = 2.54
MIN_DIAGONAL, MAX_DIAGONAL = 7.0, 200.0  # inches: a small tablet to a projection screen
TOKEN = re.compile(r"[A-Za-z0-9_-]{40,64}")  # token_urlsafe(32) is 43 characters

_OF: weakref.WeakKeyDictionary[Pairing, DisplayLinks] = weakref.WeakKeyDictionary()


class DisplayLinks:
    def __init__(self, pairing: Pairing) -> None:
        self.pairing = pairing
        self._display: tuple[str, float] | None = None  # the link the TV shows now

    @classmethod
    def of(cls, pairing: Pairing) -> DisplayLinks:
        """The one shared by the TV's panel and the web pages, so both show the same link."""
        links = _OF.get(pairing)
        if links is None:
            links = _OF[pairing] = cls(pairing)
        return links

    def kind(self, token: str) -> str | None:
        """`display` or `call` for a link that may watch now; None for anything else (a tablet's
        own token included: a display link and a control token are never the same thing)."""
        if not TOKEN.fullmatch(token or ""):
            return None
        for kind in KINDS:
            if self.pairing.device(token, kind) is not None:
                return kind
        return None

    def display_token(self) -> str:
        """The room display's token: the same one until it is near its expiry or ended."""
        now = self.pairing.clock()
        shown = self._display
        if (
            shown is None
            or shown[1] - now < RENEW_SECONDS
            or self.pairing.device(shown[0], DISPLAY) is None
        ):
            token = self._issue(DISPLAY, "room display", now + DISPLAY_SECONDS)
            shown = self._display = (token, now + DISPLAY_SECONDS)
        return shown[0]

    def display_url(self, base: str) -> str:
        return f"{base.rstrip('/')}/display/{self.display_token()}"

    def call_url(self, base: str) -> str:
        """A new link for a client on a video call, valid until midnight (the kiosk's time)."""
        now = self.pairing.clock()
        midnight = datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
        until = (midnight + timedelta(days=1)).timestamp()
        return f"{base.rstrip('/')}/display/{self._issue(CALL, 'video call', until)}"

    def end_all(self, *_why: object) -> int:
        """Every display and call link ends now; their open pages go dark. A listener of
        `RevealApp.session_listeners` (called with the new session and client)."""
        self._display = None
        return self.pairing.revoke_kinds(*KINDS)

    def _issue(self, kind: str, name: str, expires: float) -> str:
        token = secrets.token_urlsafe(32)
        self.pairing.devices.add(hash_token(token), kind, name, self.pairing.clock(), expires)
        return token


def diagonal_inches(text: str) -> float:
    """A screen's diagonal as a person writes it ("65", "65 in", '65"', "165cm"), in inches."""
    match = DIAGONAL.fullmatch(text or "")
    if match is None:
        raise CalibrationError(
            f"“{text}” is not a screen size. Type its diagonal: 65 for a 65-inch screen, or 165cm."
        )
    value = float(match.group(1).replace(",", "."))
    inches = value / CM_PER_INCH if (match.group(2) or "").lower() == "cm" else value
    if not MIN_DIAGONAL <= inches <= MAX_DIAGONAL:
        raise CalibrationError(
            f"A diagonal of {text.strip()} cannot be right: screens measure {MIN_DIAGONAL:g} to "
            f"{MAX_DIAGONAL:g} inches across. Type the size printed on it, for example 65."
        )
    return inches


def with_diagonal(url: str, text: str) -> str:
    """`url` for a screen of the diagonal written in `text` ("" leaves it as it is), as the
    person wrote it: "165cm" stays in centimetres. Raises CalibrationError for no screen."""
    if not (text or "").strip():
        return url
    diagonal_inches(text)
    written = re.sub(r"\s+", "", text).replace(",", ".").lower()
    written = re.sub(r'(in|inch|inches|"|″)$', "", written)
    return f"{url}?diagonal={written}"
