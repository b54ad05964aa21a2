"""The album, designed on the TV: each spread large, swiped through; two photos swapped by
dragging one onto the other; a spread's layout changed from the strip of templates; spreads
added and removed; the price following every change.

Every change is the whole design sent again as one cart command (`SetAlbumDesign`): logged
before it shows, undone by the one Undo, there again after a restart. The album line's photos
and spread count come from the design, so its price is the pricing engine's, and a design past
the album's spreads is refused by the core in its own words, shown here. The screen only draws:
photos arrive as textures decoded off the UI thread (kiosk.ui.textures).
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.albums.library import shape_for
from kiosk.core import album
from kiosk.core.cart import SetAlbumDesign
from kiosk.core.errors import AlbumTemplateError, CommandError
from kiosk.core.pricing import format_money
from kiosk.core.selection import Undo, keepers
from kiosk.display.albumfeed import SPREADS, ShownSpread
from kiosk.ui.loader import load_kv
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.spreadview import SpreadView, TemplateDiagram  # noqa: F401 (album.kv)


class TemplateButton(ButtonBehavior, BoxLayout):
    """One template in the strip: its diagram and name; gold while the spread uses it."""

    template_id = StringProperty("")
    name = StringProperty("")
    current = BooleanProperty(False)

    def __init__(self, template: album.Template, spread_aspect: float, **kwargs) -> None:
        super().__init__(template_id=template.id, name=template.name, **kwargs)
        self.ids.diagram.add_widget(TemplateDiagram(template, spread_aspect))


class AlbumScreen(Screen):
    title_text = StringProperty("Your album")
    price_text = StringProperty("")
    price_note = StringProperty("")
    total_text = StringProperty("")
    position_text = StringProperty("")
    message = StringProperty("")
    can_undo = BooleanProperty(False)
    has_design = BooleanProperty(False)
    index = NumericProperty(0)  # the spread shown
    count = NumericProperty(0)  # spreads in the design

    def __init__(self, live, textures, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self.line_id: str | None = None
        self.shape: album.AlbumShape | None = None
        self._strip_of: tuple | None = None  # (shape, spread aspect) the strip was built for
        self._shown: tuple | None = None  # (template, images) on the spread widget
        live.subscribe(self.refresh)

    # which album ------------------------------------------------------------------------------
    def open_line(self, line_id: str) -> None:
        """Design this album line (the order screen's "Design the album")."""
        if line_id != self.line_id:
            self.line_id, self.index = line_id, 0

    def _album(self):
        """(line, product, variant) of the album being designed, or None: the line asked for,
        else the cart's first album (the screen reopened after a restart)."""
        pricelist = self.live.pricelist.current
        if pricelist is None:
            return None
        lines = self.live.cart.cart.lines
        candidates = [li for li in lines if li.id == self.line_id] + list(lines)
        for line in candidates:
            product = pricelist.product(line.product)
            variant = product.variant(line.variant) if product else None
            if product is not None and variant is not None and product.kind == "album":
                self.line_id = line.id
                return line, product, variant
        return None

    def on_pre_enter(self, *_args) -> None:
        self.message = ""
        found = self._album()
        if found is not None and not found[0].design:
            self.design_from_photos()
        self.refresh()

    # the photos --------------------------------------------------------------------------------
    def preferred(self, line) -> tuple[int, ...]:
        """The photos an album is made of, best first: the client's keepers in their order of
        preference (ranked, favourites, the rest), then the line's own; all photos if none is
        kept yet."""
        chosen = list(keepers(self.live.state))
        chosen += [i for i in line.images if isinstance(i, int) and i not in chosen]
        if len(chosen) <= 1:
            chosen += [i.id for i in self.live.images if i.id not in chosen]
        return tuple(chosen)

    def design_from_photos(self) -> None:
        """Lay the album out afresh from the client's photos (a command, so Undo takes it back)."""
        found = self._album()
        if found is None:
            return
        line, _product, variant = found
        shape = self._shape(variant)
        if shape is None:
            return
        aspects = {i.id: i.aspect for i in self.live.images}
        design = album.lay_out(
            self.preferred(line),
            aspects,
            shape,
            fewest=variant.spreads,
            most=variant.max_spreads,
        )
        self.index = 0
        self._send(design)

    def _shape(self, variant) -> album.AlbumShape | None:
        try:
            return shape_for(variant)
        except AlbumTemplateError as exc:
            self.message = str(exc)
            return None

    # rendering ---------------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        if self.manager is None or self.manager.current != self.name:
            return
        self.can_undo = self.live.can_undo
        found = self._album()
        if found is None:
            self.has_design, self.title_text, self.count = False, "Your album", 0
            self.message = "There is no album in the order yet: add one on the order screen."
            self.ids.spread.show(None, [])
            return
        line, product, variant = found
        self.title_text = f"{product.name} {variant.name}"
        shape = self._shape(variant)
        if shape is None:
            return
        self.shape = shape
        self._build_strip(shape)
        self.has_design = bool(line.design)
        design = album.as_design(line.design)
        self.index = max(0, min(self.index, len(design) - 1))
        self.count = len(design)
        self._show_price(line, variant)
        if not design:
            self.position_text = ""
            self.ids.spread.show(None, [])
            return
        self.position_text = f"Spread {self.index + 1} of {len(design)}"
        self._show_spread(design[self.index], shape)
        self._prefetch(design)

    def _show_price(self, line, variant) -> None:
        breakdown, problem = self.live.breakdown()
        money = self.live.pricelist.current.currency
        if breakdown is None:
            self.price_text, self.total_text, self.price_note = "", "", problem
            return
        item = next((li for li in breakdown.lines if li.ref == line.id and li.kind == "item"), None)
        self.price_text = format_money(item.amount, money) if item is not None else ""
        self.total_text = f"Order total {format_money(breakdown.total, money)}"
        spreads = len(line.design) or variant.spreads
        note = f"{spreads} spreads · {variant.spreads} included"
        if variant.extra_spread:
            note += f", {format_money(variant.extra_spread, money)} each more"
        if variant.max_spreads:
            note += f" · up to {variant.max_spreads}"
        self.price_note = note

    def _show_spread(self, spread: album.Spread, shape: album.AlbumShape) -> None:
        view = self.ids.spread
        view.spread_aspect = shape.spread_aspect
        template = shape.template(spread.template)
        if template is None or len(template.cells) != len(spread.images):
            template = album.best_spread(spread.images, {}, shape)
            template = shape.template(template.template)
        box = screen_box()
        shown = (spread, box)
        textures = []
        for cell, image_id in enumerate(spread.images):
            image = self.live.by_id.get(image_id)
            textures.append(self.textures.get(image.preview_path, box) if image else None)
            if image is not None and textures[-1] is None:
                self.textures.request(image.preview_path, box, self._arrived(shown, cell))
        self._shown = shown
        view.show(template, textures)
        pairs = zip(template.cells, spread.images, strict=False)
        cells = tuple((c.x, c.y, c.w, c.h, image_id) for c, image_id in pairs)
        aspect = shape.spread_aspect
        shown_spread = ShownSpread(self.title_text, self.index, self.count, aspect, cells)
        SPREADS.publish(self.live.session_id, shown_spread)  # the room displays follow
        for button in self.ids.strip.children:
            button.current = button.template_id == spread.template

    def _arrived(self, shown: tuple, cell: int):
        def arrived(texture) -> None:
            if self._shown == shown:  # still the spread on screen
                self.ids.spread.set_texture(cell, texture)

        return arrived

    def _prefetch(self, design: album.Design) -> None:
        """The spreads either side decode in the background: a swipe never waits."""
        box = screen_box()
        for n in (self.index + 1, self.index - 1):
            if 0 <= n < len(design):
                for image_id in design[n].images:
                    image = self.live.by_id.get(image_id)
                    if image is not None:
                        self.textures.request(image.preview_path, box)

    def _build_strip(self, shape: album.AlbumShape) -> None:
        key = (shape.shape, shape.spread_aspect)
        if self._strip_of == key:
            return
        self._strip_of = key
        strip = self.ids.strip
        strip.clear_widgets()
        for template in shape.templates:
            button = TemplateButton(template, shape.spread_aspect)
            button.bind(on_release=lambda b: self.choose_template(b.template_id))
            strip.add_widget(button)

    # the client's gestures ---------------------------------------------------------------------
    def _design(self) -> album.Design:
        found = self._album()
        return album.as_design(found[0].design) if found else ()

    def step(self, delta: int) -> None:
        count = len(self._design())
        if count and 0 <= self.index + delta < count:
            self.index += delta
            self.message = ""
            self.refresh()

    def on_key(self, name: str) -> bool:
        """The arrow keys step through the spreads, as on the other screens."""
        if name in ("left", "right"):
            self.step(-1 if name == "left" else 1)
            return True
        return False

    def swap(self, a: int, b: int) -> None:
        design = self._design()
        if design:
            self._edit(lambda: album.swap(design, (self.index, a), (self.index, b)))

    def choose_template(self, template_id: str) -> None:
        design = self._design()
        if not design or self.shape is None or design[self.index].template == template_id:
            return
        spare = self._spare(design)
        self._edit(lambda: album.with_template(design, self.index, template_id, self.shape, spare))

    def add_spread(self) -> None:
        design = self._design()
        if not design or self.shape is None:
            return
        aspects = {i.id: i.aspect for i in self.live.images}
        spare = self._spare(design)
        at = self.index
        self._edit(
            lambda: album.add_spread(design, at, spare=spare, aspects=aspects, shape=self.shape),
            then_index=at + 1,
        )

    def remove_spread(self) -> None:
        design = self._design()
        if design:
            self._edit(lambda: album.remove_spread(design, self.index))

    def undo(self) -> None:
        self.message = self.live.try_do(Undo())

    def back(self) -> None:
        self.live.set_screen("order")

    def _spare(self, design: album.Design) -> tuple[int, ...]:
        found = self._album()
        return album.spare_images(design, self.preferred(found[0])) if found else ()

    def _edit(self, change, then_index: int | None = None) -> None:
        try:
            design = change()
        except CommandError as exc:
            self.message = str(exc)
            return
        if self._send(design) and then_index is not None:
            self.index = then_index

    def _send(self, design: album.Design) -> bool:
        if self.line_id is None:
            return False
        self.message = self.live.try_do(SetAlbumDesign(self.line_id, design))
        return not self.message


load_kv(__file__)
