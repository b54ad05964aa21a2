"""Every error a person reads comes from here: what happened, and what to do about it."""

from __future__ import annotations


class RevealError(Exception):
    """Base of Reveal's errors; `str()` is a sentence a photographer can act on."""


class StudioError(RevealError):
    """The studio folder or its database cannot be used."""


class ImportFolderError(RevealError):
    """A session folder cannot be imported at all (missing, not a folder, unreadable)."""


class PriceListError(RevealError):
    """A price list file is malformed. Carries where (file, line or key) and what is expected."""

    def __init__(self, message: str, *, file: str = "", where: str = "") -> None:
        self.file = file
        self.where = where
        prefix = ": ".join(p for p in (file, where) if p)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class CommandError(RevealError):
    """A command cannot be applied to the current state (unknown image, nothing to undo...)."""


class ImageRejected(RevealError):
    """One file cannot be imported; the message is the reason shown in the import summary."""
