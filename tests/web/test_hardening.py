"""What a stranger on the studio network (or a page on another site) can send, answered before
it costs anything: long bodies, other sites' host names, odd path parameters. Real server on
127.0.0.1; raw sockets where a client library would tidy the request up."""

from __future__ import annotations

import io
import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.web import test_phone as phone_pages

apps = phone_pages.apps
phone = phone_pages.phone

FIFTY_MB = 50 * 1024 * 1024


def raw_request(server, head: str, body: bytes = b"", *, wait: float = 5) -> tuple[int, dict, str]:
    """Send `head` (request line and headers, without the blank line) and `body`; read the
    answer without sending anything more."""
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as sock:
        sock.sendall(head.encode() + b"\r\n\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data) < _expected(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    header, _, rest = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, rest.decode("utf-8", "replace")


def _expected(data: bytes) -> int:
    header, _, _ = data.partition(b"\r\n\r\n")
    for line in header.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(header) + 4 + int(line.split(b":")[1])
    return len(data)


# bodies ---------------------------------------------------------------------------------------
BODY_ROUTES = ["/api/command", "/api/orders/1/status", "/api/orders/1/export", "/pair", "/unpair"]


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_declared_50_mb_body_is_refused_413_before_any_of_it_is_read(server, path):
    tablet = server.paired_client()
    cookie = "; ".join(f"{k}={v}" for k, v in tablet.cookies.items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {urlsplit(server.url).netloc}\r\n"
        f"Origin: {server.url}\r\nCookie: {cookie}\r\n"
        f"X-CSRF-Token: {tablet.headers['X-CSRF-Token']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {FIFTY_MB}"
    )
    started = time.monotonic()
    status, _, text = raw_request(server, head, b'{"kind": ')  # 9 of the 50 MB, then silence
    assert status == 413, text
    assert "nothing was done" in text
    assert time.monotonic() - started < 3  # answered without waiting for the rest


def test_a_chunked_body_is_cut_off_as_soon_as_it_passes_the_cap(server):
    tablet = server.paired_client()

    def body():
        yield b'{"kind": "note", "image": 1, "text": "'
        for _ in range(64):  # 4 MB, far over a command's 16 KB
            yield b"x" * 65536
        yield b'"}'

    response = tablet.post(
        "/api/command", content=body(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "16384 bytes" in response.json()["error"]


def test_a_content_length_that_is_not_a_number_is_refused(server):
    head = (
        f"POST /pair HTTP/1.1\r\nHost: {urlsplit(server.url).netloc}\r\n"
        "Content-Length: 12abc\r\nContent-Type: application/x-www-form-urlencoded"
    )
    status, _, _ = raw_request(server, head, b"code=123456")
    assert status in (400, 413)


# host names -----------------------------------------------------------------------------------
def test_a_page_reached_by_another_sites_name_is_refused_dns_rebinding(server, phone):
    port = urlsplit(server.url).port
    for path in ("/pair", "/remote", "/api/state", f"/i/{phone.token}", "/health"):
        status, headers, text = raw_request(server, f"GET {path} HTTP/1.1\r\nHost: evil.example")
        assert status == 421, path
        assert "answers only to its own address" in text
        assert headers["x-frame-options"] == "DENY"
        status, _, _ = raw_request(
            server, f"GET {path} HTTP/1.1\r\nHost: rebind.evil.example:{port}"
        )
        assert status == 421, path
    with pytest.raises(InvalidStatus):
        connect(
            f"{server.ws_url}/ws",
            additional_headers={"Host": "evil.example", "Origin": "http://evil.example"},
        )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST.", "[::1]"])
def test_the_kiosks_own_names_are_answered(server, host):
    port = urlsplit(server.url).port
    status, _, _ = raw_request(server, f"GET /health HTTP/1.1\r\nHost: {host}:{port}")
    assert status == 200


def test_public_url_adds_its_name_to_the_allowed_ones():
    from kiosk.web.hosts import HostAllowList

    names = HostAllowList(app=None, public_url="https://Viewing.Studio.example/").names
    assert "viewing.studio.example" in names and "evil.example" not in names


# the invoice PDF ------------------------------------------------------------------------------
def test_the_phone_pdf_is_the_same_whatever_host_name_the_phone_used(phone):
    port = urlsplit(phone.server.url).port
    client = phone.client()
    first = client.get(f"/i/{phone.token}/invoice.pdf")
    second = client.get(f"/i/{phone.token}/invoice.pdf", headers={"Host": f"localhost:{port}"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(phone.api.state.invoice_pdfs.pdfs) == 1  # one render, one entry
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first.content)).pages)
    assert "localhost" not in text


# pairing --------------------------------------------------------------------------------------
def test_the_qr_link_pairs_while_guesses_from_many_addresses_have_paused_typed_codes(server):
    from kiosk.core.errors import PairingError

    def guess_from_many() -> None:
        for i in range(30):
            try:
                server.pairing.pair("000000", client=f"10.9.0.{i}")
            except PairingError:
                pass

    server.call(guess_from_many)
    assert server.call(lambda: server.pairing.typing_paused)
    typed = server.client(Origin=server.url).post("/pair", data={"code": server.code()})
    assert typed.status_code == 400 and "typed codes are paused" in typed.text

    tablet = server.client(Origin=server.url)
    page = tablet.get(server.pair_url().removeprefix(server.url))
    key = parse_qs(urlsplit(server.pair_url()).query)["key"][0]
    assert f'name="key" value="{key}"' in page.text and 'data-auto="1"' in page.text
    # What the page's script sends: the code and the key.
    answer = tablet.post("/pair", data={"code": server.code(), "key": key})
    assert answer.status_code == 303 and answer.headers["location"] == "/remote"
    assert tablet.get("/remote").status_code == 200
