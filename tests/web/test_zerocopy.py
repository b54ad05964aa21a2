# ruff: noqa: F811  (the order fixture is imported from tests/delivery, then asked for by name)
"""Zero-copy file bodies for real: uvicorn with ZeroCopyH11Protocol on 127.0.0.1, spans of a
file sent with sendfile between ordinary body messages, framed by Content-Length or chunked,
and the gallery's ZIP the same bytes with the extension and without it."""

from __future__ import annotations

import asyncio
import io
import os
import threading
import zipfile

import httpx
import pytest

from kiosk.checkout.invoice import get_invoice
from kiosk.delivery.finals import add_finals
from kiosk.delivery.gallery import issue_gallery_link, load_gallery
from kiosk.payments.ledger import record_payment
from kiosk.store import delivery as rows
from kiosk.web.server import bind, make_server
from kiosk.web.zerocopy import ZEROCOPY
from tests.checkout.conftest import wait_for
from tests.delivery.conftest import export, order, pricelist  # noqa: F401
from tests.web.test_gallery import FINALS


def serve(app) -> tuple[str, callable]:
    """`app` served by the kiosk's server in a thread; its URL and how to stop it."""
    loop = asyncio.new_event_loop()
    server = make_server(app)
    sock = bind("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(server.serve(sockets=[sock])), daemon=True
    )
    thread.start()
    while not server.started:
        threading.Event().wait(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return url, stop


@pytest.fixture
def spans_server(tmp_path):
    data = os.urandom(3_000_000)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    seen = []

    async def app(scope, receive, send):
        seen.append(ZEROCOPY in scope.get("extensions", {}))
        framed = scope["path"] in ("/length", "/short")
        headers = [(b"content-length", b"2000010")] if framed else []
        offset = 2_000_000 if scope["path"] == "/short" else 1000  # 1 MB before the file's end
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"head:", "more_body": True})
        with open(path, "rb") as f:
            span = {"file": f, "offset": offset, "count": 2_000_000}
            await send({"type": ZEROCOPY, **span, "more_body": True})
        await send({"type": "http.response.body", "body": b":tail", "more_body": False})

    url, stop = serve(app)
    yield url, data, seen
    stop()


def test_a_file_span_goes_out_between_ordinary_bytes_framed_either_way(spans_server):
    url, data, seen = spans_server
    expected = b"head:" + data[1000:2_001_000] + b":tail"
    with httpx.Client(base_url=url, trust_env=False) as client:
        framed = client.get("/length")
        assert framed.headers["content-length"] == "2000010"
        assert framed.content == expected
        chunked = client.get("/chunked")  # no length: h11 frames each part as a chunk
        assert chunked.headers["transfer-encoding"] == "chunked"
        assert chunked.content == expected
        again = client.get("/length")  # the same connection, kept alive after a span
        assert again.content == expected
        head = client.head("/length")
        assert head.status_code == 200 and head.content == b""
        with pytest.raises(httpx.RemoteProtocolError):  # cut off, never a short "whole" body
            client.get("/short")
    assert seen == [True, True, True, True, True]


def test_the_gallery_zip_sent_with_sendfile_is_the_archive_read_a_chunk_at_a_time(
    server, studio, order, tmp_path
):
    record_payment(studio.store, order.number, order.total, "card")
    add_finals(studio.store, studio.paths.root / "finals", order, export(tmp_path / "x", FINALS))
    token = issue_gallery_link(studio.store, order.number)
    layout = load_gallery(studio.store, get_invoice(studio.store, order.number)).zip
    read = b"".join(bytes(chunk) for chunk in layout.read())  # the path without sendfile
    phone = server.client()
    whole = phone.get(f"/g/{token}/all.zip")
    assert whole.content == read and len(read) == layout.size
    assert zipfile.ZipFile(io.BytesIO(whole.content)).testzip() is None
    middle = phone.get(f"/g/{token}/all.zip", headers={"Range": "bytes=70-100069"})
    assert middle.status_code == 206 and middle.content == read[70:100070]
    wait_for(lambda: len(rows.downloads(studio.store, order.number)) == 2)  # logged once done
    logged = rows.downloads(studio.store, order.number)
    assert [(d.start, d.bytes) for d in logged] == [(0, len(read)), (70, 100000)]
