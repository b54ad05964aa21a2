"""What the studio may do with a whole session: the rules behind the tablet's Sessions page.

    kept_because("Ada Park", invoices=True, on_tv=False)
    # "Ada Park's session has an invoice: …" — a reason to show, or None when it may go

A session with an invoice is never deleted: the invoice is the studio's record of a sale and
names the photos sold. Nor is the one the TV shows: the client may be in front of it.
"""

from __future__ import annotations


def kept_because(client: str, invoices: bool, on_tv: bool) -> str | None:
    """Why the session may not be deleted, in words; None when it may."""
    if invoices:
        return (
            f"{client}'s session has an invoice, and an invoice is the studio's record of a "
            "sale: it is never deleted. Archive the session instead to hide it from the list."
        )
    if on_tv:
        return (
            f"{client}'s session is on the TV now. Show another session on the TV first, then "
            "delete this one."
        )
    return None
