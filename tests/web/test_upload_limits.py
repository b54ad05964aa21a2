"""Wall-photo uploads against a stranger's worst: many at once, huge or odd pictures, formats
libvips should not parse. A real server on 127.0.0.1; the phone is httpx or a raw socket."""

from __future__ import annotations

import io
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import pyvips
from PIL import Image

from kiosk.store.walls import list_wall_photos
from kiosk.web.uploads import UploadGate
from kiosk.web.walls import WallLimits
from tests.web import test_phone as phone_pages
from tests.web.test_phone import jpeg, nothing_stored, send

# The phone pages' fixtures: a demo session with a wall link, the app the server made.
apps = phone_pages.apps
phone = phone_pages.phone

BOUNDARY = "reveal-limit-test"


def stored_photos(phone):
    return phone.server.call(list_wall_photos, phone.server.studio.store, phone.session_id)


def files_on_disk(phone) -> list:
    return [p for p in phone.walls.rglob("*.jpg")] if phone.walls.exists() else []


def png(size: tuple[int, int], colour=(90, 120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def test_forty_parallel_uploads_store_no_more_than_the_sessions_limit(phone):
    phone.api.state.wall_limits = WallLimits(max_photos=3)
    phone.api.state.uploads = UploadGate(at_once=40)  # only the slot count stands in the way
    photos = [jpeg((1100, 700), (i * 6, 255 - i * 6, 128)) for i in range(40)]
    with ThreadPoolExecutor(40) as pool:
        statuses = list(pool.map(lambda data: send(phone, data).status_code, photos))
    assert statuses.count(200) == 3, statuses
    assert set(statuses) == {200, 409}
    assert len(stored_photos(phone)) == 3
    assert len(files_on_disk(phone)) == 3


def _start_upload(phone, length: int) -> socket.socket:
    """A phone that has sent its headers and the start of a photo, and is still sending."""
    parts = urlsplit(phone.server.url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    head = (
        f"POST /wall/{phone.wall_token} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Origin: {phone.server.url}\r\nContent-Length: {length}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="w.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    )
    sock.sendall(head.encode() + b"\0" * 1000)
    return sock


def test_beyond_a_few_uploads_at_once_the_kiosk_answers_429_with_retry_after(phone):
    phone.api.state.uploads = UploadGate(at_once=3, retry_after=7)
    slow = [_start_upload(phone, 5_000_000) for _ in range(3)]
    try:
        deadline = time.monotonic() + 5
        while phone.api.state.uploads.running < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        busy = send(phone, jpeg((1100, 700)))
        assert busy.status_code == 429
        assert busy.headers["Retry-After"] == "7"
        assert "receiving other photos" in busy.text
    finally:
        for sock in slow:
            sock.close()
    # The phones that gave up hand their slots back: the next photo gets through.
    deadline = time.monotonic() + 5
    while phone.api.state.uploads.running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert send(phone, jpeg((1100, 700))).status_code == 200
    assert len(stored_photos(phone)) == 1


def test_every_stored_photo_fits_the_display_on_both_edges(phone):
    edge = phone.server.studio.settings.preview_edge
    response = send(phone, jpeg((edge + 2000, 1000)))
    assert response.status_code == 200, response.text
    [photo] = stored_photos(phone)
    assert photo.width == edge and photo.height <= edge
    with Image.open(photo.path) as stored:
        assert stored.size == (photo.width, photo.height)
        assert max(stored.size) <= edge


def test_a_very_wide_panorama_is_refused_before_decoding_not_stored_at_full_width(phone):
    started = time.monotonic()
    response = send(phone, png((60000, 640)), name="wall.png")
    assert response.status_code == 422
    assert "60000 × 640 pixels" in response.text and "panorama" in response.text
    assert time.monotonic() - started < 5
    assert nothing_stored(phone)


def test_libvips_untrusted_loaders_are_blocked_so_an_svg_is_not_a_photo(phone, tmp_path):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="1200">'
        b'<rect width="2000" height="1200" fill="red"/></svg>'
    )
    response = send(phone, svg, name="wall.jpg")
    assert response.status_code == 422
    assert "This file is not a photo we can read" in response.text
    assert nothing_stored(phone)
    # Process-wide: the kiosk's own libvips refuses it too.
    path = tmp_path / "wall.svg"
    path.write_bytes(svg)
    with pytest.raises(pyvips.Error):
        pyvips.Image.new_from_file(str(path))


def test_reading_a_pngs_header_decodes_none_of_its_pixels(tmp_path, monkeypatch):
    # Pillow's getexif() on a PNG decoded the whole picture looking for EXIF after the pixels:
    # 147 MB for a 7000 x 7000 upload, in the kiosk's header check.
    from PIL import PngImagePlugin

    from kiosk.imaging.previews import probe

    path = tmp_path / "wall.png"
    path.write_bytes(png((1600, 1000)))

    def no_decoding(self):
        raise AssertionError("the header check decoded the pixels")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_decoding)
    header = probe(path, 250_000_000)
    assert (header.format, header.width, header.height) == ("PNG", 1600, 1000)


def test_a_refused_photo_still_gets_its_page_not_a_connection_reset(phone):
    # Refused before its body is read; the kiosk reads the rest into nothing and answers, as
    # the phone's browser could not show the page over a connection closed under it.
    phone.api.state.uploads = UploadGate(at_once=0, retry_after=3)
    photo = jpeg((1100, 700)) + b"\0" * 20_000_000  # more than any socket buffer holds
    parts = urlsplit(phone.server.url)
    body = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="w.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    head = (
        f"POST /wall/{phone.wall_token} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Origin: {phone.server.url}\r\nContent-Length: {len(body)}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head.encode() + body)  # all of it: a reset would break this
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"</html>" in answer:
                break
    assert answer.startswith(b"HTTP/1.1 429")
    assert b"retry-after: 3" in answer.lower()
    assert b"receiving other photos" in answer
    assert nothing_stored(phone)
