"""How many wall photos may arrive at once, and where they are decoded.

What must stay true: a session never stores more wall photos than its limit, however many
phones send at the same moment, and the kiosk never reads or decodes more than a few uploads
at once (the TV draws on the same machine). So a slot is taken before a byte of the body is
read, and the take is one step on the loop's thread (count, compare, add: no `await` in
between), released only after the photo is recorded or refused::

    gate = UploadGate(at_once=3, decoders=1)
    with gate.reserve(session_id, stored=count_wall_photos(store, session_id), limit=30):
        form = await read_form(request, limits)            # the body, spooled
        stored = await loop.run_in_executor(gate.decoders, decode_and_store)
        add_wall_photo(store, ...)                         # counted as stored from here

`reserve` raises `UploadsBusy` (answer 429 with `Retry-After: gate.retry_after`) when the
kiosk already takes `at_once` uploads, and `WallFull` (409) when the session's stored and
arriving photos reach the limit.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

AT_ONCE = 3  # one phone's retry and two others; a family sending ten waits its turn
DECODERS = 1  # one photo shrunk at a time: the TV keeps the other core
RETRY_SECONDS = 5


class UploadsBusy(Exception):
    """The kiosk is taking as many uploads as it may; try again in a few seconds."""


class WallFull(Exception):
    """The session's stored and arriving wall photos have reached its limit."""


class Slot:
    """One upload under way; leaving the `with` block gives the slot back."""

    def __init__(self, gate: UploadGate, session_id: int) -> None:
        self.gate = gate
        self.session_id = session_id
        self.open = True

    def release(self) -> None:
        if self.open:
            self.open = False
            self.gate._release(self.session_id)

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


class UploadGate:
    def __init__(
        self, at_once: int = AT_ONCE, decoders: int = DECODERS, retry_after: int = RETRY_SECONDS
    ) -> None:
        self.at_once = at_once
        self.retry_after = retry_after
        self.running = 0
        self.arriving: Counter[int] = Counter()  # session id -> uploads under way
        self.decoders = ThreadPoolExecutor(max_workers=decoders, thread_name_prefix="wall-photo")

    def reserve(self, session_id: int, *, stored: int, limit: int) -> Slot:
        """Take a slot for one upload to `session_id`, which has `stored` photos already.
        Call it on the loop's thread with `stored` counted just before (no await between)."""
        if stored + self.arriving[session_id] >= limit:
            raise WallFull()
        if self.running >= self.at_once:
            raise UploadsBusy()
        self.running += 1
        self.arriving[session_id] += 1
        return Slot(self, session_id)

    def _release(self, session_id: int) -> None:
        self.running -= 1
        self.arriving[session_id] -= 1
        if not self.arriving[session_id]:
            del self.arriving[session_id]

    def close(self) -> None:
        self.decoders.shutdown(wait=False, cancel_futures=True)
