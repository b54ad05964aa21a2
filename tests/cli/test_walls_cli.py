"""`wall add --session N PHOTO`: a wall photo from a file, checked like the phone's upload."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

import main
from kiosk.store.walls import list_wall_photos
from kiosk.studio import open_studio


def wall_photo(path: Path, size=(1600, 1200), orientation: int = 1) -> Path:
    im = Image.new("RGB", size, (214, 204, 188))
    exif = Image.Exif()
    exif[0x0112] = orientation
    im.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def test_a_wall_photo_from_a_file_joins_the_session_upright(tmp_path, capsys):
    data = tmp_path / "studio"
    studio = open_studio(data)
    session = studio.store.create_session("The Okafors")
    studio.close()
    photo = wall_photo(tmp_path / "IMG_2041.jpg", orientation=6)

    code = main.main(["--data", str(data), "wall", "add", "--session", str(session.id), str(photo)])

    assert code == 0, capsys.readouterr().err
    assert "added to session" in capsys.readouterr().out
    studio = open_studio(data)
    try:
        [stored] = list_wall_photos(studio.store, session.id)
        assert (stored.width, stored.height) == (1200, 1600)  # turned upright
        assert Path(stored.path).parent == data / "walls" / str(session.id)
        with Image.open(stored.path) as im:
            assert im.size == (1200, 1600) and not im.getexif()
    finally:
        studio.close()
    assert main.main(["--data", str(data), "wall", "list", "--session", str(session.id)]) == 0
    assert "1200×1600  not calibrated" in capsys.readouterr().out


def test_a_file_that_is_not_a_photo_or_too_small_is_refused_and_nothing_added(tmp_path, capsys):
    data = tmp_path / "studio"
    studio = open_studio(data)
    session = studio.store.create_session("The Okafors")
    studio.close()
    text = tmp_path / "wall.jpg"
    text.write_text("not a photo\n" * 200)
    small = wall_photo(tmp_path / "small.jpg", size=(800, 600))
    args = ["--data", str(data), "wall", "add", "--session", str(session.id)]

    assert main.main([*args, str(text)]) == 2
    assert "not a photo we can read" in capsys.readouterr().err
    assert main.main([*args, str(small)]) == 2
    assert "only 800×600 pixels" in capsys.readouterr().err
    assert main.main([*args[:-1], "99", str(small)]) == 1  # no such session
    studio = open_studio(data)
    try:
        assert list_wall_photos(studio.store, session.id) == []
        assert not (data / "walls").exists() or not any((data / "walls").rglob("*.jpg"))
    finally:
        studio.close()
