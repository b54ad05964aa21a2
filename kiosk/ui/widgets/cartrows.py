"""Pieces of the order screen's cart lines: the − count + stepper, a line's round buttons and
the album line's "Design the album" row."""

from __future__ import annotations

from collections.abc import Callable

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui import theme
from kiosk.ui.widgets.buttons import BigButton

LINE_BUTTON = dp(64)  # − / + / × in the cart: a finger from the sofa, and five to a line


def line_button(text: str, font_size: float) -> BigButton:
    return BigButton(
        text=text,
        font_size=font_size,
        size_hint=(None, None),
        size=(LINE_BUTTON, LINE_BUTTON),
        pos_hint={"center_y": 0.5},
    )


def stepper(line_id: str, quantity: int, step: Callable[[str, int], None]) -> BoxLayout:
    """− count +, calling `step(line_id, ±1)`. At one, − is dimmed and does nothing: taking a
    line away is the × beside it, so a tap too many on − never removes what the client chose."""
    box = BoxLayout(size_hint=(None, None), size=(2 * LINE_BUTTON + dp(60), LINE_BUTTON), spacing=0)
    box.pos_hint = {"center_y": 0.5}
    less = line_button("−", dp(34))
    less.disabled = quantity <= 1
    less.opacity = 0.3 if less.disabled else 1
    count = Label(
        text=str(quantity),
        font_name=theme.FONT + "Medium",
        font_size=theme.TEXT_SIZE,
        color=theme.TEXT,
    )
    more = line_button("+", dp(34))
    for button, change in ((less, -1), (more, 1)):
        button.quantity_line, button.step = line_id, change
        button.bind(on_release=lambda b: step(b.quantity_line, b.step))
        box.add_widget(button)
        if change < 0:
            box.add_widget(count)
    box.count = count
    return box


def album_row(line_id: str, spreads: int, design: Callable[[str], None]) -> BoxLayout:
    """Under an album's line: "Design the album" (calling `design(line_id)`), and how many
    spreads it has so far."""
    row = BoxLayout(size_hint_y=None, height=dp(64), spacing=dp(14))
    button = BigButton(
        text="Design the album",
        font_size=theme.TEXT_SIZE * 0.85,
        size_hint=(None, None),
        size=(dp(250), dp(58)),
        pos_hint={"center_y": 0.5},
    )
    button.line_id = line_id
    button.bind(on_release=lambda b: design(b.line_id))
    row.add_widget(button)
    words = f"{spreads} spreads designed" if spreads else "Laid out from your favourites"
    row.add_widget(
        Label(
            text=words,
            font_name=theme.FONT,
            font_size=theme.TEXT_SIZE * 0.8,
            color=theme.TEXT_DIM,
            halign="left",
            valign="middle",
            text_size=(dp(360), None),
        )
    )
    return row
