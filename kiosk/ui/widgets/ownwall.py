"""The client's own wall, over the wall-art screen: send a photo of it from the phone, measure
it, and hang the art on it.

Step one shows a large QR code of this session's upload page (`/wall/<token>`) and the photos
already sent, as big thumbnails; a photo that arrives from a phone (the app's
`wall_photo_listeners`, fed by the web app's `on_wall_photo`) appears at once and opens for
measuring. Step two is `CalibrationView`; "Use this wall" saves the calibration and hands the
room to the wall-art screen.

    open_own_wall(app, wallart_screen)     # what the wall-art screen's "Your wall" does
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.clock import Clock
from kivy.properties import ListProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

from kiosk.core.wall import Room
from kiosk.store.walls import (
    WallPhoto,
    calibrated_rooms,
    issue_wall_token,
    list_wall_photos,
    room_id,
)
from kiosk.ui.loader import load_kv
from kiosk.ui.widgets import buttons  # noqa: F401  (BigButton, used in ownwall.kv)
from kiosk.ui.widgets.connect import qr_texture
from kiosk.ui.widgets.wallcalibration import CalibrationView
from kiosk.web.walls import wall_url

THUMB = (480, 360)  # decoded size of a sent photo's thumbnail


class WallThumb(ButtonBehavior, BoxLayout):
    """One photo sent: tap it to measure it."""

    texture = ObjectProperty(None, allownone=True)
    caption = StringProperty("")

    def __init__(self, photo: WallPhoto, measured: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.photo = photo
        self.caption = "Measured · tap to change" if measured else "Tap to measure"


class OwnWallOverlay(ModalView):
    """Full screen, over the wall-art screen. `on_room(room)` gets each wall measured."""

    address = StringProperty("")
    qr = ObjectProperty(None, allownone=True)
    step = StringProperty("send")  # "send", then "calibrate"
    photos = ListProperty([])

    def __init__(
        self, store, session_id: int, base_url: str, textures, on_room: Callable[[Room], None]
    ) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id
        self.textures = textures
        self.on_room = on_room
        self.address = wall_url(base_url, issue_wall_token(store, session_id))
        self.qr = qr_texture(self.address)
        self.calibration: CalibrationView | None = None
        self._send = self.ids.send.__self__  # a strong ref: it leaves the tree while measuring
        self.reload()
        # Build the measuring view while the client reads the QR code, so a photo arriving
        # from the phone switches to it at once instead of waiting for its layout to build.
        self._prebuild = Clock.schedule_once(lambda _dt: self._calibration_view(), 0.5)

    # step one: the photos sent ----------------------------------------------------------------
    def reload(self) -> None:
        self.photos = list_wall_photos(self.store, self.session_id)
        measured = {r.id for r in calibrated_rooms(self.store, self.session_id)}
        strip = self.ids.thumbs
        strip.clear_widgets()
        for photo in reversed(self.photos):  # the newest first: the one just sent
            thumb = WallThumb(photo, room_id(photo.id) in measured)
            thumb.bind(on_release=lambda t: self.calibrate(t.photo))
            strip.add_widget(thumb)
            self.textures.request(photo.path, THUMB, lambda tex, t=thumb: _set(t, tex))

    def photo_arrived(self, path: str) -> None:
        """A phone sent a photo of this session's wall: show it, and open it for measuring."""
        self.reload()
        photo = next((p for p in self.photos if p.path == path), None)
        if photo is not None:
            self.calibrate(photo)

    # step two: measuring -------------------------------------------------------------------
    def _calibration_view(self) -> CalibrationView:
        if self.calibration is None:
            self.calibration = CalibrationView(
                self.store, self.textures, on_room=self._measured, on_back=self.back
            )
        return self.calibration

    def calibrate(self, photo: WallPhoto) -> None:
        self._calibration_view().show(photo)
        body = self.ids.body
        if self.calibration.parent is None:
            body.clear_widgets()
            body.add_widget(self.calibration)
        self.step = "calibrate"

    def back(self) -> None:
        body = self.ids.body
        body.clear_widgets()
        self.reload()
        body.add_widget(self._send)
        self.step = "send"

    def on_dismiss(self) -> None:
        self._prebuild.cancel()

    def _measured(self, room: Room) -> None:
        self.dismiss(animation=False)
        self.on_room(room)


def _set(thumb: WallThumb, texture) -> None:
    thumb.texture = texture


def open_own_wall(app, screen) -> OwnWallOverlay:
    """Open the overlay for the app's session; a measured wall goes to `screen.add_room`."""
    overlay = OwnWallOverlay(
        app.studio.store,
        app.session.id,
        app.base_url(),
        app.textures,
        on_room=lambda room: screen.add_room(room, select=True),
    )
    app.wall_photo_listeners.append(overlay.photo_arrived)

    def left(*_args) -> None:  # the remote moved the TV to another screen: go with it
        overlay.dismiss(animation=False)

    def closed(*_args) -> None:
        if overlay.photo_arrived in app.wall_photo_listeners:
            app.wall_photo_listeners.remove(overlay.photo_arrived)
        screen.unbind(on_leave=left)

    screen.bind(on_leave=left)
    overlay.bind(on_dismiss=closed)
    overlay.open(animation=False)
    app.own_wall = overlay
    return overlay


load_kv(__file__)
