"""The studio's own details, entered on the tablet: the one source of the name, address and
contacts on every invoice, e-mail and phone page (kiosk.checkout.settings).

    GET  /api/studio    {"details": {...}, "missing": ["email"], "labels": {...},
                         "mailServer": false, "pricelistError": ""}
    POST /api/studio    {"name": "...", "email": "...", "address": "...", ...}: saved, or 422
                        with what is missing or wrong

Until they are entered, the TV refuses to confirm an order of a real session (it says the
photographer must finish the studio's details) and the Orders page opens this form. Paired
tablets only; a POST also needs the page's CSRF header and same-site Origin, and, when the
studio set a PIN, a device that typed it (the details print on every invoice, so reading them
needs no PIN, changing them does).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kiosk.checkout.settings import (
    REQUIRED,
    missing_details,
    save_studio_details,
    smtp_settings,
    studio_details,
)
from kiosk.core.errors import CommandError, MailSettingsError
from kiosk.web.auth import paired
from kiosk.web.bodies import json_object
from kiosk.web.context import Reveal, reveal
from kiosk.web.unlock import unlocked_same_site

router = APIRouter()
MAX_BODY = 16 * 1024
# The fields the tablet edits, each with the most characters it takes.
FIELDS = {
    "name": 120,
    "email": 254,
    "phone": 60,
    "address": 400,
    "website": 200,
    "tax_id": 60,
    "payment_instructions": 1000,
    "terms": 1000,
}


def studio_view(r: Reveal) -> dict[str, Any]:
    """The details as the form shows them, with what is still missing and what else a
    photographer must know before invoicing (no mail server, a broken price list)."""
    details = studio_details(r.studio.store)
    error = r.studio.pricelist.error
    return {
        "details": {key: getattr(details, key) for key in FIELDS},
        "missing": list(missing_details(details)),
        "labels": REQUIRED,
        "mailServer": smtp_settings(r.studio.store) is not None,
        "pricelistError": str(error) if error is not None else "",
    }


@router.get("/api/studio")
async def api_studio(request: Request, _token: str = Depends(paired)) -> Response:
    return JSONResponse(studio_view(reveal(request)))


@router.post("/api/studio")
async def api_save_studio(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await json_object(request, "the studio's details as an object of fields", MAX_BODY)
    changes: dict[str, str] = {}
    for key, value in data.items():
        if key not in FIELDS:
            raise CommandError(f'"{key[:40]}" is not one of the studio\'s details.')
        if not isinstance(value, str):
            raise CommandError(f"The studio's {key} should be text.")
        if len(value) > FIELDS[key]:
            raise CommandError(
                f"The studio's {key} is too long (at most {FIELDS[key]} characters)."
            )
        changes[key] = value.strip()
    try:
        save_studio_details(r.studio.store, replace(studio_details(r.studio.store), **changes))
    except MailSettingsError as exc:
        raise CommandError(str(exc)) from exc
    return JSONResponse({"ok": True, **studio_view(r)})
