"""Pairing a tablet: the code form (also what the TV's QR code opens) and unpairing."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from kiosk.core.errors import CrossSiteRequest, PairingError, TooManyWrongCodes
from kiosk.web.auth import COOKIE, is_paired, paired_same_site, same_origin
from kiosk.web.context import reveal

router = APIRouter()
CODE = re.compile(r"[0-9]{6}|[0-9]{9}")  # 9 digits: a fresh code while guesses arrive
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")  # the QR's key (kiosk.web.pairing)


def pair_form(
    request: Request, *, code: str = "", key: str = "", error: str = "", status: int = 200
) -> Response:
    """The pairing page; also the answer to an unpaired tablet opening the remote (401)."""
    return reveal(request).templates.TemplateResponse(
        request,
        "pair.html",
        {"code": code, "key": key, "error": error, "client": reveal(request).client},
        status_code=status,
    )


@router.get("/pair", response_class=HTMLResponse)
async def pair_page(request: Request, code: str = "", key: str = "") -> Response:
    if is_paired(request):
        return RedirectResponse("/remote", status_code=303)
    # From the QR code: the form comes filled in, and its script sends it.
    code = code if CODE.fullmatch(code) else ""
    return pair_form(request, code=code, key=key if code and KEY.fullmatch(key) else "")


@router.post("/pair")
async def pair(request: Request) -> Response:
    if not same_origin(request):  # another site must not pair a browser behind its back
        raise CrossSiteRequest()
    r = reveal(request)
    try:
        form = await request.form(max_files=0, max_fields=4)
        code = str(form.get("code", ""))[:32]
        key = str(form.get("key", ""))[:64]
    except (HTTPException, MultiPartException):
        # Not the pairing form (too many fields, a file, a broken body): answered, and
        # counted, as a wrong code, rather than with Starlette's bare JSON.
        code, key = "", ""
    client = request.client.host if request.client else "unknown"
    try:
        name = request.headers.get("user-agent", "")
        token = r.pairing.pair(code, client, name=name, key=key)
    except TooManyWrongCodes as exc:
        response = pair_form(request, error=str(exc), status=429)
        response.headers["Retry-After"] = str(exc.wait)
        return response
    except PairingError as exc:
        return pair_form(request, error=str(exc), status=400)
    response = RedirectResponse("/remote", status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(r.pairing.token_seconds),
        httponly=True,
        samesite="strict",
        path="/",
    )
    return response


@router.post("/unpair")
async def unpair(request: Request, token: str = Depends(paired_same_site)) -> Response:
    reveal(request).pairing.unpair(token)
    response = JSONResponse({"ok": True})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
