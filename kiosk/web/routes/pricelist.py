"""The price-list editor on the tablet, behind the PIN like the Settings page.

    GET  /remote/pricelist            the page (paired tablets; else the pairing form)
    GET  /api/pricelist               the file as a draft, its hash (`base`), the kept versions
                                      (only the versions, and why, when it is not TOML)
    POST /api/pricelist/check         {"draft": {...}, "cart": {...}}: the reader's problem with
                                      its field's path, or the test cart priced by the draft
    POST /api/pricelist               {"draft": {...}, "base": "..."}: checked, saved, in force
    POST /api/pricelist/restore       {"version": "pricelist-....toml"}: that one back in force

What must stay true: nothing is written that `main.py pricelist check` would refuse (422 with
its message and the field's path, the file untouched); the file is replaced in one rename with
the studio's comments and order kept (kiosk.setup.pricelist_draft), the list it replaces kept
as a version (kiosk.setup.pricelist_versions); a saved list is in force at once, every view
re-priced (the watch on the file would find it within seconds anyway). A draft made from a
file that changed since (another tablet, a text editor) is refused (409), not merged.
Reading needs the PIN (`unlocked`); every POST also the page's CSRF header.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from tomlkit.exceptions import TOMLKitError

from kiosk.core.errors import CommandError, PriceListError
from kiosk.core.pricelist import PRODUCT_KINDS, PriceList
from kiosk.core.pricelist.models import TAXABLE_EXTRAS
from kiosk.setup.pricelist_draft import check_draft, draft_of, problem_of
from kiosk.setup.pricelist_trial import catalogue, price_trial
from kiosk.setup.pricelist_versions import restore_version, save_pricelist, versions
from kiosk.web.auth import session_token
from kiosk.web.context import Reveal, reveal
from kiosk.web.routes.pair import pair_form
from kiosk.web.routes.settings import unlocked, unlocked_same_site

router = APIRouter()
MOST_BYTES = 256 * 1024  # a draft of a large studio's list (kiosk/web/bodies.py caps it too)


@router.get("/remote/pricelist")
async def pricelist_page(request: Request) -> Response:
    r = reveal(request)
    token = session_token(request)
    if r.pairing.device(token) is None:
        return pair_form(request, status=401)
    context = {"client": r.client, "csrf": r.pairing.csrf_token(token)}
    return r.templates.TemplateResponse(request, "pricelist.html", context)


@router.get("/api/pricelist")
async def api_pricelist(request: Request, _token: str = Depends(unlocked)) -> Response:
    r = reveal(request)
    text = _read(r)
    error = r.studio.pricelist.error
    try:
        draft = draft_of(text)
    except TOMLKitError as exc:  # broken in a text editor: a kept version can still come back
        return JSONResponse(
            {
                "broken": f"The price list file is not TOML the editor can read ({exc}). Fix "
                "it in a text editor, or restore an earlier version below.",
                "inForceError": str(error) if error is not None else "",
                "versions": _versions(r),
            }
        )
    checked = check_draft(text, draft, file=str(r.studio.pricelist_file))
    return JSONResponse(
        {
            "draft": draft,
            "base": _hash(text),
            "file": r.studio.pricelist_file.name,
            "kinds": list(PRODUCT_KINDS),
            "taxableExtras": list(TAXABLE_EXTRAS),
            "inForceError": str(error) if error is not None else "",
            "versions": _versions(r),
            **_checked_view(checked.pricelist, checked.problem, None, r),
        }
    )


@router.post("/api/pricelist/check")
async def api_check(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await _json_object(request)
    checked = check_draft(_read(r), _draft(data), file=str(r.studio.pricelist_file))
    return JSONResponse(_checked_view(checked.pricelist, checked.problem, data.get("cart"), r))


@router.post("/api/pricelist")
async def api_save(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await _json_object(request)
    draft, text = _draft(data), _read(r)
    if data.get("base") != _hash(text):
        return JSONResponse(
            {
                "error": "The price list was changed elsewhere since this page read it; nothing "
                "was saved. Reload the page to edit the list as it is now."
            },
            status_code=409,
        )
    file = r.studio.pricelist_file
    checked = check_draft(text, draft, file=str(file))
    if checked.problem is not None or checked.pricelist is None:
        problem = checked.problem.to_dict() if checked.problem else None
        message = checked.problem.message if checked.problem else "it does not read"
        return JSONResponse({"error": f"Not saved: {message}", "problem": problem}, status_code=422)
    await asyncio.to_thread(save_pricelist, file, checked.text)
    _adopt(r, checked.pricelist)
    return JSONResponse(
        {
            "ok": True,
            "changed": checked.text != text,
            "draft": draft_of(checked.text),
            "base": _hash(checked.text),
            "versions": _versions(r),
        }
    )


@router.post("/api/pricelist/restore")
async def api_restore(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await _json_object(request)
    name = data.get("version")
    if set(data) != {"version"} or not isinstance(name, str):
        raise CommandError('Send the version to restore as {"version": "pricelist-....toml"}.')
    try:
        text, pricelist = await asyncio.to_thread(restore_version, r.studio.pricelist_file, name)
    except PriceListError as exc:
        raise CommandError(
            f"That version does not read any more: {problem_of(exc).message}"
        ) from exc
    _adopt(r, pricelist)
    checked = check_draft(text, draft_of(text))
    return JSONResponse(
        {
            "ok": True,
            "draft": draft_of(text),
            "base": _hash(text),
            "versions": _versions(r),
            **_checked_view(checked.pricelist, checked.problem, None, r),
        }
    )


def _adopt(r: Reveal, pricelist: PriceList) -> None:
    """The saved list in force now; every view prices again (the loop is the TV's thread)."""
    holder = r.studio.pricelist
    holder.current, holder.error = pricelist, None
    if r.live.pricelist is not holder:  # a kiosk always shares it; a bare server may not
        r.live.pricelist.current, r.live.pricelist.error = pricelist, None
    r.live.pricelist_changed()


def _checked_view(pricelist: PriceList | None, problem: Any, cart: Any, r: Reveal) -> dict:
    view: dict[str, Any] = {"problem": problem.to_dict() if problem else None}
    if pricelist is not None:
        view["catalogue"] = catalogue(pricelist)
        view["currency"] = {"decimals": pricelist.currency.decimals}
        if cart is not None:
            view["priced"] = price_trial(pricelist, cart, today=r.live.today())
    return view


def _versions(r: Reveal) -> list[dict[str, Any]]:
    return [v.to_dict() for v in versions(r.studio.pricelist_file)]


def _read(r: Reveal) -> str:
    try:
        return r.studio.pricelist_file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"The price list file cannot be read ({exc}).") from exc


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _draft(data: dict[str, Any]) -> dict[str, Any]:
    draft = data.get("draft")
    if not isinstance(draft, dict):
        raise CommandError('Send the price list as {"draft": {...}}, as the page read it.')
    return draft


async def _json_object(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MOST_BYTES:
        raise CommandError(f"The request is {len(body)} bytes long; at most {MOST_BYTES}.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CommandError(f"The request is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict):
        raise CommandError("Send an object.")
    return data
