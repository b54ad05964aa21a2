"""Wall designs: pieces and groupings on a wall, as the screen changes them, the cart commands
they make, and how they are kept with the session (real SQLite)."""

from __future__ import annotations

import pytest

from kiosk.core.errors import CommandError
from kiosk.core.wall import Placement, arrange, sold_sizes
from kiosk.core.walldesign import Piece, WallDesign, free_spot
from kiosk.store.db import Store
from kiosk.store.designs import load_design, save_design


def single(image, x, y, w=20.0, h=30.0, product="canvas", variant="20x30") -> Piece:
    return Piece(image, product, variant, Placement(x, y, w, h))


def triptych(price_list, images=(None, None, None)) -> list[Piece]:
    from kiosk.imaging.rooms import load_groupings

    grouping = next(g for g in load_groupings() if g.id == "triptych")
    laid = arrange(grouping, sold_sizes(price_list.product("framed")), centre=(60, 50))
    return [
        Piece(img, "framed", s.variant, p, "triptych#1", "triptych", 1.0, slot)
        for slot, (img, p, s) in enumerate(zip(images, laid.pieces, laid.sizes, strict=True))
    ]


def test_a_new_piece_goes_beside_the_others_without_overlapping(flat_wall):
    taken = [Placement(60, 40, 20, 30)]
    for _ in range(4):  # the row across the 120 in wall: five pieces with 4 in between
        p = free_spot(flat_wall, taken, 20, 30)
        assert flat_wall.contains(p)
        assert not any(p.overlaps(t) for t in taken)
        taken.append(p)
    # The first one lands right beside the first piece, at its height, the gap apart.
    assert taken[1].y == 40 and taken[1].left == pytest.approx(taken[0].right + 4)
    # A full wall still takes one more, on the wall (the screen shows the overlap).
    assert flat_wall.contains(free_spot(flat_wall, taken, 20, 30))


def test_a_grouping_moves_as_one_and_stays_on_the_wall(flat_wall, price_list):
    design = WallDesign("flat", (single(1, 20, 40), *triptych(price_list, (2, 3, 4))))
    assert design.unit(2) == (1, 2, 3) and design.unit(0) == (0,)
    before = [p.placement for p in design.pieces]
    moved, _ = design.moved(flat_wall, 2, 70, 45, snapping=False)
    b = moved.bounds((1, 2, 3))
    assert (b.x, b.y) == pytest.approx((70, 45))
    deltas = {
        (round(a.placement.x - p.x, 6), round(a.placement.y - p.y, 6))
        for a, p in zip(moved.pieces[1:], before[1:], strict=True)
    }
    assert len(deltas) == 1  # every frame moved by the same amount
    assert moved.pieces[0] == design.pieces[0]  # the single piece stayed
    far, _ = design.moved(flat_wall, 1, 10_000, -500)
    assert all(flat_wall.contains(p.placement) for p in far.pieces[1:])


def test_the_cart_gets_one_line_per_piece_and_never_a_half_filled_grouping(price_list):
    design = WallDesign("flat", (single(1, 20, 40), *triptych(price_list, (2, None, None))))
    with pytest.raises(CommandError, match="2 frames are still empty"):
        design.commands()
    for slot in design.empty_slots():
        design = design.filled(slot, 10 + slot)
    lines = design.commands()
    assert [(c.product, c.variant, c.images) for c in lines] == [
        (p.product, p.variant, (p.image,)) for p in design.pieces
    ]
    with pytest.raises(CommandError, match="nothing on the wall"):
        WallDesign("flat").commands()


def test_a_photo_dropped_beside_a_small_frame_still_lands_in_it(price_list):
    design = WallDesign("flat", tuple(triptych(price_list)))
    right = design.pieces[2].placement
    assert design.nearest(right.right + 3, right.y, within=6) == 2
    assert design.nearest(right.right + 30, right.y, within=6) is None


def test_a_design_is_kept_with_its_session_and_read_back_whole(tmp_path, price_list):
    store = Store(tmp_path / "studio.db")
    session = store.create_session("The Lees")
    design = WallDesign("hallway", (single(1, 20, 40), *triptych(price_list, (2, None, 3))))
    save_design(store, session.id, design)
    store.close()
    again = Store(tmp_path / "studio.db")  # as after a restart
    assert load_design(again, session.id) == design
    assert load_design(again, session.id + 1) is None
    moved = WallDesign("bedroom", design.pieces[:1])
    save_design(again, session.id, moved)  # one design per session: replaced
    assert load_design(again, session.id) == moved
    assert again.db["wall_designs"].count == 1
