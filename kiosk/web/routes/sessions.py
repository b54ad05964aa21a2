"""The studio's sessions on the tablet: the list, and "Show on the TV" without a restart.

    GET  /api/sessions?q=park          every session, newest first, as the list shows them
    POST /api/sessions/3/show          {"confirm": false}: the TV shows session 3 at once

Switching away from an order that is half made (lines in the cart, no invoice yet) is answered
409 with the question to ask; the tablet asks it and sends `"confirm": true`. The session left
stays exactly as it was and opens where it was left when it is shown again.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse

from kiosk.core.errors import CommandError, StudioError
from kiosk.store.sessions import has_invoice, session_summaries
from kiosk.web.auth import paired, paired_same_site
from kiosk.web.context import reveal

router = APIRouter()
SessionId = Annotated[int, Path(ge=1, le=2**53)]


@router.get("/api/sessions")
async def list_sessions(request: Request, q: str = "", _token: str = Depends(paired)) -> Any:
    r = reveal(request)
    rows = session_summaries(r.studio.store, search=q[:100])
    return {
        "showing": r.live.session_id,
        "sessions": [asdict(row) for row in rows],
    }


@router.post("/api/sessions/{session_id}/show")
async def show_session(
    request: Request, session_id: SessionId, _token: str = Depends(paired_same_site)
) -> Any:
    r = reveal(request)
    confirm = _confirmed(await request.body())
    switch = getattr(request.app.state, "show_session", None)
    if switch is None:
        return JSONResponse({"error": "The TV is not running; start Reveal."}, status_code=503)
    try:
        target = r.studio.store.session(session_id)
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
    return {"ok": True, "showing": target.id}


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
