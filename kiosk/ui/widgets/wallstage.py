"""The room, letterboxed, with a wall design's pieces drawn on its wall; touches move them.

Positions live in wall inches (`kiosk.core.walldesign`); the stage maps them to the screen
through one homography (wall inches → room image pixels → stage), composed once per layout.
Each piece is one textured mesh: its sprite (the mock-up renderer's face and shadow, see
`wallsprites`) or, until that is made, the plain photo. Dragging a piece only rewrites the
vertices of the pieces that move, their outlines and the guides; the room and the other
pieces stay as they are, so a drag costs the renderer little more than a still frame.

One finger on a piece selects it and drags its unit (a grouping moves as one); a second
finger on the stage pinches it through the sizes the studio sells.
"""

from __future__ import annotations

import math

from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, InstructionGroup, Line, Mesh, Rectangle, RoundedRectangle
from kivy.metrics import dp, sp
from kivy.properties import ObjectProperty
from kivy.uix.widget import Widget

from kiosk.core.wall import Homography, Placement, guide_line
from kiosk.ui import theme

GRID = 8  # cells a side: a texture follows the wall's perspective (1 when the wall faces us)
TAP = dp(14)  # px a finger may wander and still tap


class PieceView:
    """The drawing of one piece: a textured mesh and a thin edge (a dashed one when empty)."""

    def __init__(self) -> None:
        self.group = InstructionGroup()
        self.colour = Color(1, 1, 1, 1)
        self.mesh = Mesh(mode="triangles")
        self.edge_colour = Color(0, 0, 0, 0)
        self.edge = Line(close=True, width=1.0)
        for instruction in (self.colour, self.mesh, self.edge_colour, self.edge):
            self.group.add(instruction)
        # Standing off the wall: the four sides, then the face again where the camera sees it
        # (the sprite's own face lies on the wall plane, under these).
        self.sides: list[tuple[Color, Mesh]] = []
        for _ in range(4):
            colour, mesh = Color(1, 1, 1, 1), Mesh(mode="triangles")
            self.group.add(colour)
            self.group.add(mesh)
            self.sides.append((colour, mesh))
        self.group.add(Color(1, 1, 1, 1))
        self.face = Mesh(mode="triangles")
        self.group.add(self.face)
        self.extent: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        self.uv: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
        self.depth = (0.0, 0.0)  # (back, face) of the sides, inches off the wall; 0: none


class WallStage(Widget):
    screen = ObjectProperty(None, allownone=True)
    room_texture = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        with self.canvas:
            Color(1, 1, 1, 1)
            self._room = Rectangle(texture=None, size=(0, 0))
            self._guide_lines = InstructionGroup()
            self._pieces_group = InstructionGroup()
            self._labels = InstructionGroup()
            self._unit_colour = Color(*theme.ACCENT[:3], 0.55)
            self._unit_line = Line(close=True, width=dp(1), dash_length=8, dash_offset=6)
            self._select_colour = Color(*theme.ACCENT)
            self._select_line = Line(close=True, width=dp(2.5))
        self.views: list[PieceView] = []
        self._h: Homography | None = None
        self._grid = GRID
        self._indices: list[int] = []
        self._guides: list[Line] = []
        self._guides_drawn: tuple = ()
        self._label_cache: dict[str, object] = {}
        self._label_boxes: list[tuple[RoundedRectangle, Rectangle]] = []
        self._fingers: list = []  # touches down on the stage, in order
        self._pinch: tuple | None = None  # (first touch, second touch, start distance)
        self.bind(pos=self.redraw, size=self.redraw, room_texture=self.redraw)

    # geometry -----------------------------------------------------------------------------
    def display(self) -> tuple[float, float, float, float] | None:
        """Where the room's image sits: (x, y, scale, image height), letterboxed."""
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

    def _layout(self) -> bool:
        shown = self.display()
        if shown is None:
            self._h = None
            return False
        x0, y0, scale, h = shown
        wall = self.screen.room.wall
        image_to_screen = Homography((scale, 0.0, x0, 0.0, -scale, y0 + h * scale, 0.0, 0.0, 1.0))
        self._image_to_screen = image_to_screen
        self._h = image_to_screen.then_after(wall.homography)
        m = wall.homography.m
        flat = abs(m[6]) < 1e-9 and abs(m[7]) < 1e-9  # affine: straight cells stay straight
        self._grid = 1 if flat else GRID
        n, row = self._grid, self._grid + 1
        self._indices = [
            k
            for j in range(n)
            for i in range(n)
            for a in (j * row + i,)
            for k in (a, a + 1, a + row + 1, a, a + row + 1, a + row)
        ]
        return True

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        """Wall inches → stage pixels."""
        return self._h(x, y)

    def wall_point(self, sx: float, sy: float) -> tuple[float, float]:
        """A touch in wall inches, held within the wall's outline first so that a touch far
        off the wall never reaches the horizon, where the map turns over."""
        wall = self.screen.room.wall
        u, v = self._image_to_screen.inverse()(sx, sy)
        us, vs = [c[0] for c in wall.corners], [c[1] for c in wall.corners]
        u, v = min(max(u, min(us)), max(us)), min(max(v, min(vs)), max(vs))
        return wall.to_wall(u, v)

    def over_wall(self, sx: float, sy: float) -> bool:
        if self._h is None or not self.collide_point(sx, sy):
            return False
        wall = self.screen.room.wall
        u, v = self._image_to_screen.inverse()(sx, sy)
        x, y = wall.to_wall(u, v)
        return -2 <= x <= wall.width + 2 and wall.bottom - 2 <= y <= wall.top + 2

    def quad(self, p: Placement) -> list[float]:
        h = self._h
        return [
            c
            for x, y in ((p.left, p.top), (p.right, p.top), (p.right, p.bottom), (p.left, p.bottom))
            for c in h(x, y)
        ]

    # drawing ------------------------------------------------------------------------------
    def redraw(self, *_args) -> None:
        """Everything again: after a layout change, a new room, or new pieces."""
        screen = self.screen
        self._room.texture = self.room_texture
        if screen is None or not self._layout() or self.room_texture is None:
            self._room.size = (0, 0)
            self._pieces_group.clear()
            self.views = []
            self._draw_guides(())
            self._draw_selection()
            self._labels.clear()
            return
        x0, y0, scale, h = self.display()
        w = screen.room.wall.image_size[0]
        self._room.pos, self._room.size = (x0, y0), (w * scale, h * scale)
        self.rebuild()

    def rebuild(self) -> None:
        """New drawings for every piece (pieces added, removed, refilled or resized)."""
        if self._h is None:
            return
        self._pieces_group.clear()
        self.views = []
        for index in range(len(self.screen.design.pieces)):
            view = PieceView()
            self.views.append(view)
            self._pieces_group.add(view.group)
            self.restyle(index)
        self._draw_selection()
        self._draw_guides(self.screen.guides)
        self.draw_labels()

    def restyle(self, index: int) -> None:
        """Piece `index`'s texture: its sprite, the plain photo until then, or an empty frame."""
        if self._h is None or index >= len(self.views):
            return
        screen, view = self.screen, self.views[index]
        piece = screen.design.pieces[index]
        p = piece.placement
        sprite = screen.sprite_for(index)
        texture = None
        if sprite is not None:
            texture = sprite.texture
            view.extent = sprite.extent(p.width, p.height)
            view.uv = (0.0, 1.0, 1.0, 0.0)  # Pillow's rows run down: the top is v = 0
            view.colour.rgba = (1, 1, 1, 1)
            view.edge_colour.rgba = (0, 0, 0, 0)
        elif piece.image is not None and screen.photo(piece.image) is not None:
            texture = screen.photo(piece.image)
            view.extent = (-p.width / 2, -p.height / 2, p.width / 2, p.height / 2)
            view.uv = crop(texture, p.width / p.height)
            view.colour.rgba = (1, 1, 1, 1)
            view.edge_colour.rgba = (0, 0, 0, 0.45)
        else:  # an empty frame, or a photo still decoding
            view.extent = (-p.width / 2, -p.height / 2, p.width / 2, p.height / 2)
            view.uv = (0.0, 0.0, 1.0, 1.0)
            view.colour.rgba = (1, 1, 1, 0.22)
            view.edge_colour.rgba = (1, 1, 1, 0.9)
        view.mesh.texture = texture
        finish = screen.finish_of(index) if sprite is not None else None
        if finish is not None and finish.depth > 0:
            view.depth = (max(0.0, finish.depth - finish.thickness), finish.depth)
            lit = 1.0 - 0.12 * screen.room.light  # the left side faces a light on the left
            for (colour, mesh), k in zip(
                view.sides, (0.72 * lit, 0.72 * (2 - lit), 0.95, 0.5), strict=True
            ):
                colour.rgba = (k, k, k, 1)
                mesh.texture = texture
            view.face.texture = texture
        else:
            view.depth = (0.0, 0.0)
            for _colour, mesh in view.sides:
                mesh.vertices, mesh.indices = [], []
            view.face.vertices, view.face.indices = [], []
        self.place(index)

    def place(self, index: int) -> None:
        """Piece `index`'s vertices where its placement is now: all a drag changes."""
        view = self.views[index]
        p = self.screen.design.pieces[index].placement
        left, bottom, right, top = view.extent
        u0, v0, u1, v1 = view.uv
        n, m = self._grid, self._h.m
        a, b, c, d, e, f, g, h_, k = m
        vertices: list[float] = []
        for j in range(n + 1):
            t = j / n
            y = p.y + bottom + (top - bottom) * t
            v = v0 + (v1 - v0) * t
            for i in range(n + 1):
                s = i / n
                x = p.x + left + (right - left) * s
                w = g * x + h_ * y + k
                vertices += (
                    (a * x + b * y + c) / w,
                    (d * x + e * y + f) / w,
                    u0 + (u1 - u0) * s,
                    v,
                )
        view.mesh.vertices = vertices
        if len(view.mesh.indices) != len(self._indices):
            view.mesh.indices = self._indices
        view.edge.points = self.quad(p)
        if view.depth[1] > 0:
            self._raise(view, p)

    def _raise(self, view: PieceView, p: Placement) -> None:
        """The face `depth` inches off the wall through the camera, and the sides between it
        and the back, each textured with the face's own edge (a canvas's wrap, a frame's
        moulding), mirrored, as the mock-up renderer draws them."""
        left, bottom, right, top = view.extent
        z0, z1 = view.depth
        # The face's part of the sprite, in its texture coordinates (top is v = 0).
        fu0, fu1 = (-p.width / 2 - left) / (right - left), (p.width / 2 - left) / (right - left)
        fvt, fvb = (top - p.height / 2) / (top - bottom), (top + p.height / 2) / (top - bottom)
        su = (z1 - z0) / (right - left)
        sv = (z1 - z0) / (top - bottom)
        project = self._project
        n = self._grid
        vertices: list[float] = []
        for j in range(n + 1):
            t = j / n
            y = p.bottom + p.height * t
            v = fvb + (fvt - fvb) * t
            for i in range(n + 1):
                s = i / n
                vertices += (*project(p.left + p.width * s, y, z1), fu0 + (fu1 - fu0) * s, v)
        view.face.vertices = vertices
        if len(view.face.indices) != len(self._indices):
            view.face.indices = self._indices
        lf, r, t_, b = p.left, p.right, p.top, p.bottom
        sides = (
            (
                ((lf, t_, z0), (lf, t_, z1), (lf, b, z1), (lf, b, z0)),
                ((fu0 + su, fvt), (fu0, fvt), (fu0, fvb), (fu0 + su, fvb)),
            ),
            (
                ((r, t_, z1), (r, t_, z0), (r, b, z0), (r, b, z1)),
                ((fu1, fvt), (fu1 - su, fvt), (fu1 - su, fvb), (fu1, fvb)),
            ),
            (
                ((lf, t_, z0), (r, t_, z0), (r, t_, z1), (lf, t_, z1)),
                ((fu0, fvt + sv), (fu1, fvt + sv), (fu1, fvt), (fu0, fvt)),
            ),
            (
                ((lf, b, z1), (r, b, z1), (r, b, z0), (lf, b, z0)),
                ((fu0, fvb), (fu1, fvb), (fu1, fvb - sv), (fu0, fvb - sv)),
            ),
        )
        for (_colour, mesh), (corners, uvs) in zip(view.sides, sides, strict=True):
            mesh.vertices = [
                c for xyz, uv in zip(corners, uvs, strict=True) for c in (*project(*xyz), *uv)
            ]
            if not mesh.indices:
                mesh.indices = [0, 1, 2, 0, 2, 3]

    def _project(self, x: float, y: float, z: float) -> tuple[float, float]:
        """A point `z` inches out from the wall → stage pixels."""
        return self._image_to_screen(*self.screen.room.wall.project(x, y, z))

    def moved(self, indices) -> None:
        """After a drag step: the moved pieces, the selection and the guides, nothing else."""
        if self._h is None:
            return
        for i in indices:
            if i < len(self.views):
                self.place(i)
        self._draw_selection()
        self._draw_guides(self.screen.guides)
        for i in indices:
            if i < len(self._label_boxes):
                self._place_label(i)

    def _draw_selection(self) -> None:
        screen = self.screen
        chosen = screen.selected if screen is not None and self._h is not None else None
        if chosen is None or chosen >= len(screen.design.pieces):
            self._select_line.points = []
            self._unit_line.points = []
            return
        p = screen.design.pieces[chosen].placement
        depth = self.views[chosen].depth[1] if chosen < len(self.views) else 0.0
        if depth > 0:  # round the face the client sees, standing off the wall
            corners = ((p.left, p.top), (p.right, p.top), (p.right, p.bottom), (p.left, p.bottom))
            self._select_line.points = [c for x, y in corners for c in self._project(x, y, depth)]
        else:
            self._select_line.points = self.quad(p)
        unit = screen.design.unit(chosen)
        if len(unit) > 1:
            b = screen.design.bounds(unit)
            margin = 1.5
            self._unit_line.points = self.quad(
                Placement(b.x, b.y, b.width + 2 * margin, b.height + 2 * margin)
            )
        else:
            self._unit_line.points = []

    def _draw_guides(self, active) -> None:
        key = (tuple(active or ()), self._h)
        if key == self._guides_drawn:
            return  # most drag steps rest on the same guides: nothing to redraw
        self._guides_drawn = key
        self._guide_lines.clear()
        self._guides = []
        if not active or self._h is None:
            return
        wall = self.screen.room.wall
        self._guide_lines.add(Color(*theme.ACCENT[:3], 0.9))
        for guide in active:
            a, b = guide_line(wall, guide)
            line = Line(
                points=[*self._image_to_screen(*a), *self._image_to_screen(*b)], width=dp(1.5)
            )
            self._guide_lines.add(line)
            self._guides.append(line)

    def draw_labels(self) -> None:
        """Each piece's size and price under it, while the screen's toggle is on."""
        self._labels.clear()
        self._label_boxes = []
        screen = self.screen
        if screen is None or not screen.show_labels or self._h is None:
            return
        for index in range(len(screen.design.pieces)):
            texture = self._label_texture(screen.label_for(index))
            back = RoundedRectangle(radius=[dp(8)])
            front = Rectangle(texture=texture, size=texture.size)
            self._labels.add(Color(0.05, 0.045, 0.04, 0.78))
            self._labels.add(back)
            self._labels.add(Color(*theme.TEXT))
            self._labels.add(front)
            self._label_boxes.append((back, front))
            self._place_label(index)

    def _place_label(self, index: int) -> None:
        """A label under its piece: all a drag changes."""
        back, front = self._label_boxes[index]
        p = self.screen.design.pieces[index].placement
        x, y = self.to_screen(p.x, p.bottom)
        w, h = front.size
        front.pos = (x - w / 2, y - h - dp(10))
        back.pos = (x - w / 2 - dp(10), y - h - dp(14))
        back.size = (w + dp(20), h + dp(8))

    def _label_texture(self, text: str):
        texture = self._label_cache.get(text)
        if texture is None:
            label = CoreLabel(text=text, font_size=sp(17), font_name=theme.FONT)
            label.refresh()
            texture = self._label_cache[text] = label.texture
        return texture

    # touches ------------------------------------------------------------------------------
    def on_touch_down(self, touch) -> bool:
        screen = self.screen
        if not self.collide_point(*touch.pos) or screen is None or self._h is None:
            return False
        if len(self._fingers) == 1 and screen.selected is not None and self._pinch is None:
            first = self._fingers[0]
            start = math.dist(first.pos, touch.pos)
            if start > TAP:
                self._pinch = (first, touch, start)
                self._fingers.append(touch)
                touch.grab(self)
                screen.pinch_begin()
                return True
        x, y = self.wall_point(*touch.pos)
        hit = screen.design.at(x, y)
        if hit is None:
            return True  # the bare wall: nothing to move
        screen.select(hit)
        b = screen.design.bounds(screen.design.unit(hit))
        touch.ud["wallart"] = (b.x - x, b.y - y)
        self._fingers.append(touch)
        touch.grab(self)
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        if self._pinch is not None:
            first, second, start = self._pinch
            if touch in (first, second):
                self.screen.pinch_to(math.dist(first.pos, second.pos) / start)
            return True
        grip = touch.ud.get("wallart")
        if grip is not None:
            x, y = self.wall_point(*touch.pos)
            self.screen.drag_to(x + grip[0], y + grip[1])
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        if touch in self._fingers:
            self._fingers.remove(touch)
        if self._pinch is not None and touch in self._pinch[:2]:
            self._pinch = None
            self.screen.pinch_done()
            for rest in self._fingers:  # the finger left keeps dragging from where it is
                x, y = self.wall_point(*rest.pos)
                b = self.screen.design.bounds(self.screen.design.unit(self.screen.selected))
                rest.ud["wallart"] = (b.x - x, b.y - y)
            return True
        if not self._fingers:
            self.screen.drag_done()
        return True


def crop(texture, aspect: float) -> tuple[float, float, float, float]:
    """The centre of `texture` with the print's aspect, as (left, bottom, right, top) in its
    texture coordinates (an upload from Pillow is flipped: its bottom is at v = 1)."""
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
