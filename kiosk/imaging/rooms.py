"""Rooms and groupings from `layouts/`, and a client's own wall photo.

A room is `layouts/rooms/<id>.toml` next to its image; a grouping is
`layouts/groupings/<id>.toml`. `parse_room` and `parse_grouping` are pure (text in, values
out) and raise `LayoutError` naming the file and the key; the `load_*` functions read files.
The formats are described in layouts/rooms/README.md and layouts/groupings/README.md. The
sample rooms are drawn by scripts/make_rooms.py, which writes both files of each room.

    rooms = load_rooms()                      # every room, in name order
    room = rooms[0]
    room.wall.quad(Placement(x=80, y=58, width=30, height=40))   # where a 30×40 goes, pixels
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from kiosk.config import LAYOUTS
from kiosk.core.errors import LayoutError, WallPhotoError
from kiosk.core.wall import (
    EYE_LEVEL,
    Frame,
    Furniture,
    Grouping,
    Room,
    Wall,
    check_grouping,
    check_wall_photo,
)

ROOMS = LAYOUTS / "rooms"
GROUPINGS = LAYOUTS / "groupings"
T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Parsing (pure)


def parse_room(
    text: str, *, file: str = "", room_id: str = "", image_size: tuple[int, int] | None = None
) -> Room:
    """A room from its TOML text. `image_size`, when given, must match the file's `size`."""
    data = _toml(text, file)
    name = _get(data, "name", str, file)
    image = _get(data, "image", str, file)
    size = _pair(data, "size", file, integer=True)
    if image_size is not None and tuple(image_size) != size:
        raise LayoutError(
            f"size = {list(size)} but {image} is {image_size[0]}×{image_size[1]} pixels. "
            "The corners were measured on an image of `size`: redraw the room or fix `size`.",
            file=file,
        )
    wall = _get(data, "wall", dict, file)
    corners = wall.get("corners")
    if not (
        isinstance(corners, list)
        and len(corners) == 4
        and all(isinstance(c, list) and len(c) == 2 and all(_num(v) for v in c) for c in corners)
    ):
        raise LayoutError(
            "wall.corners must be four [x, y] pairs in image pixels: top left, top right, "
            "bottom right, bottom left",
            file=file,
        )
    furniture = []
    for i, item in enumerate(data.get("furniture", [])):
        where = f"furniture {i + 1}"
        if not isinstance(item, dict):
            raise LayoutError(f"{where} must be a [[furniture]] table", file=file)
        left, right = (
            _get(item, "left", float, file, where),
            _get(item, "right", float, file, where),
        )
        if right <= left:
            raise LayoutError(
                f"{where}: right ({right}) must be more than left ({left})", file=file
            )
        furniture.append(
            Furniture(
                str(item.get("name", where)), left, right, _get(item, "top", float, file, where)
            )
        )
    try:
        built = Wall(
            tuple((float(u), float(v)) for u, v in corners),  # type: ignore[arg-type]
            _positive(wall, "width", file),
            _positive(wall, "height", file),
            size,
            bottom=float(wall.get("bottom", 0.0)),
            eye_level=float(wall.get("eye_level", EYE_LEVEL)),
            furniture=tuple(furniture),
            focal=float(wall.get("focal", 0.0)),
        )
    except (ValueError, ZeroDivisionError, ArithmeticError) as exc:
        raise LayoutError(f"the wall cannot be used: {exc}", file=file) from exc
    light = float(data.get("light", 0.0))
    return Room(
        room_id or Path(file).stem,
        name,
        image,
        built,
        light=max(-1.0, min(1.0, light)),
        description=str(data.get("description", "")),
    )


def parse_grouping(text: str, *, file: str = "", grouping_id: str = "") -> Grouping:
    """A grouping from its TOML text, checked: frames may not overlap or crowd."""
    data = _toml(text, file)
    frames = []
    for i, item in enumerate(data.get("frame", [])):
        where = f"frame {i + 1}"
        if not isinstance(item, dict):
            raise LayoutError(f"{where} must be a [[frame]] table", file=file)
        frames.append(
            Frame(
                str(item.get("name", where)),
                _get(item, "x", float, file, where),
                _get(item, "y", float, file, where),
                _get(item, "width", float, file, where),
                _get(item, "height", float, file, where),
            )
        )
    gap = float(_get(data, "gap", float, file))
    if gap < 0:
        raise LayoutError(f"gap is {gap}; it is the space between frames, 0 or more", file=file)
    grouping = Grouping(
        grouping_id or Path(file).stem,
        _get(data, "name", str, file),
        tuple(frames),
        gap,
        str(data.get("description", "")),
    )
    return check_grouping(grouping, file=file)


def _toml(text: str, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(
            f"not valid TOML ({exc}); check the quotes and brackets", file=file
        ) from exc


def _num(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _get(table: dict, key: str, kind: type[T], file: str, where: str = "") -> T:
    label = f"{where}: {key}" if where else key
    if key not in table:
        raise LayoutError(f"{label} is missing", file=file)
    value = table[key]
    if kind is float:
        if not _num(value):
            raise LayoutError(f"{label} must be a number of inches, got {value!r}", file=file)
        return float(value)  # type: ignore[return-value]
    if not isinstance(value, kind):
        raise LayoutError(f"{label} must be a {kind.__name__}, got {value!r}", file=file)
    return value


def _positive(table: dict, key: str, file: str) -> float:
    value = _get(table, key, float, file, "wall")
    if value <= 0:
        raise LayoutError(f"wall: {key} must be more than 0 inches, got {value}", file=file)
    return value


def _pair(table: dict, key: str, file: str, *, integer: bool = False) -> tuple[int, int]:
    value = table.get(key)
    ok = isinstance(value, list) and len(value) == 2 and all(_num(v) and v > 0 for v in value)
    if not ok or (integer and not all(isinstance(v, int) for v in value)):  # type: ignore[union-attr]
        raise LayoutError(f"{key} must be [width, height] in pixels, got {value!r}", file=file)
    return int(value[0]), int(value[1])  # type: ignore[index]


# ---------------------------------------------------------------------------------------------
# Files


def load_room(path: str | Path) -> Room:
    """A room file and a check that its image is there at the size it was measured on."""
    path = Path(path)
    text = _read(path)
    room = parse_room(text, file=str(path))
    image = path.parent / room.image
    try:
        with Image.open(image) as im:
            size = im.size
    except (OSError, UnidentifiedImageError) as exc:
        raise LayoutError(
            f"its image {room.image} cannot be opened ({exc}); put the image next to the file",
            file=str(path),
        ) from exc
    room = parse_room(text, file=str(path), image_size=size)
    return Room(room.id, room.name, str(image), room.wall, room.light, room.description)


def load_grouping(path: str | Path) -> Grouping:
    path = Path(path)
    return parse_grouping(_read(path), file=str(path))


def load_rooms(folder: str | Path = ROOMS, errors: list[LayoutError] | None = None) -> list[Room]:
    """Every room in a folder, by name. With `errors`, a broken file is skipped and its error
    added there (the kiosk keeps working with the others); without, the first error raises."""
    return sorted(_load_all(Path(folder), load_room, errors), key=lambda r: r.name)


def load_groupings(
    folder: str | Path = GROUPINGS, errors: list[LayoutError] | None = None
) -> list[Grouping]:
    """Every grouping in a folder, fewest frames first."""
    found = _load_all(Path(folder), load_grouping, errors)
    return sorted(found, key=lambda g: (len(g.frames), g.name))


def _load_all(folder: Path, load: Callable[[Path], T], errors: list[LayoutError] | None) -> list[T]:
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            out.append(load(path))
        except LayoutError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LayoutError(f"cannot be read ({exc.strerror or exc})", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise LayoutError("is not UTF-8 text; save it as UTF-8", file=str(path)) from exc


# ---------------------------------------------------------------------------------------------
# Images


@lru_cache(maxsize=8)
def room_image(path: str, width: int = 0) -> Image.Image:
    """A room's image as RGB, at `width` (0: its own size). Cached: treat it as read-only."""
    with Image.open(path) as im:
        im = im.convert("RGB")
    if width and width != im.width:
        height = round(im.height * width / im.width)
        # Lanczos to shrink; bicubic to enlarge (an export), as smooth and twice as fast there.
        kind = Image.Resampling.LANCZOS if width < im.width else Image.Resampling.BICUBIC
        im = im.resize((width, height), kind)
    return im


def load_wall_photo(path: str | Path) -> Image.Image:
    """A client's wall photo, upright and in sRGB, refused when unreadable or too small."""
    name = f"The wall photo {Path(path).name}"
    try:
        with Image.open(path) as im:
            im.load()
            photo = to_srgb(ImageOps.exif_transpose(im))
    except (OSError, UnidentifiedImageError) as exc:
        raise WallPhotoError(
            f"{name} cannot be read as a picture ({exc}). Send it again as a JPEG or HEIC photo."
        ) from exc
    check_wall_photo(photo.size, name=name)
    return photo


@dataclass(frozen=True)
class WallPhoto:
    """A client's wall photo as stored for the wall-art screen: upright, sRGB."""

    path: Path
    size: tuple[int, int]
    focal: float  # px, from the original's EXIF; 0 when unknown


def save_wall_photo(source: str | Path, dest: str | Path) -> WallPhoto:
    """Check a client's photo and store it upright in sRGB as a JPEG at `dest`, so that what
    is calibrated and rendered is what the screen shows. Raises WallPhotoError."""
    photo = load_wall_photo(source)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    photo.save(dest, "JPEG", quality=92, icc_profile=ImageCms.ImageCmsProfile(_SRGB).tobytes())
    return WallPhoto(dest, photo.size, photo_focal(source))


def client_room(photo: WallPhoto, wall: Wall, name: str = "Your wall") -> Room:
    """A room made of a client's calibrated wall photo, to render like the sample rooms."""
    return Room("client-wall", name, str(photo.path), wall)


def photo_focal(path: str | Path) -> float:
    """The camera's focal length in pixels of the upright photo, from EXIF's 35 mm-equivalent
    focal length (phones write it); 0 when the photo does not say. Pass it to
    `calibrate_perspective`: a wall's corners alone rarely tell it."""
    try:
        with Image.open(path) as im:
            f35 = im.getexif().get_ifd(_EXIF_IFD).get(_FOCAL_35MM)
            long_edge = max(im.size)
    except (OSError, UnidentifiedImageError):
        return 0.0
    if not isinstance(f35, int | float) or f35 <= 0:
        return 0.0
    return float(f35) / 36.0 * long_edge  # 36 mm: the long side of a 35 mm frame


_EXIF_IFD, _FOCAL_35MM = 0x8769, 0xA405
_SRGB = ImageCms.createProfile("sRGB")


def to_srgb(im: Image.Image) -> Image.Image:
    """RGB in sRGB: an embedded profile is converted, a photo without one is taken as sRGB."""
    profile = im.info.get("icc_profile")
    if im.mode not in ("RGB", "CMYK", "L"):
        im = im.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(profile))
            if "srgb" in (source.profile.profile_description or "").lower():
                return im if im.mode == "RGB" else im.convert("RGB")
            converted = ImageCms.profileToProfile(im, source, _SRGB, outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: show the pixels as they are, as a browser would
    return im if im.mode == "RGB" else im.convert("RGB")
