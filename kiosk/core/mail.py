"""The studio's outgoing mail as plain values: an e-mail in the durable outbox, and the mail
server (SMTP) it goes through. No I/O here: the store keeps the outbox's rows and the settings,
checkout sends.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class OutboxEntry:
    """One e-mail in the durable outbox. status: "queued" (waiting for its next attempt),
    "sending", "sent", "failed" (the server refused it for good; `last_error` says why) or
    "held" (interrupted twice while the server was receiving it; a person decides)."""

    id: int
    message_id: str
    kind: str  # "invoice" (to the client), "copy" (the studio's copy), or "other"
    invoice: int | None
    sender: str
    recipients: tuple[str, ...]
    subject: str
    status: str
    attempts: int
    in_doubt: int  # attempts whose outcome is unknown (the app stopped while DATA was sent)
    last_error: str
    next_attempt: float  # seconds since the epoch
    created: float
    sent_at: float | None

    @property
    def may_have_repeated(self) -> bool:
        """Sent, but an earlier attempt may have reached the client too (same Message-ID)."""
        return self.status == "sent" and self.in_doubt > 0


@dataclass(frozen=True)
class SmtpSettings:
    """How the studio sends mail. security: "starttls" (port 587), "ssl" (port 465) or
    "none" (a local relay only)."""

    host: str
    port: int = 587
    security: str = "starttls"
    username: str = ""
    # Kept in the studio's secrets file, never with the rest; out of repr, so out of logs.
    password: str = field(default="", repr=False)
    timeout: float = 30.0
    ca_file: str = ""  # PEM of the authority a self-signed server's certificate comes from

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
