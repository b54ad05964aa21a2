"""The plain values every part of Reveal passes around: a studio's sessions and their images."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Session:
    """One client's image purchasing session."""

    id: int
    client: str
    email: str
    created: str  # ISO-8601, UTC
    phone: str = ""
    partner: str = ""  # a second person: the client's partner, a parent
    notes: str = ""
    shoot_date: str = ""  # YYYY-MM-DD, "" when not known
    viewing_at: str = ""  # YYYY-MM-DDTHH:MM in the studio's local time, "" when not booked
    archived: str | None = None  # when it was archived (ISO-8601, UTC); None while in use


@dataclass(frozen=True)
class Image:
    """An imported photograph: the original stays where it was; previews live in the cache."""

    id: int
    session_id: int
    file_name: str
    source_path: str
    content_hash: str
    width: int  # upright (EXIF orientation applied), original pixels
    height: int
    capture_time: str  # ISO-8601 from EXIF, else the file's modification time
    preview_path: str  # absolute path of the display preview (sRGB JPEG)
    thumb_path: str
    position: int  # 1-based place in the session's order

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 1.0
