"""A print's crop as a cart command: checked in words, applied to its line, undone, logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.core.cart import AddLine, CartState, SetCrop, apply, command_from_json, undo, validate
from kiosk.core.crop import Crop, clamp, default_crop
from kiosk.core.errors import CartError, CommandError
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine, cart_from_dict

ROOT = Path(__file__).resolve().parents[2]
SIZES = {101: (6000, 4000), 102: (4000, 6000)}


@pytest.fixture(scope="module")
def simple():
    return load(ROOT / "tests" / "data" / "pricelists" / "simple.toml")


def canvas_cart(simple) -> CartState:
    state = apply(CartState(), AddLine("canvas", "16x20", {}, (101,)))
    return apply(state, AddLine("digital", simple.product("digital").variants[0].id, {}, (101,)))


def test_a_crop_is_set_on_its_line_and_undone(simple) -> None:
    state = canvas_cart(simple)
    chosen = clamp(Crop(0.5, 0.0, 0.3, 1.0), 6000, 4000, 16, 20)  # turned upright, right side
    command = SetCrop("L1", *chosen.as_tuple())
    validate(state, command, simple, image_sizes=SIZES)
    after = apply(state, command)
    assert after.line("L1").crop == chosen.as_tuple()
    assert after.line("L2").crop is None
    assert undo(after).line("L1").crop is None


def test_a_crop_round_trips_through_the_log_and_the_frozen_invoice_cart(simple) -> None:
    chosen = default_crop(6000, 4000, 16, 20, landscape=False)
    command = SetCrop("L1", *chosen.as_tuple())
    assert command_from_json(json.loads(json.dumps(command.to_json()))) == command
    cart = apply(canvas_cart(simple), command).cart
    again = cart_from_dict(json.loads(json.dumps(cart.to_dict())))
    assert again == cart and again.lines[0].crop == chosen.as_tuple()
    assert "crop" not in cart.to_dict()["lines"][1]  # an uncropped line's JSON is as before


def test_a_crop_outside_the_photo_or_of_another_shape_is_refused_in_words(simple) -> None:
    state = canvas_cart(simple)
    with pytest.raises(CommandError, match="outside the photo"):
        validate(state, SetCrop("L1", 0.5, 0.0, 0.8333, 1.0), simple, image_sizes=SIZES)
    with pytest.raises(CommandError, match="not the print's shape"):
        validate(state, SetCrop("L1", 0.0, 0.0, 1.0, 1.0), simple, image_sizes=SIZES)
    with pytest.raises(CommandError, match="no longer in the order"):
        validate(state, SetCrop("L9", 0.0, 0.0, 0.5, 0.5), simple, image_sizes=SIZES)
    with pytest.raises(CommandError, match="no print size"):
        validate(state, SetCrop("L2", 0.0, 0.0, 0.5, 0.5), simple, image_sizes=SIZES)
    with pytest.raises(CommandError, match="not in the session"):
        validate(state, SetCrop("L1", 0.0, 0.0, 0.5, 0.5), simple, image_sizes={})
    with pytest.raises(CommandError, match="four numbers"):
        validate(state, SetCrop("L1", 0.0, 0.0, True, 0.5), simple, image_sizes=SIZES)


def test_a_malformed_crop_in_json_is_refused() -> None:
    with pytest.raises(CommandError, match="needs h"):
        command_from_json({"kind": "set_crop", "line": "L1", "x": 0, "y": 0, "w": 1})
    with pytest.raises(CartError, match='"crop" must be'):
        cart_from_dict({"lines": [{"product": "canvas", "variant": "16x20", "crop": [0, 1]}]})


def test_a_cropped_line_is_not_equal_to_the_same_line_uncropped() -> None:
    plain = CartLine("canvas", "16x20", images=(101,))
    cropped = CartLine("canvas", "16x20", images=(101,), crop=(0, 0, 0.5, 1))
    assert plain != cropped and cropped.crop == (0.0, 0.0, 0.5, 1.0)
    assert Cart(lines=(cropped,)).to_dict()["lines"][0]["crop"] == [0.0, 0.0, 0.5, 1.0]
