"""Wall art: the client's photo hung at true size on a sample room's wall.

Every position is kept in wall inches (`kiosk.core.wallart`) and mapped to the screen only to
draw: wall inches → image pixels (the room's calibrated wall) → the letterboxed room on the
stage. A drag goes the other way, then snaps to the guides and stays on the wall. Adding the
piece is a cart command through the live session, the same path as the order screen's.
"""

from __future__ import annotations

from kivy.graphics import Color, InstructionGroup, Line, Mesh, Rectangle, SmoothLine
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.core.cart import AddLine
from kiosk.core.pricing import format_money
from kiosk.core.wallart import (
    ABOVE_FURNITURE,
    Guide,
    Placement,
    Room,
    SoldSize,
    clamp,
    finish_for,
    guide_line,
    snap,
    snap_size,
    sold_sizes,
    step_size,
)
from kiosk.imaging.rooms import load_rooms
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.screens.order import Choice
from kiosk.ui.textures import screen_box
from kiosk.ui.widgets.buttons import BigButton  # noqa: F401 — used by wallart.kv

PHOTO_BOX = (1024, 1024)  # a piece is at most a few hundred pixels on screen
THUMB_BOX = (320, 320)
FIRST_LONG_EDGE = 30.0  # inches: the size a piece first appears at (nearest sold size)
GRID = 8  # a quad is drawn as GRID×GRID cells so the photo follows the wall's perspective
MAT = 2.5  # inches of mat around a framed photo when its variant names no opening
SHADOW_LAYERS = ((1.4, 0.10), (0.9, 0.14), (0.45, 0.20))  # offset (in), opacity: soft edge


class WallStage(Widget):
    """The room, letterboxed, with the piece drawn on its wall. Touches drag the piece."""

    screen = ObjectProperty(None, allownone=True)
    room_texture = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        with self.canvas:
            Color(1, 1, 1, 1)
            self._room = Rectangle(texture=None, size=(0, 0))
            self._guide_lines = InstructionGroup()  # under the piece, so it never hides it
            self._shadow_colours = []
            self._shadows = []
            for _offset, alpha in SHADOW_LAYERS:
                self._shadow_colours.append(Color(0, 0, 0, alpha))
                self._shadows.append(Mesh(mode="triangles"))
            self._frame_colour = Color(0, 0, 0, 0)
            self._frame = Mesh(mode="triangles")
            self._mat_colour = Color(0, 0, 0, 0)
            self._mat = Mesh(mode="triangles")
            Color(1, 1, 1, 1)
            self._photo = Mesh(mode="triangles")
            self._edge_colour = Color(0, 0, 0, 0.35)
            self._edge = SmoothLine(width=1.0, close=True)  # smooths the mesh's edges too
        self._guides: list[Line] = []
        self.bind(pos=self.redraw, size=self.redraw, room_texture=self.redraw)

    # geometry: image pixels ↔ the screen -------------------------------------------------
    def display(self) -> tuple[float, float, float, float] | None:
        """Where the room's image sits: (x, y, scale, image height) — letterboxed to fit."""
        room = self.screen.room if self.screen else None
        if room is None or self.width <= 1 or self.height <= 1:
            return None
        w, h = room.wall.image_size
        scale = min(self.width / w, self.height / h)
        return (
            self.x + (self.width - w * scale) / 2,
            self.y + (self.height - h * scale) / 2,
            scale,
            h,
        )

    def to_screen(self, u: float, v: float) -> tuple[float, float]:
        x0, y0, scale, h = self.display()
        return x0 + u * scale, y0 + (h - v) * scale

    def to_image(self, x: float, y: float) -> tuple[float, float]:
        x0, y0, scale, h = self.display()
        return (x - x0) / scale, h - (y - y0) / scale

    def wall_point(self, x: float, y: float) -> tuple[float, float]:
        """A touch in wall inches. The image point is held within the wall's outline first, so
        a touch far off the wall never reaches the horizon, where the map turns over."""
        wall = self.screen.room.wall
        u, v = self.to_image(x, y)
        us, vs = [c[0] for c in wall.corners], [c[1] for c in wall.corners]
        u, v = min(max(u, min(us)), max(us)), min(max(v, min(vs)), max(vs))
        return wall.to_wall(u, v)

    def piece_on_screen(self) -> tuple[tuple[float, float], ...]:
        """The piece's four corners on screen: top-left, top-right, bottom-right, bottom-left."""
        wall = self.screen.room.wall
        return tuple(self.to_screen(*p) for p in wall.quad(self.screen.placement))

    # drawing -----------------------------------------------------------------------------
    def redraw(self, *_args) -> None:
        screen = self.screen
        shown = self.display() if screen else None
        self._room.texture = self.room_texture
        if shown is None or self.room_texture is None:
            self._room.size = (0, 0)
            self._clear_piece()
            return
        x0, y0, scale, h = shown
        w = screen.room.wall.image_size[0]
        self._room.pos, self._room.size = (x0, y0), (w * scale, h * scale)
        if screen.placement is None or screen.photo_texture is None:
            self._clear_piece()
            return
        self._draw_piece(screen)

    def _clear_piece(self) -> None:
        for mesh in (*self._shadows, self._frame, self._mat, self._photo):
            mesh.vertices, mesh.indices = [], []
        self._edge.points = []
        self._draw_guides(())

    def _quad_mesh(self, mesh: Mesh, p: Placement, uv=None) -> None:
        """Fill `mesh` with the rectangle `p` of the wall, through the wall's perspective.

        `uv` (u0, v0, u1, v1: the texture's left, bottom, right, top) maps a texture across it.
        Small cells keep the texture straight where two affine triangles would bend it.
        """
        wall = self.screen.room.wall
        u0, v0, u1, v1 = uv or (0.0, 0.0, 1.0, 1.0)
        vertices: list[float] = []
        for j in range(GRID + 1):
            t = j / GRID  # bottom → top
            for i in range(GRID + 1):
                s = i / GRID  # left → right
                u, v = wall.to_image(p.left + s * p.width, p.bottom + t * p.height)
                x, y = self.to_screen(u, v)
                vertices += (x, y, u0 + s * (u1 - u0), v0 + t * (v1 - v0))
        indices: list[int] = []
        row = GRID + 1
        for j in range(GRID):
            for i in range(GRID):
                a = j * row + i
                indices += (a, a + 1, a + row + 1, a, a + row + 1, a + row)
        mesh.vertices, mesh.indices = vertices, indices

    def _draw_piece(self, screen: WallArtScreen) -> None:
        p = screen.placement
        light = screen.room.light
        for (offset, _alpha), mesh in zip(SHADOW_LAYERS, self._shadows, strict=True):
            # Light from the left throws the shadow right; always a little down.
            dx = offset * (0.35 - 0.65 * light)
            self._quad_mesh(mesh, p.moved_to(p.x + dx, p.y - offset * 1.2))
        finish = (
            finish_for(screen.product, {o.id: o.default for o in screen.product.options})
            if screen.product
            else None
        )
        photo = p
        if finish is not None and finish.kind == "framed":
            r, g, b = (c / 255 for c in finish.frame_colour)
            self._frame_colour.rgba = (r, g, b, 1)
            self._quad_mesh(self._frame, p)
            inner = Placement(
                p.x, p.y, p.width - 2 * finish.frame_width, p.height - 2 * finish.frame_width
            )
            if finish.mat_colour is not None:
                self._mat_colour.rgba = (*(c / 255 for c in finish.mat_colour), 1)
                self._quad_mesh(self._mat, inner)
                photo = _opening(inner, finish.image_size, p)
            else:
                self._mat.vertices, self._mat.indices = [], []
                photo = inner
            self._edge_colour.rgba = (r * 0.5, g * 0.5, b * 0.5, 1)
        else:
            self._frame.vertices, self._frame.indices = [], []
            self._mat.vertices, self._mat.indices = [], []
            self._edge_colour.rgba = (0, 0, 0, 0.35)
        texture = screen.photo_texture
        self._photo.texture = texture
        self._quad_mesh(self._photo, photo, _crop(texture, photo.width / photo.height))
        self._edge.points = [c for corner in self.piece_on_screen() for c in corner]
        self._draw_guides(screen.guides)

    def _draw_guides(self, active: tuple[Guide, ...]) -> None:
        self._guide_lines.clear()
        self._guides = []
        if not active:
            return
        wall = self.screen.room.wall
        self._guide_lines.add(Color(*theme.ACCENT[:3], 0.9))
        for guide in active:
            a, b = guide_line(wall, guide)
            line = Line(points=[*self.to_screen(*a), *self.to_screen(*b)], width=dp(1.5))
            self._guide_lines.add(line)
            self._guides.append(line)

    # touches -----------------------------------------------------------------------------
    def on_touch_down(self, touch) -> bool:
        screen = self.screen
        if not self.collide_point(*touch.pos) or screen is None or screen.placement is None:
            return False
        if self.display() is None:
            return False
        x, y = self.wall_point(*touch.pos)
        p = screen.placement
        on_piece = p.left <= x <= p.right and p.bottom <= y <= p.top
        # Grabbing the piece keeps the finger where it took it; a touch elsewhere brings it.
        touch.ud["wallart"] = (p.x - x, p.y - y) if on_piece else (0.0, 0.0)
        touch.grab(self)
        screen.drag_to(x, y, touch.ud["wallart"])
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        self.screen.drag_to(*self.wall_point(*touch.pos), touch.ud["wallart"])
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        self.screen.drag_done()
        return True


def _crop(texture, aspect: float) -> tuple[float, float, float, float]:
    """The centre of `texture` with the print's aspect, as (left, bottom, right, top) in its
    texture coordinates (a Pillow upload is flipped: its bottom is at v = 1)."""
    tc = texture.tex_coords
    u0, u1, v0, v1 = tc[0], tc[2], tc[1], tc[5]
    have = texture.width / texture.height
    if have > aspect:  # wider than the print: trim the sides
        keep = aspect / have
        u0, u1 = u0 + (u1 - u0) * (1 - keep) / 2, u0 + (u1 - u0) * (1 + keep) / 2
    else:
        keep = have / aspect
        v0, v1 = v0 + (v1 - v0) * (1 - keep) / 2, v0 + (v1 - v0) * (1 + keep) / 2
    return u0, v0, u1, v1


def _opening(inner: Placement, listed: tuple[float, float] | None, outer: Placement) -> Placement:
    """The photo's opening in the mat: as the variant lists it (turned like the frame), or an
    even mat."""
    if listed:
        a, b = sorted(listed)
        w, h = (a, b) if outer.height >= outer.width else (b, a)
        if w < inner.width and h < inner.height:
            return Placement(inner.x, inner.y, w, h)
    return Placement(
        inner.x, inner.y, max(1.0, inner.width - 2 * MAT), max(1.0, inner.height - 2 * MAT)
    )


class WallArtScreen(Screen):
    title = StringProperty("On your wall")
    subject_text = StringProperty("")
    subject_texture = ObjectProperty(None, allownone=True)
    photo_texture = ObjectProperty(None, allownone=True)
    piece_text = StringProperty("")
    total_text = StringProperty("")
    error = StringProperty("")
    can_add = BooleanProperty(False)

    def __init__(self, live, textures, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self.rooms: list[Room] = load_rooms()
        self.room: Room | None = None
        self.subject: int | None = None
        self.product = None
        self.sizes: tuple[SoldSize, ...] = ()
        self.piece_size: SoldSize | None = None
        self.placement: Placement | None = None
        self.guides: tuple[Guide, ...] = ()
        self._catalog_of = None
        self.ids.stage.screen = self
        self._build_rooms()
        live.subscribe(self.refresh)

    @property
    def pricelist(self):
        return self.live.pricelist.current

    @property
    def stage(self) -> WallStage:
        return self.ids.stage

    def on_pre_enter(self, *_args) -> None:
        image = self.live.current_image
        self.subject = image.id if image else None
        if self.room is None and self.rooms:
            self.choose_room(self.rooms[0].id)
        self.refresh()

    # rooms -------------------------------------------------------------------------------
    def _build_rooms(self) -> None:
        strip = self.ids.rooms
        for room in self.rooms:
            button = Choice(
                text=room.name, group="wallart-room", allow_no_selection=False, value=room.id
            )
            button.size_hint_x = None
            button.width = dp(190)
            button.height = dp(64)
            button.bind(on_release=lambda b: self.choose_room(b.value))
            strip.add_widget(button)
        if not self.rooms:
            self.error = "There are no sample rooms in layouts/rooms."

    def choose_room(self, room_id: str) -> None:
        room = next(r for r in self.rooms if r.id == room_id)
        if room is self.room:
            return
        self.room = room
        for button in self.ids.rooms.children:
            button.state = "down" if button.value == room_id else "normal"
        self.stage.room_texture = None
        self.textures.request(room.image, screen_box(), lambda t: self._room_arrived(room, t))
        self._hang()

    def _room_arrived(self, room: Room, texture) -> None:
        if room is self.room:
            self.stage.room_texture = texture
            if texture is None:
                self.error = f"The picture of the {room.name.lower()} cannot be read."

    # the photo ---------------------------------------------------------------------------
    def step_subject(self, delta: int) -> None:
        following = self.live.step_photo(self.subject, delta)
        if following is not None:
            self.subject = following
            self._show_subject()

    def _show_subject(self) -> None:
        if self.subject is None:
            self.subject_text = "This session has no photos."
            self.photo_texture = None
            self._update()
            return
        image = self.live.by_id[self.subject]
        self.subject_text = f"Photo {image.position} of {len(self.live.images)}"
        subject = self.subject

        def thumb(texture) -> None:
            if self.subject == subject:
                self.subject_texture = texture

        def photo(texture) -> None:
            if self.subject == subject:
                self.photo_texture = texture

        self.textures.request(image.thumb_path, THUMB_BOX, thumb)
        self.textures.request(image.preview_path, PHOTO_BOX, photo)
        size = self.piece_size
        if self.product is not None and size is not None and size.portrait != self._portrait():
            self.choose_product(self.product.id)  # the size strip turns with the photo

    def on_photo_texture(self, *_args) -> None:
        self.stage.redraw()

    def _portrait(self) -> bool:
        image = self.live.by_id.get(self.subject) if self.subject is not None else None
        return image is None or image.height >= image.width

    # the product and its size ------------------------------------------------------------
    def _build_catalog(self, pricelist) -> None:
        self._catalog_of = pricelist
        strip = self.ids.products
        strip.clear_widgets()
        wall_products = [p for p in pricelist.products if p.is_wall_item and sold_sizes(p)]
        for product in wall_products:
            button = Choice(text=product.name, group="wallart-product", allow_no_selection=False)
            button.value = product.id
            button.size_hint_y = 1
            button.bind(on_release=lambda b: self.choose_product(b.value))
            strip.add_widget(button)
        if wall_products:
            # Canvas is what most clients hang; start there when the studio sells it.
            first = next((p for p in wall_products if p.kind == "canvas"), wall_products[0])
            self.choose_product(first.id)
        else:
            self.error = "The price list has no wall products with sizes."

    def choose_product(self, product_id: str) -> None:
        product = self.pricelist.product(product_id)
        if product is None:
            return
        self.product = product
        for button in self.ids.products.children:
            button.state = "down" if button.value == product_id else "normal"
        portrait = self._portrait()
        self.sizes = tuple(s.oriented(portrait) for s in sold_sizes(product))
        strip = self.ids.sizes
        strip.clear_widgets()
        for size in self.sizes:
            button = Choice(
                text=f"{size.width:g}×{size.height:g}",
                group="wallart-size",
                allow_no_selection=False,
                value=size.variant,
            )
            button.size_hint_x = None
            button.width = dp(112)
            button.size_hint_y = 1
            button.bind(on_release=lambda b: self.choose_size(b.value))
            strip.add_widget(button)
        if self.piece_size is not None:
            wanted = snap_size(self.sizes, self.piece_size.width, self.piece_size.height)
        else:
            long_edge = FIRST_LONG_EDGE
            shape = (long_edge * 0.75, long_edge) if portrait else (long_edge, long_edge * 0.75)
            wanted = snap_size(self.sizes, *shape, by="long")
        self._set_size(wanted.oriented(portrait))

    def choose_size(self, variant_id: str) -> None:
        size = next((s for s in self.sizes if s.variant == variant_id), None)
        if size is not None:
            self._set_size(size.oriented(self._portrait()))

    def change_size(self, steps: int) -> None:
        if self.piece_size is not None and self.sizes:
            self._set_size(step_size(self.sizes, self.piece_size, steps))

    def _set_size(self, size: SoldSize) -> None:
        old, self.piece_size = self.placement, size
        for button in self.ids.sizes.children:
            button.state = "down" if button.value == size.variant else "normal"
        if old is None or self.room is None:
            self._hang()
            return
        wall = self.room.wall
        resized = Placement(old.x, old.y, size.width, size.height)
        sofa = wall.main_furniture
        if sofa is not None and abs(old.bottom - (sofa.top + ABOVE_FURNITURE)) < 1e-6:
            # Hung above the furniture: it grows upwards, keeping the gap.
            resized = resized.moved_to(old.x, sofa.top + ABOVE_FURNITURE + size.height / 2)
        self.placement = clamp(wall, resized)
        self._update()

    def _hang(self) -> None:
        """The first place for a piece in a room: centred over the main furniture, the usual gap
        above it; on a bare wall, centred at eye level."""
        if self.room is None or self.piece_size is None:
            self._update()
            return
        wall, size = self.room.wall, self.piece_size
        sofa = wall.main_furniture
        if sofa is not None:
            p = Placement(sofa.centre, sofa.top + ABOVE_FURNITURE + size.height / 2, *_wh(size))
        else:
            p = Placement(wall.width / 2, wall.eye_level, *_wh(size))
        self.placement = clamp(wall, p)
        self._update()

    # dragging ----------------------------------------------------------------------------
    def drag_to(self, x: float, y: float, grip: tuple[float, float]) -> None:
        if self.room is None or self.placement is None:
            return
        moved, self.guides = snap(self.room.wall, self.placement.moved_to(x + grip[0], y + grip[1]))
        self.placement = moved.bounds
        self.stage.redraw()

    def drag_done(self) -> None:
        self.guides = ()
        self.stage.redraw()

    # rendering ---------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        if self.manager is None or self.manager.current != self.name:
            return
        pricelist = self.pricelist
        if pricelist is None:
            self.error = str(self.live.pricelist.error or "There is no price list.")
            return
        if self._catalog_of is not pricelist:
            self._build_catalog(pricelist)
        self._show_subject()
        breakdown, problem = self.live.breakdown()
        self.total_text = (
            f"Order total  {format_money(breakdown.total, pricelist.currency)}"
            if breakdown is not None
            else problem
        )

    def _update(self) -> None:
        pricelist = self.pricelist
        self.can_add = bool(
            pricelist and self.product and self.piece_size and self.subject is not None
        )
        if self.product is not None and self.piece_size is not None and pricelist is not None:
            variant = self.product.variant(self.piece_size.variant)
            money = format_money(variant.price, pricelist.currency)
            size = self.piece_size
            self.piece_text = f"{size.width:g}×{size.height:g} {self.product.name}  ·  {money}"
        else:
            self.piece_text = ""
        self.stage.redraw()

    # commands ----------------------------------------------------------------------------
    def add(self) -> None:
        if not self.can_add:
            return
        line = AddLine(self.product.id, self.piece_size.variant, {}, (self.subject,))
        self.error = self.live.try_do(line)


def _wh(size: SoldSize) -> tuple[float, float]:
    return size.width, size.height


load_kv(__file__)
