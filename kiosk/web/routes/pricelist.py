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
file that changed since (another tablet, a text editor) is refused (409), not merged. The
file's reading, checking and writing (tens of milliseconds of tomlkit) run on a worker thread,
never on the loop the TV draws on; only the swap of the list in force happens there.
Reading needs the PIN (`unlocked`); every POST also the page's CSRF header.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from datetime import date
from pathlib import Path
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
from kiosk.web.bodies import json_object
from kiosk.web.context import Reveal, reveal
from kiosk.web.routes.pair import pair_form
from kiosk.web.unlock import unlocked, unlocked_same_site

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
    error = r.studio.pricelist.error
    # Reading the file and its tomlkit document takes tens of milliseconds: off the TV's loop.
    view = await asyncio.to_thread(_opened, r.studio.pricelist_file, r.live.today())
    return JSONResponse({**view, "inForceError": str(error) if error is not None else ""})


@router.post("/api/pricelist/check")
async def api_check(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await json_object(request, "an object", MOST_BYTES)
    file, draft, cart = r.studio.pricelist_file, _draft(data), data.get("cart")
    return JSONResponse(await asyncio.to_thread(_looked, file, draft, cart, r.live.today()))


@router.post("/api/pricelist")
async def api_save(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await json_object(request, "an object", MOST_BYTES)
    file, draft, base = r.studio.pricelist_file, _draft(data), data.get("base")
    status, answer, pricelist = await asyncio.to_thread(_saved, file, draft, base)
    if pricelist is not None:
        _adopt(r, pricelist)
    return JSONResponse(answer, status_code=status)


@router.post("/api/pricelist/restore")
async def api_restore(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await json_object(request, "an object", MOST_BYTES)
    name = data.get("version")
    if set(data) != {"version"} or not isinstance(name, str):
        raise CommandError('Send the version to restore as {"version": "pricelist-....toml"}.')
    answer, pricelist = await asyncio.to_thread(
        _restored, r.studio.pricelist_file, name, r.live.today()
    )
    _adopt(r, pricelist)
    return JSONResponse(answer)


def _adopt(r: Reveal, pricelist: PriceList) -> None:
    """The saved list in force now; every view prices again (the loop is the TV's thread)."""
    holder = r.studio.pricelist
    holder.current, holder.error = pricelist, None
    if r.live.pricelist is not holder:  # a kiosk always shares it; a bare server may not
        r.live.pricelist.current, r.live.pricelist.error = pricelist, None
    r.live.pricelist_changed()


# The work itself, on a worker thread; one save or restore at a time. -------------------------
WRITING = threading.Lock()


def _opened(file: Path, today: date) -> dict[str, Any]:
    text = _read(file)
    try:
        draft = draft_of(text)
    except TOMLKitError as exc:  # broken in a text editor: a kept version can still come back
        return {
            "broken": f"The price list file is not TOML the editor can read ({exc}). Fix it in "
            "a text editor, or restore an earlier version below.",
            "versions": _versions(file),
        }
    checked = check_draft(text, draft, file=str(file))
    return {
        "draft": draft,
        "base": _hash(text),
        "file": file.name,
        "kinds": list(PRODUCT_KINDS),
        "taxableExtras": list(TAXABLE_EXTRAS),
        "versions": _versions(file),
        **_checked_view(checked.pricelist, checked.problem, None, today),
    }


def _looked(file: Path, draft: dict[str, Any], cart: Any, today: date) -> dict[str, Any]:
    checked = check_draft(_read(file), draft, file=str(file))
    return _checked_view(checked.pricelist, checked.problem, cart, today)


def _saved(
    file: Path, draft: dict[str, Any], base: Any
) -> tuple[int, dict[str, Any], PriceList | None]:
    with WRITING:
        text = _read(file)
        if base != _hash(text):
            message = (
                "The price list was changed elsewhere since this page read it; nothing was "
                "saved. Reload the page to edit the list as it is now."
            )
            return 409, {"error": message}, None
        checked = check_draft(text, draft, file=str(file))
        if checked.problem is not None or checked.pricelist is None:
            problem = checked.problem.to_dict() if checked.problem else None
            message = checked.problem.message if checked.problem else "it does not read"
            return 422, {"error": f"Not saved: {message}", "problem": problem}, None
        save_pricelist(file, checked.text)
    answer = {
        "ok": True,
        "changed": checked.text != text,
        "draft": draft_of(checked.text),
        "base": _hash(checked.text),
        "versions": _versions(file),
    }
    return 200, answer, checked.pricelist


def _restored(file: Path, name: str, today: date) -> tuple[dict[str, Any], PriceList]:
    with WRITING:
        try:
            text, pricelist = restore_version(file, name)
        except PriceListError as exc:
            raise CommandError(
                f"That version does not read any more: {problem_of(exc).message}"
            ) from exc
    checked = check_draft(text, draft_of(text))
    answer = {
        "ok": True,
        "draft": draft_of(text),
        "base": _hash(text),
        "versions": _versions(file),
        **_checked_view(checked.pricelist, checked.problem, None, today),
    }
    return answer, pricelist


def _checked_view(pricelist: PriceList | None, problem: Any, cart: Any, today: date) -> dict:
    view: dict[str, Any] = {"problem": problem.to_dict() if problem else None}
    if pricelist is not None:
        view["catalogue"] = catalogue(pricelist)
        view["currency"] = {"decimals": pricelist.currency.decimals}
        if cart is not None:
            view["priced"] = price_trial(pricelist, cart, today=today)
    return view


def _versions(file: Path) -> list[dict[str, Any]]:
    return [v.to_dict() for v in versions(file)]


def _read(file: Path) -> str:
    try:
        return file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"The price list file cannot be read ({exc}).") from exc


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _draft(data: dict[str, Any]) -> dict[str, Any]:
    draft = data.get("draft")
    if not isinstance(draft, dict):
        raise CommandError('Send the price list as {"draft": {...}}, as the page read it.')
    return draft
