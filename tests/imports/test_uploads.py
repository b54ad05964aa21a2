"""Uploads put back together chunk by chunk: resumable, checked by hash, kept as sent."""

from __future__ import annotations

import hashlib
import os

import pytest

from kiosk.core import byteranges
from kiosk.core.errors import ImportRefused
from kiosk.imports.uploads import CHUNK, Uploads, upload_name


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_byte_ranges_merge_and_say_what_is_missing():
    have = byteranges.add((), 8, 12)
    have = byteranges.add(have, 0, 4)
    assert byteranges.missing(have, 12) == ((4, 8),)
    have = byteranges.add(have, 3, 9)
    assert have == ((0, 12),) and byteranges.covers(have, 12) and byteranges.total(have) == 12
    assert byteranges.missing((), 5) == ((0, 5),) and byteranges.add(have, 5, 5) == have


def test_an_upload_cut_halfway_resumes_after_a_restart_and_is_kept_byte_identical(tmp_path):
    data = os.urandom(2 * CHUNK + 12345)
    uploads = Uploads(tmp_path / "originals", keep_free=0)
    upload = uploads.start(3, "Shoot/IMG_0001.JPG", len(data), sha(data))
    uploads.write(3, upload.id, 0, data[:CHUNK])
    # The kiosk restarts: a new Uploads finds what had arrived.
    again = Uploads(tmp_path / "originals", keep_free=0)
    resumed = again.start(3, "Shoot/IMG_0001.JPG", len(data), sha(data))
    assert resumed.id == upload.id and resumed.have == ((0, CHUNK),) and not resumed.whole
    for start, end in byteranges.missing(resumed.have, len(data)):
        for at in range(start, end, CHUNK):
            resumed = again.write(3, upload.id, at, data[at : min(at + CHUNK, end)])
    assert resumed.whole
    done, path = again.finish(3, upload.id)
    assert path == tmp_path / "originals" / "session-3" / "Shoot" / "IMG_0001.JPG"
    assert path.read_bytes() == data and done.stored == "Shoot/IMG_0001.JPG"
    assert list((tmp_path / "originals" / "session-3" / ".partial").iterdir()) == []


def test_a_file_that_arrives_different_is_dropped_to_be_sent_again(tmp_path):
    data = os.urandom(1000)
    uploads = Uploads(tmp_path, keep_free=0)
    upload = uploads.start(1, "a.jpg", 1000, sha(data))
    uploads.write(1, upload.id, 0, data[:500] + bytes(500))
    with pytest.raises(ImportRefused, match="checksum does not match"):
        uploads.finish(1, upload.id)
    assert uploads.start(1, "a.jpg", 1000, sha(data)).have == ()
    assert not (tmp_path / "session-1" / "a.jpg").exists()


def test_another_picture_with_the_same_name_is_kept_beside_it(tmp_path):
    uploads = Uploads(tmp_path, keep_free=0)
    for data in (b"first", b"second", b"first"):
        upload = uploads.start(1, "IMG_1.jpg", len(data), sha(data))
        uploads.write(1, upload.id, 0, data)
        uploads.finish(1, upload.id)
    assert sorted(p.name for p in (tmp_path / "session-1").iterdir() if p.is_file()) == [
        "IMG_1 (2).jpg",
        "IMG_1.jpg",
    ]


@pytest.mark.parametrize(
    ("name", "size", "digest", "why"),
    [
        ("../escape.jpg", 10, "a" * 64, "no '..'"),
        ("a/../../b.jpg", 10, "a" * 64, "no '..'"),
        (".hidden.jpg", 10, "a" * 64, "hidden"),
        ("", 10, "a" * 64, "needs its name"),
        ("/", 10, "a" * 64, "not a file's name"),
        ("a\x01.jpg", 10, "a" * 64, "control characters"),
        ("a.jpg", 0, "a" * 64, "empty"),
        ("a.jpg", 401 * 1024 * 1024, "a" * 64, "more than"),
        ("a.jpg", 10, "A" * 64, "SHA-256"),
        ("a.jpg", 10, "a" * 63, "SHA-256"),
    ],
)
def test_names_sizes_and_hashes_are_checked_before_anything_is_written(
    tmp_path, name, size, digest, why
):
    with pytest.raises(ImportRefused, match=why):
        Uploads(tmp_path, keep_free=0).start(1, name, size, digest)


def test_a_session_over_its_bound_and_a_full_disk_refuse_a_new_file(tmp_path):
    uploads = Uploads(tmp_path, max_session=1500, keep_free=0)
    first = uploads.start(1, "a.jpg", 1000, sha(bytes(1000)))
    uploads.write(1, first.id, 0, bytes(1000))
    uploads.finish(1, first.id)
    with pytest.raises(ImportRefused, match="at most 0 GB may be uploaded"):
        uploads.start(1, "b.jpg", 1000, sha(b"b" * 1000))
    with pytest.raises(ImportRefused, match="free"):
        Uploads(tmp_path, keep_free=10**18).start(2, "c.jpg", 10, sha(b"c" * 10))


def test_a_chunk_outside_the_file_is_refused(tmp_path):
    uploads = Uploads(tmp_path, keep_free=0)
    upload = uploads.start(1, "a.jpg", 100, sha(bytes(100)))
    for offset, data in ((90, bytes(11)), (100, b"x"), (0, b""), (0, bytes(CHUNK + 1))):
        with pytest.raises(ImportRefused, match="does not fit"):
            uploads.write(1, upload.id, offset, data)
    with pytest.raises(ImportRefused):
        uploads.write(2, upload.id, 0, b"x")  # another session's upload
    with pytest.raises(ImportRefused):
        uploads.get(1, "../../etc")


def test_a_dropped_folders_path_is_kept_as_its_parts():
    assert upload_name("Shoot/day 1/IMG_1.JPG") == ["Shoot", "day 1", "IMG_1.JPG"]
    assert upload_name("C:\\Users\\ada\\IMG_1.JPG") == ["C:", "Users", "ada", "IMG_1.JPG"]
    assert upload_name("./a//b.jpg") == ["a", "b.jpg"]
