"""Why a file was not imported, or was only just: one sentence each, saying what happened and
what to do, for the import's summary."""

from __future__ import annotations

RECOPY = "copy it again from the camera card."
PERMS = "check its permissions, or copy the files to this computer first."


def raw_file(suffix: str) -> str:
    return (
        f"This is a camera RAW file ({suffix.lstrip('.').upper()}): export it as JPEG or TIFF "
        "from your editor, then import that."
    )


def not_a_picture(suffix: str) -> str:
    return (
        f"This file is not a picture, although its name ends in '{suffix}': it may be damaged "
        f"or renamed; {RECOPY}"
    )


def unsupported(kind: str) -> str:
    return (
        f"This is a {kind} file, which Reveal does not import: save it as JPEG, PNG or TIFF, "
        "then import that."
    )


def duplicate(first: str) -> str:
    return f"This is the same picture as {first} (identical content), so it was imported once."


def crashed() -> str:
    return (
        "Reveal's image decoder crashed on this file, so it is probably damaged: open it in "
        "your editor and save it again as JPEG."
    )


def unexpected(exc: BaseException) -> str:
    return (
        f"Reveal could not make a preview of this file ({type(exc).__name__}: {exc}); please "
        "report this with the file."
    )
