"""Buttons sized for a finger from the sofa (rounded, filled, darker while pressed), and pills."""

from kivy.properties import ColorProperty
from kivy.uix.button import Button
from kivy.uix.label import Label

from kiosk.ui import theme
from kiosk.ui.loader import load_kv


class BigButton(Button):
    fill = ColorProperty(theme.SURFACE)


class Pill(Label):
    """A rounded label, for counts and states."""

    fill = ColorProperty(theme.SURFACE)


load_kv(__file__)
