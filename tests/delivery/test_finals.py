"""Finals matched to an order's images: by the original's file stem, by picture for renamed
files, and an ambiguous pair asked about rather than guessed."""

from __future__ import annotations

import zlib

import main
from kiosk.core.finals import FinalFile, Original, match_finals, purchased_images, slug
from kiosk.delivery.finals import add_finals, picture_hash
from kiosk.store import delivery as rows
from tests.delivery.conftest import export, picture, retouched


def test_finals_are_matched_by_stem_then_by_picture_and_copied_whole(studio, order, tmp_path):
    ids = [i.id for i in order.images]
    folder = export(
        tmp_path / "exports",
        {
            "IMG_1001-edit.jpg": 0,
            "img_1002_retouched.jpg": 1,
            "bride by the window.jpg": 2,  # renamed: matched by picture
            "IMG_10010.jpg": 3,  # not IMG_1001 (no separator after the stem): IMG_1004 by picture
            "sunset.jpg": 99,  # none of the order's pictures
        },
    )
    report = add_finals(studio.store, studio.paths.root / "finals", order, folder)
    assert report.matching.matched == {
        ids[0]: "IMG_1001-edit.jpg",
        ids[1]: "img_1002_retouched.jpg",
        ids[2]: "bride by the window.jpg",
        ids[3]: "IMG_10010.jpg",
    }
    assert report.matching.by[ids[2]] == "picture" and report.matching.by[ids[0]] == "name"
    assert report.matching.unmatched == ("sunset.jpg",)
    assert report.wanted == tuple(ids[:3]) and report.missing == ()
    assert report.text.startswith("3 of 3 retouched; 2 files matched by picture")
    stored = {f.image_id: f for f in rows.finals(studio.store, order.number)}
    copy = stored[ids[2]]
    data = (folder / "bride by the window.jpg").read_bytes()
    assert copy.size == len(data) and copy.crc == zlib.crc32(data)
    assert open(copy.path, "rb").read() == data
    assert not list((studio.paths.root / "finals").rglob("*.part"))


def test_a_file_like_two_images_is_asked_about_not_guessed():
    twin = picture_hash_of(7)
    originals = [Original(1, "A.CR3", twin), Original(2, "B.CR3", twin ^ 1)]
    matching = match_finals([FinalFile("renamed.jpg", twin ^ 2)], originals)
    assert matching.matched == {} and matching.ambiguous == (("renamed.jpg", (1, 2)),)
    same_stem = [Original(1, "IMG_1.CR3"), Original(2, "card2/IMG_1.jpg")]
    matching = match_finals([FinalFile("IMG_1-edit.jpg")], same_stem)
    assert matching.ambiguous == (("IMG_1-edit.jpg", (1, 2)),)


def picture_hash_of(seed: int) -> int:
    import io

    buffer = io.BytesIO()
    retouched(seed).save(buffer, "JPEG")
    buffer.seek(0)
    return picture_hash(buffer)


def test_the_perceptual_hash_tells_a_final_from_other_pictures(tmp_path):
    from kiosk.core.finals import SAME_PICTURE, distance

    thumbs = []
    for seed in range(6):
        path = tmp_path / f"{seed}.jpg"
        picture(seed).resize((300, 200)).save(path)
        thumbs.append(picture_hash(path))
    for seed in range(6):
        final = picture_hash_of(seed)
        assert distance(final, thumbs[seed]) <= SAME_PICTURE
        others = [distance(final, t) for n, t in enumerate(thumbs) if n != seed]
        assert min(others) > SAME_PICTURE
    assert picture_hash(tmp_path / "missing.jpg") is None


def test_purchased_images_and_clean_names(order):
    ids = [i.id for i in order.images]
    assert purchased_images(order) == tuple(ids[:3])  # the print's image is not a file
    assert slug("Éleanor  Whitfield & Co.") == "eleanor-whitfield-co"
    assert slug("../..") == "photos"


def test_finals_add_from_the_terminal_lists_what_is_missing(studio, order, tmp_path, capsys):
    folder = export(tmp_path / "exports", {"IMG_1001-edit.jpg": 0, "unknown.jpg": 50})
    data = str(studio.paths.root)
    studio.close()
    assert main.main(["--data", data, "finals", "add", "1", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Added 1 final to order 0001: 1 of 3 retouched" in out
    assert "not one of the order's images: unknown.jpg" in out
    assert "still to retouch: IMG_1002.CR3, IMG_1003.CR3" in out
    assert main.main(["--data", data, "finals", "add", "1", str(tmp_path / "nowhere")]) == 1
    assert "is not a folder" in capsys.readouterr().err
