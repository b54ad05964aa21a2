"""Wall art: the client's photos hung at true size on a room's wall, as a wall design.

A design (`kiosk.core.walldesign`) is pieces in wall inches: single pieces and groupings that
move and scale as one. This screen turns touches into changes of the design, saves it with
the session (`kiosk.store.designs`) before showing a change as done, and lets the stage
(`kiosk.ui.widgets.wallstage`) draw it. Ordering adds every piece in one cart command step.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.core import selection
from kiosk.core.cart import unit_price
from kiosk.core.errors import CommandError
from kiosk.core.pricing import format_money
from kiosk.core.wallart import (
    ABOVE_FURNITURE,
    Placement,
    Room,
    SoldSize,
    arrange,
    clamp,
    finish_for,
    scale_steps,
    snap,
    snap_size,
    sold_sizes,
    step_size,
)
from kiosk.core.walldesign import Piece, WallDesign, free_spot
from kiosk.imaging.mockup import Artwork
from kiosk.imaging.rooms import load_groupings, load_rooms
from kiosk.store.designs import load_design, save_design
from kiosk.store.walls import calibrated_rooms
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.screens.order import Choice
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.buttons import BigButton  # noqa: F401 — used by wallart.kv
from kiosk.ui.widgets.wallexport import Exporter
from kiosk.ui.widgets.wallkeepers import Ghost, KeeperThumb
from kiosk.ui.widgets.wallsprites import SpriteMaker
from kiosk.ui.widgets.wallstage import WallStage  # noqa: F401 — used by wallart.kv

PHOTO_BOX = (1024, 1024)  # a piece is at most a few hundred pixels on screen
THUMB_BOX = (320, 320)
FIRST_LONG_EDGE = 30.0  # inches: the size a piece first appears at (nearest sold size)
MAX_KEEPERS = 10  # thumbnails in the strip under the wall
DROP_REACH = 6.0  # inches: a photo let go this close to a frame lands in it
SINGLE = "single"


class WallArtScreen(Screen):
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
        own = BigButton(text="Your wall", size_hint=(None, None), size=(dp(180), dp(64)))
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
        """Add a room (a client's calibrated wall) to the room strip, before "Your wall"."""
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
        return Artwork(path, piece.placement, finish)

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

    # keepers ----------------------------------------------------------------------------
    def candidates(self) -> list[int]:
        """Keepers first, then the photos not dropped."""
        kept = list(selection.keepers(self.live.state))
        rest = [
            i.id
            for i in self.live.images
            if i.id not in kept and self.live.decision(i.id) != selection.Decision.DROP
        ]
        return kept + rest

    def _refresh_keepers(self) -> None:
        strip = self.ids.keepers
        wanted = self.candidates()[:MAX_KEEPERS]
        on_wall = set(self.design.images())
        have = [c.image_id for c in reversed(strip.children)]
        if have != wanted:
            strip.clear_widgets()
            for image_id in wanted:
                thumb = KeeperThumb(image_id=image_id, screen=self)
                strip.add_widget(thumb)
                image = self.live.by_id[image_id]
                self.textures.request(
                    image.thumb_path, THUMB_BOX, lambda t, w=thumb: setattr(w, "texture", t)
                )
        for thumb in strip.children:
            thumb.hung = thumb.image_id in on_wall

    def tap_image(self, image_id: int) -> None:
        """A tapped photo goes into the chosen frame; the next empty frame is chosen then."""
        index = self.selected
        if index is None:
            self.add_piece(image_id)
            return
        self._fill(index, image_id)

    def drop_image(self, image_id: int, window_pos) -> None:
        """A photo let go over the wall fills the frame it is on (or beside); elsewhere on the
        wall it is hung there as a new piece."""
        stage = self.stage
        pos = stage.to_widget(*window_pos)
        if self.room is None or not stage.over_wall(*pos):
            return
        x, y = stage.wall_point(*pos)
        hit = self.design.nearest(x, y, DROP_REACH)
        if hit is not None:
            self._fill(hit, image_id)
        else:
            self.add_piece(image_id, at=(x, y))

    def _fill(self, index: int, image_id: int) -> None:
        self.design = self.design.filled(index, image_id)
        group = self.design.pieces[index].group
        empty = self.design.empty_slots(group) if group else ()
        self.selected = empty[0] if empty else index
        self.save()
        self._design_changed()

    # adding and removing pieces ---------------------------------------------------------
    def add_piece(self, image_id: int | None = None, at: tuple[float, float] | None = None) -> None:
        """Hang another photo (the next keeper not on the wall) beside the others."""
        if self.room is None:
            return
        if image_id is None:
            on_wall = set(self.design.images())
            image_id = next((i for i in self.candidates() if i not in on_wall), None)
            if image_id is None:
                image_id = next(iter(self.candidates()), None)
        current = self.piece
        product = (
            self.pricelist.product(current.product) if current and self.pricelist else None
        ) or self._default_product()
        if image_id is None or product is None:
            return
        size = self._first_size(product, self._portrait(image_id))
        wall = self.room.wall
        taken = [p.placement for p in self.design.pieces]
        if at is not None:
            p = clamp(wall, Placement(*at, size.width, size.height))
        else:
            p = free_spot(wall, taken, size.width, size.height)
        self.design = self.design.with_piece(Piece(image_id, product.id, size.variant, p))
        self.selected = len(self.design.pieces) - 1
        self.save()
        self._design_changed()

    def remove_piece(self) -> None:
        """The chosen piece off the wall: a whole grouping goes when one of its frames is
        chosen (it was hung as one)."""
        if self.selected is None:
            return
        self.design = self.design.without(self.design.unit(self.selected))
        self.selected = len(self.design.pieces) - 1 if self.design.pieces else None
        self.save()
        self._design_changed()

    # product, size, grouping ------------------------------------------------------------
    def _build_catalog(self, pricelist) -> None:
        self._catalog_of = pricelist
        strip = self.ids.products
        strip.clear_widgets()
        for product in [p for p in pricelist.products if p.is_wall_item and sold_sizes(p)]:
            button = Choice(text=product.name, group="wallart-product", allow_no_selection=False)
            button.value = product.id
            button.size_hint_y = 1  # the grid's rows set the height
            button.bind(on_release=lambda b: self.choose_product(b.value))
            strip.add_widget(button)
        if not strip.children:
            self.error = "The price list has no wall products with sizes."

    def _build_groupings(self) -> None:
        strip = self.ids.groupings
        choices = [(SINGLE, "Single")] + [(g.id, g.name) for g in self.groupings.values()]
        for value, name in choices:
            button = Choice(text=name, group="wallart-grouping", allow_no_selection=False)
            button.value = value
            button.size_hint_y = 1
            button.bind(on_release=lambda b: self.choose_grouping(b.value))
            strip.add_widget(button)

    def _sizes(self, product, portrait: bool) -> tuple[SoldSize, ...]:
        return tuple(s.oriented(portrait) for s in sold_sizes(product))

    def choose_product(self, product_id: str) -> None:
        piece = self.piece
        product = self.pricelist.product(product_id) if self.pricelist else None
        if piece is None or product is None:
            return
        if piece.group:
            self._relay_group(self.selected, product, piece.scale)
            return
        p = piece.placement
        size = snap_size(self._sizes(product, p.height >= p.width), p.width, p.height)
        self._resize(self.selected, replace(piece, product=product.id), size)

    def choose_size(self, variant_id: str) -> None:
        piece = self.piece
        if piece is None:
            return
        product = self.pricelist.product(piece.product)
        if piece.group:
            if variant_id.startswith("scale:"):
                self._relay_group(self.selected, product, float(variant_id[6:]))
            return
        p = piece.placement
        size = next(
            (s for s in self._sizes(product, p.height >= p.width) if s.variant == variant_id), None
        )
        if size is not None:
            self._resize(self.selected, piece, size)

    def change_size(self, steps: int) -> None:
        piece = self.piece
        if piece is None:
            return
        product = self.pricelist.product(piece.product)
        if piece.group:
            scales = self._steps(piece)
            here = min(range(len(scales)), key=lambda i: abs(math.log(scales[i] / piece.scale)))
            target = scales[max(0, min(len(scales) - 1, here + steps))]
            self._relay_group(self.selected, product, target)
            return
        p = piece.placement
        current = SoldSize(piece.variant, p.width, p.height)
        sizes = self._sizes(product, current.portrait)
        self._resize(self.selected, piece, step_size(sizes, current, steps))

    def _steps(self, piece: Piece) -> list[float]:
        product = self.pricelist.product(piece.product)
        return self._scales(self.groupings[piece.grouping], product) or [piece.scale]

    def _resize(self, index: int, piece: Piece, size: SoldSize, save: bool = True) -> None:
        """A single piece at another sold size: it grows about its centre, or upwards when it
        hangs above the furniture, and stays on the wall."""
        wall = self.room.wall
        old = piece.placement
        resized = Placement(old.x, old.y, size.width, size.height)
        sofa = wall.main_furniture
        if sofa is not None and abs(old.bottom - (sofa.top + ABOVE_FURNITURE)) < 1e-6:
            resized = resized.moved_to(old.x, sofa.top + ABOVE_FURNITURE + size.height / 2)
        placed = clamp(wall, resized).bounds
        self.design = self.design.replaced(
            index, replace(piece, variant=size.variant, placement=placed)
        )
        if save:
            self.save()
        self._design_changed()

    def _relay_group(self, index: int, product, scale: float, save: bool = True) -> None:
        """A grouping laid out again in a product's sizes at a scale step, about its centre,
        each frame keeping its photo."""
        unit = self.design.unit(index)
        first = self.design.pieces[unit[0]]
        grouping = self.groupings.get(first.grouping)
        if grouping is None or self.room is None:
            return
        b = self.design.bounds(unit)
        self.design = self.design.relaid(
            unit,
            self._grouped(
                grouping,
                product,
                scale,
                (b.x, b.y),
                [self.design.pieces[i].image for i in unit],
                first.group,
            ),
        )
        self.selected = min(unit) + unit.index(index)
        if save:
            self.save()
        self._design_changed()

    def _grouped(self, grouping, product, scale, centre, images, group: str) -> list[Piece]:
        laid = arrange(grouping, sold_sizes(product), scale=scale, centre=centre)
        laid, _ = snap(self.room.wall, laid)  # onto a guide near where it was asked for
        images = list(images) + [None] * len(laid.pieces)
        return [
            Piece(images[slot], product.id, size.variant, p, group, grouping.id, scale, slot)
            for slot, (p, size) in enumerate(zip(laid.pieces, laid.sizes, strict=True))
        ]

    def _first_scale(self, grouping, product) -> float:
        """The grouping as designed (scale 1) or the largest step below that fits between the
        furniture and the ceiling with room to breathe."""
        wall = self.room.wall
        sofa = wall.main_furniture
        low = sofa.top + ABOVE_FURNITURE if sofa is not None else wall.bottom + 24
        room_for = wall.top - 8 - low
        fitting = [s for s in self._scales(grouping, product) if s <= 1.0 + 1e-6]
        for s in reversed(fitting):
            b = arrange(grouping, sold_sizes(product), scale=s).bounds
            if b.height <= room_for and b.width <= wall.width * 0.8:
                return s
        return fitting[0] if fitting else 1.0

    def _scales(self, grouping, product) -> list[float]:
        """The grouping's scale steps that fit the wall, one per overall width (steps that
        change only a frame's orientation look the same in the strip)."""
        wall = self.room.wall if self.room else None
        out: dict[int, float] = {}
        for s in scale_steps(grouping, sold_sizes(product)):
            b = arrange(grouping, sold_sizes(product), scale=s).bounds
            if wall is None or (b.width <= wall.width and b.height <= wall.height):
                out.setdefault(round(b.width), s)
        return list(out.values())

    def choose_grouping(self, grouping_id: str) -> None:
        """The chosen unit becomes this grouping (its photos fill the first frames) or, for
        "Single", its first photo alone."""
        index = self.selected
        if self.room is None:
            return
        piece = self.piece
        product = (
            self.pricelist.product(piece.product) if piece and self.pricelist else None
        ) or self._default_product()
        unit = self.design.unit(index) if index is not None else ()
        images = [self.design.pieces[i].image for i in unit if self.design.pieces[i].image]
        if unit:
            b = self.design.bounds(unit)
            centre = (b.x, b.y)
        else:
            centre = self._hang_point(self.room, 30)
        if grouping_id == SINGLE:
            if piece is None or not piece.group:
                return
            size = self._first_size(product, self._portrait(images[0] if images else None))
            single = Piece(
                images[0] if images else None,
                product.id,
                size.variant,
                clamp(self.room.wall, Placement(*centre, size.width, size.height)),
            )
            self.design = self.design.relaid(unit, [single])
            self.selected = min(unit)
        else:
            grouping = self.groupings[grouping_id]
            scale = self._first_scale(grouping, product)
            key = f"{grouping_id}#{max([0] + [_n(p.group) for p in self.design.pieces]) + 1}"
            pieces = self._grouped(grouping, product, scale, centre, images, key)
            if unit:
                self.design = self.design.relaid(unit, pieces)
                start = min(unit)
            else:
                start = len(self.design.pieces)
                self.design = replace(self.design, pieces=(*self.design.pieces, *pieces))
            empty = self.design.empty_slots(key)
            self.selected = empty[0] if empty else start
        self.save()
        self._design_changed()

    # dragging and pinching --------------------------------------------------------------
    def drag_to(self, x: float, y: float) -> None:
        if self.room is None or self.selected is None:
            return
        self.design, self.guides = self.design.moved(self.room.wall, self.selected, x, y)
        self.stage.moved(self.design.unit(self.selected))

    def drag_done(self) -> None:
        self.guides = ()
        self.save()
        self.stage.moved(())

    def pinch_begin(self) -> None:
        self._pinch_start = self.design

    def pinch_to(self, ratio: float) -> None:
        """Fingers spread by `ratio`: the sold size (or grouping step) nearest to that."""
        start = self._pinch_start
        if start is None or self.selected is None:
            return
        piece = start.pieces[self.selected]
        product = self.pricelist.product(piece.product)
        if piece.group:
            scales = self._steps(piece)
            target = min(scales, key=lambda s: abs(math.log(s / (piece.scale * ratio))))
            if target != self.piece.scale:
                self._relay_group(self.selected, product, target, save=False)
            return
        p = piece.placement
        size = snap_size(
            self._sizes(product, p.height >= p.width), p.width * ratio, p.height * ratio
        )
        if size.variant != self.piece.variant:
            self._resize(self.selected, self.piece, size, save=False)

    def pinch_done(self) -> None:
        self._pinch_start = None
        self.save()

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

    def _build_sizes(self, piece: Piece, product) -> None:
        strip = self.ids.sizes
        strip.clear_widgets()
        if piece.group:
            steps = self._steps(piece)
            nearest = min(steps, key=lambda s: abs(math.log(s / piece.scale)))
            for scale in steps:
                laid = arrange(self.groupings[piece.grouping], sold_sizes(product), scale=scale)
                button = Choice(
                    text=f"{laid.bounds.width:.0f}″",
                    group="wallart-size",
                    allow_no_selection=False,
                    state="down" if scale == nearest else "normal",
                )
                button.value = f"scale:{scale}"
                button.size_hint_y = 1
                button.bind(on_release=lambda b: self.choose_size(b.value))
                strip.add_widget(button)
            return
        p = piece.placement
        for size in self._sizes(product, p.height >= p.width):
            button = Choice(
                text=f"{size.width:g}×{size.height:g}",
                group="wallart-size",
                allow_no_selection=False,
                state="down" if size.variant == piece.variant else "normal",
            )
            button.value = size.variant
            button.size_hint_y = 1
            button.bind(on_release=lambda b: self.choose_size(b.value))
            strip.add_widget(button)

    def label_for(self, index: int) -> str:
        """A piece's size and price as the wall's labels show it: `24×30 · $795.00`."""
        piece = self.design.pieces[index]
        p = piece.placement
        money = ""
        pricelist = self.pricelist
        if pricelist is not None and piece.image is not None:
            try:
                amount = unit_price(
                    pricelist, piece.product, piece.variant, {}, (piece.image,), date.today()
                )
                money = f"  ·  {format_money(amount, pricelist.currency)}"
            except Exception:  # noqa: BLE001 — a label never stops the screen
                money = ""
        return f"{p.width:g}×{p.height:g}{money}"

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
        self.error = self.live.try_do(*commands)
        if not self.error:
            count = len(commands)
            self.notice = f"{count} piece{'s' if count != 1 else ''} added to the order"

    # export and compare -----------------------------------------------------------------
    def artworks(self, design: WallDesign | None = None) -> list[Artwork]:
        design = design or self.design
        return [a for a in (self.artwork(p, full=True) for p in design.pieces) if a is not None]

    def export(self) -> None:
        self.exporter.export()

    def compare(self) -> None:
        self.exporter.compare()

    def on_stop(self) -> None:
        self._sprites.shutdown()
        self.exporter.shutdown()


def _wh(p: Placement) -> tuple[float, float]:
    return p.width, p.height


def _n(group: str) -> int:
    try:
        return int(group.rsplit("#", 1)[1])
    except (IndexError, ValueError):
        return 0


def running_studio():
    app = App.get_running_app()
    return getattr(app, "studio", None)


load_kv(__file__)
