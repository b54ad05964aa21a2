"""The crop of a print, chosen by the client on the TV: the photo large, the print's frame over
it, drag to move, pinch to resize, one button to turn the print.

What must stay true: the frame is never partly empty and always has the print's shape (every
move goes through `kiosk.core.crop.clamp`), and a crop is shown as chosen only once it is on
disk (Done sends `SetCrop` through the live session and closes when it is durable). The photo
is the screen-sized preview the other screens decode (`TextureCache`): nothing is decoded here.

    CropView(app.live, "L3", app.textures, on_done=lambda line_id: ...).open()
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kivy.app import App
from kivy.graphics import Color, Line, Rectangle
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.widget import Widget

from kiosk.config import Settings
from kiosk.core.cart import SetCrop
from kiosk.core.crop import (
    Crop,
    clamp,
    default_crop,
    is_soft,
    line_crop,
    print_ppi,
    reshaped,
    resolution_note,
)
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.buttons import BigButton

DIM = (0.0, 0.0, 0.0, 0.66)  # the photo outside the frame: there, but clearly left out
CORNER = dp(44)  # the frame's corner marks: what a finger reads as "grab here"


class CropStage(Widget):
    """The photo fitted into the widget with the crop frame over it; turns touches into crops.

    One finger drags the frame; two move it by their midpoint and scale it by their spread."""

    texture = ObjectProperty(None, allownone=True)
    crop = ObjectProperty(Crop(0.0, 0.0, 1.0, 1.0))
    image_size = ListProperty([1, 1])  # the original's upright pixels
    print_size = ListProperty([8.0, 10.0])  # inches, either orientation

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._touches: list = []
        self._start: tuple[Crop, list[tuple[float, float]]] | None = None
        with self.canvas:
            Color(1, 1, 1, 1)
            self._photo = Rectangle()
            Color(*DIM)
            self._dim = [Rectangle() for _ in range(4)]
            Color(1, 1, 1, 0.28)
            self._thirds = [Line(width=dp(1)) for _ in range(4)]
            Color(1, 1, 1, 0.95)
            self._frame = Line(width=dp(2))
            Color(*theme.ACCENT)
            self._corners = [Line(width=dp(5), cap="square", joint="miter") for _ in range(4)]
        self.bind(pos=self._draw, size=self._draw, texture=self._draw, crop=self._draw)
        self.bind(image_size=self._draw)

    # geometry -----------------------------------------------------------------------------
    def photo_rect(self) -> tuple[float, float, float, float]:
        """Where the photo is drawn: (x, y, w, h), fitted inside the widget, centred."""
        iw, ih = self.image_size
        scale = min(self.width / iw, self.height / ih) if iw and ih else 0
        w, h = iw * scale, ih * scale
        return self.x + (self.width - w) / 2, self.y + (self.height - h) / 2, w, h

    def frame_rect(self) -> tuple[float, float, float, float]:
        """The crop frame on screen: (x, y, w, h) with y from the bottom, as Kivy draws."""
        px, py, pw, ph = self.photo_rect()
        c = self.crop
        return px + c.x * pw, py + ph - (c.y + c.h) * ph, c.w * pw, c.h * ph

    def _draw(self, *_args) -> None:
        px, py, pw, ph = self.photo_rect()
        self._photo.texture = self.texture
        self._photo.pos, self._photo.size = (px, py), (pw, ph)
        fx, fy, fw, fh = self.frame_rect()
        top, right = fy + fh, fx + fw
        bands = (
            (px, top, pw, py + ph - top),  # above the frame
            (px, py, pw, fy - py),  # below
            (px, fy, fx - px, fh),  # left
            (right, fy, px + pw - right, fh),  # right
        )
        for rect, (x, y, w, h) in zip(self._dim, bands, strict=True):
            rect.pos, rect.size = (x, y), (max(w, 0), max(h, 0))
        for i, line in enumerate(self._thirds):
            if i < 2:
                x = fx + fw * (i + 1) / 3
                line.points = (x, fy, x, top)
            else:
                y = fy + fh * (i - 1) / 3
                line.points = (fx, y, right, y)
        self._frame.rectangle = (fx, fy, fw, fh)
        arm = min(CORNER, fw / 3, fh / 3)
        inset = 0
        for line, (cx, cy, sx, sy) in zip(
            self._corners,
            ((fx, fy, 1, 1), (right, fy, -1, 1), (right, top, -1, -1), (fx, top, 1, -1)),
            strict=True,
        ):
            cx, cy = cx + sx * inset, cy + sy * inset
            line.points = (cx, cy + sy * arm, cx, cy, cx + sx * arm, cy)

    # touches -----------------------------------------------------------------------------
    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos) or len(self._touches) >= 2:
            return False
        touch.grab(self)
        self._touches.append(touch)
        self._restart()
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self or self._start is None:
            return False
        start, points = self._start
        _px, _py, pw, ph = self.photo_rect()
        if not pw or not ph:
            return True
        now = [t.pos for t in self._touches]
        (x0, y0), (x1, y1) = _middle(points), _middle(now)
        scale = 1.0
        if len(now) == 2:
            before = math.dist(*points)
            scale = math.dist(*now) / before if before > dp(10) else 1.0
        cx = start.x + start.w / 2 + (x1 - x0) / pw
        cy = start.y + start.h / 2 - (y1 - y0) / ph  # screen up is the photo's top
        w, h = start.w * scale, start.h * scale
        self.crop = clamp(Crop(cx - w / 2, cy - h / 2, w, h), *self.image_size, *self.print_size)
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        if touch in self._touches:
            self._touches.remove(touch)
        self._restart()
        return True

    def _restart(self) -> None:
        """A finger came or went: the gesture goes on from here, so the frame never jumps."""
        self._start = (self.crop, [t.pos for t in self._touches]) if self._touches else None


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


class SizeMark(Label):
    """One of the product's sizes and how it prints from this crop: "soft" when too large."""

    soft = BooleanProperty(False)
    current = BooleanProperty(False)


class CropView(ModalView):
    title = StringProperty("Adjust the crop")
    subtitle = StringProperty("")
    note = StringProperty("")
    note_colour = ColorProperty(theme.TEXT)
    turn_text = StringProperty("")
    error = StringProperty("")
    saving = BooleanProperty(False)

    def __init__(
        self,
        live,
        line_id: str,
        textures,
        on_done: Callable[[str], None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.live, self.line_id, self.on_done = live, line_id, on_done
        line = live.cart.line(line_id)
        pricelist = live.pricelist.current
        self.product = pricelist.product(line.product)
        self.variant = self.product.variant(line.variant)
        self.image = live.by_id[line.images[0]]
        settings = lab_settings()
        self.lab_min_ppi, self.lab_ppi = settings.lab_min_ppi, settings.lab_ppi
        self.print_inches = self.variant.size.inches()
        stage = self.ids.stage
        stage.image_size = [self.image.width, self.image.height]
        stage.print_size = list(self.print_inches)
        stage.crop = line_crop(line, self.image.width, self.image.height, self.variant.size)
        stage.bind(crop=self._show_crop)
        self._show_crop()
        textures.request(self.image.preview_path, screen_box(), self._arrived)
        self._screen = live.screen
        live.subscribe(self._changed)
        self.bind(on_dismiss=lambda *_: live.unsubscribe(self._changed))

    def _changed(self, live) -> None:
        """Closed when its line leaves the order (Undo, the remote) or the TV moves on."""
        if not self.saving and (
            live.cart.line(self.line_id) is None or live.screen != self._screen
        ):
            self.dismiss(animation=False)

    def _arrived(self, texture) -> None:
        self.ids.stage.texture = texture

    @property
    def crop(self) -> Crop:
        return self.ids.stage.crop

    def _show_crop(self, *_args) -> None:
        iw, ih = self.image.width, self.image.height
        crop = self.crop
        landscape = crop.landscape(iw, ih)
        self.turn_text = "↻  Turn to portrait" if landscape else "↻  Turn to landscape"
        ppi = print_ppi(crop, iw, ih, *self.print_inches)
        label = self.variant.size.label
        way = "landscape" if landscape else "portrait"
        self.subtitle = f"{self.product.name} {label}, {way}  ·  photo {self.image.position}"
        words = resolution_note(ppi, label, self.lab_min_ppi, self.lab_ppi)
        if words is None:
            self.note, self.note_colour = f"Sharp at {label}", theme.KEEP
        else:
            self.note = words[0].upper() + words[1:]
            self.note_colour = theme.DANGER if is_soft(ppi, self.lab_min_ppi) else theme.ACCENT
        self._show_sizes(crop)

    def _show_sizes(self, crop: Crop) -> None:
        """Each size of the product as this crop would print it; those too large, marked."""
        grid = self.ids.sizes
        marks = [w for w in grid.children if isinstance(w, SizeMark)][::-1]
        sized = [v for v in self.product.variants if v.size is not None]
        if len(marks) != len(sized):
            grid.clear_widgets()
            marks = [SizeMark() for _ in sized]
            for mark in marks:
                grid.add_widget(mark)
        iw, ih = self.image.width, self.image.height
        for mark, variant in zip(marks, sized, strict=True):
            inches = variant.size.inches()
            ppi = print_ppi(reshaped(crop, iw, ih, *inches), iw, ih, *inches)
            mark.soft = is_soft(ppi, self.lab_min_ppi)
            mark.current = variant.id == self.variant.id
            mark.variant = variant.id
            mark.text = variant.name + ("\n[size=17sp]soft[/size]" if mark.soft else "")

    # the buttons ---------------------------------------------------------------------------
    def turn(self) -> None:
        """The print turned on its side, as large relative to the photo as it was, centred
        where it was."""
        iw, ih = self.image.width, self.image.height
        crop = self.crop
        landscape = crop.landscape(iw, ih)
        now = default_crop(iw, ih, *self.print_inches, landscape=landscape)
        turned = default_crop(iw, ih, *self.print_inches, landscape=not landscape)
        k = crop.w / now.w if now.w else 1.0
        cx, cy = crop.x + crop.w / 2, crop.y + crop.h / 2
        w, h = turned.w * k, turned.h * k
        self.ids.stage.crop = clamp(Crop(cx - w / 2, cy - h / 2, w, h), iw, ih, *self.print_inches)

    def reset(self) -> None:
        """Back to the largest centred crop in the current orientation."""
        iw, ih = self.image.width, self.image.height
        landscape = self.crop.landscape(iw, ih)
        self.ids.stage.crop = default_crop(iw, ih, *self.print_inches, landscape=landscape)

    def done(self) -> None:
        """The crop to the cart; closed once it is durable (live.try_do's `then`)."""
        if self.saving:
            return
        command = SetCrop(self.line_id, *self.crop.as_tuple())
        self.saving = True
        self.error = self.live.try_do(command, then=self._saved)
        if self.error:
            self.saving = False

    def _saved(self) -> None:
        self.saving = False
        self.dismiss(animation=False)
        if self.on_done is not None:
            self.on_done(self.line_id)

    def cancel(self) -> None:
        self.dismiss(animation=False)


load_kv(__file__)


# the order screen's part: a line's "Adjust crop" and its sizes' marks ---------------------------
def lab_settings() -> Settings:
    """The running studio's settings (the lab's pixels per inch); the defaults without one."""
    studio = getattr(App.get_running_app(), "studio", None)
    return studio.settings if studio is not None else Settings()


def too_large(live, image_id: int | None, product, variant) -> bool:
    """`variant` prints below the lab's minimum from the photo's largest crop: its size
    button is marked."""
    if image_id is None or variant.size is None or not product.is_wall_item:
        return False
    image = live.by_id[image_id]
    inches = variant.size.inches()
    crop = default_crop(image.width, image.height, *inches)
    return is_soft(print_ppi(crop, image.width, image.height, *inches), lab_settings().lab_min_ppi)


def crop_row(live, line_id: str, adjust: Callable[[str], None]) -> Widget | None:
    """Under a print or wall-art line of the cart: "Adjust crop", and the words when it prints
    soft. None for a line that has no crop (files, albums, a photo no longer in the session)."""
    line = live.cart.line(line_id)
    pricelist = live.pricelist.current
    product = pricelist.product(line.product) if line and pricelist else None
    variant = product.variant(line.variant) if product else None
    if (
        variant is None
        or variant.size is None
        or not product.is_wall_item
        or not line.images
        or line.images[0] not in live.by_id
    ):
        return None
    row = BoxLayout(size_hint_y=None, height=dp(64), spacing=dp(14))
    row.crop_line = line_id
    button = BigButton(
        text="Adjust crop",
        font_size=theme.TEXT_SIZE * 0.85,
        size_hint=(None, None),
        size=(dp(200), dp(58)),
        pos_hint={"center_y": 0.5},
    )
    button.bind(on_release=lambda _b: adjust(line_id))
    row.add_widget(button)
    row.button = button
    image = live.by_id[line.images[0]]
    crop = line_crop(line, image.width, image.height, variant.size)
    ppi = print_ppi(crop, image.width, image.height, *variant.size.inches())
    row.soft = is_soft(ppi, lab_settings().lab_min_ppi)
    row.add_widget(
        Label(
            text=f"{int(ppi)} ppi: soft up close" if row.soft else "",
            font_name=theme.FONT,
            font_size=theme.TEXT_SIZE * 0.8,
            color=theme.DANGER,
            halign="left",
            valign="middle",
            text_size=(dp(400), dp(58)),
        )
    )
    return row


# the wall's part: a piece is cropped as its line in the order ---------------------------------
def piece_line(live, piece):
    """The order's line that is this wall piece (its photo as its product and size), if the
    wall was added to the order: the piece is cropped as that line."""
    if piece is None or piece.image is None:
        return None
    return next(
        (
            line
            for line in live.cart.cart.lines
            if (line.product, line.variant, line.images[:1])
            == (piece.product, piece.variant, (piece.image,))
        ),
        None,
    )


def piece_crop(live, piece) -> tuple[float, float, float, float] | None:
    """The mock-up's crop of a wall piece, (left, top, right, bottom) in fractions, from its
    line's chosen crop when it hangs the same way as the piece; None: the centred crop."""
    line = piece_line(live, piece)
    if line is None or line.crop is None:
        return None
    image = live.by_id.get(piece.image)
    p = piece.placement
    crop = Crop(*line.crop)
    if image is None or crop.landscape(image.width, image.height) != (p.width > p.height):
        return None
    return crop.x, crop.y, crop.x + crop.w, crop.y + crop.h
