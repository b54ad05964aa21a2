"""The pages' CSS and JavaScript: served with a content hash in the URL, so a browser may keep
them for a year and still gets a new file the moment it changes."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from kiosk.config import ASSETS

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
LONG_CACHE = "public, max-age=31536000, immutable"


@cache
def _version(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """`/static/remote.js?v=<hash>`: the template's link to a static file."""
    return f"/static/{name}?v={_version(name)}"


class CachedStatic(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = LONG_CACHE
        return response


def static_files() -> CachedStatic:
    return CachedStatic(directory=STATIC)


def font_files() -> CachedStatic:
    """The TV's typeface (assets/fonts, OFL), so the tablet reads like the kiosk."""
    return CachedStatic(directory=ASSETS / "fonts")
