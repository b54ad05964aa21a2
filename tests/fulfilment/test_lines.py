"""An order's products on their way, in a real studio: events appended, the order's status
following a paid order's products, and the client's "on its way" e-mail received by a real
SMTP server."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.checkout import outbox
from kiosk.checkout.invoice import get_invoice, set_status
from kiosk.core.errors import LineMoveRefused
from kiosk.fulfilment.moves import move_lines, states_of
from kiosk.store.fulfilment import line_events
from kiosk.studio import open_studio
from tests.checkout.conftest import STUDIO

PRODUCTS = ["wall", "2", "4", "5"]  # the canvas, the album, the prints, the framed print


def test_moves_are_appended_and_a_correction_is_one_more_event(studio, invoice, tmp_path):
    move_lines(studio.store, invoice.number, ["wall", "2"], "lab")
    move_lines(studio.store, invoice.number, ["wall"], "shipped", note="UPS 1Z999")
    moved = move_lines(studio.store, invoice.number, ["wall"], "lab", note="Wrong parcel")
    assert [(s.line.ref, s.state) for s in moved.states] == [
        ("wall", "lab"),
        ("2", "lab"),
        ("4", "ordered"),
        ("5", "ordered"),
    ]
    with pytest.raises(LineMoveRefused, match="already at the lab"):
        move_lines(studio.store, invoice.number, ["2", "4"], "lab")
    with pytest.raises(LineMoveRefused, match="not a product"):
        move_lines(studio.store, invoice.number, ["3"], "lab")  # the digital files
    studio.close()

    again = open_studio(tmp_path / "studio")
    try:
        rows = [(e.line, e.state, e.note) for e in line_events(again.store, invoice.number)]
        assert rows == [
            ("wall", "lab", ""),
            ("2", "lab", ""),
            ("wall", "shipped", "UPS 1Z999"),
            ("wall", "lab", "Wrong parcel"),
        ]  # the refused moves recorded nothing; the shipped event is still there
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            again.store.db["line_events"].insert(
                {"invoice": 999, "line": "wall", "state": "lab", "time": "t"}
            )
    finally:
        again.close()


def test_a_paid_order_is_shipped_then_delivered_when_every_product_is(studio, invoice):
    set_status(studio.store, invoice.number, "deposit")
    move_lines(studio.store, invoice.number, PRODUCTS, "shipped")
    assert get_invoice(studio.store, invoice.number).status == "deposit"  # the money's own

    set_status(studio.store, invoice.number, "paid")
    move_lines(studio.store, invoice.number, ["wall", "2", "4"], "delivered")
    # Every product had left before the money was in: the next move says so.
    assert get_invoice(studio.store, invoice.number).status == "shipped"
    done = move_lines(studio.store, invoice.number, ["5"], "delivered")
    assert done.invoice.status == "delivered"
    back = move_lines(studio.store, invoice.number, ["5"], "shipped", note="Not received")
    assert back.invoice.status == "shipped"
    assert [s.state for s in states_of(studio.store, back.invoice)] == [
        "delivered",
        "delivered",
        "delivered",
        "shipped",
    ]


def test_products_shipped_together_make_one_email_with_the_tracking_link(
    studio, invoice, smtp_server, tmp_path
):
    from dataclasses import replace

    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (200, 160, 90)).save(logo)
    details = replace(STUDIO, logo=str(logo))
    smtp_server.start()
    move_lines(studio.store, invoice.number, ["wall"], "lab", studio=details)
    note = "UPS 1Z999AA10123456784, https://www.ups.com/track?tracknum=1Z999AA10123456784."
    moved = move_lines(studio.store, invoice.number, ["wall", "4"], "shipped", note=note,
                       studio=details)  # fmt: skip
    assert moved.email is not None and moved.email.kind == "shipped"
    move_lines(studio.store, invoice.number, ["5"], "delivered", studio=details)  # no e-mail
    report = outbox.send_due(studio.store, smtp_server.settings)
    assert (report.sent, report.error) == (1, "")

    (message,) = smtp_server.inbox.messages()
    assert message["Subject"] == "Your 30×40 canvas and 8×10 prints are on their way"
    assert message["To"] == "Eleanor Whitfield <eleanor@example.com>"
    assert message["From"] == "Golden Hour Portraits <hello@goldenhour.example>"
    plain = message.get_body(("plain",)).get_content()
    assert "Dear Eleanor," in plain and note in plain
    assert "2 × Archival print 8×10" in plain and "Gallery canvas 30×40" in plain
    assert "88 Pearl Street, Studio 3" in plain  # the studio's details sign it
    page = message.get_body(("html",)).get_content()
    link = "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert f'<a href="{link}">{link}</a>.' in page
    assert 'src="cid:studio-logo"' in page
    (picture,) = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert picture["Content-ID"] == "<studio-logo>"
    assert picture.get_content() == logo.read_bytes()


def test_an_order_without_an_address_to_send_from_is_moved_and_says_so(studio, invoice):
    from dataclasses import replace

    moved = move_lines(
        studio.store, invoice.number, ["2"], "shipped", studio=replace(STUDIO, email="")
    )
    assert moved.email is None and "no e-mail address" in moved.email_problem
    assert states_of(studio.store, moved.invoice)[1].state == "shipped"
