"""The sample rooms' scenes (layouts/rooms/scenes/) against the rooms the kiosk loads."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kiosk.imaging.rooms import load_rooms

ROOT = Path(__file__).resolve().parents[2]
SCENES = sorted((ROOT / "layouts" / "rooms" / "scenes").glob("*.toml"))


@pytest.fixture(scope="module")
def make_rooms():
    spec = importlib.util.spec_from_file_location("make_rooms", ROOT / "scripts" / "make_rooms.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_rooms"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["make_rooms"]


def test_every_loaded_room_has_a_scene_and_every_scene_a_room() -> None:
    assert [p.stem for p in SCENES] == sorted(room.id for room in load_rooms())


@pytest.mark.parametrize("path", SCENES, ids=lambda p: p.stem)
def test_a_scene_draws_only_kinds_the_script_knows(make_rooms, path: Path) -> None:
    scene = make_rooms.load_scene(path)
    kinds = [entry["kind"] for entry in scene["draw"]]
    assert kinds and set(kinds) <= set(make_rooms.KINDS)


@pytest.mark.parametrize("path", SCENES, ids=lambda p: p.stem)
def test_the_committed_calibration_is_the_scene_cameras(make_rooms, path: Path) -> None:
    """Editing a scene's camera or art wall without drawing the room again fails here."""
    scene = make_rooms.load_scene(path)
    written = (path.parent.parent / f"{path.stem}.toml").read_text(encoding="utf-8")
    expected = make_rooms.calibration(path.stem, scene, [])
    assert written.split("\n[[furniture]]")[0].rstrip("\n") == expected.rstrip("\n")
