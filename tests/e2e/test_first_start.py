"""The README's first command, end to end: a fresh studio folder, the demo, the slideshow."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from PIL import Image as PILImage

from tests.conftest import ROOT

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_first_start_imports_the_demo_and_shows_its_slideshow(tmp_path):
    data = tmp_path / "studio"
    port = free_port()
    shot = tmp_path / "demo.png"
    env = {**os.environ, "KIVY_HOME": str(tmp_path / "kivy")}
    kiosk = subprocess.Popen(
        [
            sys.executable,
            "main.py",
            "--data",
            str(data),
            "--size",
            "1920x1080",
            "--screenshot",
            str(shot),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not shot.exists() and kiosk.poll() is None and time.monotonic() < deadline:
            time.sleep(0.25)
        assert shot.exists(), "the slideshow never showed its first image"
        # The web server runs in the same loop as the window and answers while it shows.
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).json()
        assert health["images"] == 30
        kiosk.send_signal(signal.SIGTERM)  # a service manager's stop: quit cleanly
        output, _ = kiosk.communicate(timeout=30)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
    assert kiosk.returncode == 0, output[-3000:]
    assert "The Morgan Family, 30 images" in output

    (ROOT / "build" / "screenshots").mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ROOT / "build" / "screenshots" / "first-start.png")
    image = PILImage.open(shot).convert("RGB")
    assert image.size == (1920, 1080)
    # The first demo photo is a landscape filling the width: colour in the middle, and rows of
    # different brightness (a real photo, not a flat fill or a black frame).
    middle = [image.getpixel((x, 540)) for x in range(200, 1720, 40)]
    assert len(set(middle)) > 10
    assert max(sum(p) for p in middle) > 150
    assert (data / "studio.db").exists() and (data / "settings.toml").exists()
    previews = list((data / "cache").rglob("*.jpg"))
    assert len(previews) >= 60, "30 previews and 30 thumbnails"
