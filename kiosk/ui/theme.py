"""The one place for Reveal's look: colours, fonts, sizes and timings."""

from __future__ import annotations

from kivy.core.text import LabelBase
from kivy.metrics import dp, sp

from kiosk.config import ASSETS

FONT = "Inter"

# Colours as RGBA tuples for Kivy; a near-black, slightly warm background flatters skin tones.
BACKGROUND = (0.055, 0.052, 0.05, 1)
SURFACE = (0.12, 0.115, 0.11, 0.92)
TEXT = (0.96, 0.95, 0.93, 1)
TEXT_DIM = (0.96, 0.95, 0.93, 0.62)
ACCENT = (0.85, 0.70, 0.45, 1)  # warm gold
DANGER = (0.86, 0.36, 0.32, 1)
KEEP = (0.33, 0.74, 0.47, 1)

# Read from 3 m away on a 55" TV: body text ~28 px at 1080p.
TEXT_SIZE = sp(22)
TITLE_SIZE = sp(34)
TOUCH_TARGET = dp(72)  # larger than the 48 dp minimum: clients tap from the sofa's edge

OVERLAY_SECONDS = 3.5  # the client's name and position fade out after this
FADE_SECONDS = 0.6


def register_fonts() -> None:
    fonts = ASSETS / "fonts"
    LabelBase.register(
        FONT,
        fn_regular=str(fonts / "Inter-Regular.otf"),
        fn_bold=str(fonts / "Inter-SemiBold.otf"),
    )
    LabelBase.register(f"{FONT}Light", fn_regular=str(fonts / "Inter-Light.otf"))
    LabelBase.register(f"{FONT}Medium", fn_regular=str(fonts / "Inter-Medium.otf"))


_SHADE = None


def shade_texture():
    """A vertical black gradient (opaque at the bottom) for captions laid over photos."""
    global _SHADE
    if _SHADE is None:
        from kivy.graphics.texture import Texture

        steps = 64
        alpha = bytes(int(170 * (1 - i / (steps - 1)) ** 1.6) for i in range(steps))
        _SHADE = Texture.create(size=(1, steps), colorfmt="luminance_alpha")
        _SHADE.blit_buffer(
            b"".join(bytes((0, a)) for a in alpha), colorfmt="luminance_alpha", bufferfmt="ubyte"
        )
    return _SHADE
