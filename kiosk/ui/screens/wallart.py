"""Wall art: the client's photos hung at true size on a room's wall, as a wall design.

A design (`kiosk.core.walldesign`) is pieces in wall inches: single pieces and groupings that
move and scale as one. This screen turns touches into changes of the design, saves it with
the session (`kiosk.store.designs`) before showing a change as done, and lets the stage
(`kiosk.ui.widgets.wallstage`) draw it. Ordering adds every piece in one cart command step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.core.cart import unit_price
from kiosk.core.crop import Crop
from kiosk.core.errors import CommandError
from kiosk.core.pricing import format_money
from kiosk.core.wall import (
    ABOVE_FURNITURE,
    Placement,
    Room,
    SoldSize,
    clamp,
    finish_for,
    snap_size,
    sold_sizes,
)
from kiosk.core.walldesign import Piece, WallDesign
from kiosk.display.wallfeed import FEED
from kiosk.imaging.mockup import Artwork
from kiosk.imaging.rooms import load_groupings, load_rooms
from kiosk.store.designs import load_design, save_design
from kiosk.store.walls import calibrated_rooms
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.screens.order import Choice
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.buttons import BigButton  # noqa: F401 — used by wallart.kv
from kiosk.ui.widgets.cropview import CropView, piece_crop, piece_line
from kiosk.ui.widgets.walledits import SINGLE, WallEdits
from kiosk.ui.widgets.wallexport import Exporter
from kiosk.ui.widgets.wallkeepers import Ghost
from kiosk.ui.widgets.wallsprites import SpriteMaker
from kiosk.ui.widgets.wallstage import WallStage  # noqa: F401 — used by wallart.kv

PHOTO_BOX = (1024, 1024)  # a piece is at most a few hundred pixels on screen
FIRST_LONG_EDGE = 30.0  # inches: the size a piece first appears at (nearest sold size)


class WallArtScreen(WallEdits, Screen):
    title = StringProperty("On your wall")
    piece_text = StringProperty("")
    total_text = StringProperty("")
    error = StringProperty("")
    notice = StringProperty("")
    can_add = BooleanProperty(False)
    show_labels = BooleanProperty(False)
    comparing = BooleanProperty(False)
    export_texture = ObjectProperty(None, allownone=True)

    def __init__(self, live, textures, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self.rooms: list[Room] = load_rooms()
        self.groupings = {g.id: g for g in load_groupings()}
        self.room: Room | None = None
        self.design = WallDesign("")
        self.selected: int | None = None
        self.guides = ()
        self._photos: dict[int, object] = {}
        self._labels: dict[tuple, str] = {}  # a piece's size and price, priced once
        self._sprites = SpriteMaker()
        self._catalog_of = None
        self._pinch_start: WallDesign | None = None
        self.exporter = Exporter(self)
        self.ghost = Ghost(self.canvas.after)
        self.ids.stage.screen = self
        self._build_rooms()
        for room in calibrated_rooms(live.store, live.session_id):  # the client's walls
            self.add_room(room, select=False)
        self._build_groupings()
        live.subscribe(self.refresh)

    @property
    def pricelist(self):
        return self.live.pricelist.current

    @property
    def stage(self) -> WallStage:
        return self.ids.stage

    def on_pre_enter(self, *_args) -> None:
        if self.room is None:
            self._restore()
        self.refresh()

    def on_leave(self, *_args) -> None:
        self.ghost.hide()

    # rooms ------------------------------------------------------------------------------
    def _build_rooms(self) -> None:
        strip = self.ids.rooms
        for room in self.rooms:
            strip.add_widget(self._room_button(room))
        own = BigButton(text="+ Your wall", size_hint=(None, None), width=dp(180), height=dp(64))
        own.font_size = theme.TEXT_SIZE * 0.9
        own.bind(on_release=lambda _b: self.own_wall())
        self._own_button = own
        strip.add_widget(own)
        if not self.rooms:
            self.error = "There are no sample rooms in layouts/rooms."

    def _room_button(self, room: Room) -> Choice:
        button = Choice(text=room.name, group="wallart-room", allow_no_selection=False)
        button.value = room.id
        button.size_hint = (None, None)
        button.size = (dp(180), dp(64))
        button.bind(on_release=lambda b: self.choose_room(b.value))
        return button

    def add_room(self, room: Room, select: bool = True) -> None:
        """Add a room (a client's calibrated wall) to the room strip, before "+ Your wall"."""
        self.rooms = [r for r in self.rooms if r.id != room.id] + [room]
        strip = self.ids.rooms
        for button in list(strip.children):
            if getattr(button, "value", None) == room.id:
                strip.remove_widget(button)
        strip.remove_widget(self._own_button)
        strip.add_widget(self._room_button(room))
        strip.add_widget(self._own_button)
        if select:
            self.room = None if self.room and self.room.id == room.id else self.room
            self.choose_room(room.id)

    def own_wall(self) -> None:
        """The client's own wall: a QR to send a photo of it, then measuring it."""
        from kiosk.ui.widgets.ownwall import open_own_wall

        open_own_wall(App.get_running_app(), self)

    def choose_room(self, room_id: str) -> None:
        room = next((r for r in self.rooms if r.id == room_id), None)
        if room is None or room is self.room:
            return
        old, self.room = self.room, room
        for button in self.ids.rooms.children:
            if isinstance(button, Choice):
                button.state = "down" if button.value == room_id else "normal"
        self.stage.room_texture = None
        self.textures.request(room.image, screen_box(), lambda t: self._room_arrived(room, t))
        if old is not None or self.design.room != room.id:
            self._rehang(room)
            self.save()

    def _room_arrived(self, room: Room, texture) -> None:
        if room is self.room:
            self.stage.room_texture = texture
            if texture is None:
                self.error = f"The picture of the {room.name.lower()} cannot be read."

    def _rehang(self, room: Room) -> None:
        """The design brought to another wall: moved as a whole to where a piece is first hung
        there, each unit then kept on the wall."""
        wall = room.wall
        design = replace(self.design, room=room.id)
        if not design.pieces:
            self.design = design
            self._first_piece()
            return
        everything = range(len(design.pieces))
        b = design.bounds(everything)
        x, y = self._hang_point(room, b.height)
        dx, dy = x - b.x, y - b.y
        pieces = tuple(
            replace(p, placement=p.placement.moved_to(p.placement.x + dx, p.placement.y + dy))
            for p in design.pieces
        )
        design = replace(design, pieces=pieces)
        for first in sorted({design.unit(i)[0] for i in everything}):
            unit = design.bounds(design.unit(first))
            design, _ = design.moved(wall, first, unit.x, unit.y, snapping=False)
        self.design = design
        self._design_changed()

    def _hang_point(self, room: Room, height: float) -> tuple[float, float]:
        """Centred over the main furniture with the usual gap; on a bare wall, at eye level."""
        wall = room.wall
        sofa = wall.main_furniture
        if sofa is not None:
            return sofa.centre, sofa.top + ABOVE_FURNITURE + height / 2
        return wall.width / 2, wall.eye_level

    # the design -------------------------------------------------------------------------
    def _restore(self) -> None:
        saved = load_design(self.live.store, self.live.session_id)
        if saved is not None:
            saved = replace(
                saved, pieces=tuple(p for p in saved.pieces if self._known(p))
            )  # an image or product gone since is left out
        room = next((r for r in self.rooms if saved and r.id == saved.room), None)
        if saved is not None and room is not None:
            self.design = saved
            self.selected = 0 if saved.pieces else None
            self.choose_room(room.id)
            self._design_changed()
        elif self.rooms:
            if saved is not None and saved.pieces:  # its room is gone: the design moves in here
                self.design = saved
                self.selected = 0
            self.choose_room(self.rooms[0].id)

    def _known(self, piece: Piece) -> bool:
        pricelist = self.pricelist
        product = pricelist.product(piece.product) if pricelist else None
        image_ok = piece.image is None or piece.image in self.live.by_id
        return image_ok and product is not None and product.variant(piece.variant) is not None

    def _first_piece(self) -> None:
        image = self.live.current_image
        image_id = image.id if image else next(iter(self.candidates()), None)
        product = self._default_product()
        if image_id is None or product is None or self.room is None:
            self._design_changed()
            return
        size = self._first_size(product, self._portrait(image_id))
        x, y = self._hang_point(self.room, size.height)
        p = clamp(self.room.wall, Placement(x, y, size.width, size.height))
        self.design = self.design.with_piece(Piece(image_id, product.id, size.variant, p))
        self.selected = len(self.design.pieces) - 1
        self._design_changed()

    def _default_product(self):
        pricelist = self.pricelist
        if pricelist is None:
            return None
        wall_products = [p for p in pricelist.products if p.is_wall_item and sold_sizes(p)]
        # Canvas is what most clients hang; start there when the studio sells it.
        return next((p for p in wall_products if p.kind == "canvas"), None) or next(
            iter(wall_products), None
        )

    def _first_size(self, product, portrait: bool) -> SoldSize:
        sizes = tuple(s.oriented(portrait) for s in sold_sizes(product))
        long_edge = FIRST_LONG_EDGE
        shape = (long_edge * 0.75, long_edge) if portrait else (long_edge, long_edge * 0.75)
        return snap_size(sizes, *shape, by="long")

    def _portrait(self, image_id: int | None) -> bool:
        image = self.live.by_id.get(image_id) if image_id is not None else None
        return image is None or image.height >= image.width

    def save(self) -> None:
        """The design, durably, before the change is shown as done."""
        if self.design.room:
            save_design(self.live.store, self.live.session_id, self.design)
            FEED.publish(self.live.session_id, self.design, final=True)  # the room displays

    def _design_changed(self) -> None:
        """Pieces changed (added, removed, refilled, resized): draw them again."""
        self.error = ""
        for piece in self.design.pieces:
            if piece.image is not None:
                self._request_photo(piece.image)
        if self.selected is not None and self.selected >= len(self.design.pieces):
            self.selected = len(self.design.pieces) - 1 if self.design.pieces else None
        self._show_selection()
        self._refresh_keepers()
        self.stage.rebuild()
        self.warn_overlaps()

    def warn_overlaps(self) -> None:
        overlap = "Two pieces overlap: drag one aside."
        if self.design.overlaps():
            self.notice = overlap
        elif self.notice == overlap:
            self.notice = ""

    def select(self, index: int | None) -> None:
        if index == self.selected:
            return
        self.selected = index
        self._show_selection()
        self.stage._draw_selection()

    @property
    def piece(self) -> Piece | None:
        if self.selected is None or self.selected >= len(self.design.pieces):
            return None
        return self.design.pieces[self.selected]

    # photos and sprites -----------------------------------------------------------------
    def _request_photo(self, image_id: int) -> None:
        if image_id in self._photos:
            return
        self._photos[image_id] = None
        image = self.live.by_id[image_id]

        def arrived(texture, image_id=image_id) -> None:
            self._photos[image_id] = texture
            for i, p in enumerate(self.design.pieces):
                if p.image == image_id:
                    self.stage.restyle(i)

        self.textures.request(image.preview_path, PHOTO_BOX, arrived)

    def photo(self, image_id: int):
        return self._photos.get(image_id)

    def artwork(self, piece: Piece, full: bool = False) -> Artwork | None:
        product = self.pricelist.product(piece.product) if self.pricelist else None
        if piece.image is None or product is None:
            return None
        image = self.live.by_id[piece.image]
        options = {o.id: o.default for o in product.options}
        finish = finish_for(product, options, piece.variant)
        path = image.preview_path if full else image.preview_path
        return Artwork(path, piece.placement, finish, piece_crop(self.live, piece))

    def finish_of(self, index: int):
        art = self.artwork(self.design.pieces[index])
        return art.finish if art is not None else None

    def sprite_for(self, index: int):
        """The piece's rendered sprite if made (else None, and it is asked for)."""
        piece = self.design.pieces[index]
        art = self.artwork(piece)
        if art is None or self.room is None or self.stage.display() is None:
            return None
        ppi = self.room.wall.pixels_per_inch(piece.placement.x, piece.placement.y)
        ppi *= self.stage.display()[2] * 1.5  # a pinch may grow it before the next one is made

        size = _wh(piece.placement)

        def made(_sprite, image=piece.image, size=size) -> None:
            for i, p in enumerate(self.design.pieces):
                if p.image == image and _wh(p.placement) == size:
                    self.stage.restyle(i)

        return self._sprites.request(art, self.room.light, ppi, made)

    # what the panel shows ---------------------------------------------------------------
    def _show_selection(self) -> None:
        piece = self.piece
        pricelist = self.pricelist
        if piece is None or pricelist is None:
            self.piece_text = "Tap a piece on the wall" if self.design.pieces else ""
            self.ids.sizes.clear_widgets()
            self._update_can_add()
            return
        product = pricelist.product(piece.product)
        for button in self.ids.products.children:
            button.state = "down" if button.value == piece.product else "normal"
        for button in self.ids.groupings.children:
            button.state = "down" if button.value == (piece.grouping or SINGLE) else "normal"
        self._build_sizes(piece, product)
        p = piece.placement
        label = self.label_for(self.selected)
        if piece.group:
            b = self.design.bounds(self.design.unit(self.selected))
            group = self.groupings[piece.grouping].name
            label += f"   ·   {group} {b.width:.0f}″ wide"
        elif p is not None:
            label = f"{product.name}  ·  {label}"
        self.piece_text = label
        self._update_can_add()
        self.stage.draw_labels()

    def label_for(self, index: int) -> str:
        """A piece's size and price as the wall's labels show it: `24×30 · $795.00`."""
        piece = self.design.pieces[index]
        p = piece.placement
        key = (id(self.pricelist), piece.product, piece.variant, piece.image is None, _wh(p))
        text = self._labels.get(key)
        if text is None:
            text = self._labels[key] = f"{p.width:g}×{p.height:g}{self._price_text(piece)}"
        return text

    def _price_text(self, piece: Piece) -> str:
        pricelist = self.pricelist
        if pricelist is None or piece.image is None:
            return ""
        try:
            amount = unit_price(
                pricelist, piece.product, piece.variant, {}, (piece.image,), date.today()
            )
        except Exception:  # noqa: BLE001 — a label never stops the screen
            return ""
        return f"  ·  {format_money(amount, pricelist.currency)}"

    def toggle_labels(self) -> None:
        self.show_labels = not self.show_labels
        self.stage.draw_labels()

    def _update_can_add(self) -> None:
        self.can_add = bool(self.pricelist and self.design.pieces)

    # the order --------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        if self.manager is None or self.manager.current != self.name:
            return
        pricelist = self.pricelist
        if pricelist is None:
            self.error = str(self.live.pricelist.error or "There is no price list.")
            return
        if self._catalog_of is not pricelist:
            self._build_catalog(pricelist)
            self._show_selection()
        self._refresh_keepers()
        breakdown, problem = self.live.breakdown()
        self.total_text = (
            f"Order total  {format_money(breakdown.total, pricelist.currency)}"
            if breakdown is not None
            else problem
        )

    def add_to_order(self) -> None:
        """Every piece of the design into the cart, as one step: all or none."""
        try:
            commands = self.design.commands()
        except CommandError as exc:
            self.error = str(exc)
            return
        count = len(commands)
        self.error = self.live.try_do(
            *commands,
            then=lambda: setattr(
                self, "notice", f"{count} piece{'s' if count != 1 else ''} added to the order"
            ),
        )

    def adjust_crop(self) -> None:
        """The selected piece's crop, once the wall is in the order (it is its line's)."""
        line = piece_line(self.live, self.piece)
        if line is None:
            self.error = "Add the wall to the order first; then each piece's crop can be adjusted."
            return
        self.error = ""
        self.crop_view = CropView(self.live, line.id, self.textures, on_done=self._cropped)
        self.crop_view.open(animation=False)

    def _cropped(self, _line_id: str) -> None:
        """A crop turned on its side turns a single piece with it; the piece is drawn again."""
        piece, index = self.piece, self.selected
        line = piece_line(self.live, piece)
        image = self.live.by_id[piece.image]
        p = piece.placement
        turned = Crop(*line.crop).landscape(image.width, image.height) != (p.width > p.height)
        if turned and not piece.group:
            self._resize(index, piece, SoldSize(piece.variant, p.height, p.width))
        self.stage.restyle(index)

    # export and compare -----------------------------------------------------------------
    def artworks(self, design: WallDesign | None = None) -> list[Artwork]:
        design = design or self.design
        return [a for a in (self.artwork(p, full=True) for p in design.pieces) if a is not None]

    def export(self) -> None:
        self.exporter.export()

    def compare(self) -> None:
        self.exporter.compare()

    def shutdown(self) -> None:
        self._sprites.shutdown()
        self.exporter.shutdown()


def _wh(p: Placement) -> tuple[float, float]:
    return p.width, p.height


load_kv(__file__)
