"""The photographer's private notes on images ("ask about the glasses", "mum prefers this").

Kept apart from the event log on purpose: the TV, the mirror, the retouch sheet and the client's
documents are all built from the log, and a private note must never reach any of them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.store.db import Store


class PrivateNotes:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def set(self, image_id: int, text: str) -> None:
        """Replace the image's private note; empty text removes it."""
        with self.store.transaction():
            if text:
                updated = datetime.now(UTC).isoformat(timespec="seconds")
                self.db["private_notes"].upsert(
                    {"image_id": image_id, "text": text, "updated": updated}, pk="image_id"
                )
            else:
                self.db.conn.execute("delete from private_notes where image_id = ?", [image_id])

    def for_session(self, session_id: int) -> dict[int, str]:
        rows = self.db.execute(
            "select p.image_id, p.text from private_notes p join images i on i.id = p.image_id "
            "where i.session_id = ?",
            [session_id],
        )
        return dict(rows.fetchall())
