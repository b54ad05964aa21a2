"""The field being typed into stays above the on-screen keyboard.

What must stay true: while a field has the keyboard, the whole field (every line of a multi-line
one) is on screen, above the keyboard's top edge and below anything drawn over the form's top.

The kiosk docks Kivy's keyboard at the bottom of the window (`keyboard_mode = systemanddock` in
`kiosk.kiosk.configure_window`). Docked, Kivy scales it to the window's width, so on a 16:9 TV it
covers the bottom half of the screen: 549 px of 1080, 366 px of 720. Two ways out of its way.
A form scrolls the focused field into the part left above the keyboard, and makes room at its
bottom for the last fields to scroll up too:

    KeyboardScroll:
        id: scroll
        BoxLayout:
            orientation: "vertical"
            size_hint_y: None
            height: max(self.minimum_height, scroll.height)
            padding: 0, 0, 0, scroll.keyboard_room

A panel that cannot scroll rises instead: `panel.lift = lift_over_keyboard(note, panel.lift)`.
"""

from __future__ import annotations

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.metrics import dp
from kivy.properties import NumericProperty
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.vkeyboard import VKeyboard
from kivy.uix.widget import Widget

SCROLL_SECONDS = 0.2


def keyboard_top() -> float:
    """Where the docked on-screen keyboard ends, in window pixels from the bottom; 0 if closed."""
    tops = [
        kb.bbox[0][1] + kb.bbox[1][1]
        for kb in Window.children
        if isinstance(kb, VKeyboard) and kb.docked
    ]
    return max(tops, default=0.0)


def window_y(widget: Widget) -> float:
    return widget.to_window(widget.x, widget.y)[1]


def lift_over_keyboard(field: Widget, lifted: float, margin: float = dp(16)) -> float:
    """How far a panel already raised by `lifted` must rise for `field` to sit `margin` above
    the keyboard while the field has it; 0 (back in place) once it has not."""
    top = keyboard_top() if getattr(field, "focus", False) else 0.0
    if not top:
        return 0.0
    return max(0.0, lifted + top + margin - window_y(field))


class GrowingField(TextInput):
    """A multi-line field as tall as its lines, and never less than `least_height`, so every
    line stays in view while typed."""

    least_height = NumericProperty(dp(130))

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("multiline", True)
        super().__init__(**kwargs)
        # A frame later: TextInput re-wraps its lines when its size changes, so a height
        # bound straight to `minimum_height` would recurse.
        self._grow = Clock.create_trigger(self.grow)
        self.fbind("minimum_height", self._grow)
        self.fbind("least_height", self._grow)

    def grow(self, *_args) -> None:
        self.height = max(self.least_height, self.minimum_height)


class KeyboardScroll(ScrollView):
    """A vertical scroll view over a form that brings the focused field above the keyboard.

    The form is the one child: it should be `max(minimum_height, scroll height)` tall, with
    `keyboard_room` as its bottom padding, so that the last field can scroll up too. The
    view scrolls no more than it has to, and keeps `headroom` of the form above the field
    visible (its label) when there is space for it."""

    keyboard_room = NumericProperty(0)
    margin = NumericProperty(dp(16))
    headroom = NumericProperty(dp(16))

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("do_scroll_x", False)
        super().__init__(**kwargs)
        self.field: TextInput | None = None
        self._gliding: Animation | None = None
        self._follow = Clock.create_trigger(self.follow_focus)
        self.fbind("size", self._follow)
        self.fbind("pos", self._follow)

    def on_kv_post(self, _base_widget) -> None:
        for widget in self.walk(restrict=True):
            if isinstance(widget, TextInput):
                widget.fbind("focus", self._focus_changed)
        if self.children:
            self.children[0].fbind("height", self._follow)

    def _focus_changed(self, field: TextInput, focused: bool) -> None:
        if focused:
            self._watch(field)
        elif field is self.field:
            self._watch(None)
        self._follow()

    def _watch(self, field: TextInput | None) -> None:
        # A multi-line field grows while typed, and the cursor may move to a line out of view.
        if self.field is not None:
            self.field.funbind("height", self._follow)
            self.field.funbind("cursor", self._follow)
        self.field = field
        if field is not None:
            field.fbind("height", self._follow)
            field.fbind("cursor", self._follow)

    def follow_focus(self, *_args) -> None:
        """Make room for the keyboard and scroll the focused field above it (runs a frame after
        a change, once Kivy has added the keyboard and laid the form out)."""
        field = self.field
        top = keyboard_top() if field is not None and field.focus else 0.0
        self.keyboard_room = min(max(0.0, top - window_y(self)), self.height)
        if top and self.children:
            self._scroll_to(field)

    def _scroll_to(self, field: TextInput) -> None:
        form = self.children[0]
        hidden = form.height - self.height  # how much of the form is out of view
        if hidden <= 0:
            return
        # Heights within the form, from its bottom: unchanged by scrolling.
        low = window_y(field) - window_y(form)
        high = low + field.height
        seen_from = self.keyboard_room + self.margin  # above the keyboard...
        seen_to = self.height - self.margin  # ...and below the view's top
        if high - low > seen_to - seen_from:  # taller than the room left: follow the cursor
            line_top = low + field.cursor_pos[1] - field.y
            high = line_top + field.padding[1]
            low = line_top - field.line_height - field.padding[3]
        elif high - low + self.headroom <= seen_to - seen_from:
            high += self.headroom
        shown = self.scroll_y * hidden  # the form's height below the view's bottom
        wanted = min(max(shown, high - seen_to), low - seen_from)
        self._glide(min(max(wanted / hidden, 0.0), 1.0))

    def _glide(self, scroll_y: float) -> None:
        gliding = self._gliding
        if gliding is not None and gliding.have_properties_to_animate(self):
            heading = gliding.animated_properties["scroll_y"]
        else:
            heading = self.scroll_y
        if abs(scroll_y - heading) < 1e-3:  # there already, or on the way
            return
        Animation.cancel_all(self, "scroll_y")
        self._gliding = Animation(scroll_y=scroll_y, d=SCROLL_SECONDS, t="out_quad")
        self._gliding.start(self)
