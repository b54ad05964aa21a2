"""An album spread drawn large on the TV: two pages with a soft shadow under them, the fold's
shading over the photos, and each photo filling its cell. A photo dragged onto another asks to
swap them; a horizontal swipe anywhere else asks for the next or previous spread.

The widget only draws what it is given (`show`) and reports gestures as events
(`on_swap(a, b)`, `on_swipe(step)`); the album screen turns them into commands. Textures come
from the screen's cache, decoded off the UI thread; redrawing is a handful of rectangles.
"""

from __future__ import annotations

from kivy.graphics import Color, Line, Rectangle
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.properties import NumericProperty
from kivy.uix.widget import Widget

from kiosk.core.album import Template
from kiosk.ui import theme

PAPER = (0.975, 0.968, 0.955, 1)
EMPTY_CELL = (0.86, 0.84, 0.81, 1)
SWIPE = dp(90)  # how far a finger travels sideways for the next spread
DRAG = dp(18)  # a photo moved less than this was only touched


class SpreadView(Widget):
    """One spread: `show(template, textures, aspect)`; events `on_swap`, `on_swipe`."""

    spread_aspect = NumericProperty(2.0)

    __events__ = ("on_swap", "on_swipe")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.template: Template | None = None
        self.textures: list[Texture | None] = []
        self.dragging: int | None = None  # the cell a finger holds
        self.target: int | None = None  # the cell it would be dropped on
        self._finger = (0.0, 0.0)
        self.bind(pos=self.redraw, size=self.redraw, spread_aspect=self.redraw)

    def show(self, template: Template | None, textures: list[Texture | None]) -> None:
        textures = list(textures)
        same = len(textures) == len(self.textures) and all(
            a is b for a, b in zip(textures, self.textures, strict=True)
        )
        if same and template == self.template:
            return  # an announcement that changed nothing here redraws nothing on the TV
        self.template, self.textures = template, textures
        self.redraw()

    def set_texture(self, cell: int, texture: Texture | None) -> None:
        if cell < len(self.textures):
            self.textures[cell] = texture
            self.redraw()

    # geometry -------------------------------------------------------------------------------
    def paper(self) -> tuple[float, float, float, float]:
        """The spread's box on screen (x, y, w, h): as large as fits, centred."""
        w = min(self.width, self.height * self.spread_aspect)
        h = w / self.spread_aspect
        return self.center_x - w / 2, self.center_y - h / 2, w, h

    def cell_rect(self, n: int) -> tuple[float, float, float, float]:
        x, y, w, h = self.paper()
        cell = self.template.cells[n]
        return x + cell.x * w, y + (1 - cell.y - cell.h) * h, cell.w * w, cell.h * h

    def cell_at(self, px: float, py: float) -> int | None:
        if self.template is None:
            return None
        for n in range(len(self.template.cells)):
            x, y, w, h = self.cell_rect(n)
            if x <= px <= x + w and y <= py <= y + h:
                return n
        return None

    # drawing --------------------------------------------------------------------------------
    def redraw(self, *_args) -> None:
        self.canvas.clear()
        if self.width < 2:
            return
        x, y, w, h = self.paper()
        with self.canvas:
            for n in range(1, 9):  # a soft shadow: the album lies on the table
                Color(0, 0, 0, 0.07)
                spread = dp(3) * n
                Rectangle(
                    pos=(x - spread, y - spread - dp(10)), size=(w + 2 * spread, h + 2 * spread)
                )
            for n in (3, 2, 1):  # the pages under this one, showing at the edges
                shade = 0.80 + 0.05 * (3 - n)
                Color(shade, shade * 0.99, shade * 0.97, 1)
                edge = dp(2.5) * n
                Rectangle(pos=(x - edge, y - edge * 0.6), size=(w + 2 * edge, h))
            Color(*PAPER)
            Rectangle(pos=(x, y), size=(w, h))
            if self.template is not None:
                for n, _cell in enumerate(self.template.cells):
                    self._draw_cell(n)
            self._draw_fold(x, y, w, h)
            Color(0, 0, 0, 0.25)  # the pages' edges
            Line(rectangle=(x, y, w, h), width=1)
            if self.dragging is not None and self.template is not None:
                self._draw_drag()

    def _draw_cell(self, n: int) -> None:
        cx, cy, cw, ch = self.cell_rect(n)
        texture = self.textures[n] if n < len(self.textures) else None
        faded = 0.35 if n == self.dragging else 1.0
        if texture is None:
            Color(*EMPTY_CELL[:3], faded)
            Rectangle(pos=(cx, cy), size=(cw, ch))
        else:
            Color(1, 1, 1, faded)
            Rectangle(
                texture=texture, pos=(cx, cy), size=(cw, ch), tex_coords=cover(texture, cw / ch)
            )
        if n == self.target:
            Color(*theme.ACCENT)
            Line(rectangle=(cx - dp(3), cy - dp(3), cw + dp(6), ch + dp(6)), width=dp(4))

    def _draw_fold(self, x: float, y: float, w: float, h: float) -> None:
        """The binding's shadow, darkest at the fold, over the photos as in the printed book."""
        band = w * 0.05
        steps = 12
        for i in range(steps):
            alpha = 0.16 * (1 - i / steps) ** 2
            Color(0, 0, 0, alpha)
            offset = band * i / steps
            width = band / steps
            Rectangle(pos=(x + w / 2 - offset - width, y), size=(width, h))
            Rectangle(pos=(x + w / 2 + offset, y), size=(width, h))
        Color(0, 0, 0, 0.3)
        Line(points=(x + w / 2, y, x + w / 2, y + h), width=1)

    def _draw_drag(self) -> None:
        n = self.dragging
        _cx, _cy, cw, ch = self.cell_rect(n)
        scale = min(1.0, dp(360) / max(cw, ch))
        gw, gh = cw * scale, ch * scale
        fx, fy = self._finger
        texture = self.textures[n] if n < len(self.textures) else None
        Color(0, 0, 0, 0.35)
        Rectangle(pos=(fx - gw / 2 + dp(8), fy - gh / 2 - dp(10)), size=(gw, gh))
        Color(1, 1, 1, 0.92)
        if texture is not None:
            Rectangle(
                texture=texture,
                pos=(fx - gw / 2, fy - gh / 2),
                size=(gw, gh),
                tex_coords=cover(texture, gw / gh),
            )
        Color(*theme.ACCENT)
        Line(rectangle=(fx - gw / 2, fy - gh / 2, gw, gh), width=dp(3))

    # touches --------------------------------------------------------------------------------
    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        touch.grab(self)
        touch.ud["spread_start"] = touch.pos
        touch.ud["spread_cell"] = self.cell_at(*touch.pos)
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        cell = touch.ud.get("spread_cell")
        sx, sy = touch.ud["spread_start"]
        if cell is not None and (self.dragging is not None or _far(touch.pos, (sx, sy), DRAG)):
            self.dragging, self._finger = cell, touch.pos
            over = self.cell_at(*touch.pos)
            self.target = over if over != cell else None
            self.redraw()
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        source, target = self.dragging, self.cell_at(*touch.pos)
        self.dragging = self.target = None
        sx, _sy = touch.ud["spread_start"]
        if source is not None and target is not None and target != source:
            self.redraw()
            self.dispatch("on_swap", source, target)
        elif abs(touch.x - sx) > SWIPE:
            self.redraw()
            self.dispatch("on_swipe", -1 if touch.x > sx else 1)
        else:
            self.redraw()
        return True

    def on_swap(self, a: int, b: int) -> None:
        pass

    def on_swipe(self, step: int) -> None:
        pass


def cover(texture: Texture, aspect: float) -> tuple[float, ...]:
    """Texture coordinates showing the centre of `texture` cropped to `aspect` (width over
    height), whatever way up the texture is stored."""
    ta = texture.width / texture.height
    if ta > aspect:
        fx0, fx1, fy0, fy1 = (1 - aspect / ta) / 2, (1 + aspect / ta) / 2, 0.0, 1.0
    else:
        fx0, fx1, fy0, fy1 = 0.0, 1.0, (1 - ta / aspect) / 2, (1 + ta / aspect) / 2
    u = texture.tex_coords  # bottom-left, bottom-right, top-right, top-left
    bl, br, tl = (u[0], u[1]), (u[2], u[3]), (u[6], u[7])

    def at(fx: float, fy: float) -> tuple[float, float]:
        return (
            bl[0] + fx * (br[0] - bl[0]) + fy * (tl[0] - bl[0]),
            bl[1] + fx * (br[1] - bl[1]) + fy * (tl[1] - bl[1]),
        )

    return (*at(fx0, fy0), *at(fx1, fy0), *at(fx1, fy1), *at(fx0, fy1))


def _far(a: tuple[float, float], b: tuple[float, float], distance: float) -> bool:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 > distance**2


class TemplateDiagram(Widget):
    """A template drawn small, as boxes on two pages: the strip's thumbnails (no photo to
    decode, so the strip appears at once)."""

    def __init__(self, template: Template, spread_aspect: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.template, self.spread_aspect = template, spread_aspect
        self.bind(pos=self.redraw, size=self.redraw)

    def redraw(self, *_args) -> None:
        self.canvas.clear()
        w = min(self.width, self.height * self.spread_aspect)
        h = w / self.spread_aspect
        x, y = self.center_x - w / 2, self.center_y - h / 2
        with self.canvas:
            Color(*PAPER)
            Rectangle(pos=(x, y), size=(w, h))
            Color(0.55, 0.52, 0.48, 1)
            for cell in self.template.cells:
                Rectangle(
                    pos=(x + cell.x * w, y + (1 - cell.y - cell.h) * h),
                    size=(cell.w * w, cell.h * h),
                )
            Color(0, 0, 0, 0.35)
            Line(points=(x + w / 2, y, x + w / 2, y + h), width=1)
