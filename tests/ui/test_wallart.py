"""The wall-art screen: a photo hung at true size in a sample room, dragged, resized, ordered."""

from __future__ import annotations

from pathlib import Path

import pytest
from kivy.tests.common import UnitTestTouch
from PIL import Image as PILImage

from kiosk.core.wallart import sold_sizes
from tests.ui.conftest import pump, screenshot

pytestmark = pytest.mark.gui

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "session"
PHOTOS = ("27-family-dogs-window.jpg", "30-sunset-hilltop.jpg", "07-mountain-meadow.jpg")


def tap(widget):
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.05)


def demo_session(studio) -> int:
    """A session of real photographs (the first one portrait), so the screenshots show art."""
    session = studio.store.create_session("The Garcias", "garcia@example.com")
    for i, name in enumerate(PHOTOS):
        path = DEMO / name
        with PILImage.open(path) as im:
            width, height = im.size
        studio.store.add_image(
            session.id,
            file_name=name,
            source_path=str(path),
            content_hash=f"{session.id}-{i:03d}",
            width=width,
            height=height,
            capture_time=f"2026-05-01T10:00:{i:02d}",
            preview_path=str(path),
            thumb_path=str(path),
        )
    return session.id


@pytest.fixture
def wallart(run_app, studio):
    app = run_app(demo_session(studio))
    app.show_screen("wallart")
    screen = app.wallart
    ready(app, screen)
    return app, screen


def ready(app, screen) -> None:
    stage = screen.stage
    assert pump(
        lambda: (
            stage.room_texture is not None
            and screen.photo_texture is not None
            and not app.screens.transition.is_active
            and stage.width > 1000
        )
    )
    stage.redraw()


def show_room(app, screen, room_id: str) -> None:
    tap(next(b for b in screen.ids.rooms.children if b.value == room_id))
    ready(app, screen)


def test_a_piece_on_a_square_on_wall_is_drawn_at_true_scale(wallart, window):
    app, screen = wallart
    show_room(app, screen, "living-room")
    room, stage, p = screen.room, screen.stage, screen.placement
    wall = room.wall
    image_w, image_h = wall.image_size
    scale = min(stage.width / image_w, stage.height / image_h)
    edge = stage._edge.points  # the outline as drawn: TL, TR, BR, BL
    drawn_width = edge[2] - edge[0]
    drawn_height = edge[1] - edge[7]
    ppi = wall.pixels_per_inch(p.x, p.y)
    assert abs(drawn_width - p.width * ppi * scale) <= 2
    assert abs(drawn_height - p.height * ppi * scale) <= 2
    assert stage._room.size == pytest.approx((image_w * scale, image_h * scale))
    # The first size is a portrait one for the portrait photo, over the sofa with the usual gap.
    assert p.height > p.width
    sofa = wall.main_furniture
    assert p.x == pytest.approx(sofa.centre) and p.bottom == pytest.approx(sofa.top + 9)
    screenshot(window, "wallart-living-room")


def test_dragging_snaps_to_the_wall_centre_and_never_leaves_the_wall(wallart, window):
    app, screen = wallart
    show_room(app, screen, "hallway")  # seen at an angle: the drag works through perspective
    stage, wall = screen.stage, screen.room.wall
    start = screen.placement
    touch = UnitTestTouch(*stage.to_screen(*wall.to_image(start.x, start.y)))
    touch.touch_down()
    near_centre = stage.to_screen(*wall.to_image(wall.width / 2 + 1.5, start.y + 6))
    touch.touch_move(*near_centre)
    pump(timeout=0.05)
    assert screen.placement.x == pytest.approx(wall.width / 2)
    assert "wall-centre" in [g.kind for g in screen.guides]
    assert stage._guides, "the guide line is drawn while snapped"
    screenshot(window, "wallart-hallway-guide")
    for far in ((5, 5), (window.width - 5, window.height - 5), (5, window.height - 5)):
        touch.touch_move(*far)
        assert wall.contains(screen.placement)
    touch.touch_up()
    pump(timeout=0.05)
    assert screen.guides == () and not stage._guides


def test_the_size_buttons_step_through_the_sold_sizes(wallart):
    app, screen = wallart
    tap(next(b for b in screen.ids.products.children if b.value == "canvas"))
    product = app.live.pricelist.current.product("canvas")
    ordered = sorted(sold_sizes(product), key=lambda s: s.width * s.height)
    variants = [s.variant for s in ordered]
    before = screen.piece_size
    tap(screen.ids.larger)  # the screen starts on a canvas, so this is the canvas's next size
    after = screen.piece_size
    assert variants.index(after.variant) == variants.index(before.variant) + 1
    assert after.height > after.width  # still portrait, like the photo
    assert screen.placement.width == after.width and screen.placement.height == after.height
    assert screen.piece_text.startswith(f"{after.width:g}×{after.height:g} Gallery canvas")
    tap(screen.ids.smaller)
    tap(screen.ids.smaller)
    assert variants.index(screen.piece_size.variant) == variants.index(before.variant) - 1
    tap(next(b for b in screen.ids.sizes.children if b.value == variants[-1]))
    assert screen.piece_size.variant == variants[-1]


def test_add_to_order_adds_the_piece_and_the_total_follows(wallart, window):
    app, screen = wallart
    tap(next(b for b in screen.ids.products.children if b.value == "framed"))
    show_room(app, screen, "dining-room")
    tap(next(b for b in screen.ids.sizes.children if b.value == "24x30"))
    before = screen.total_text
    tap(screen.ids.add)
    lines = app.live.cart.cart.lines
    assert [(x.product, x.variant, x.images) for x in lines] == [
        ("framed", "24x30", (app.images[0].id,))
    ]
    breakdown, _ = app.live.breakdown()
    assert breakdown is not None and screen.total_text != before
    assert screen.piece_text.endswith("$" + f"{product_price(app, 'framed', '24x30'):,.2f}")
    screenshot(window, "wallart-dining-room-framed")
    tap(screen.ids.next_photo)
    assert screen.subject == app.images[1].id
    assert pump(lambda: screen.photo_texture is not None)
    # A landscape photo turns the piece and the size strip with it.
    assert screen.piece_size.width > screen.piece_size.height
    assert "30×24" in [b.text for b in screen.ids.sizes.children]
    show_room(app, screen, "bedroom")
    screenshot(window, "wallart-bedroom-landscape")


def product_price(app, product_id: str, variant_id: str) -> float:
    variant = app.live.pricelist.current.product(product_id).variant(variant_id)
    return variant.price / 100
