"""Pairing a tablet with the kiosk: a short code on the TV buys a long token in a cookie.

The TV shows a 6-digit code (and a QR of `pair_url`); it changes every two minutes and after
each use. A tablet that sends it gets a session token (`secrets.token_urlsafe(32)`: 256 bits)
that expires after 12 hours and that `revoke_all` withdraws at once.

What must stay true: guesses never find the code, and guesses never lock the photographer
out. Guessing is slowed per client address (5 wrong codes a minute, then a lock-out) and
capped across all addresses: after 20 wrong codes, typed codes are paused (each answer the
same, so the pause tells a guesser nothing) until the code changes. The code does *not*
change because of guesses (it once did, so a few addresses could keep changing the code the
photographer was typing). Instead, two ways in always work:
- the QR code carries, beside the code, a 128-bit key that pairs without any typing and that
  no number of guesses can pause or find;
- a tap on the code on the TV (`fresh_code`) gives a new one; while wrong codes are
  arriving it is 9 digits long, with a budget of wrong guesses a thousand times larger, which
  even every address of a /24 network guessing at the per-address limit cannot use up
  before the code's two minutes are over.
The TV says when wrong codes are arriving (`wrong_codes_lately`, `typing_paused`).

No web or Kivy imports: the TV's overlay and the web routes call the same object, on the
asyncio loop's thread (which is Kivy's main thread). The clock is injectable for tests::

    pairing = Pairing(Devices(store))
    code = pairing.current_code()                 # the TV shows this
    token = pairing.pair(code, client="10.0.0.7")  # the tablet's cookie
    assert pairing.device(token) is not None
    pairing.revoke_all()                          # the kiosk's settings: forget every tablet
    pairing.fresh_code()                          # a tap on the TV's code
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections import deque
from collections.abc import Callable

from kiosk.core.errors import PairingError, TooManyWrongCodes
from kiosk.store.devices import Devices, PairedDevice

CODE_DIGITS = 6
CODE_SECONDS = 120
TOKEN_SECONDS = 12 * 3600  # a working day: the tablet pairs again the next morning
MIRROR_SECONDS = 12 * 3600
WRONG_CODES_PER_MINUTE = 5  # per client address; the next wrong one locks it out
LOCKOUT_SECONDS = 60
WRONG_CODES_PER_CODE = 20  # from all addresses together; then typed codes pause
LONG_CODE_DIGITS = 9  # a fresh code asked for while wrong codes are arriving
ATTACK_SECONDS = 300  # wrong codes within this long mean "wrong codes are arriving"
ATTACK_WRONG_CODES = 10  # this many of them, from all addresses together
QR_KEY_BYTES = 16  # the QR's key: 128 bits, short enough for a QR a phone reads across a room
FOUND_CACHE = 256  # paired devices remembered in memory; a studio has a handful

REMOTE = "remote"
MIRROR = "mirror"

PAUSED = (
    "Wrong codes have been arriving from the network, so typed codes are paused. Scan the QR "
    "code on the TV with this tablet's camera, or tap the code on the TV for a fresh one and "
    "enter that."
)

Clock = Callable[[], float]
Listener = Callable[["Pairing"], None]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Pairing:
    def __init__(
        self,
        devices: Devices,
        *,
        clock: Clock = time.time,
        code_seconds: float = CODE_SECONDS,
        token_seconds: float = TOKEN_SECONDS,
        mirror_seconds: float = MIRROR_SECONDS,
        lockout_seconds: float = LOCKOUT_SECONDS,
    ) -> None:
        self.devices = devices
        self.clock = clock
        self.code_seconds = code_seconds
        self.token_seconds = token_seconds
        self.mirror_seconds = mirror_seconds
        self.lockout_seconds = lockout_seconds
        self._code = ""
        self._code_expires = 0.0
        self._key = ""  # the QR's key for the current code
        self._wrong_for_code = 0
        self._budget = WRONG_CODES_PER_CODE  # wrong codes the current code tolerates
        # Every wrong code lately, from anywhere (bounded: a flood must not fill the memory).
        self._wrong_times: deque[float] = deque(maxlen=100_000)
        self._failures: dict[str, deque[float]] = {}  # client address -> times of wrong codes
        self._locked_until: dict[str, float] = {}
        self._mirror: tuple[str, float] | None = None  # the mirror link the TV shows
        # Token hash -> device, for the devices found so far. Every request and every open
        # websocket asks on every change, and the database answer took most of a command's
        # time with a dozen pages open. Only hits are kept (guesses must not fill it), and every
        # removal goes through this object, which forgets them too.
        self._found: dict[str, PairedDevice] = {}
        self._listeners: list[Listener] = []
        devices.remove_expired(clock())

    @classmethod
    def for_store(cls, store, **options) -> Pairing:
        """The usual way to make one: `Pairing.for_store(studio.store)`."""
        return cls(Devices(store), **options)

    def subscribe(self, listener: Listener) -> None:
        """`listener(pairing)` runs after a tablet pairs, after a revocation, whenever the
        code changes early (used, or a fresh one asked for) and when wrong codes start
        arriving or typed codes pause. The code also changes on its own
        every `code_seconds`: the TV reads `code_seconds_left()` to know when to look again."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _announce(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    # the code the TV shows ---------------------------------------------------------------
    def current_code(self) -> str:
        now = self.clock()
        if not self._code or now >= self._code_expires:
            self._new_code(now, self._digits())
        return self._code

    def code_seconds_left(self) -> int:
        self.current_code()
        return max(0, math.ceil(self._code_expires - self.clock()))

    def pair_url(self, base: str) -> str:
        """What the TV's QR code holds, e.g. http://192.168.1.20:8470/pair?code=123456&key=...
        The key pairs on its own, whatever guesses have paused."""
        code = self.current_code()
        return f"{base.rstrip('/')}/pair?code={code}&key={self._key}"

    def fresh_code(self) -> str:
        """A new code at once (the photographer tapped the code on the TV). While wrong codes
        are arriving it is longer (LONG_CODE_DIGITS), with a budget to match."""
        self._new_code(self.clock(), self._digits())
        self._announce()
        return self._code

    def _digits(self) -> int:
        """How long the next code is: longer while wrong codes are arriving."""
        return LONG_CODE_DIGITS if self.wrong_codes_lately() else CODE_DIGITS

    def wrong_codes_lately(self) -> int:
        """How many wrong codes arrived in the last ATTACK_SECONDS, from all addresses, when
        that is enough to tell the photographer (else 0)."""
        self._forget_old_wrong(self.clock())
        count = len(self._wrong_times)
        return count if count >= ATTACK_WRONG_CODES else 0

    @property
    def typing_paused(self) -> bool:
        """Whether typed codes are refused until the code changes (QR and a fresh code work)."""
        self.current_code()
        return self._wrong_for_code >= self._budget

    def _new_code(self, now: float, digits: int = CODE_DIGITS) -> None:
        previous = self._code
        while self._code == previous:  # a "new" code equal to the old one would not be new
            self._code = f"{secrets.randbelow(10**digits):0{digits}d}"
        self._code_expires = now + self.code_seconds
        self._key = secrets.token_urlsafe(QR_KEY_BYTES)
        self._wrong_for_code = 0
        # The same odds of a guess finding the code, whatever its length.
        self._budget = WRONG_CODES_PER_CODE * 10 ** (digits - CODE_DIGITS)

    def _forget_old_wrong(self, now: float) -> None:
        while self._wrong_times and self._wrong_times[0] <= now - ATTACK_SECONDS:
            self._wrong_times.popleft()

    # pairing a tablet --------------------------------------------------------------------
    def pair(self, code: str, client: str, name: str = "", key: str = "") -> str:
        """The session token for a tablet at address `client` that typed `code` (or opened
        the QR's link, which sends its `key` too).

        Raises PairingError for a wrong or expired code or while typed codes are paused, and
        TooManyWrongCodes while `client` is locked out (then even the right code is refused:
        it would otherwise be found by trying every code in turn). The QR's key is never
        refused: 128 bits are not found by trying."""
        now = self.clock()
        expected = self.current_code()
        if key and hmac.compare_digest(str(key).encode(), self._key.encode()):
            return self._paired(client, name, now)
        wait = self.lockout_left(client)
        if wait:
            raise TooManyWrongCodes(wait)
        typed = "".join(c for c in str(code) if c not in " -")  # "123 456" as people read it
        if self._wrong_for_code >= self._budget:
            self._wrong(client, now)
            raise PairingError(PAUSED)
        if not hmac.compare_digest(typed.encode(), expected.encode()):
            self._wrong(client, now)
            if self._wrong_for_code >= self._budget:
                raise PairingError(PAUSED)
            raise PairingError(
                "That is not the code the TV shows; it changes every 2 minutes and after each "
                "use. Enter the code the TV shows now."
            )
        return self._paired(client, name, now)

    def _paired(self, client: str, name: str, now: float) -> str:
        self._failures.pop(client, None)
        token = secrets.token_urlsafe(32)
        self.devices.add(hash_token(token), REMOTE, name[:200], now, now + self.token_seconds)
        self._new_code(now, self._digits())  # single use: the next tablet needs the next code
        self._announce()
        return token

    def lockout_left(self, client: str) -> int:
        """Seconds `client` must still wait before trying a code again (0: it may)."""
        until = self._locked_until.get(client)
        if until is None:
            return 0
        left = until - self.clock()
        if left <= 0:
            del self._locked_until[client]
            return 0
        return math.ceil(left)

    def _wrong(self, client: str, now: float) -> None:
        window_start = now - 60
        for address in list(self._failures):  # forget addresses that stopped guessing
            times = self._failures[address]
            while times and times[0] <= window_start:
                times.popleft()
            if not times:
                del self._failures[address]
        times = self._failures.setdefault(client, deque())
        times.append(now)
        was_arriving = bool(self.wrong_codes_lately())
        self._wrong_times.append(now)
        self._wrong_for_code += 1
        # Tell the TV when it starts, and when typing pauses; not on every guess.
        if self._wrong_for_code == self._budget or (not was_arriving and self.wrong_codes_lately()):
            self._announce()
        if len(times) >= WRONG_CODES_PER_MINUTE:
            del self._failures[client]
            self._locked_until[client] = now + self.lockout_seconds
            raise TooManyWrongCodes(math.ceil(self.lockout_seconds))

    # checking a token --------------------------------------------------------------------
    def device(self, token: str | None, kind: str = REMOTE) -> PairedDevice | None:
        """The paired device holding `token`, if it is of `kind` and has not expired or
        been revoked; else None."""
        if not token or len(token) > 128:
            return None
        token_hash = hash_token(token)
        found = self._found.get(token_hash)
        if found is None:
            found = self.devices.find(token_hash)
            if found is not None and len(self._found) < FOUND_CACHE:
                self._found[token_hash] = found
        if found is None or found.kind != kind or found.expires_at <= self.clock():
            return None
        return found

    def csrf_token(self, token: str) -> str:
        """The value the remote page sends back in a header with every change it asks for:
        bound to the session, and unknown to another site even though the cookie is sent."""
        return hmac.new(token.encode(), b"reveal csrf", hashlib.sha256).hexdigest()

    def csrf_ok(self, token: str, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(self.csrf_token(token).encode(), sent.encode())

    # the view-only mirror ----------------------------------------------------------------
    def mirror_token(self) -> str:
        """A token for a view-only mirror page; the same one until it is near its expiry."""
        now = self.clock()
        if self._mirror is None or self._mirror[1] - now < 3600:
            token = secrets.token_urlsafe(32)
            expires = now + self.mirror_seconds
            self.devices.add(hash_token(token), MIRROR, "mirror", now, expires)
            self._mirror = (token, expires)
        return self._mirror[0]

    def mirror_url(self, base: str) -> str:
        return f"{base.rstrip('/')}/mirror/{self.mirror_token()}"

    # forgetting devices ------------------------------------------------------------------
    def paired_devices(self) -> list[PairedDevice]:
        """The tablets paired now (for the kiosk's settings: "2 tablets paired")."""
        now = self.clock()
        return [d for d in self.devices.all(REMOTE) if d.expires_at > now]

    def unpair(self, token: str) -> None:
        """Forget one device (the tablet's own "Unpair")."""
        found = self.devices.find(hash_token(token))
        self._found.pop(hash_token(token), None)
        if found is not None:
            self.devices.remove(found.id)
            self._announce()

    def revoke_kinds(self, *kinds: str) -> int:
        """Forget every device of these kinds at once (the room displays when the TV shows
        another session); their open pages are closed. Returns how many were forgotten."""
        gone = [d for d in self.devices.all() if d.kind in kinds]
        for found in gone:
            self.devices.remove(found.id)
        self._found = {h: d for h, d in self._found.items() if d.kind not in kinds}
        if gone:
            self._announce()
        return len(gone)

    def revoke_all(self) -> int:
        """Forget every paired tablet and mirror link at once; connected pages are closed.
        Returns how many were forgotten. The code changes too."""
        forgotten = self.devices.remove_all()
        self._found.clear()
        self._mirror = None
        self._new_code(self.clock(), self._digits())
        self._announce()
        return forgotten
