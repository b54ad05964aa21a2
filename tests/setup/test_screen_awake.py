"""While the kiosk's window is open the screen does not blank: SDL's screen saver is off."""

from __future__ import annotations

import subprocess
import sys

from kiosk.config import PROJECT_ROOT

CHILD = """
import ctypes, glob, os, tempfile
os.environ.update(KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIVY_HOME=tempfile.mkdtemp())
from kiosk.kiosk import configure_window
configure_window(windowed=True, size=(640, 480))
from kivy.core.window import Window
import kivy
lib = glob.glob(os.path.join(os.path.dirname(os.path.dirname(kivy.__file__)), "Kivy.libs",
                             "libSDL2-2*"))[0]
print(Window.allow_screensaver, ctypes.CDLL(lib).SDL_IsScreenSaverEnabled())
"""


def test_the_kiosk_window_keeps_the_screen_awake():
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60
    )
    assert done.stdout.split() == ["False", "0"], done.stderr[-2000:]
