"""A returning client's new shoot is a new session; `where` finds the studio; `mail` sets the
mail server. Through main.py, on a real studio folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

import main
from kiosk.checkout.settings import smtp_settings
from kiosk.studio import open_studio


def card(folder: Path, count: int = 2, shade: int = 0) -> Path:
    folder.mkdir(parents=True)
    for i in range(count):
        Image.new("RGB", (640, 480), (40 * i, shade, 200)).save(folder / f"IMG_{i:04}.JPG")
    return folder


def sessions_in(data: Path) -> list[tuple[int, str, int]]:
    studio = open_studio(data)
    try:
        return [(s.id, s.client, len(studio.store.images(s.id))) for s in studio.store.sessions()]
    finally:
        studio.close()


def run(data: Path, *argv: str) -> int:
    return main.main(["--data", str(data), *argv])


def test_a_new_shoot_under_the_same_client_name_is_session_2_and_says_so(tmp_path, capsys):
    data = tmp_path / "studio"
    spring, autumn = card(tmp_path / "spring"), card(tmp_path / "autumn", 3, shade=90)
    assert run(data, "import", str(spring), "--client", "The Parkers", "--workers", "1") == 0
    capsys.readouterr()
    assert run(data, "import", str(autumn), "--client", "The Parkers", "--workers", "1") == 0
    said = " ".join(capsys.readouterr().out.split())
    assert sessions_in(data) == [(1, "The Parkers", 2), (2, "The Parkers", 3)]
    assert "(session 2)" in said
    assert "A new session for The Parkers: their earlier session 1 is kept apart" in said
    assert "--session 1" in said


def test_session_n_adds_to_that_session_and_the_same_folder_again_resumes(tmp_path, capsys):
    data = tmp_path / "studio"
    first, more = card(tmp_path / "first"), card(tmp_path / "more", 1, shade=160)
    assert run(data, "import", str(first), "--client", "Ada", "--workers", "1") == 0
    assert run(data, "import", str(more), "--client", "Ada", "--session", "1") == 0
    assert "Added to session 1, as --session asked." in capsys.readouterr().out
    # The first folder again (an interrupted import run twice): the same session, no new one.
    assert run(data, "import", str(first), "--client", "Ada", "--workers", "1") == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Added to session 1: it was imported from this folder before." in out
    assert sessions_in(data) == [(1, "Ada", 3)]


def test_session_of_another_client_is_refused_and_nothing_is_made(tmp_path, capsys):
    data = tmp_path / "studio"
    assert run(data, "import", str(card(tmp_path / "a")), "--client", "Ada", "--workers", "1") == 0
    assert run(data, "import", str(card(tmp_path / "b")), "--client", "Bo", "--session", "1") == 2
    assert "Session 1 is Ada's, not Bo's" in capsys.readouterr().err
    assert sessions_in(data) == [(1, "Ada", 2)]


def test_where_prints_the_studio_folder_and_each_file(tmp_path, capsys):
    data = tmp_path / "studio"
    open_studio(data).close()
    assert run(data, "where") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"Studio folder: {data}"
    for name in ("settings.toml", "pricelist.toml", "studio.db", "cache/", "exports/"):
        assert name in out
    assert "[not there yet]" in out  # exports/ before the first export
    assert "settings.toml    settings" in out and "[not there yet]" not in out.splitlines()[1]


def test_mail_sets_the_server_with_the_password_from_stdin(tmp_path, capsys, monkeypatch):
    data = tmp_path / "studio"
    assert run(data, "mail") == 0
    assert "No mail server is set up" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    argv = ["mail", "--host", "smtp.example.com", "--user", "jo@example.com", "--password-stdin"]
    assert run(data, *argv) == 0
    studio = open_studio(data)
    try:
        saved = smtp_settings(studio.store)
    finally:
        studio.close()
    assert (saved.host, saved.port, saved.username, saved.password) == (
        "smtp.example.com",
        587,
        "jo@example.com",
        "s3cret",
    )
    capsys.readouterr()
    assert run(data, "mail") == 0
    assert "smtp.example.com:587 (starttls) as jo@example.com" in capsys.readouterr().out


@pytest.mark.parametrize("port", ["0", "70000"])
def test_mail_with_a_port_that_is_not_one_is_refused(tmp_path, capsys, port):
    assert run(tmp_path / "s", "mail", "--host", "smtp.example.com", "--port", port) == 2
    assert "is not a port" in capsys.readouterr().err


def test_first_invoice_continues_an_older_series_and_is_refused_once_invoices_exist(
    tmp_path, capsys
):
    from datetime import date

    from kiosk.checkout.invoice import Client, confirm_order
    from kiosk.core.pricing import Cart, CartLine

    data = tmp_path / "studio"
    assert run(data, "first-invoice", "1043") == 0
    assert "number 1043" in capsys.readouterr().out
    assert run(data, "import", str(card(tmp_path / "c")), "--client", "Ada", "--workers", "1") == 0
    studio = open_studio(data)
    try:
        image = studio.store.images(1)[0].id
        cart = Cart(lines=(CartLine("print", "8x10", images=(image,)),))
        client = Client("Ada", "ada@example.com", "", "1 Main St")
        made = confirm_order(
            studio.store, 1, studio.pricelist.current, cart, client, today=date(2026, 5, 1)
        )
    finally:
        studio.close()
    assert made.reference == "1043"
    assert run(data, "first-invoice", "1") == 2
    assert "first number can be set only before the first invoice" in capsys.readouterr().err
