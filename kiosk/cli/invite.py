"""`main.py invite SESSION [--also EMAIL]`: e-mail the client the viewing invitation (the
appointment as a calendar event, what to prepare, the pricing guide as a PDF and a link), and
list the session's invitations with their state.

    $ python main.py invite 12 --also sam@example.com
    Queued the invitation to ada@example.com, sam@example.com for Fri 8 May 2026, 14:00.
      1  Queued.

Exit codes: 0 when queued; 1 when the studio cannot be opened, the session does not exist, or
it has no viewing booked or no e-mail address (the reason on stderr).
"""

from __future__ import annotations

import argparse
import sys
import time

from kiosk.checkout import outbox
from kiosk.cli import run_alone
from kiosk.cli.payments import kiosk_base_url
from kiosk.cli.studio import with_studio
from kiosk.core.clients import viewing_text
from kiosk.core.errors import RevealError
from kiosk.invitations.mail import invitations
from kiosk.invitations.send import invite_session
from kiosk.studio import Studio


def add_parsers(subparsers: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    invite = subparsers.add_parser(
        "invite",
        help="e-mail a client the viewing invitation with a calendar event and the guide",
        description=(
            "E-mail session SESSION's client the invitation to their viewing: the appointment "
            "as an .ics calendar event, what to prepare, and the Product & Pricing Guide as a "
            "PDF and a link. Sending it again moves the event in their calendar."
        ),
    )
    invite.add_argument("session", metavar="SESSION", type=int, help="the session's number")
    invite.add_argument(
        "--also", action="append", default=[], metavar="EMAIL", help="the second person's e-mail"
    )
    invite.set_defaults(func=run_invite)
    return [invite]


@with_studio
def run_invite(args: argparse.Namespace, studio: Studio) -> int:
    store = studio.store
    try:
        entry = invite_session(studio, args.session, kiosk_base_url(studio), also=args.also)
        session = store.session(args.session)
    except RevealError as exc:
        print(exc, file=sys.stderr)
        return 1
    to = ", ".join(entry.recipients)
    print(f"Queued the invitation to {to} for {viewing_text(session.viewing_at)}.")
    now = time.time()
    for n, sent in enumerate(invitations(store, session.id), 1):
        print(f"  {n}  {outbox.describe(sent, now)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.invite", argv)


if __name__ == "__main__":
    sys.exit(main())
