"""The studio's sessions on the tablet: the list, a new session, and "Show on the TV" without a
restart.

    GET  /remote/sessions                  the Sessions page (paired tablets; else pairing)
    GET  /remote/sessions/new              the new-session form
    GET  /api/sessions?q=park&archived=1   every session, newest first, as the list shows them
    POST /api/sessions                     {"client": "Ada Park", "email": …}: a new session
    POST /api/sessions/3/show              {"confirm": false}: the TV shows session 3 at once

Each listed session carries its viewing invitation's state (`invitation`: queued, sent or
failed, and when; null before one is sent), drawn as a badge beside the viewing.

One session's page, its details, archiving and deleting are in session_details.py. A new
session is made in one step and its page (`/remote/sessions/{id}`) comes next: the photos are
added there.

Switching away from an order that is half made (lines in the cart, no invoice yet) is answered
409 with the question to ask; the tablet asks it and sends `"confirm": true`. The session left
stays exactly as it was and opens where it was left when it is shown again.

Session numbers in paths are digits (`parse_session_id`): anything else is a 422 with a sentence,
as every error here is {"error": "..."}; a client's details that fail their rules are a 422
with `fields` too, each problem keyed by its field for the form to show beside it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kiosk.core.clients import client_details, day_text, viewing_text
from kiosk.core.errors import ClientDetailsInvalid, CommandError, StudioError
from kiosk.core.invoices import STATUS_LABELS
from kiosk.core.pricing import format_money
from kiosk.invitations.send import invitation_state, latest_invitations
from kiosk.store.sessions import (
    SessionSummary,
    count_sessions,
    create_session,
    has_invoice,
    session_summaries,
)
from kiosk.web.auth import paired, paired_same_site, session_token
from kiosk.web.bodies import json_object
from kiosk.web.context import Reveal, reveal
from kiosk.web.routes.pair import pair_form

router = APIRouter()
NUMBER = re.compile(r"[0-9]{1,15}")
SEARCH_CHARS = 100
PAGE = 60  # sessions listed at first; "Show more" asks for as many again
MOST = 5000


@router.get("/remote/sessions")
async def sessions_page(request: Request) -> Response:
    return page(request, "sessions.html")


@router.get("/remote/sessions/new")
async def new_session_page(request: Request) -> Response:
    return page(request, "session.html", {"session_id": None})


@router.get("/api/sessions")
async def list_sessions(
    request: Request,
    q: str = "",
    archived: str = "",
    limit: str = "",
    _token: str = Depends(paired),
) -> Any:
    """The newest `limit` sessions (a page: `PAGE` unless asked for more, at most `MOST`) and
    how many there are in all: a studio of many years lists as fast as its first month."""
    r = reveal(request)
    wanted = dict(search=q[:SEARCH_CHARS], archived=_flag(archived), showing=r.live.session_id)
    count = int(limit) if NUMBER.fullmatch(limit) else PAGE
    rows = session_summaries(r.studio.store, **wanted, limit=min(max(count, 1), MOST))
    now = datetime.now().astimezone()
    invited = latest_invitations(r.studio.store)
    views = [session_view(r, row, now) for row in rows]
    for view in views:
        entry = invited.get(view["id"])
        view["invitation"] = invitation_state(entry, now.timestamp()) if entry else None
    return {
        "showing": r.live.session_id,
        "sessions": views,
        "total": count_sessions(r.studio.store, **wanted),
    }


@router.post("/api/sessions")
async def new_session(request: Request, _token: str = Depends(paired_same_site)) -> Response:
    r = reveal(request)
    data = await json_object(request, "the session's fields as a JSON object")
    try:
        details = client_details(data)
    except ClientDetailsInvalid as exc:
        return invalid(exc)
    session = create_session(r.studio.store, details)
    return JSONResponse(
        {"ok": True, "id": session.id, "url": f"/remote/sessions/{session.id}"}, status_code=201
    )


@router.post("/api/sessions/{session_id}/show")
async def show_session(
    request: Request, session_id: str, _token: str = Depends(paired_same_site)
) -> Any:
    r = reveal(request)
    wanted = parse_session_id(session_id)
    confirm = _confirmed(await request.body())
    switch = getattr(request.app.state, "show_session", None)
    if switch is None:
        return JSONResponse({"error": "The TV is not running; start Reveal."}, status_code=503)
    try:
        target = r.studio.store.session(wanted)
    except StudioError as exc:  # "There is no session number …"
        return JSONResponse({"error": str(exc)}, status_code=404)
    live = r.live
    if target.id == live.session_id:
        return {"ok": True, "showing": target.id}
    lines = len(live.cart.cart.lines)
    if lines and not confirm and not has_invoice(r.studio.store, live.session_id):
        return JSONResponse(
            {
                "error": f"{r.client}'s order has {lines} line{'s' if lines != 1 else ''} and "
                "is not confirmed yet.",
                "confirm": f"Show {target.client} anyway? {r.client}'s session stays exactly as "
                "it is, to finish later.",
            },
            status_code=409,
        )
    switch(target.id)
    return {"ok": True, "showing": target.id, **_rebuild_previews(r, request, target.id)}


def _rebuild_previews(r: Reveal, request: Request, session_id: int) -> dict[str, Any]:
    """Previews the cache's budget removed come back from the originals, through the import
    runner (its progress on /ws/imports); missing originals are said (kiosk/upkeep)."""
    from kiosk.upkeep.rebuild import rebuild_when_shown
    from kiosk.web.routes.imports import importing  # it imports this module

    queue = lambda *job: importing(r, request.app.state).runner.files(*job)  # noqa: E731
    outcome = rebuild_when_shown(r.studio.store, session_id, queue)
    return {"rebuilding": outcome.queued, "cache_message": outcome.message}


# ----------------------------------------------------------------------------------------------
def page(request: Request, template: str, context: dict[str, Any] | None = None) -> Response:
    """A page of the photographer's: the pairing form for a device that is not paired."""
    r = reveal(request)
    token = session_token(request)
    if r.pairing.device(token) is None:
        return pair_form(request, status=401)
    context = {"client": r.client, "csrf": r.pairing.csrf_token(token), **(context or {})}
    return r.templates.TemplateResponse(request, template, context)


def session_view(r: Reveal, row: SessionSummary, now: datetime) -> dict[str, Any]:
    """One session as the list draws it; dates and amounts already in words. The session on
    the TV has its exact decision counts, the others the log's."""
    view = asdict(row)
    on_tv = row.id == r.live.session_id
    decided = row.decided
    if on_tv:
        counts = r.live.counts()
        decided = counts.total - counts.undecided
    currency = r.studio.pricelist.current.currency if r.studio.pricelist.current else None
    view.update(
        decided=decided,
        onTv=on_tv,
        shootText=day_text(row.shoot_date),
        viewingText=viewing_text(row.viewing_at),
        lastText=when_text(row.last_activity, now) if row.last_activity else "never opened",
        createdText=when_text(row.created, now),
        totalText=format_money(row.total, currency) if row.total is not None and currency else "",
        statusText=STATUS_LABELS.get(row.status or "", row.status or ""),
    )
    lines = len(r.live.cart.cart.lines) if on_tv else 0
    if lines and not row.invoices:  # an order being made on the TV now
        view.update(totalText=f"{lines} line{'s' if lines != 1 else ''}", statusText="in the cart")
    return view


def when_text(stamp: str, now: datetime) -> str:
    """A stored UTC time as the studio says it: "today 14:05", "yesterday 09:30", "3 May 2026"."""
    try:
        when = datetime.fromisoformat(stamp).astimezone(now.tzinfo)
    except ValueError:
        return stamp
    days = (now.date() - when.date()).days
    if days == 0:
        return f"today {when:%H:%M}"
    if days == 1:
        return f"yesterday {when:%H:%M}"
    return f"{when.day} {when:%b %Y}"


def parse_session_id(text: str) -> int:
    """ "42"; anything else is not a session number (422). ASCII digits only: str.isdigit()
    also says yes to "²", which int() then refuses."""
    if not NUMBER.fullmatch(text) or int(text) < 1:
        shown = json.dumps(text[:40])
        raise CommandError(f"{shown} is not a session number; a session number is digits, like 7.")
    return int(text)


def invalid(exc: ClientDetailsInvalid) -> Response:
    return JSONResponse({"error": str(exc), "fields": exc.problems}, status_code=422)


def _flag(text: str) -> bool:
    if text in ("", "0", "false"):
        return False
    if text in ("1", "true"):
        return True
    raise CommandError(f"archived={json.dumps(text[:20])}: use 1 to list archived sessions too.")


def _confirmed(body: bytes) -> bool:
    if not body.strip():
        return False
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"The request is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("confirm", False), bool):
        raise CommandError('Send {"confirm": true} or {"confirm": false}.')
    return data.get("confirm", False)
