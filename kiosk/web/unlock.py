"""The photographer's PIN in front of the Settings page: a paired tablet is not enough to
change the studio's mail password or its PIN, since a tablet may be left on the counter.

What must stay true: while a PIN is set, nothing of the settings is shown or saved for a
device until it typed the PIN; the unlock belongs to that one paired device (its session
token) and lapses after `OPEN_SECONDS`; wrong PINs are compared in constant time and a device
that sends `MOST_WRONG` of them waits `LOCKOUT_SECONDS` before the next try is even looked at.

    lock = PinLock(clock=time.time)
    lock.unlock(token, typed="1234", pin="1234")   # or PinRefused / TooManyWrongPins
    lock.is_open(token, pin="1234")                # True for OPEN_SECONDS
    lock.is_open(other_token, pin="1234")          # False: another device

A route behind the PIN takes `Depends(unlocked)` (reading) or `Depends(unlocked_same_site)`
(changing).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable

from fastapi import Depends, Request

from kiosk.core.errors import CommandError, CrossSiteRequest, TooManyWrongCodes
from kiosk.web.auth import paired, paired_same_site
from kiosk.web.context import reveal

OPEN_SECONDS = 10 * 60  # the page stays open this long after the PIN
MOST_WRONG = 5  # wrong PINs in a row before a device must wait
LOCKOUT_SECONDS = 60


class PinRefused(CommandError):
    """The PIN typed is not the kiosk's."""

    def __init__(self, left: int) -> None:
        super().__init__(
            f"That is not the kiosk's PIN. {left} more tries, then the page waits a minute."
        )


class TooManyWrongPins(TooManyWrongCodes):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.args = (f"Too many wrong PINs; wait {wait} seconds, then type the kiosk's PIN.",)

    def __str__(self) -> str:
        return str(self.args[0])


class PinLock:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._open_until: dict[str, float] = {}  # device key -> when its unlock lapses
        self._wrong: dict[str, int] = {}
        self._wait_until: dict[str, float] = {}

    def is_open(self, token: str, pin: str) -> bool:
        if not pin:
            return True
        return self._open_until.get(_key(token), 0.0) > self.clock()

    def unlock(self, token: str, typed: str, pin: str) -> None:
        key, now = _key(token), self.clock()
        waiting = self._wait_until.get(key, 0.0) - now
        if waiting > 0:
            raise TooManyWrongPins(math.ceil(waiting))
        if pin and not hmac.compare_digest(typed.encode(), pin.encode()):
            self._wrong[key] = self._wrong.get(key, 0) + 1
            if self._wrong[key] >= MOST_WRONG:
                self._wrong.pop(key)
                self._wait_until[key] = now + LOCKOUT_SECONDS
                raise TooManyWrongPins(LOCKOUT_SECONDS)
            raise PinRefused(MOST_WRONG - self._wrong[key])
        self._wrong.pop(key, None)
        self._open_until[key] = now + OPEN_SECONDS

    def lock(self, token: str) -> None:
        self._open_until.pop(_key(token), None)


def _key(token: str) -> str:
    """Kept by a hash of the token, as the pairing keeps tokens: never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class PinNeeded(CrossSiteRequest):
    """A settings route was asked before this device typed the PIN (403, like a refusal)."""

    def __init__(self) -> None:
        super().__init__()
        self.args = ("Type the kiosk's PIN first: the settings are behind it.",)

    def __str__(self) -> str:
        return str(self.args[0])


def pin_lock(request: Request) -> PinLock:
    state = request.app.state
    if getattr(state, "pin_lock", None) is None:
        state.pin_lock = PinLock(clock=reveal(request).pairing.clock)
    return state.pin_lock


async def unlocked(request: Request, token: str = Depends(paired)) -> str:
    if not pin_lock(request).is_open(token, reveal(request).studio.settings.pin):
        raise PinNeeded()
    return token


async def unlocked_same_site(request: Request, token: str = Depends(paired_same_site)) -> str:
    return await unlocked(request, token)
