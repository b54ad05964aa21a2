"""Images by id, for paired tablets and mirror pages. The client names an id, never a path:
the file is whatever the session's own image row says."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from kiosk.web.auth import paired
from kiosk.web.context import Reveal, reveal

router = APIRouter()
IMAGE_ID = re.compile(r"[0-9]{1,12}")
# An image id always names the same content (ids follow the content hash), so a tablet may
# keep what it fetched; `private`: no shared cache between the studio's devices.
IMAGE_CACHE = "private, max-age=86400"


def image_file(r: Reveal, image_id: str, size: str) -> Response:
    image = r.live.by_id.get(int(image_id)) if IMAGE_ID.fullmatch(image_id) else None
    if image is None:
        return JSONResponse({"error": "There is no such image in this session."}, 404)
    path = Path(image.thumb_path if size == "thumb" else image.preview_path)
    if not path.is_file():
        return JSONResponse(
            {"error": f"The {size} of {image.file_name} is missing; import the session again."},
            404,
        )
    return FileResponse(path, headers={"Cache-Control": IMAGE_CACHE})


@router.get("/img/thumb/{image_id}")
async def thumbnail(request: Request, image_id: str, _token: str = Depends(paired)) -> Response:
    return image_file(reveal(request), image_id, "thumb")


@router.get("/img/preview/{image_id}")
async def preview(request: Request, image_id: str, _token: str = Depends(paired)) -> Response:
    return image_file(reveal(request), image_id, "preview")
