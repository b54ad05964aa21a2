"""Measuring a client's wall photo on the TV: touch the two ends of something of known length,
type that length, optionally drag the wall's four corners, and "Use this wall".

The photo fills the left of the screen (`CalibrationStage`, with the loupe); the right-hand
panel holds a large number pad, in/cm, presets and "Use this wall".
What the touches and the typing mean is decided in `kiosk.core.calibration`; this module only
collects them.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core.calibration import (
    PRESETS,
    WallCalibration,
    parse_length,
    require_points,
    unreadable_photo,
)
from kiosk.core.errors import WallArtError
from kiosk.core.wall import check_wall_photo
from kiosk.store.walls import WallPhoto, save_wall_calibration, wall_calibration
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.buttons import BigButton
from kiosk.ui.widgets.calibrationstage import CalibrationStage  # also used by the .kv

MAX_TYPED = 6  # characters on the pad: 1234.5 is already longer than any wall
CORNER_INSET = 0.12  # where the four corners start, as a fraction of the photo


class CalibrationView(BoxLayout):
    """One wall photo being measured. `on_room(room)` gets the wall once it is saved."""

    hint = StringProperty("")
    typed = StringProperty("")
    unit = StringProperty("in")
    on_floor = BooleanProperty(False)
    with_corners = BooleanProperty(False)
    error = StringProperty("")
    point_a = ObjectProperty(None, allownone=True)
    point_b = ObjectProperty(None, allownone=True)
    corners = ObjectProperty(None, allownone=True)

    def __init__(self, store, textures, on_room: Callable, on_back: Callable[[], None], **kwargs):
        self.photo: WallPhoto | None = None
        super().__init__(**kwargs)
        self.store = store
        self.textures = textures
        self.on_room = on_room
        self.on_back = on_back
        self.focal = 0.0
        self._build_pad()
        self.ids.stage.view = self

    def show(self, photo: WallPhoto) -> None:
        """Measure this photo: from where it was left when it was measured before. One view
        serves every photo, so switching to a photo just sent costs no layout building."""
        self.photo = photo
        self.point_a = self.point_b = self.corners = None
        self.typed, self.unit, self.on_floor, self.with_corners = "", "in", False, False
        self.focal, self.error = 0.0, ""
        self._restore(wall_calibration(self.store, photo.id))
        self._update_hint()
        self.stage.dragging = None
        self.stage.texture = None
        try:
            check_wall_photo((photo.width, photo.height))
        except WallArtError as exc:
            self.error = str(exc)
            return
        self.textures.request(photo.path, screen_box(), lambda t: self._photo_arrived(photo, t))

    @property
    def stage(self) -> CalibrationStage:
        return self.ids.stage

    def _photo_arrived(self, photo: WallPhoto, texture) -> None:
        if photo is not self.photo:  # another photo was chosen while this one decoded
            return
        if texture is None:
            self.error = str(unreadable_photo())
        self.stage.texture = texture

    def _build_pad(self) -> None:
        for label in ("1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "⌫"):
            key = BigButton(text=label, font_size=dp(34) if label != "⌫" else dp(28))
            key.size_hint_y = 1
            key.bind(on_release=lambda _k, label=label: self.press(label))
            self.ids.pad.add_widget(key)
        for preset in PRESETS:
            button = BigButton(text=preset.label)
            button.preset = preset
            button.bind(on_release=lambda b: self.use_preset(b.preset))
            self.ids.presets.add_widget(button)

    def _restore(self, cal: WallCalibration | None) -> None:
        if cal is None:
            return
        self.point_a, self.point_b = cal.a, cal.b
        self.typed, self.unit, self.on_floor = f"{cal.length:g}", cal.unit, cal.on_floor
        self.corners = list(cal.corners) if cal.corners else None
        self.with_corners = cal.corners is not None
        self.focal = cal.focal

    # the points -----------------------------------------------------------------------------
    def handles(self) -> list[str]:
        names = [n for n, p in (("a", self.point_a), ("b", self.point_b)) if p is not None]
        if self.corners:
            names += [f"corner{i}" for i in range(4)]
        return names

    def handle(self, which: str) -> tuple[float, float]:
        if which.startswith("corner"):
            return self.corners[int(which[-1])]
        return self.point_a if which == "a" else self.point_b

    def move(self, which: str, point: tuple[float, float]) -> None:
        if which.startswith("corner"):
            corners = list(self.corners)
            corners[int(which[-1])] = point
            self.corners = corners
        elif which == "a":
            self.point_a = point
        else:
            self.point_b = point
        self.error = ""

    def placed(self) -> None:
        self._update_hint()

    def _update_hint(self) -> None:
        if self.point_a is None:
            self.hint = "Touch one end of something on the wall you know the length of."
        elif self.point_b is None:
            self.hint = "Now touch its other end."
        elif self.with_corners:
            self.hint = "Drag the four gold corners onto the corners of the wall."
        else:
            self.hint = "Drag the points onto the exact ends, then type the length."

    def toggle_corners(self) -> None:
        self.with_corners = not self.with_corners
        if self.with_corners and not self.corners:
            w, h, i = self.photo.width, self.photo.height, CORNER_INSET
            self.corners = [
                (w * i, h * i),
                (w * (1 - i), h * i),
                (w * (1 - i), h * (1 - i)),
                (w * i, h * (1 - i)),
            ]
        elif not self.with_corners:
            self.corners = None
        self.error = ""
        self._update_hint()
        self.stage.redraw()

    # the length -----------------------------------------------------------------------------
    def press(self, key: str) -> None:
        self.error = ""
        if key == "⌫":
            self.typed = self.typed[:-1]
        elif len(self.typed) < MAX_TYPED and not (key == "." and "." in self.typed):
            self.typed = ("0" if key == "." and not self.typed else "") + self.typed + key

    def on_typed(self, *_args) -> None:
        if "stage" in self.ids:  # the length is drawn beside the reference too
            self.stage.redraw()

    def on_unit(self, *_args) -> None:
        self.on_typed()

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        self.error = ""

    def use_preset(self, preset) -> None:
        self.typed, self.unit, self.on_floor = f"{preset.length:g}", preset.unit, preset.on_floor
        self.error = ""

    # saving ---------------------------------------------------------------------------------
    def use_this_wall(self) -> None:
        if self.photo is None or self.stage.texture is None:
            return  # the photo is still decoding, or cannot be used: its message is showing
        try:
            a, b = require_points(self.point_a, self.point_b)
            length = parse_length(self.typed, self.unit)
            cal = WallCalibration(
                a=a,
                b=b,
                length=length,
                unit=self.unit,
                corners=tuple(self.corners) if self.with_corners and self.corners else None,
                on_floor=self.on_floor,
                focal=self.focal,
            )
            room = save_wall_calibration(self.store, self.photo.id, cal)
        except WallArtError as exc:
            self.error = str(exc)
            return
        self.on_room(room)


load_kv(__file__)
