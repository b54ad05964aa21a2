from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from kiosk.checkout.invoice import (
    Client,
    confirm_order,
    get_invoice,
    invoice_for_phone_token,
    issue_phone_token,
    list_invoices,
    revoke_phone_links,
    set_status,
    validate_client,
)
from kiosk.core.errors import CartError, CheckoutError, ClientDetailsError
from kiosk.core.pricelist import parse
from kiosk.core.pricing import Cart, CartLine, price
from kiosk.store import checkout as tables
from kiosk.store.db import Store
from tests.checkout.conftest import CLIENT, TODAY, run_python, sample_cart, wait_for


def test_confirm_order_freezes_the_breakdown_lines_and_retouch_notes(
    studio, session_images, pricelist
):
    session_id, ids = session_images
    cart = sample_cart(ids)
    invoice = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=TODAY)

    assert (invoice.number, invoice.reference, invoice.status) == (1, "0001", "confirmed")
    assert invoice.breakdown == price(pricelist, cart, today=TODAY).to_dict()
    assert invoice.total == invoice.breakdown["total"]["amount"]
    assert invoice.due_now == invoice.breakdown["instalments"]["deposit"]["amount"]
    wall = invoice.lines[0]
    assert (wall.ref, wall.product_name, wall.size, wall.options_text) == (
        "wall",
        "Gallery canvas",
        "30×40",
        "Wrap depth: 1.5″ gallery wrap",
    )
    assert wall.note == "included in Heirloom"
    # The chosen images: every image on a line, in session order, with the latest note.
    assert [i.id for i in invoice.images] == ids[:16]
    noted = {i.id: (i.tags, i.note) for i in invoice.images if i.has_retouch}
    assert noted == {
        ids[1]: (("Skin smoothing", "Remove stray hair"), "Soften the chin shadow; keep freckles"),
        ids[4]: (("Black & white",), ""),
    }
    # Stored, not just returned: a fresh Store reads the same invoice.
    other = Store(studio.store.path)
    try:
        assert get_invoice(other, 1) == invoice
    finally:
        other.close()


def test_a_price_list_change_does_not_alter_a_past_invoice(studio, session_images, pricelist):
    session_id, ids = session_images
    cart = Cart(lines=(CartLine("canvas", "30x40", images=(ids[0],)),))
    before = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=TODAY)
    source = Path(pricelist.file).read_text(encoding="utf-8")
    dearer = parse(
        source.replace(
            '{ size = "30x40", price = "1195.00" }', '{ size = "30x40", price = "1495.00" }'
        )
    )
    after = confirm_order(studio.store, session_id, dearer, cart, CLIENT, today=TODAY)
    studio.store.append_events(session_id, [{"kind": "note", "image": ids[0], "text": "later"}])

    assert after.lines[0].unit_price == 149500
    again = get_invoice(studio.store, before.number)
    assert again == before
    assert again.lines[0].unit_price == 119500 and again.images[0].note == ""


def test_client_details_are_checked_with_a_message_per_field():
    with pytest.raises(ClientDetailsError) as caught:
        validate_client(Client(" ", "ada@@example", "call me"), need_address=True)
    problems = caught.value.problems
    assert set(problems) == {"name", "email", "phone", "address"}
    assert problems["name"] == "Please enter the client's name."
    assert "exactly one @" in problems["email"]
    assert "delivery address" in problems["address"]

    tidy = validate_client(Client("  Ada   Lovelace ", " Ada@Example.COM ", "+44 20 7946 0958"))
    assert tidy == Client("Ada Lovelace", "Ada@example.com", "+44 20 7946 0958", "")
    for bad in (
        "ada.example.com",
        "ada@example",
        "ada@exa mple.com",
        "a..b@example.com",
        "ada@-example.com",
        "ada@example.c0m",
        "ada@example.com\nBcc: x@y.z",
    ):
        with pytest.raises(ClientDetailsError):
            validate_client(Client("Ada", bad))


def test_nothing_is_written_when_the_order_is_refused(studio, session_images, pricelist):
    session_id, ids = session_images
    delivered = sample_cart(ids)  # "install": delivered, so the address is required
    with pytest.raises(ClientDetailsError) as caught:
        confirm_order(
            studio.store,
            session_id,
            pricelist,
            delivered,
            Client("Ada", "ada@example.com"),
            today=TODAY,
        )
    assert set(caught.value.problems) == {"address"}
    with pytest.raises(CartError, match="not in this session"):
        bad = Cart(lines=(CartLine("print", "8x10", images=(99999,)),))
        confirm_order(studio.store, session_id, pricelist, bad, CLIENT, today=TODAY)
    with pytest.raises(CartError, match="empty"):
        confirm_order(studio.store, session_id, pricelist, Cart(), CLIENT, today=TODAY)
    assert tables.invoice_numbers(studio.store) == []
    pickup = Cart(lines=(CartLine("print", "8x10", images=(ids[0],)),))
    invoice = confirm_order(
        studio.store, session_id, pricelist, pickup, Client("Ada", "ada@example.com"), today=TODAY
    )
    assert invoice.number == 1


def test_invoice_numbers_are_sequential_under_concurrent_confirmations(
    studio, session_images, pricelist
):
    session_id, ids = session_images
    cart = sample_cart(ids)
    numbers: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def confirm_five() -> None:
        store = Store(studio.store.path)  # one Store per thread, same file
        try:
            start.wait()
            for _ in range(5):
                numbers.append(
                    confirm_order(store, session_id, pricelist, cart, CLIENT, today=TODAY).number
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=confirm_five) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 21))
    assert tables.invoice_numbers(studio.store) == list(range(1, 21))


CRASH_MID_CONFIRMATION = """
import time
from pathlib import Path
from kiosk.store import checkout as tables
from kiosk.store.db import Store
from kiosk.core.pricelist import load
from kiosk.checkout.invoice import confirm_order
from tests.checkout.conftest import CLIENT, TODAY, sample_cart

def stall(*args, **kwargs):  # inside the invoice's transaction, after its row is written
    Path({marker!r}).write_text("in the transaction")
    time.sleep(60)

tables.add_phone_token = stall
store = Store(Path({db!r}))
confirm_order(store, {session}, load({pricelist!r}), sample_cart({ids!r}), CLIENT, today=TODAY)
"""


def test_a_crash_mid_confirmation_leaves_no_gap(studio, session_images, pricelist, tmp_path):
    session_id, ids = session_images
    cart = sample_cart(ids)
    confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=TODAY)
    marker = tmp_path / "marker"
    child = run_python(
        CRASH_MID_CONFIRMATION.format(
            marker=str(marker),
            db=str(studio.store.path),
            session=session_id,
            pricelist=pricelist.file,
            ids=ids,
        )
    )
    try:
        wait_for(marker.exists, timeout=20)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL

    assert tables.invoice_numbers(studio.store) == [1]  # invoice 2 was never committed
    second = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=TODAY)
    assert second.number == 2
    assert tables.invoice_numbers(studio.store) == [1, 2]


def test_the_first_number_can_continue_a_studio_s_old_series(studio, session_images, pricelist):
    session_id, ids = session_images
    studio.store.set_setting(tables.FIRST_NUMBER_KEY, "1043")
    cart = sample_cart(ids)
    first = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=TODAY)
    second = confirm_order(studio.store, session_id, pricelist, cart, CLIENT, today=TODAY)
    assert (first.reference, second.reference) == ("1043", "1044")


def test_phone_token_is_unguessable_stored_hashed_and_expires(studio, invoice):
    token = invoice.phone_token
    assert token and len(token) >= 43
    now = invoice_now = 1_800_000_000.0
    assert invoice_for_phone_token(studio.store, token).number == invoice.number
    assert invoice_for_phone_token(studio.store, token + "x") is None
    assert invoice_for_phone_token(studio.store, "") is None
    # Only the hash is in the database file.
    studio.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert token.encode() not in Path(studio.store.path).read_bytes()
    assert get_invoice(studio.store, invoice.number).phone_token is None

    again = issue_phone_token(studio.store, invoice.number, now=invoice_now, days=30)
    assert again != token
    assert invoice_for_phone_token(studio.store, again, now=now + 29 * 86400) is not None
    assert invoice_for_phone_token(studio.store, again, now=now + 31 * 86400) is None
    assert revoke_phone_links(studio.store, invoice.number) == 2
    assert invoice_for_phone_token(studio.store, token) is None


def test_status_moves_and_is_logged(studio, invoice):
    assert set_status(studio.store, invoice.number, "paid").status == "paid"
    assert set_status(studio.store, invoice.number, "delivered").status == "delivered"
    history = [s for s, _ in tables.status_history(studio.store, invoice.number)]
    assert history == ["confirmed", "paid", "delivered"]
    assert [i.number for i in list_invoices(studio.store, status="delivered")] == [1]
    with pytest.raises(
        CheckoutError, match="one of: confirmed, emailed, deposit, paid, shipped, delivered"
    ):
        set_status(studio.store, invoice.number, "lost")
