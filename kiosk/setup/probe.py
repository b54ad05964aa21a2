"""What the kiosk's window would get from this machine: the OpenGL renderer and the screen's
size, measured in a child process that opens a hidden Kivy window and closes it.

    display = probe_display()        # Display('NVIDIA GeForce GTX 1650/PCIe/SSE2', (3840, 2160))
    python -m kiosk.setup.probe      # the same, as one line of JSON

A child process, because a Kivy window cannot be closed and opened again in one process, and
a missing display or a broken driver must not take doctor down with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from kiosk.config import PROJECT_ROOT

TIMEOUT = 30.0  # seconds: a first start of a driver can be slow


@dataclass(frozen=True)
class Display:
    renderer: str | None  # None: no window could be opened, `problem` says why
    size: tuple[int, int] | None  # the desktop's pixels
    problem: str = ""


def probe_display() -> Display:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return Display(
            None, None, "no display: run doctor in the TV's desktop session, not over SSH"
        )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk.setup.probe"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=PROJECT_ROOT,
        )
        found = json.loads(done.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return Display(None, None, f"the graphics driver did not answer in {TIMEOUT:.0f} s")
    except (ValueError, IndexError):
        last = (done.stderr.strip().splitlines() or ["it stopped without a word"])[-1]
        return Display(None, None, last[-200:])
    size = tuple(found["size"]) if found.get("size") else None
    return Display(found["renderer"], size)  # type: ignore[arg-type]


def _measure() -> dict:
    """In the child: open a hidden window, read the renderer and the desktop's size."""
    for name in ("KIVY_NO_ARGS", "KIVY_NO_CONSOLELOG", "KIVY_NO_FILELOG"):
        os.environ.setdefault(name, "1")
    os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="reveal-probe-"))
    from kivy.config import Config

    Config.set("graphics", "window_state", "hidden")
    Config.set("graphics", "fullscreen", "0")
    from kivy.core.window import Window  # noqa: F401  (opens the window: a GL context)
    from kivy.graphics.opengl import GL_RENDERER, glGetString

    return {"renderer": glGetString(GL_RENDERER).decode(), "size": _desktop_size()}


def _desktop_size() -> list[int] | None:
    """The desktop's size from SDL2, the library Kivy's window is made with (the window's own
    size is not the screen's)."""
    import ctypes
    import glob

    import kivy

    found = glob.glob(
        os.path.join(os.path.dirname(os.path.dirname(kivy.__file__)), "Kivy.libs", "libSDL2-2*")
    )
    try:
        sdl = ctypes.CDLL(found[0] if found else "libSDL2-2.0.so.0")
    except OSError:
        return None

    class Mode(ctypes.Structure):
        _fields_ = [
            ("format", ctypes.c_uint32),
            ("w", ctypes.c_int),
            ("h", ctypes.c_int),
            ("refresh_rate", ctypes.c_int),
            ("driverdata", ctypes.c_void_p),
        ]

    mode = Mode()
    if sdl.SDL_GetDesktopDisplayMode(0, ctypes.byref(mode)) != 0:
        return None
    return [mode.w, mode.h]


if __name__ == "__main__":
    print(json.dumps(_measure()))
