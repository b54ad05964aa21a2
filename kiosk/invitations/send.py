"""Sending a session's invitation, the same from the tablet and from `main.py invite SESSION`,
and its state as the session's page and the sessions list show it.

    entry = invite_session(studio, session_id, base_url="http://192.168.1.20:8470")
    invitation_state(invitations(store, session_id)[-1], now)
    # {"status": "failed", "text": "Failed: 550 mailbox unknown", "when": "4 May, 14:02", ...}

The guide goes with it as a PDF rendered from the price list in force, and as a link to
`/guide` on `base_url` (the studio's `public_url` when it has one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from kiosk.checkout import outbox
from kiosk.checkout.settings import details_for_session
from kiosk.core.mail import OutboxEntry
from kiosk.invitations.mail import KIND, queue_invitation
from kiosk.store.db import Store
from kiosk.studio import Studio


def invite_session(
    studio: Studio, session_id: int, base_url: str, also: Sequence[str] = ()
) -> OutboxEntry:
    """Queue the invitation; the errors of queue_invitation (no viewing, no e-mail address,
    no studio address to send from), nothing queued then."""
    from kiosk.core.guide import pricing_guide  # reportlab only when a guide is made
    from kiosk.guide.pdf import render_guide_pdf
    from kiosk.guide.pictures import guide_pictures

    store = studio.store
    session = store.session(session_id)
    details = details_for_session(store, session.id)
    pricelist = studio.pricelist.current
    guide = pricing_guide(pricelist, today=date.today())
    pictures = guide_pictures(pricelist, studio.paths.cache / "guide")
    pdf = render_guide_pdf(guide, details, paper=studio.paper, pictures=pictures)
    return queue_invitation(
        store,
        session,
        details,
        guide_pdf=pdf,
        guide_url=f"{base_url.rstrip('/')}/guide",
        also=also,
        wifi_only=not studio.settings.public_url,
    )


def latest_invitations(store: Store) -> dict[int, OutboxEntry]:
    """session id -> its latest invitation, for every session with one (one pass over the
    outbox, for the sessions list)."""
    latest: dict[int, OutboxEntry] = {}
    for entry in outbox.entries(store, kind=KIND):
        if not entry.message_id.startswith(f"<{KIND}-"):
            continue
        session = entry.message_id[len(KIND) + 2 :].split("-", 1)[0]
        if session.isascii() and session.isdigit():
            latest[int(session)] = entry  # oldest first: the last one stays
    return latest


def invitation_state(entry: OutboxEntry | None, now: float, sent_before: int = 0) -> dict[str, Any]:
    """An invitation's state in words: queued, sent or failed (with the reason), and when."""
    if entry is None:
        return {"status": "none", "text": "Not sent yet", "when": "", "count": 0}
    stamp = entry.sent_at if entry.status == "sent" and entry.sent_at else entry.created
    when = datetime.fromtimestamp(stamp)
    return {
        "status": "failed" if entry.status == "held" else entry.status,
        "text": outbox.describe(entry, now),
        "when": f"{when.day} {when:%b}, {when:%H:%M}",
        "to": ", ".join(entry.recipients),
        "count": sent_before + 1,
    }
