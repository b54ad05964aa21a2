"""Discounts from the tablet, through the real server: promo codes and the studio discount.

The server's session prices with the demo studio's list (assets/pricelist.toml: 8.25 % sales
tax, $250 session-fee credit, VIEWING100 = $100 off) on a fixed day.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from websockets.sync.client import connect

from kiosk.core.cart import AddLine, SetStudioDiscount
from kiosk.core.errors import CommandError

COOKIE = "reveal_session"
DAY = date(2026, 11, 25)


@pytest.fixture
def shop(server):
    """The server with a price list and a 20×30 canvas ($695) in the cart, added on the TV."""

    def prepare() -> None:
        server.live.pricelist = server.studio.pricelist
        server.live.today = lambda: DAY
        server.live.do(AddLine("canvas", "20x30", {}, (server.live.images[0].id,)))

    server.call(prepare)
    return server


def cart_of(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()["state"]["cart"]


def stored(server) -> tuple:
    """What a refused request must leave alone: the log and the cart."""
    return server.events(), server.call(lambda: server.live.cart.cart)


def test_a_studio_discount_from_the_paired_tablet_changes_the_total_everyone_sees(shop):
    tablet, other = shop.paired_client(), shop.paired_client()
    before = tablet.get("/api/state").json()["cart"]
    # $695 + tax $57.33375 -> $57.34, less the $250 credit.
    assert before["total"] == {"amount": 50234, "display": "$502.34"}
    assert before["studio_discount"] is None
    with connect(
        shop.ws_url + "/ws",
        origin=shop.url,
        additional_headers={"Cookie": f"{COOKIE}={other.cookies[COOKIE]}"},
        proxy=None,
        open_timeout=5,
    ) as ws:
        json.loads(ws.recv(timeout=5))
        command = {
            "kind": "set_studio_discount",
            "percent": 10,
            "amount": None,
            "reason": "loyal client",
        }
        cart = cart_of(tablet.post("/api/command", json=command))
        # 10 % of $695 = $69.50; $625.50 + tax $51.60375 -> $51.60, less $250: $427.10.
        assert cart["total"] == {"amount": 42710, "display": "$427.10"}
        assert cart["studio_discount"] == {
            "percent": 10,
            "amount": None,
            "reason": "loyal client",
            "label": "Studio discount — loyal client −10%",
        }
        line = next(x for x in cart["lines"] if x["studio"])
        assert line["label"] == "Studio discount — loyal client −10%"
        assert line["display"] == "-$69.50"
        assert json.loads(ws.recv(timeout=5))["cart"]["total"]["amount"] == 42710
    assert shop.call(lambda: shop.live.breakdown()[0].total) == 42710
    logged = shop.call(
        lambda: list(shop.studio.store.db.execute("select actor, command from events"))
    )
    assert logged[-1][0] == "remote" and json.loads(logged[-1][1])["percent"] == 10

    # An amount replaces it; two nulls take it off; undo brings the amount back.
    amount = {"kind": "set_studio_discount", "percent": None, "amount": 5000, "reason": ""}
    assert cart_of(tablet.post("/api/command", json=amount))["total"]["amount"] == 44821
    clear = {"kind": "set_studio_discount", "percent": None, "amount": None}
    assert cart_of(tablet.post("/api/command", json=clear))["total"]["amount"] == 50234
    assert cart_of(tablet.post("/api/command", json={"kind": "undo"}))["total"]["amount"] == 44821


def test_promo_codes_from_the_tablet_are_checked_and_listed(shop):
    tablet = shop.paired_client()
    cart = cart_of(tablet.post("/api/command", json={"kind": "apply_promo", "code": "viewing100"}))
    # $595 + tax $49.0875 -> $49.09, less $250.
    assert cart["total"]["amount"] == 39409
    assert cart["promo_codes"] == [{"code": "VIEWING100", "name": "Ordered at the viewing"}]
    before = stored(shop)
    for code, message in [
        ("VIEWING100", "The code VIEWING100 is already applied to this order."),
        ("free", "The code FREE is not one of the studio's promo codes; check it."),
    ]:
        response = tablet.post("/api/command", json={"kind": "apply_promo", "code": code})
        assert response.status_code == 422
        assert response.json() == {"error": message}
    shop.call(setattr, shop.live, "today", lambda: date(2027, 1, 5))
    response = tablet.post("/api/command", json={"kind": "apply_promo", "code": "holiday15"})
    assert response.json() == {"error": "The code HOLIDAY15 expired on 2026-12-24."}
    assert stored(shop) == before
    cart = cart_of(tablet.post("/api/command", json={"kind": "remove_promo", "code": "VIEWING100"}))
    assert cart["promo_codes"] == [] and cart["total"]["amount"] == 50234


def test_an_unpaired_device_cannot_give_a_discount(shop):
    before = stored(shop)
    stranger = shop.client(Origin=shop.url)
    for command in (
        {"kind": "set_studio_discount", "percent": 50, "reason": "me"},
        {"kind": "apply_promo", "code": "VIEWING100"},
    ):
        assert stranger.post("/api/command", json=command).status_code == 401
    assert stored(shop) == before


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ({"kind": "set_studio_discount", "percent": "10"}, "percent must be a whole number"),
        ({"kind": "set_studio_discount", "percent": 10.5}, "percent must be a whole number"),
        ({"kind": "set_studio_discount", "percent": 0}, "from 1 to 100, not 0"),
        ({"kind": "set_studio_discount", "percent": 10, "amount": 500}, "percent or an amount"),
        ({"kind": "set_studio_discount", "amount": -500}, "1 or more, not -500"),
        ({"kind": "set_studio_discount", "percent": 10, "why": "x"}, "has no 'why'"),
        ({"kind": "set_studio_discount", "percent": None}, "no studio discount to take off"),
        ({"kind": "apply_promo"}, "needs code"),
        ({"kind": "apply_promo", "code": ["VIEWING100"]}, "Type the promo code"),
        ({"kind": "remove_promo", "code": "VIEWING100"}, "is not applied to this order"),
    ],
)
def test_a_malformed_discount_is_422_with_its_reason_and_changes_nothing(shop, command, reason):
    tablet = shop.paired_client()
    before = stored(shop)
    response = tablet.post("/api/command", json=command)
    assert response.status_code == 422
    assert reason in response.json()["error"]
    assert stored(shop) == before


def test_the_touch_screen_cannot_give_a_studio_discount(shop):
    before = stored(shop)

    def from_the_tv() -> str:
        # The TV's path: LiveSession.do with its default actor, as the order screen calls it.
        with pytest.raises(CommandError) as refused:
            shop.live.do(SetStudioDiscount(percent=10, reason="please"))
        return str(refused.value)

    assert shop.call(from_the_tv).startswith("Only the photographer can give a studio discount")
    assert stored(shop) == before
    assert shop.call(shop.live.try_do, SetStudioDiscount(percent=10, reason="please")) != ""
