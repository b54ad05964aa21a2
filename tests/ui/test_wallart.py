"""The wall-art screen: a wall design of several pieces and groupings in a sample room, moved,
pinched, filled, ordered and kept with the session, in a real window with simulated touches."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from kivy.tests.common import UnitTestTouch
from PIL import Image as PILImage

from kiosk.core.pricing import Cart, CartLine, price
from kiosk.core.wall import sold_sizes
from kiosk.store.designs import load_design
from tests.conftest import photo_session
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "session"
PHOTOS = (
    "27-family-dogs-window.jpg",
    "30-sunset-hilltop.jpg",
    "07-mountain-meadow.jpg",
    "02-",
    "05-",
    "17-",
    "24-",
)


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.05)


def demo_session(studio) -> int:
    """A session of real photographs (the first one portrait), so the screenshots show art."""
    photos = [next(DEMO.glob(name + ("" if name.endswith(".jpg") else "*"))) for name in PHOTOS]
    return photo_session(studio, "The Garcias", "garcia@example.com", photos)


def open_wallart(run_app, session_id):
    app = run_app(session_id)
    app.show_screen("wallart")
    screen = app.wallart
    ready(app, screen)
    return app, screen


@pytest.fixture
def wallart(run_app, studio):
    return open_wallart(run_app, demo_session(studio))


def ready(app, screen, sprites: bool = False) -> None:
    """The room and every piece's photo (and, if asked, its rendered sprite) on screen."""
    stage = screen.stage

    def done() -> bool:
        pieces = screen.design.pieces
        return (
            stage.room_texture is not None
            and not app.screens.transition.is_active
            and stage.width > 1000
            and all(p.image is None or screen.photo(p.image) is not None for p in pieces)
            and (
                not sprites
                or all(p.image is None or screen.sprite_for(i) for i, p in enumerate(pieces))
            )
        )

    assert pump(done, timeout=20)
    stage.redraw()
    pump(timeout=0.05)


def show_room(app, screen, room_id: str) -> None:
    tap(next(b for b in screen.ids.rooms.children if getattr(b, "value", None) == room_id))
    ready(app, screen)


def on_screen(screen, x: float, y: float) -> tuple[float, float]:
    """Wall inches → window pixels, the way a finger would find the spot."""
    stage = screen.stage
    return stage.to_window(*stage.to_screen(x, y))


def drag(screen, start, end, steps: int = 6) -> None:
    touch = UnitTestTouch(*on_screen(screen, *start))
    touch.touch_down()
    for i in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * i / steps
        y = start[1] + (end[1] - start[1]) * i / steps
        touch.touch_move(*on_screen(screen, x, y))
    touch.touch_up()
    pump(timeout=0.05)


def choose(strip, value):
    tap(next(b for b in strip.children if b.value == value))


def test_dragging_a_piece_moves_it_in_wall_inches_and_never_off_the_wall(wallart, window):
    app, screen = wallart
    show_room(app, screen, "living-room")
    wall = screen.room.wall
    start = screen.design.pieces[0].placement
    # 30 in left and 10 in up: well away from every guide, so nothing snaps.
    drag(screen, (start.x, start.y), (start.x - 30, start.y + 10))
    moved = screen.design.pieces[0].placement
    assert moved.x == pytest.approx(start.x - 30, abs=0.3)
    assert moved.y == pytest.approx(start.y + 10, abs=0.3)
    assert (moved.width, moved.height) == (start.width, start.height)
    # Saved by the time the finger is up.
    saved = load_design(app.studio.store, app.live.session_id)
    assert saved.pieces[0].placement.x == pytest.approx(moved.x)
    touch = UnitTestTouch(*on_screen(screen, moved.x, moved.y))
    touch.touch_down()
    for far in ((5, 5), (window.width - 5, window.height - 5), (5, window.height - 5)):
        touch.touch_move(*far)
        assert wall.contains(screen.design.pieces[0].placement)
    touch.touch_up()
    pump(timeout=0.05)


def test_a_square_on_wall_draws_the_piece_at_true_scale(wallart, window):
    app, screen = wallart
    show_room(app, screen, "living-room")
    stage, wall = screen.stage, screen.room.wall
    p = screen.design.pieces[0].placement
    edge = stage.views[0].edge.points  # the piece's outline as drawn: TL, TR, BR, BL
    scale = stage.display()[2]
    ppi = wall.pixels_per_inch(p.x, p.y)
    assert abs((edge[2] - edge[0]) - p.width * ppi * scale) <= 2
    assert abs((edge[1] - edge[7]) - p.height * ppi * scale) <= 2
    # The first piece: a portrait canvas for the portrait photo, over the sofa.
    assert p.height > p.width
    sofa = wall.main_furniture
    assert p.x == pytest.approx(sofa.centre) and p.bottom == pytest.approx(sofa.top + 9)


def test_a_triptych_is_filled_by_dragging_photos_onto_its_frames(wallart, window):
    app, screen = wallart
    show_room(app, screen, "living-room")
    first = screen.design.pieces[0].image
    choose(screen.ids.products, "framed")
    choose(screen.ids.groupings, "triptych")
    design = screen.design
    assert len(design.pieces) == 3 and len({p.group for p in design.pieces}) == 1
    assert [p.image for p in design.pieces] == [first, None, None]
    assert screen.selected == 1  # the first empty frame is chosen
    assert all(screen.room.wall.contains(p.placement) for p in design.pieces)
    assert not design.overlaps()
    thumbs = {t.image_id: t for t in screen.ids.keepers.children}
    others = [i.id for i in app.images if i.id != first][:2]
    for slot, image_id in zip((1, 2), others, strict=True):
        target = screen.design.pieces[slot].placement
        thumb = thumbs[image_id]
        touch = UnitTestTouch(*thumb.to_window(*thumb.center))
        touch.touch_down()
        x0, y0 = touch.pos
        x1, y1 = on_screen(screen, target.x, target.y)
        for i in range(1, 7):
            touch.touch_move(x0 + (x1 - x0) * i / 6, y0 + (y1 - y0) * i / 6)
            if i == 3:
                assert screen.ghost.visible
        touch.touch_up()
        pump(timeout=0.05)
        assert screen.design.pieces[slot].image == image_id
    assert not screen.ghost.visible
    assert screen.design.empty_slots() == ()
    assert {t.image_id for t in thumbs.values() if t.hung} == {first, *others}
    assert all(t._mark_colour.a == (1 if t.hung else 0) for t in thumbs.values())
    ready(app, screen, sprites=True)
    screenshot(window, "wallart-living-room-triptych")


def pinch(screen, centre, spread: float, steps: int = 5) -> None:
    """Two fingers either side of `centre` (wall inches), 10 in apart, spread by `spread`."""
    x, y = centre
    a = UnitTestTouch(*on_screen(screen, x - 5, y))
    b = UnitTestTouch(*on_screen(screen, x + 5, y))
    a.touch_down()
    b.touch_down()
    (ax, ay), (bx, by) = a.pos, b.pos
    mx, half = (ax + bx) / 2, (bx - ax) / 2
    for i in range(1, steps + 1):
        k = 1 + (spread - 1) * i / steps
        a.touch_move(mx - half * k, ay)
        b.touch_move(mx + half * k, by)
    b.touch_up()
    a.touch_up()
    pump(timeout=0.05)


def test_a_pinch_steps_to_the_next_sold_size_and_never_between(wallart, window):
    app, screen = wallart
    show_room(app, screen, "dining-room")
    product = app.live.pricelist.current.product("canvas")
    variants = [s.variant for s in sold_sizes(product)]
    piece = screen.design.pieces[0]
    before = variants.index(piece.variant)
    p = piece.placement
    pinch(screen, (p.x, p.y), 1.22)  # about one size's step in area
    after = screen.design.pieces[0]
    assert variants.index(after.variant) == before + 1
    sold = {(s.width, s.height) for s in sold_sizes(product)}
    q = after.placement
    assert (q.width, q.height) in sold or (q.height, q.width) in sold
    assert q.height > q.width  # still portrait
    assert load_design(app.studio.store, app.live.session_id).pieces[0].variant == after.variant
    pinch(screen, (q.x, q.y), 0.6)
    assert variants.index(screen.design.pieces[0].variant) < before + 1
    # The − / + buttons step the same sizes.
    now = variants.index(screen.design.pieces[0].variant)
    tap(screen.ids.larger)
    assert variants.index(screen.design.pieces[0].variant) == now + 1


def test_a_grouping_moves_and_scales_as_one(wallart, window):
    app, screen = wallart
    show_room(app, screen, "bedroom")
    choose(screen.ids.products, "framed")
    choose(screen.ids.groupings, "grid-2x2")
    design = screen.design
    unit = design.unit(0)
    assert len(unit) == 4
    b = design.bounds(unit)
    p0 = design.pieces[0].placement
    drag(screen, (p0.x, p0.y), (p0.x - 25, p0.y))  # along its guide above the bed
    moved = screen.design
    nb = moved.bounds(unit)
    assert nb.x == pytest.approx(b.x - 25, abs=0.3) and nb.y == pytest.approx(b.y, abs=0.3)
    for before, after in zip(design.pieces, moved.pieces, strict=True):  # same shape
        assert after.placement.x - before.placement.x == pytest.approx(nb.x - b.x)
        assert after.placement.y - before.placement.y == pytest.approx(nb.y - b.y)
    # + takes the next scale step: every frame a size the studio sells, the gaps kept.
    tap(screen.ids.larger)
    bigger = screen.design
    assert bigger.bounds(bigger.unit(0)).width > nb.width
    sold = {v.id for v in app.live.pricelist.current.product("framed").variants}
    assert {p.variant for p in bigger.pieces} <= sold
    assert not bigger.overlaps()
    assert all(screen.room.wall.contains(p.placement) for p in bigger.pieces)
    # A pinch on a frame scales the whole grouping down again.
    p = bigger.pieces[0].placement
    pinch(screen, (p.x, p.y), 0.5)
    assert screen.design.bounds(screen.design.unit(0)).width < bigger.bounds(unit).width


def test_adding_the_wall_to_the_order_adds_every_piece_in_one_step(wallart, window, monkeypatch):
    app, screen = wallart
    show_room(app, screen, "living-room")
    tap(screen.ids.add_piece)  # the next keeper beside the first piece
    tap(screen.ids.add_piece)
    design = screen.design
    assert len(design.pieces) == 3 and len(set(design.images())) == 3
    assert not design.overlaps()
    assert all(screen.room.wall.contains(p.placement) for p in design.pieces)
    tap(next(b for b in screen.ids.products.children if b.value == "metal"))  # the third piece
    assert screen.design.pieces[2].product == "metal"
    steps = []
    real_do = app.live.do
    monkeypatch.setattr(app.live, "do", lambda *c, **k: steps.append(c) or real_do(*c, **k))
    events = len(app.studio.store.events(app.live.session_id))
    tap(screen.ids.add)
    assert len(steps) == 1 and len(steps[0]) == 3  # one step, all three lines
    assert len(app.studio.store.events(app.live.session_id)) == events + 3
    lines = app.live.cart.cart.lines
    assert [(x.product, x.variant, x.images) for x in lines] == [
        (p.product, p.variant, (p.image,)) for p in screen.design.pieces
    ]
    expected = price(
        app.live.pricelist.current,
        Cart(
            lines=tuple(
                CartLine(p.product, p.variant, {}, (p.image,)) for p in screen.design.pieces
            )
        ),
        today=date.today(),
    )
    breakdown, _ = app.live.breakdown()
    assert breakdown.total == expected.total > 0
    assert screen.total_text.endswith(f"{expected.total / 100:,.2f}")
    tap(screen.ids.labels)  # sizes and prices on the wall
    stage = screen.stage
    assert len(stage._label_boxes) == 3
    third = screen.design.pieces[2]
    cents = app.live.pricelist.current.product("metal").variant(third.variant).price
    money = f"${cents / 100:,.2f}"
    assert (
        screen.label_for(2) == f"{third.placement.width:g}×{third.placement.height:g}  ·  {money}"
    )
    label_x = stage._label_boxes[0][1].pos[0]
    p = screen.design.pieces[0].placement
    drag(screen, (p.x, p.y), (p.x - 8, p.y))  # the label goes with its piece
    moved = stage._label_boxes[0][1].pos[0] - label_x
    assert moved == pytest.approx(
        stage.to_screen(p.x - 8, p.y)[0] - stage.to_screen(p.x, p.y)[0], abs=1
    )
    ready(app, screen, sprites=True)
    screenshot(window, "wallart-living-room-three-pieces-prices")


def test_an_empty_frame_keeps_the_wall_out_of_the_order(wallart, window):
    app, screen = wallart
    choose(screen.ids.groupings, "triptych")
    tap(screen.ids.add)
    assert app.live.cart.cart.lines == ()
    assert "2 frames are still empty" in screen.error


def test_the_wall_design_survives_a_restart(run_app, studio, window):
    session_id = demo_session(studio)
    app, screen = open_wallart(run_app, session_id)
    show_room(app, screen, "hallway")
    choose(screen.ids.products, "framed")
    choose(screen.ids.groupings, "large-and-two")
    thumbs = {t.image_id: t for t in screen.ids.keepers.children}
    for image_id in [i.id for i in app.images][1:3]:
        tap(thumbs[image_id])  # tap-to-fill: the chosen (first empty) frame takes it
    assert screen.design.empty_slots() == ()
    tap(screen.ids.add_piece)
    saved = screen.design
    app.stop()
    window.remove_widget(app.root)
    app.dispatch("on_stop")
    again, screen2 = open_wallart(run_app, session_id)
    assert screen2.room.id == "hallway"
    assert screen2.design == saved
    assert len(screen2.stage.views) == len(saved.pieces)


@pytest.mark.parametrize(
    ("room_id", "grouping", "product"),
    [
        ("living-room", "gallery-wall", "framed"),
        ("bedroom", "triptych", "canvas"),
        ("dining-room", "large-and-two", "framed"),
        ("hallway", "grid-2x2", "framed"),
    ],
)
def test_each_room_with_a_grouping_looks_like_a_room(wallart, window, room_id, grouping, product):
    app, screen = wallart
    show_room(app, screen, room_id)
    choose(screen.ids.products, product)
    choose(screen.ids.groupings, grouping)
    while screen.design.empty_slots():
        on_wall = set(screen.design.images())
        image_id = next(i.id for i in app.images if i.id not in on_wall)
        screen.tap_image(image_id)
    design = screen.design
    assert not design.overlaps()
    assert all(screen.room.wall.contains(p.placement) for p in design.pieces)
    ready(app, screen, sprites=True)
    shot = screenshot(window, f"wallart-{room_id}-{grouping}")
    # Every piece is drawn: the middle of each differs from the bare wall beside the grouping.
    stage = screen.stage
    for piece in design.pieces:
        x, y = stage.to_window(*stage.to_screen(piece.placement.x, piece.placement.y))
        assert shot.getpixel((int(x), int(window.height - y))) != (0, 0, 0)


def test_export_and_compare_write_mockups_off_the_ui_thread(wallart, window):
    app, screen = wallart
    folder = app.studio.paths.mockups(app.live.session_id)
    tap(screen.ids.export)
    assert screen.notice.startswith("Saving")  # the touch is answered before the render
    assert pump(lambda: screen.notice == "Saved", timeout=60)
    exported = sorted(folder.glob("wall-*.jpg"))
    assert len(exported) == 1
    with PILImage.open(exported[0]) as im:
        assert im.width == 6000
    assert screen.export_texture is not None
    screenshot(window, "wallart-export-saved")
    tap(screen.ids.compare)  # A: the wall as it is
    assert screen.comparing
    tap(screen.ids.add_piece)  # B: one more piece
    tap(screen.ids.compare)
    assert pump(lambda: screen.notice == "Saved", timeout=90)
    compared = sorted(folder.glob("compare-*.jpg"))
    assert len(compared) == 1 and not screen.comparing
    with PILImage.open(compared[0]) as im:
        assert im.width == 6000 and im.height < im.width / 2
    screenshot(window, "wallart-compare")
    screen.exporter.view.dismiss(animation=False)


def test_a_room_added_by_the_own_wall_overlay_joins_the_strip(wallart, window):
    app, screen = wallart
    hallway = next(r for r in screen.rooms if r.id == "hallway")
    from dataclasses import replace

    own = replace(hallway, id="client-wall", name="Your photo")
    screen.add_room(own)
    buttons = list(reversed(screen.ids.rooms.children))
    assert [getattr(b, "value", None) for b in buttons][-2:] == ["client-wall", None]
    assert buttons[-1].text == "+ Your wall"
    assert screen.room is own and screen.design.room == "client-wall"
    calls = []
    screen.own_wall = lambda: calls.append(1)
    tap(buttons[-1])
    assert calls == [1]


def test_a_piece_dragged_onto_another_is_flagged_and_removed_on_request(wallart, window):
    app, screen = wallart
    show_room(app, screen, "living-room")
    tap(screen.ids.add_piece)
    first, second = (p.placement for p in screen.design.pieces)
    drag(screen, (second.x, second.y), (first.x + 3, first.y - 2))
    assert screen.design.overlaps() == [(0, 1)]
    assert "overlap" in screen.notice
    tap(screen.ids.remove_piece)  # the dragged piece is the chosen one
    assert len(screen.design.pieces) == 1 and screen.notice == ""
    assert len(load_design(app.studio.store, app.live.session_id).pieces) == 1


def test_a_photo_dragged_onto_the_bare_wall_is_hung_there(wallart, window):
    app, screen = wallart
    show_room(app, screen, "living-room")
    wall = screen.room.wall
    on_wall = set(screen.design.images())
    thumb = next(t for t in screen.ids.keepers.children if t.image_id not in on_wall)
    touch = UnitTestTouch(*thumb.to_window(*thumb.center))
    touch.touch_down()
    target = (wall.width - 40, 84.0)  # up on the bare wall, over the fig tree
    touch.touch_move(*on_screen(screen, target[0] - 20, target[1] - 10))
    touch.touch_move(*on_screen(screen, *target))
    touch.touch_up()
    pump(timeout=0.05)
    assert len(screen.design.pieces) == 2
    hung = screen.design.pieces[1]
    assert hung.image == thumb.image_id and screen.selected == 1
    assert wall.contains(hung.placement)
    assert hung.placement.x == pytest.approx(target[0], abs=hung.placement.width / 2 + 1)
