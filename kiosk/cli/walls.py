"""`python main.py wall add --session N PHOTO` and `python main.py wall list --session N`.

A photo of the client's wall that did not come from their phone (e-mailed, on a card) is
imported here with the same checks as the phone page's upload (size and pixel caps, a real
image, upright, sRGB) and appears among the session's wall photos on the TV, ready to
calibrate. main.py registers this with `add_parsers(subparsers)`; `python -m kiosk.cli.walls`
runs it alone.

Exit codes: 0 on success; 1 when the studio or the session cannot be opened; 2 when the photo
is refused (the reason on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli import run_alone
from kiosk.cli.studio import CANNOT_OPEN, with_studio
from kiosk.core.errors import RevealError, WallPhotoError
from kiosk.store.walls import add_wall_photo, calibrated_rooms, list_wall_photos, room_id
from kiosk.studio import Studio
from kiosk.web.walls import WallLimits, store_wall_photo, wall_folder


def add_parsers(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    wall = subparsers.add_parser(
        "wall",
        help="add or list a client's own wall photos",
        description="A session's photos of the client's own wall, for the wall-art screen.",
    )
    actions = wall.add_subparsers(dest="wall_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="import a photo of the client's wall from a file",
        description=(
            "Check PHOTO as the phone page does (a real image, at least 1024×640, under the "
            "size caps), store it upright in sRGB in the studio folder and add it to the "
            "session's wall photos. Calibrate it on the TV: Wall art, then Your wall."
        ),
    )
    add.add_argument("photo", metavar="PHOTO", type=Path, help="the wall photo (JPEG, PNG...)")
    add.add_argument("--session", type=int, required=True, metavar="N", help="session number")
    add.set_defaults(func=run_add)
    listing = actions.add_parser("list", help="list a session's wall photos")
    listing.add_argument("--session", type=int, required=True, metavar="N", help="session number")
    listing.set_defaults(func=run_list)
    return wall


@with_studio
def run_add(args: argparse.Namespace, studio: Studio) -> int:
    try:
        session = studio.store.session(args.session)
    except RevealError as exc:
        print(exc, file=sys.stderr)
        return CANNOT_OPEN
    limits = WallLimits()
    try:
        stored = _store(studio, args.photo, args.session, limits)
        photo = add_wall_photo(
            studio.store, args.session, str(stored.path), stored.width, stored.height
        )
        count = len(list_wall_photos(studio.store, args.session))
    except WallPhotoError as exc:
        print(f"{args.photo}: {exc}", file=sys.stderr)
        return 2
    print(
        f"Wall photo {photo.id} added to session {session.id} ({session.client}): "
        f"{photo.width}×{photo.height}, stored as {photo.path}. The session has {count} wall "
        "photo(s); calibrate it on the TV: Wall art, then Your wall."
    )
    return 0


def _store(studio: Studio, source: Path, session_id: int, limits: WallLimits):
    if len(list_wall_photos(studio.store, session_id)) >= limits.max_photos:
        raise WallPhotoError(
            f"Session {session_id} already has {limits.max_photos} wall photos, the most it "
            "may keep."
        )
    try:
        size = source.stat().st_size
        upload = source.open("rb")
    except OSError as exc:
        raise WallPhotoError(f"It cannot be read ({exc.strerror or exc}).") from exc
    if size > limits.max_bytes:
        upload.close()
        raise WallPhotoError(limits.too_large())
    with upload:
        return store_wall_photo(
            upload,
            wall_folder(studio.paths.root, session_id),
            limits=limits,
            studio_max_pixels=studio.settings.max_pixels,
            edge=studio.settings.preview_edge,
        )


@with_studio
def run_list(args: argparse.Namespace, studio: Studio) -> int:
    try:
        studio.store.session(args.session)
    except RevealError as exc:
        print(exc, file=sys.stderr)
        return CANNOT_OPEN
    photos = list_wall_photos(studio.store, args.session)
    rooms = {room.id: room for room in calibrated_rooms(studio.store, args.session)}
    if not photos:
        print(f"Session {args.session} has no wall photos yet.")
    for photo in photos:
        room = rooms.get(room_id(photo.id))
        state = (
            f"calibrated as “{room.name}”, {room.wall.width:.0f}×{room.wall.height:.0f} in"
            if room
            else "not calibrated"
        )
        print(f"{photo.id}  {photo.width}×{photo.height}  {state}  {photo.path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_alone(add_parsers, "python -m kiosk.cli.walls", argv)


if __name__ == "__main__":
    sys.exit(main())
