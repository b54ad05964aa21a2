"""Actual size: the photo as a print of a size the studio sells, drawn at its real size on the
TV, so that a client holding the studio's 8×10 sample next to the screen sees the same size.

How many pixels make an inch on this screen comes from the studio's settings
(`kiosk.core.glass`): the TV's diagonal, or a ruler held to the glass, which the photographer
does here (Measure screen, behind the PIN): a bar stretched until it is exactly 10 cm. Without
either the screen says so, rather than show a size it cannot promise. Everything here is drawn
in window pixels, not dp: an inch is a number of the panel's pixels, whatever Kivy's density.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics import Color, Line, Rectangle
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import Screen
from kivy.uix.togglebutton import ToggleButton
from kivy.uix.widget import Widget

from kiosk.config import save_setting
from kiosk.core.errors import CalibrationError, StudioError
from kiosk.core.glass import (
    PRINT_BORDER_IN,
    RULER_LENGTHS,
    GlassSize,
    diagonal_from_ppi,
    on_glass,
    ppi_from_diagonal,
    ppi_from_ruler,
    print_sizes,
    ruler_px,
    screen_ppi,
)
from kiosk.core.wall import SoldSize
from kiosk.display.printfeed import PRINTS, ShownPrint
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.buttons import BigButton

DEFAULT_SIZE = (8.0, 10.0)  # the studio's usual sample print
GUESS_DIAGONAL = 55.0  # where the ruler bar starts when nothing is known yet
REPEAT_AFTER = 0.4  # seconds a − / + is held before it repeats
REPEAT_EVERY = 0.05


class SizeChip(ToggleButton):
    """One size in the strip; `size_key` is (short, long) inches."""

    size_key = ObjectProperty(None, allownone=True)


class PrintPaper(Widget):
    """The print: white paper with the photo inside its border, cropped to the paper's shape."""

    texture = ObjectProperty(None, allownone=True)
    border = NumericProperty(0)


class ActualSizeScreen(Screen):
    caption = StringProperty("")
    notice = StringProperty("")  # too large for the screen, or the screen's size is not known
    measured = BooleanProperty(False)  # an inch on this screen is known
    whole = BooleanProperty(True)  # the chosen print fits on the screen
    scale_text = StringProperty("")  # how the size is known, for the photographer
    subject_text = StringProperty("")

    def __init__(self, live, textures, studio, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self.studio = studio
        self.subject: int | None = None
        self.sizes: tuple[SoldSize, ...] = ()
        self.chosen: tuple[float, float] = DEFAULT_SIZE
        self.glass: GlassSize | None = None
        self.ruler: RulerPanel | None = None
        self._sizes_of = None  # the price list the chips were made from
        self._problem = ""  # why the settings' screen size cannot be believed
        # Strong references: ids are weak, and the paper leaves the tree when nothing is known.
        self.paper = self.ids.paper.__self__
        self.ids.stage.bind(size=self._place, pos=self._place)

    # what is shown -------------------------------------------------------------------------
    def on_pre_enter(self, *_args) -> None:
        image = self.live.current_image
        self.subject = image.id if image else None
        self._show_subject()

    def step_subject(self, delta: int) -> None:
        following = self.live.step_photo(self.subject, delta)
        if following is not None:
            self.subject = following
            self._show_subject()

    def _show_subject(self) -> None:
        self.paper.texture = None
        if self.subject is None:
            self.subject_text = "This session has no photos."
            self.refresh()
            return
        image = self.live.by_id[self.subject]
        self.subject_text = f"Photo {image.position} of {len(self.live.images)}"
        subject = self.subject

        def arrived(texture) -> None:
            if self.subject == subject:
                self.paper.texture = texture

        self.refresh()
        self.textures.request(image.preview_path, screen_box(), arrived)

    def on_key(self, name: str) -> bool:
        """The arrow keys step through the photos, as on the other screens."""
        if name in ("left", "right"):
            self.step_subject(-1 if name == "left" else 1)
            return True
        return False

    def choose(self, size_key: tuple[float, float]) -> None:
        self.chosen = size_key
        self.refresh()

    def ppi(self) -> float | None:
        """Pixels per inch of this screen from the settings; None while nothing (or nothing
        believable) is set, with the reason in `scale_text`."""
        settings = self.studio.settings
        try:
            ppi = screen_ppi(
                tuple(Window.size),
                diagonal_in=settings.screen_diagonal_in,
                measured_ppi=settings.screen_ppi,
            )
        except CalibrationError as error:  # a diagonal in settings.toml that no TV has
            self.scale_text = "Screen size not believable"
            self._problem = f"{error} (screen_diagonal_in in settings.toml)"
            return None
        self._problem = ""
        if ppi is None:
            self.scale_text = "Screen size not set"
        elif settings.screen_ppi > 0:
            self.scale_text = f"Measured with a ruler: {ppi:.1f} px per inch"
        else:
            self.scale_text = f"{settings.screen_diagonal_in:g}-inch screen: {ppi:.1f} px per inch"
        return ppi

    def refresh(self, *_args) -> None:
        pricelist = self.live.pricelist.current
        if pricelist is not self._sizes_of:
            self._sizes_of = pricelist
            self.sizes = print_sizes(pricelist.products) if pricelist else ()
            keys = [_key(s) for s in self.sizes]
            if self.chosen not in keys:
                self.chosen = DEFAULT_SIZE if DEFAULT_SIZE in keys else (keys or [DEFAULT_SIZE])[0]
        self._place()

    def _place(self, *_args) -> None:
        """Measure the chosen size in this screen's pixels and put the paper in the middle."""
        stage = self.ids.stage
        ppi = self.ppi()
        self.measured = ppi is not None
        size = next((s for s in self.sizes if _key(s) == self.chosen), None)
        image = self.live.by_id.get(self.subject) if self.subject is not None else None
        portrait = image is None or image.aspect <= 1
        if size is not None and image is not None:  # the room displays draw it at their size
            turned = size.oriented(portrait)
            shown = ShownPrint(image.id, turned.width, turned.height, turned.label)
            PRINTS.publish(self.live.session_id, shown)
        if ppi is None or size is None:
            self.glass = None
            if self.paper.parent is not None:
                stage.remove_widget(self.paper)
            self.caption = ""
            self.whole = True
            if ppi is not None:
                self.notice = "The price list sells no print sizes to show."
            else:
                self.notice = self._problem or (
                    "This screen's size is not set, so prints cannot be shown at their real "
                    "size yet. Photographer: tap “Measure screen” and match a bar to a ruler, "
                    "or set screen_diagonal_in in settings.toml."
                )
            self._label_chips(None, portrait)
            return
        area = (stage.width, stage.height)
        glass = on_glass(size, ppi, area, portrait=portrait)
        self.glass = glass
        border = round(PRINT_BORDER_IN * ppi)
        self.paper.border = border
        self.paper.size = (glass.width_px, glass.height_px)
        # Whole pixels, so each edge lands where the measurement says (and a test can find it).
        self.paper.pos = (
            round(stage.center_x - glass.width_px / 2),
            round(stage.center_y - glass.height_px / 2),
        )
        if self.paper.parent is None:
            stage.add_widget(self.paper)
        self.whole = glass.whole
        self.caption = f"Actual size — hold your {size.label} sample next to it"
        free_w, free_h = stage.width / ppi, stage.height / ppi
        self.notice = (
            ""
            if glass.whole
            else f"{size.label} is larger than this screen ({free_w:.0f}×{free_h:.0f} in free): "
            "this is its middle, at actual size."
        )
        self._label_chips(ppi, portrait)

    def _label_chips(self, ppi: float | None, portrait: bool) -> None:
        """One chip per size; those larger than the screen (this photo's way up) say so."""
        strip = self.ids.sizes
        keys = [_key(s) for s in self.sizes]
        if [c.size_key for c in reversed(strip.children)] != keys:
            strip.clear_widgets()
            for key in keys:
                chip = SizeChip(size_key=key, group="actual-size", allow_no_selection=False)
                chip.bind(on_release=lambda c: self.choose(c.size_key))
                strip.add_widget(chip)
        area = self.ids.stage.size
        for chip, size in zip(reversed(strip.children), self.sizes, strict=True):
            chip.state = "down" if chip.size_key == self.chosen else "normal"
            too_big = ppi is not None and not on_glass(size, ppi, area, portrait=portrait).whole
            chip.text = size.label + (
                "\n[size=15sp]larger than the screen[/size]" if too_big else ""
            )

    # the photographer's ruler --------------------------------------------------------------
    def open_ruler(self) -> None:
        """Behind the PIN (the .kv calls it through `app.with_pin`): a client must not change
        what an inch is."""
        ppi = self.ppi() or ppi_from_diagonal(GUESS_DIAGONAL, tuple(Window.size))
        self.ruler = RulerPanel(ppi, on_save=self.save_ppi)
        self.ruler.open(animation=False)

    def save_ppi(self, ppi: float) -> None:
        ppi = round(ppi, 3)
        try:
            save_setting(self.studio.paths, "screen_ppi", ppi)
        except (OSError, StudioError) as error:
            self.notice = f"The measurement could not be saved: {error}"
            return
        self.studio.settings = replace(self.studio.settings, screen_ppi=ppi)
        self.refresh()


def _key(size: SoldSize) -> tuple[float, float]:
    return (min(size.width, size.height), max(size.width, size.height))


class RepeatButton(BigButton):
    """Steps once when pressed and keeps stepping while held: a bar is set pixel by pixel."""

    __events__ = ("on_step",)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._wait = self._repeat = None

    def on_press(self) -> None:
        self.dispatch("on_step")
        self._wait = Clock.schedule_once(self._start, REPEAT_AFTER)

    def _start(self, _dt) -> None:
        self._repeat = Clock.schedule_interval(lambda _dt: self.dispatch("on_step"), REPEAT_EVERY)

    def on_release(self) -> None:
        for event in (self._wait, self._repeat):
            if event is not None:
                event.cancel()
        self._wait = self._repeat = None

    def on_step(self) -> None:
        pass


class RulerBar(Widget):
    """The bar to hold a ruler against: its left end stays put (the ruler's 0 goes there), its
    right end follows a drag. Ticks every centimetre (or quarter inch) help line it up."""

    length = NumericProperty(100)  # px
    divisions = NumericProperty(10)
    origin = NumericProperty(0)  # x of the left end, in the bar's own box

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bind(length=self._draw, divisions=self._draw, pos=self._draw, size=self._draw)
        self._start: float | None = None

    def _draw(self, *_args) -> None:
        self.canvas.after.clear()
        x0, y = self.x + self.origin, self.center_y
        with self.canvas.after:
            Color(0.85, 0.70, 0.45, 1)
            Rectangle(pos=(x0, y - dp(14)), size=(self.length, dp(28)))
            Color(1, 1, 1, 1)
            for end in (x0, x0 + self.length):  # the ends: thin, tall, exact
                Line(points=[end, y - dp(70), end, y + dp(70)], width=1)
            Color(0.1, 0.08, 0.05, 1)
            steps = int(self.divisions) * 2
            for i in range(1, steps):
                x = x0 + self.length * i / steps
                tall = dp(14) if i % 2 == 0 else dp(7)
                Line(points=[x, y + dp(14) - tall, x, y + dp(14)], width=1)

    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        touch.grab(self)
        self._start = self.length
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self or self._start is None:
            return False
        wanted = self._start + (touch.x - touch.ox)
        self.length = max(dp(40), min(self.width - self.origin - dp(8), wanted))
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        self._start = None
        return True


class RulerPanel(ModalView):
    """The photographer holds a ruler to the screen and stretches the bar to 10 cm (or 4 in)."""

    unit = StringProperty("10 cm")
    readout = StringProperty("")
    error = StringProperty("")

    def __init__(self, ppi: float, on_save: Callable[[float], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_save = on_save
        self.bar = self.ids.bar.__self__
        self.bar.length = ruler_px(ppi, RULER_LENGTHS[self.unit])
        self.bar.bind(length=self._read)
        self._read()

    @property
    def length_in(self) -> float:
        return RULER_LENGTHS[self.unit]

    def nudge(self, px: float) -> None:
        self.bar.length = max(dp(40), self.bar.length + px)

    def set_unit(self, unit: str) -> None:
        if unit == self.unit:
            return
        ppi = self.bar.length / self.length_in  # keep the scale, redraw for the new length
        self.unit = unit
        self.bar.divisions = 10 if unit == "10 cm" else 4
        self.bar.length = ruler_px(ppi, self.length_in)
        self._read()

    def _read(self, *_args) -> None:
        ppi = self.bar.length / self.length_in
        diagonal = diagonal_from_ppi(ppi, tuple(Window.size))
        self.readout = (
            f"{self.bar.length:.0f} px = {self.unit}:  {ppi:.1f} pixels per inch, "
            f"a {diagonal:.1f}-inch screen"
        )
        self.error = ""

    def save(self) -> None:
        try:
            ppi = ppi_from_ruler(self.bar.length, self.length_in)
        except CalibrationError as error:
            self.error = str(error)
            return
        self.dismiss(animation=False)
        self.on_save(ppi)


load_kv(__file__)
