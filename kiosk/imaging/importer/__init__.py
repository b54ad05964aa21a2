"""Importing a session folder into a studio.

The parent process finds the files, reads and hashes each one (a reader thread, so reading the
card overlaps with decoding), skips what the session already has, and hands the rest to a *spawn*
process pool running `make_previews`. Each finished image is recorded in the store at once, from
the parent, so a killed import resumes where it stopped: the next run finds those hashes done.
Bad files never stop the import; each gets one reason in the summary.

    >>> from kiosk.studio import open_studio
    >>> studio = open_studio(data_dir)
    >>> summary = import_folder(studio, "/media/card/DCIM", "Ada Lovelace", "ada@example.com")
    >>> len(summary.imported), summary.skipped
    (212, [('IMG_0413.JPG', 'The file is cut short (truncated), ...')])

`folder` runs one import and writes what it finds to the store; `files` says what each file on
the card is; `workers` holds the preview processes; `reasons` words why a file was skipped.
"""

from kiosk.imaging.importer.files import IMAGE_SUFFIXES, RAW_SUFFIXES, SUFFIXES, find_files, sniff
from kiosk.imaging.importer.folder import ImportSummary, import_folder
from kiosk.imaging.importer.workers import start_pool, usable_cores

__all__ = [
    "IMAGE_SUFFIXES",
    "RAW_SUFFIXES",
    "SUFFIXES",
    "ImportSummary",
    "find_files",
    "import_folder",
    "sniff",
    "start_pool",
    "usable_cores",
]
