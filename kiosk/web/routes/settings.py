"""The Settings page: the studio set up from the tablet, behind the PIN when one is set.

    GET  /remote/settings                 the page (paired tablets; else the pairing form)
    POST /api/settings/unlock             {"pin": "1234"}: this device may see and save
    GET  /api/settings                    {"locked": true} until then; else the settings,
                                          the mail server (never its password), the backups
    POST /api/settings                    {"slideshow_seconds": 8, "pin": "2468", ...}
    POST /api/settings/mail               {"host": ..., "port": 587, "security": "starttls",
                                          "username": ..., "password": ..., "ca_file": ...}
    POST /api/settings/mail/test          {"to": "me@studio.example"}: sent now, plain words
    GET  /api/settings/logo, POST (the PNG or JPEG itself), POST /api/settings/logo/remove

What must stay true: settings.toml is checked as a whole by the same check as at start
(kiosk.config.check_settings) before it is written, in one rename, with the studio's own
comments and order kept; the mail password goes to the secrets file and never comes back in
an answer (`passwordSet` says whether there is one). The studio's name and address are the
Orders page's form (kiosk/web/routes/studio.py), reused by this page. The web port applies at
the next start (the answer says so); the others at once, or at the TV's next screen.
Every POST needs the pairing and the page's CSRF header (`paired_same_site`).
"""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from kiosk.backup import backup_folder
from kiosk.backup.manifest import list_backups
from kiosk.checkout.settings import (
    SECURITY,
    save_smtp_settings,
    save_studio_logo,
    smtp_settings,
    studio_details,
)
from kiosk.checkout.trymail import send_test_email
from kiosk.config import Settings, StudioPaths, load_settings, save_settings
from kiosk.core.backups import STALE, is_stale
from kiosk.core.errors import CommandError, MailSettingsError, StudioError
from kiosk.core.mail import SmtpSettings
from kiosk.setup.logo import MOST_BYTES, keep_logo
from kiosk.web.auth import paired, paired_same_site, session_token
from kiosk.web.bodies import json_object
from kiosk.web.context import Reveal, reveal
from kiosk.web.routes.pair import pair_form
from kiosk.web.routes.studio import studio_view
from kiosk.web.unlock import pin_lock, unlocked, unlocked_same_site

router = APIRouter()
# What the page edits, each with the JSON type it takes ("folders": a list of text).
EDITABLE = {
    "screen_diagonal_in": "number",
    "slideshow_seconds": "number",
    "crossfade_seconds": "number",
    "pin": "text",
    "web_port": "number",
    "import_roots": "folders",
    "start_screen": "text",
    "portfolio_folder": "text",
    "backup_folder": "text",
    "cache_max_gb": "number",
    "lab_min_ppi": "number",
    "lab_ppi": "number",
    "lab_jpeg_quality": "number",
}
AFTER_RESTART = ("web_port",)
WHOLE = ("web_port", "lab_min_ppi", "lab_ppi", "lab_jpeg_quality")  # numbers kept as whole ones
MAIL_FIELDS = {"host": 253, "security": 10, "username": 254, "password": 1000, "ca_file": 1000}


@router.get("/remote/settings")
async def settings_page(request: Request) -> Response:
    r = reveal(request)
    token = session_token(request)
    if r.pairing.device(token) is None:
        return pair_form(request, status=401)
    context = {"client": r.client, "csrf": r.pairing.csrf_token(token)}
    return r.templates.TemplateResponse(request, "settings.html", context)


@router.post("/api/settings/unlock")
async def api_unlock(request: Request, token: str = Depends(paired_same_site)) -> Response:
    data = await json_object(request, "the settings as an object of fields", 256)
    typed = data.get("pin")
    if set(data) != {"pin"} or not isinstance(typed, str) or len(typed) > 8:
        raise CommandError('Send the PIN as {"pin": "1234"}.')
    pin_lock(request).unlock(token, typed, reveal(request).studio.settings.pin)
    return JSONResponse({"ok": True})


@router.get("/api/settings")
async def api_settings(request: Request, token: str = Depends(paired)) -> Response:
    r = reveal(request)
    if not pin_lock(request).is_open(token, r.studio.settings.pin):
        return JSONResponse({"locked": True})
    return JSONResponse(await settings_view(r))


@router.post("/api/settings")
async def api_save_settings(request: Request, token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await json_object(request, "the settings as an object of fields", 16 * 1024)
    changes = {key: _setting_value(key, value) for key, value in data.items()}
    try:
        saved = save_settings(r.studio.paths, changes)
    except StudioError as exc:
        raise CommandError(str(exc).removeprefix(f"{r.studio.paths.settings}: ")) from exc
    if saved.pin:  # the device that set a new PIN stays in; every other one types it
        pin_lock(request).unlock(token, saved.pin, saved.pin)
    # Adopted at once where the kiosk reads it when needed; the web port waits for a restart.
    r.studio.settings = replace(saved, web_port=r.studio.settings.web_port)
    return JSONResponse({"ok": True, **await settings_view(r)})


@router.post("/api/settings/mail")
async def api_save_mail(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await json_object(request, "the settings as an object of fields", 4 * 1024)
    known = {*MAIL_FIELDS, "port"}
    for key, value in data.items():
        if key not in known:
            raise CommandError(f'"{key[:40]}" is not one of the mail server\'s settings.')
        if key == "port":
            if not isinstance(value, int) or isinstance(value, bool):
                raise CommandError("The mail server's port should be a whole number, e.g. 587.")
        elif not isinstance(value, str) or len(value) > MAIL_FIELDS[key]:
            raise CommandError(
                f"The mail server's {key} should be text of at most {MAIL_FIELDS[key]} characters."
            )
    # A field left out keeps what is saved; the password is write-only: left empty, too.
    before = smtp_settings(r.studio.store) or SmtpSettings(host="")
    values = {key: data.get(key, getattr(before, key)) for key in (*MAIL_FIELDS, "port")}
    values = {
        k: v.strip() if isinstance(v, str) and k != "password" else v for k, v in values.items()
    }
    values["password"] = values["password"] or before.password
    if not values["username"]:
        values["password"] = ""
    wanted = replace(before, **values)
    try:
        save_smtp_settings(r.studio.store, wanted)
    except MailSettingsError as exc:
        raise CommandError(str(exc)) from exc
    return JSONResponse({"ok": True, "mail": mail_view(r)})


@router.post("/api/settings/mail/test")
async def api_test_mail(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    data = await json_object(request, "the settings as an object of fields", 1024)
    to = data.get("to")
    if set(data) != {"to"} or not isinstance(to, str) or len(to) > 254:
        raise CommandError('Send the address to test with as {"to": "you@example.com"}.')
    settings = smtp_settings(r.studio.store)
    if settings is None:
        raise CommandError("No mail server is saved yet: fill in the server and save it first.")
    details = studio_details(r.studio.store)
    try:  # a slow or silent server must not hold up the loop the TV draws on
        said = await asyncio.to_thread(
            send_test_email,
            settings,
            sender=details.email or to,
            to=to,
            studio_name=details.name,
        )
    except MailSettingsError as exc:
        return JSONResponse({"ok": False, "message": str(exc)})
    return JSONResponse({"ok": True, "message": said})


@router.get("/api/settings/logo")
async def api_logo(request: Request, _token: str = Depends(unlocked)) -> Response:
    logo = studio_details(reveal(request).studio.store).logo
    if not logo or not Path(logo).is_file():
        return JSONResponse({"error": "The studio has no logo yet."}, status_code=404)
    return FileResponse(logo, headers={"Cache-Control": "no-store"})


@router.post("/api/settings/logo")
async def api_upload_logo(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    r = reveal(request)
    if request.headers.get("content-type") not in ("image/png", "image/jpeg"):
        raise CommandError("Send the logo itself as a PNG or JPEG (image/png or image/jpeg).")
    data = await request.body()
    if len(data) > MOST_BYTES:  # sent in chunks without a length: BodyLimit stops it sooner
        raise CommandError(f"The logo is larger than {MOST_BYTES // 2**20} MB.")
    kept = await asyncio.to_thread(keep_logo, data, r.studio.paths.root)
    save_studio_logo(r.studio.store, str(kept))
    return JSONResponse({"ok": True, "logo": True})


@router.post("/api/settings/logo/remove")
async def api_remove_logo(request: Request, _token: str = Depends(unlocked_same_site)) -> Response:
    save_studio_logo(reveal(request).studio.store, "")
    return JSONResponse({"ok": True, "logo": False})


async def settings_view(r: Reveal) -> dict[str, Any]:
    """Everything the page shows: the settings as settings.toml holds them (the kiosk runs on
    the web port it started with until a restart)."""
    saved = load_settings(r.studio.paths)
    running_port = r.studio.settings.web_port
    logo = studio_details(r.studio.store).logo
    return {
        "locked": False,
        "settings": {key: _json_value(getattr(saved, key)) for key in EDITABLE},
        "restart": [
            f"The web port {saved.web_port} applies after the kiosk restarts; until then the "
            f"tablet reaches it on port {running_port}."
        ]
        if saved.web_port != running_port
        else [],
        "pinSet": bool(saved.pin),
        "studio": studio_view(r),
        "logo": bool(logo) and Path(logo).is_file(),
        "mail": mail_view(r),
        "security": list(SECURITY),
        "backup": await asyncio.to_thread(backup_view, r.studio.paths, saved),
    }


def mail_view(r: Reveal) -> dict[str, Any]:
    settings = smtp_settings(r.studio.store)
    if settings is None:
        return {
            "host": "",
            "port": 587,
            "security": "starttls",
            "username": "",
            "ca_file": "",
            "passwordSet": False,
            "sender": studio_details(r.studio.store).email,
        }
    view = {
        key: getattr(settings, key) for key in ("host", "port", "security", "username", "ca_file")
    }
    return {
        **view,
        "passwordSet": bool(settings.password),
        "sender": studio_details(r.studio.store).email,
    }


def backup_view(paths: StudioPaths, settings: Settings) -> dict[str, Any]:
    """The last backup's time and size (a walk of its folder: off the loop's thread)."""
    folder = backup_folder(paths, settings)
    taken = list_backups(folder)
    if not taken:
        return {
            "folder": str(folder),
            "last": None,
            "size": 0,
            "stale": True,
            "staleDays": STALE.days,
        }
    last = taken[-1]
    return {
        "folder": str(folder),
        "last": f"{last.name.taken:%Y-%m-%d %H:%M}",
        "size": last.size,
        "stale": is_stale(last.name.taken, datetime.now()),
        "staleDays": STALE.days,
    }


def _setting_value(key: str, value: Any) -> Any:
    kind = EDITABLE.get(key)
    if kind is None:
        raise CommandError(f'"{key[:40]}" is not a setting the tablet changes.')
    if kind == "folders":
        if not isinstance(value, list) or len(value) > 50:
            raise CommandError(f"'{key}' should be a list of folders.")
        if not all(isinstance(v, str) and len(v) <= 1000 for v in value):
            raise CommandError(f"'{key}' should be a list of folders, each a path.")
        return tuple(value)
    if kind == "number" and (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or abs(value) > 1e9
    ):
        raise CommandError(f"'{key}' should be a number, got {json.dumps(value)[:40]}.")
    if kind == "text" and (not isinstance(value, str) or len(value) > 1000):
        raise CommandError(f"'{key}' should be text of at most 1000 characters.")
    if key in WHOLE and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
