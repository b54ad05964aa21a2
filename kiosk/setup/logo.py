"""The studio's logo, uploaded from the tablet: checked, made a plain PNG and kept in the studio
folder, where the invoice, the e-mails, the TV's welcome and the backups find it.

What must stay true: what is kept is a PNG Pillow wrote itself from a PNG or JPEG within
`MOST_BYTES` and `MOST_PIXELS` (the size is read from the header before anything is decoded,
so a decompression bomb is refused unread); it replaces the old logo in one rename. Decoding
takes a while on a big file: call `keep_logo` off the loop's thread.

    path = keep_logo(data, studio.paths.root)      # studio/logo.png, or LogoRefused
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from kiosk.core.errors import CommandError

MOST_BYTES = 4 * 1024 * 1024
MOST_PIXELS = 4096 * 4096
MOST_EDGE = 4096
LOGO_FILE = "logo.png"
FORMATS = ("PNG", "JPEG")


class LogoRefused(CommandError):
    """The upload is not a logo the kiosk keeps (see the message for why)."""


def keep_logo(data: bytes, folder: Path) -> Path:
    if len(data) > MOST_BYTES:
        raise LogoRefused(
            f"The logo is {len(data) / 1e6:.1f} MB; at most {MOST_BYTES // 2**20} MB. Export a "
            "smaller PNG or JPEG."
        )
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            if width * height > MOST_PIXELS or max(width, height) > MOST_EDGE:
                raise LogoRefused(
                    f"The logo is {width} × {height} pixels; at most {MOST_EDGE} on its long "
                    "edge. A logo of 1000 pixels is plenty for the invoice and the TV."
                )
            image.load()
            kept = image.convert("RGBA" if _has_alpha(image) else "RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise LogoRefused(
            "The logo should be a PNG or JPEG picture; this file is not one."
        ) from None
    target = Path(folder) / LOGO_FILE
    aside = target.with_name(LOGO_FILE + ".new")
    with open(aside, "wb") as out:
        kept.save(out, format="PNG")
        out.flush()
        os.fsync(out.fileno())
    os.replace(aside, target)
    return target


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
