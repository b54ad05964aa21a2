"""Wall-art geometry: where a piece of a real size lands on a photographed wall.

Everything is in wall inches (x from the wall's left edge, y up from the floor), mapped to image
pixels only to draw. Pure Python: no numpy, no files. One idea per module:

- perspective.py  `Homography` (four corners → the map) and the pinhole camera behind it
- room.py         the `Wall` in its image, a `Placement` on it, `Furniture`, a `Room`
- photo.py        a client's own wall photo: `check_wall_photo`, `calibrate_fronto`,
                  `calibrate_perspective` (a reference of known length gives the scale)
- sizes.py        the sizes the studio sells: `sold_sizes`, `snap_size`, `step_size`
- placing.py      guides and `snap`, `clamp` (on the wall, clear of furniture), `overlapping`
- groupings.py    frames hung as one: `Grouping`, `arrange`, `scale_steps`
- finish.py       how a product looks hung: `Finish`, `finish_for`

The names below are the package's public surface: import them from `kiosk.core.wall`.
"""

from kiosk.core.wall.finish import FRAME_COLOURS, MAT_COLOURS, RGB, Finish, finish_for
from kiosk.core.wall.groupings import (
    Arrangement,
    Frame,
    Grouping,
    arrange,
    check_grouping,
    scale_steps,
)
from kiosk.core.wall.perspective import (
    DEFAULT_FOV,
    Homography,
    Point,
    Quad,
    default_focal,
    scaling,
    translation,
)
from kiosk.core.wall.photo import (
    MIN_PHOTO,
    MIN_POINT_DISTANCE,
    calibrate_fronto,
    calibrate_perspective,
    check_wall_photo,
)
from kiosk.core.wall.placing import (
    ABOVE_FURNITURE,
    SNAP_DISTANCE,
    Guide,
    Placed,
    clamp,
    guide_line,
    guides,
    overlapping,
    snap,
)
from kiosk.core.wall.room import EYE_LEVEL, Furniture, Placement, Room, Wall
from kiosk.core.wall.sizes import SoldSize, snap_size, sold_sizes, step_size

__all__ = [
    "ABOVE_FURNITURE",
    "DEFAULT_FOV",
    "EYE_LEVEL",
    "FRAME_COLOURS",
    "MAT_COLOURS",
    "MIN_PHOTO",
    "MIN_POINT_DISTANCE",
    "RGB",
    "SNAP_DISTANCE",
    "Arrangement",
    "Finish",
    "Frame",
    "Furniture",
    "Guide",
    "Grouping",
    "Homography",
    "Placed",
    "Placement",
    "Point",
    "Quad",
    "Room",
    "SoldSize",
    "Wall",
    "arrange",
    "calibrate_fronto",
    "calibrate_perspective",
    "check_grouping",
    "check_wall_photo",
    "clamp",
    "default_focal",
    "finish_for",
    "guide_line",
    "guides",
    "overlapping",
    "scale_steps",
    "scaling",
    "snap",
    "snap_size",
    "sold_sizes",
    "step_size",
    "translation",
]
