"""One session on the tablet: its page, its client's details, archiving it and deleting it.

    GET  /remote/sessions/3                  the session's page: details, photos, changes
    GET  /api/sessions/3                     {"session": {...}, "changes": [...], "photos": n}
    POST /api/sessions/3/details             the client's details, all fields: each change logged
    POST /api/sessions/3/archive             {"archived": true}: hidden from the list, kept whole
    POST /api/sessions/3/delete              {"confirm": true}: gone, with the files only it used
    POST /api/sessions/3/invite              {"again": false}: the invitation into the outbox

The page is where a new session's photos are added (the import's controls go in its Photos
section). Deleting is refused, 409 with the reason, for a session with an invoice and for the
one on the TV; the page asks twice before it sends it.

The invitation is queued exactly as `main.py invite 3` queues it (kiosk/invitations/send.py),
its guide rendered on a worker thread; with no e-mail or no viewing it is refused (422) with
what to fill in, and once one has gone a second is sent only with `"again": true` (409 with
the question otherwise). The answer, and the session's, carry its state: queued, sent, or
failed with the reason, and when.

Editing the details of the session on the TV reaches the TV at once (`app.state.
on_client_details(session_id)`: its checkout form) and renames it on every open remote.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kiosk.core.clients import FIELDS, LABELS, client_details, day_text, viewing_text
from kiosk.core.errors import ClientDetailsInvalid, CommandError, SessionKept, StudioError
from kiosk.core.models import Session
from kiosk.invitations.mail import invitations
from kiosk.invitations.send import invitation_state, invite_session
from kiosk.sessions.delete import delete_session
from kiosk.store.sessions import (
    details_of,
    has_invoice,
    session_changes,
    set_archived,
    update_details,
)
from kiosk.web.auth import paired, paired_same_site, session_token
from kiosk.web.bodies import json_object
from kiosk.web.context import Reveal, reveal
from kiosk.web.hosts import own_base_url
from kiosk.web.routes.pair import pair_form
from kiosk.web.routes.sessions import invalid, page, parse_session_id, when_text

router = APIRouter()


@router.get("/remote/sessions/{session_id}")
async def session_page(request: Request, session_id: str) -> Response:
    r = reveal(request)
    if r.pairing.device(session_token(request)) is None:
        return pair_form(request, status=401)  # strangers learn nothing of which sessions exist
    wanted = parse_session_id(session_id)
    try:
        r.studio.store.session(wanted)
    except StudioError as exc:
        context = {"title": "No such session", "message": f"{exc} Go back to the Sessions page."}
        return r.templates.TemplateResponse(request, "message.html", context, status_code=404)
    return page(request, "session.html", {"session_id": wanted})


@router.get("/api/sessions/{session_id}")
async def one_session(request: Request, session_id: str, _token: str = Depends(paired)) -> Any:
    r = reveal(request)
    session = _session(r, session_id)
    if isinstance(session, Response):
        return session
    return session_answer(r, session)


@router.post("/api/sessions/{session_id}/details")
async def edit_details(
    request: Request, session_id: str, _token: str = Depends(paired_same_site)
) -> Any:
    r = reveal(request)
    session = _session(r, session_id)
    if isinstance(session, Response):
        return session
    data = await json_object(request, "the session's fields as a JSON object")
    try:
        details = client_details(data)
    except ClientDetailsInvalid as exc:
        return invalid(exc)
    changed = update_details(r.studio.store, session.id, details)
    if changed and session.id == r.live.session_id:
        tell_the_tv = getattr(request.app.state, "on_client_details", None)
        if tell_the_tv is not None:
            tell_the_tv(session.id)  # its checkout form and slideshow take the new details
        if details.client != r.client:
            r.client = details.client  # the remotes' header and the mirror's title follow
            r.broadcaster.changed()
    answer = session_answer(r, r.studio.store.session(session.id))
    return {**answer, "ok": True, "changed": [c.field for c in changed]}


@router.post("/api/sessions/{session_id}/archive")
async def archive(
    request: Request, session_id: str, _token: str = Depends(paired_same_site)
) -> Any:
    r = reveal(request)
    session = _session(r, session_id)
    if isinstance(session, Response):
        return session
    data = await json_object(request, "the session's fields as a JSON object")
    if not isinstance(data.get("archived"), bool):
        raise CommandError(
            'Send {"archived": true} to archive the session, false to bring it back.'
        )
    session = set_archived(r.studio.store, session.id, data["archived"])
    return {**session_answer(r, session), "ok": True}


@router.post("/api/sessions/{session_id}/delete")
async def delete(request: Request, session_id: str, _token: str = Depends(paired_same_site)) -> Any:
    r = reveal(request)
    session = _session(r, session_id)
    if isinstance(session, Response):
        return session
    data = await json_object(request, "the session's fields as a JSON object")
    if data.get("confirm") is not True:
        raise CommandError('Deleting a session cannot be undone: send {"confirm": true}.')
    try:
        deleted = delete_session(r.studio, session.id, showing=r.live.session_id)
    except SessionKept as exc:
        return JSONResponse({"error": str(exc)}, status_code=409)
    said = f"{deleted.client}'s session is deleted, with {deleted.removed} cached files."
    if deleted.left:
        said += f" {deleted.left} files could not be removed from the studio folder."
    return {"ok": True, "message": said, "removed": deleted.removed, "left": deleted.left}


@router.post("/api/sessions/{session_id}/invite")
async def invite(request: Request, session_id: str, _token: str = Depends(paired_same_site)) -> Any:
    r = reveal(request)
    session = _session(r, session_id)
    if isinstance(session, Response):
        return session
    data = await json_object(request, "the session's fields as a JSON object")
    again = data.get("again", False)
    if not isinstance(again, bool):
        raise CommandError('Send {"again": true} to send the invitation once more.')
    sent = invitations(r.studio.store, session.id)
    if sent and not again:
        state = invitation_state(sent[-1], time.time())
        return JSONResponse(
            {
                "error": f"{session.client} was invited on {state['when']} ({state['text']}).",
                "confirm": "Send it again? Their calendar moves the appointment rather than "
                "adding a second one.",
            },
            status_code=409,
        )
    base = own_base_url(request.scope, r.studio.settings.public_url)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, invite_session, r.studio, session.id, base)
    wake = getattr(request.app.state, "wake_outbox", None)
    if callable(wake):
        wake()
    return {**session_answer(r, r.studio.store.session(session.id)), "ok": True}


# ----------------------------------------------------------------------------------------------
def invitation_view(r: Reveal, session: Session) -> dict[str, Any]:
    """The invitation's state, and whether it can be sent now (and if not, why not)."""
    sent = invitations(r.studio.store, session.id)
    state = invitation_state(sent[-1] if sent else None, time.time(), len(sent) - 1)
    why = ""
    if not session.email:
        why = "Add the client's e-mail to send the invitation."
    elif not session.viewing_at:
        why = "Set the viewing appointment to send the invitation."
    return {**state, "canSend": not why, "why": why}


def session_answer(r: Reveal, session: Session) -> dict[str, Any]:
    """The session's page's data: its details, its photos, the changes to it, what it may do."""
    store = r.studio.store
    on_tv = session.id == r.live.session_id
    invoices = has_invoice(store, session.id)
    now = datetime.now().astimezone()
    return {
        "session": {
            "id": session.id,
            "details": {name: getattr(details_of(session), name) for name in FIELDS},
            "shootText": day_text(session.shoot_date),
            "viewingText": viewing_text(session.viewing_at),
            "created": session.created,
            "archived": session.archived,
            "photos": len(store.images(session.id)),
            "onTv": on_tv,
            "invoices": invoices,
            "deletable": not invoices and not on_tv,
            "invitation": invitation_view(r, session),
        },
        "labels": LABELS,
        "changes": [
            {
                "time": change.time,
                "timeText": when_text(change.time, now),
                "field": change.field,
                "label": LABELS.get(change.field, change.field),
                "old": change.old,
                "new": change.new,
            }
            for change in session_changes(store, session.id)
        ],
    }


def _session(r: Reveal, text: str) -> Session | Response:
    """The session of the path (422 when it is not a number), or a 404 to answer with."""
    try:
        return r.studio.store.session(parse_session_id(text))
    except StudioError as exc:  # "There is no session number …"
        return JSONResponse({"error": str(exc)}, status_code=404)
