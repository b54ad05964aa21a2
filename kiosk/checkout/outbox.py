"""The durable outbox: every e-mail is stored whole before it is sent, and sent until a server
takes it or refuses it for good.

    entry = enqueue(store, message, kind="invoice", invoice=42)   # BadAddress: nothing stored
    report = send_due(store, smtp_settings)                       # in a worker thread
    sender = OutboxSender(studio.paths.database); sender.start()  # on the asyncio loop

States (`OutboxEntry.status`): "queued" waits for `next_attempt`; "sending" is being sent (or
its sender stopped; after its lease another sender takes it); "sent" once the server replied
250 to the message; "failed" when it answered 5xx (the reason is in `last_error`); "held" when
two attempts were cut off while the server was receiving the message, so that a third could
make a third copy: a person checks with the client and calls `requeue`.

The guarantee (docs/checkout.md): a message is marked sent only after the server accepted it;
if the app dies between the server's acceptance and that mark, it is sent once more with the
same bytes and Message-ID, and never more than once more. Connection failures and 4xx replies
are retried with exponential backoff (30 s doubling to an hour), without end.
"""

from __future__ import annotations

import asyncio
import json
import logging
import smtplib
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, make_msgid
from pathlib import Path

from kiosk.checkout.addresses import check_address
from kiosk.checkout.smtp import SmtpTransport, connection_error_text
from kiosk.core.errors import BadAddress
from kiosk.core.mail import OutboxEntry, SmtpSettings
from kiosk.store import checkout as tables
from kiosk.store.db import Store

log = logging.getLogger(__name__)

BACKOFF_FIRST = 30.0
BACKOFF_MOST = 3600.0
LEASE = 300.0  # longer than any one message takes to send


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: 30, 60, 120 ... up to an hour."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MOST)


def recipients_of(message: Message) -> tuple[str, list[str]]:
    """(sender, recipients) from From, To and Cc, each checked; BadAddress for the first bad
    one. Bcc is not supported: it would be stored in the message."""
    if message["Bcc"]:
        raise BadAddress(str(message["Bcc"]), "Bcc is not supported; send a separate message.")
    senders = getaddresses([str(v) for v in message.get_all("From", [])])
    if len(senders) != 1:
        raise BadAddress(str(message["From"] or ""), "a message needs exactly one From address.")
    sender = check_address(senders[0][1] or str(message["From"]))
    fields = [str(v) for key in ("To", "Cc") for v in message.get_all(key, [])]
    recipients = [check_address(address) for _, address in getaddresses(fields)]
    if not recipients:
        raise BadAddress("", "the message has no recipient.")
    return sender, recipients


@dataclass(frozen=True)
class Prepared:
    """A message checked and serialised, ready to store: what `enqueue` writes. Making it is
    the slow part (a megabyte of attachments through the email package's generator takes
    tens of milliseconds), so a caller on the UI thread makes it in a worker first."""

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    subject: str
    data: bytes
    kind: str = "other"
    invoice: int | None = None


def prepare(
    message: EmailMessage | bytes, *, kind: str = "other", invoice: int | None = None
) -> Prepared:
    """Check every address (BadAddress) and fix the bytes every attempt will send. A message
    without a Message-ID gets one here. Needs no database: any thread may call it."""
    if isinstance(message, bytes):
        message = message_from_bytes(message, policy=policy.SMTP)
    sender, recipients = recipients_of(message)
    if not message["Message-ID"]:
        message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[1])
    return Prepared(
        message_id=str(message["Message-ID"]).strip(),
        sender=sender,
        recipients=tuple(recipients),
        subject=str(message["Subject"] or ""),
        data=message.as_bytes(policy=policy.SMTP),
        kind=kind,
        invoice=invoice,
    )


def enqueue(
    store: Store,
    message: EmailMessage | bytes | Prepared,
    *,
    kind: str = "other",
    invoice: int | None = None,
    now: float | None = None,
) -> OutboxEntry:
    """Store a message for sending; it is durable when this returns. Every address is checked
    first (BadAddress, nothing stored). A message without a Message-ID gets one here, so every
    attempt sends the same bytes. Queueing the same Message-ID again returns the stored one."""
    if not isinstance(message, Prepared):
        message = prepare(message, kind=kind, invoice=invoice)
    return enqueue_all(store, [message], now=now)[0]


def enqueue_all(
    store: Store, messages: Sequence[Prepared], *, now: float | None = None
) -> list[OutboxEntry]:
    """Store prepared messages in one transaction (one disk sync): all of them, or none."""
    now = time.time() if now is None else now
    rows = [
        {
            "message_id": m.message_id,
            "kind": m.kind,
            "invoice": m.invoice,
            "sender": m.sender,
            "recipients": json.dumps(list(m.recipients)),
            "subject": m.subject,
            "message": m.data,
            "status": "queued",
            "attempts": 0,
            "in_doubt": 0,
            "last_error": "",
            "next_attempt": now,
            "lease_until": 0.0,
            "created": now,
            "sent_at": None,
        }
        for m in messages
    ]
    return [tables.outbox_entry(store, i) for i in tables.outbox_insert_all(store, rows)]


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    retrying: int = 0  # tried and left queued for later
    failed: int = 0
    held: int = 0
    error: str = ""  # the server could not be used at all (connection, login)


def send_due(
    store: Store,
    smtp: SmtpSettings,
    now: float | None = None,
    *,
    lease: float = LEASE,
    transport: Callable[[SmtpSettings], SmtpTransport] = SmtpTransport,
) -> SendReport:
    """Send every message whose time has come, over one connection. Blocking: run it in a
    worker thread. `now` (seconds since the epoch) decides what is due and the next attempts."""
    now = time.time() if now is None else now
    counts = {"sent": 0, "retrying": 0, "failed": 0, "held": 0}
    connection: SmtpTransport | None = None
    error = ""
    try:
        while True:
            claimed = tables.outbox_claim(store, now, lease)
            if claimed is None:
                break
            entry, data = claimed
            if entry.in_doubt >= 2:
                tables.outbox_record(
                    store,
                    entry.id,
                    status="held",
                    error=(
                        "Sending was cut off twice while the server was receiving this message, "
                        "so the client may already have it (perhaps twice). Check with them, "
                        "then send it again if they do not."
                    ),
                )
                counts["held"] += 1
                continue
            if connection is None:
                connection = transport(smtp)
                try:
                    connection.open()
                except (OSError, smtplib.SMTPException) as exc:
                    error = connection_error_text(exc, smtp)
                    _retry(store, entry, now, error)
                    counts["retrying"] += 1
                    connection = None
                    # The server is unusable: say so on everything else waiting, too.
                    tables.outbox_delay_due(store, now, error, now + backoff(1))
                    break
            outcome = _send_one(store, connection, entry, data, now, smtp)
            counts[outcome] += 1
            if outcome == "retrying" and connection.smtp is None:
                break  # the connection broke: the rest wait for the next round
    finally:
        if connection is not None:
            connection.close()
    return SendReport(error=error, **counts)


def _send_one(
    store: Store,
    connection: SmtpTransport,
    entry: OutboxEntry,
    data: bytes,
    now: float,
    smtp: SmtpSettings,
) -> str:
    try:
        refused = connection.envelope(entry.sender, entry.recipients)
        if refused is not None:
            code, reply = refused
            return _answered(store, entry, now, code, reply, resolved=False)
        tables.outbox_data_started(store, entry.id)
        code, reply = connection.data(data)
    except (OSError, smtplib.SMTPException) as exc:
        # Cut off, perhaps after the server took the message: the attempt stays in doubt.
        connection.abandon()
        _retry(store, entry, now, connection_error_text(exc, smtp))
        return "retrying"
    return _answered(store, entry, now, code, reply, resolved=True)


def _answered(
    store: Store, entry: OutboxEntry, now: float, code: int, reply: str, *, resolved: bool
) -> str:
    if code == 250:
        tables.outbox_record(
            store,
            entry.id,
            status="sent",
            sent_at=now,
            resolved=True,
            invoice_status=(entry.invoice, "emailed", ("confirmed",))
            if entry.kind == "invoice" and entry.invoice is not None
            else None,
        )
        return "sent"
    text = f"The mail server answered {code} {reply.strip()}"
    if 500 <= code < 600:
        tables.outbox_record(
            store,
            entry.id,
            status="failed",
            error=f"{text}. It will not be retried; check the address and send a new message.",
            resolved=resolved,
        )
        return "failed"
    _retry(store, entry, now, f"{text}. Retrying.", resolved=resolved)
    return "retrying"


def _retry(
    store: Store, entry: OutboxEntry, now: float, error: str, *, resolved: bool = False
) -> None:
    tables.outbox_record(
        store,
        entry.id,
        status="queued",
        error=error,
        next_attempt=now + backoff(entry.attempts),
        resolved=resolved,
    )


def entries(
    store: Store, *, status: str | None = None, invoice: int | None = None, kind: str | None = None
):
    """The outbox, oldest first (for the kiosk's and the remote's outbox view)."""
    return tables.outbox_entries(store, status=status, invoice=invoice, kind=kind)


def message_bytes(store: Store, entry_id: int) -> bytes:
    """The stored message, exactly as it is (or was) sent."""
    return tables.outbox_message(store, entry_id)


def requeue(store: Store, entry_id: int, now: float | None = None) -> bool:
    """Send a held or failed message again, now. Returns False for any other state."""
    return tables.outbox_requeue(store, entry_id, time.time() if now is None else now)


def describe(entry: OutboxEntry, now: float | None = None) -> str:
    """One line for the outbox view: "Queued: 3 attempts; next in 2 min. Last error: ..."."""
    now = time.time() if now is None else now
    if entry.status == "sent":
        return "Sent" + (" (an earlier attempt may also have arrived)" if entry.in_doubt else "")
    if entry.status in ("failed", "held"):
        return f"{entry.status.capitalize()}: {entry.last_error}"
    if entry.status == "sending":
        return "Sending…"
    tries = f"{entry.attempts} attempt{'s' if entry.attempts != 1 else ''}"
    wait = max(0, entry.next_attempt - now)
    when = (
        "now" if wait < 1 else f"in {round(wait)} s" if wait < 90 else f"in {round(wait / 60)} min"
    )
    last = f" Last error: {entry.last_error}" if entry.last_error else ""
    return f"Queued: {tries}; next {when}.{last}" if entry.attempts else f"Queued.{last}"


# ----------------------------------------------------------------------------------------------
class OutboxSender:
    """Runs `send_due` every `interval` seconds in its own thread, which owns its own Store,
    and at once after `wake()`. Start it on the running asyncio loop (the Kivy app's)::

        sender = OutboxSender(studio.paths.database)
        sender.subscribe(lambda report: ...)   # called on the loop after each round
        sender.start()
        ...
        sender.wake()                          # just queued an invoice
        await sender.stop()

    SMTP settings are read from the studio database each round (kiosk.checkout.settings),
    unless `smtp` is given; without any, nothing is sent and the messages wait."""

    def __init__(
        self,
        database: Path,
        *,
        smtp: SmtpSettings | None = None,
        interval: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database = Path(database)
        self.smtp = smtp
        self.interval = interval
        self.clock = clock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox")
        self._local = threading.local()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._listeners: list[Callable[[SendReport], None]] = []

    def subscribe(self, listener: Callable[[SendReport], None]) -> None:
        self._listeners.append(listener)

    def start(self) -> asyncio.Task:
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox")
        return self._task

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close)
        self._executor.shutdown(wait=True)

    async def send_now(self) -> SendReport:
        """One round, awaited (the outbox view's "Send now")."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._round)

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            self._wake.clear()
            try:
                report = await self.send_now()
            except Exception:  # a bug must not stop the outbox for the rest of the day
                log.exception("The outbox round failed")
            else:
                for listener in list(self._listeners):
                    listener(report)
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            except TimeoutError:
                pass

    def _round(self) -> SendReport:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.database)
        smtp = self.smtp
        if smtp is None:
            from kiosk.checkout.settings import smtp_settings

            smtp = smtp_settings(store)
        if smtp is None:
            error = "No mail server is set up; the messages wait in the outbox."
            waiting = tables.outbox_entries(store, status="queued")
            return SendReport(retrying=len(waiting), error=error)
        return send_due(store, smtp, self.clock())

    def _close(self) -> None:
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None
