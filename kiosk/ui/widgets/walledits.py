"""How touches change the wall-art screen's wall design: photos into frames, pieces added and
removed, products, sizes and groupings chosen, drags and pinches.

A mix-in of `WallArtScreen` (kiosk/ui/screens/wallart.py), which holds the design, the room
and the selection and draws after each change. Every change is saved with the session before
it is drawn (`self.save()`), except the steps of a drag or a pinch, saved when the fingers
lift.
"""

from __future__ import annotations

import math
from dataclasses import replace

from kiosk.core import selection
from kiosk.core.wall import (
    ABOVE_FURNITURE,
    Placement,
    SoldSize,
    arrange,
    clamp,
    scale_steps,
    snap,
    snap_size,
    sold_sizes,
    step_size,
)
from kiosk.core.walldesign import Piece, free_spot
from kiosk.display.wallfeed import FEED
from kiosk.ui import theme
from kiosk.ui.screens.order import Choice
from kiosk.ui.widgets.wallkeepers import KeeperThumb

MAX_KEEPERS = 10  # thumbnails in the strip under the wall
DROP_REACH = 6.0  # inches: a photo let go this close to a frame lands in it
SINGLE = "single"
THUMB_BOX = (320, 320)


class WallEdits:
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
        images = [self.design.pieces[i].image for i in unit]
        images = [i for i in images if i is not None]
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
        FEED.publish(self.live.session_id, self.design, final=False)  # displays follow the drag

    def drag_done(self) -> None:
        self.guides = ()
        self.save()
        self.stage.moved(())
        self.warn_overlaps()

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
        sizes = self._sizes(product, p.height >= p.width)
        for size in sizes:
            button = Choice(
                text=f"{size.width:g}×{size.height:g}",
                group="wallart-size",
                allow_no_selection=False,
                state="down" if size.variant == piece.variant else "normal",
            )
            button.value = size.variant
            button.size_hint_y = 1
            if len(sizes) > 4:  # "20×16" must stay on one line in a narrower button
                button.font_size = theme.TEXT_SIZE * 0.72
            button.bind(on_release=lambda b: self.choose_size(b.value))
            strip.add_widget(button)


def _n(group: str) -> int:
    try:
        return int(group.rsplit("#", 1)[1])
    except (IndexError, ValueError):
        return 0
