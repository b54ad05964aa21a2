"""The folder browser: the drives and the studio's folders, and no way out of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.config import StudioPaths, load_settings
from kiosk.core.errors import ImportRefused, StudioError
from kiosk.imports.roots import browse, files_inside, import_roots, inside


@pytest.fixture
def card(tmp_path: Path) -> tuple[list, Path, Path]:
    """A "drive" with DCIM/100CANON of three pictures, and a secret folder beside it."""
    media = tmp_path / "media"
    drive = media / "ada" / "CARD"
    shoot = drive / "DCIM" / "100CANON"
    shoot.mkdir(parents=True)
    for n in range(3):
        (shoot / f"IMG_{n}.JPG").write_bytes(b"\xff\xd8\xff")
    (shoot / "notes.txt").write_text("x")
    (drive / ".Trashes").mkdir()
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "private.jpg").write_bytes(b"\xff\xd8\xff")
    roots = import_roots((), bases=[media], is_mount=lambda p: p == str(drive))
    return roots, drive, secret


def test_mounted_drives_and_the_studios_folders_are_the_roots(tmp_path, card):
    roots, drive, _secret = card
    assert [(r.path, r.name, r.kind) for r in roots] == [(str(drive), "CARD", "drive")]
    shoots = tmp_path / "shoots"
    shoots.mkdir()
    both = import_roots(
        [str(shoots), str(tmp_path / "gone"), "relative"],
        bases=[tmp_path / "media"],
        is_mount=lambda p: p == str(drive),
    )
    assert [r.kind for r in both] == ["drive", "folder"] and both[1].path == str(shoots)


def test_browsing_lists_folders_with_their_image_counts(card):
    roots, drive, _ = card
    top = browse(roots, str(drive), "")
    assert top["path"] == "" and top["parent"] is None
    assert [(f["name"], f["path"], f["folders"]) for f in top["folders"]] == [("DCIM", "DCIM", 1)]
    shoot = browse(roots, str(drive), "DCIM/100CANON")
    assert shoot["images"] == 3 and shoot["parent"] == "DCIM" and shoot["folders"] == []
    assert browse(roots, str(drive), "DCIM")["folders"][0]["images"] == 3


@pytest.mark.parametrize(
    "path",
    [
        "..",
        "../..",
        "DCIM/../..",
        "DCIM/../../../secret",
        "/etc",
        "//etc",
        "~",
        "~/secret",
        "DCIM\\..\\..",
        "DCIM\x00",
        "%2e%2e",  # encoded once: arrives decoded as ".." (above); twice: a name that is not there
        "..%2f..",
        "a" * 2000,
        "nowhere",
        "DCIM/100CANON/IMG_0.JPG",  # a file, not a folder
    ],
)
def test_every_way_out_of_the_root_is_refused(card, path):
    roots, drive, _ = card
    with pytest.raises(ImportRefused):
        browse(roots, str(drive), path)
    with pytest.raises(ImportRefused):
        inside(roots, str(drive), path)


def test_a_root_that_was_not_listed_is_refused(card):
    roots, drive, secret = card
    for root in (str(secret), str(drive.parent), str(drive) + "/", "/", ""):
        with pytest.raises(ImportRefused, match="not one Reveal may import from"):
            browse(roots, root, "")


def test_a_symlink_leading_outside_is_neither_listed_nor_followed(card):
    roots, drive, secret = card
    os.symlink(secret, drive / "DCIM" / "escape")
    os.symlink(drive / "DCIM" / "100CANON", drive / "DCIM" / "shortcut")  # stays inside
    listed = [f["name"] for f in browse(roots, str(drive), "DCIM")["folders"]]
    assert listed == ["100CANON", "shortcut"]
    with pytest.raises(ImportRefused, match="leads outside"):
        inside(roots, str(drive), "DCIM/escape")
    assert inside(roots, str(drive), "DCIM/shortcut")[0] == drive / "DCIM" / "100CANON"


def test_a_file_linking_outside_is_set_apart_from_the_import(card):
    _roots, drive, secret = card
    shoot = drive / "DCIM" / "100CANON"
    os.symlink(secret / "private.jpg", shoot / "IMG_9.JPG")
    files = sorted(shoot.iterdir())
    kept, outside = files_inside(files, drive.resolve())
    assert outside == [shoot / "IMG_9.JPG"]
    assert shoot / "IMG_0.JPG" in kept and len(kept) == 4


def test_import_roots_is_a_list_of_folders_in_the_settings(tmp_path):
    paths = StudioPaths(tmp_path).ensure()
    assert load_settings(paths).import_roots == ()
    assert "import_roots = []" in paths.settings.read_text()
    paths.settings.write_text('import_roots = ["/srv/shoots", "/mnt/nas"]\n')
    assert load_settings(paths).import_roots == ("/srv/shoots", "/mnt/nas")
    paths.settings.write_text('import_roots = "/srv/shoots"\n')
    with pytest.raises(StudioError, match="list of folders"):
        load_settings(paths)
