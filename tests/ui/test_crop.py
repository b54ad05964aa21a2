"""A print's crop chosen by touch on the TV: dragged, pinched and turned in the crop view, saved
as a cart command, and seen on the product picture, the wall and the invoice's thumbnail."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from kivy.tests.common import UnitTestTouch
from PIL import Image as PILImage
from PIL import ImageChops, ImageStat
from pypdf import PdfReader

from kiosk.checkout.invoice import confirm_order
from kiosk.checkout.pdf import render_invoice_pdf
from kiosk.core.crop import Crop, clamp, crop_box_px, default_crop
from kiosk.core.invoices import Client
from kiosk.imaging.productshots import product_picture
from kiosk.live import LiveSession
from tests.checkout.conftest import STUDIO
from tests.ui.conftest import pump, screenshot, show

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = (6000, 4000)  # what the studio recorded; the preview on disk is a quarter of it
CLIENT = Client("Eleanor Whitfield", "eleanor@example.com", "+1 503 555 0142", "1 Alder St")


def tap(widget) -> None:
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0.05)


def drag(points: list[tuple[float, float]]) -> None:
    touch = UnitTestTouch(*points[0])
    touch.touch_down()
    for point in points[1:]:
        touch.touch_move(*point)
    touch.touch_up()
    pump(timeout=0.05)


def pinch(centre: tuple[float, float], half: float, spread: float, steps: int = 6) -> None:
    """Two fingers `half` px either side of `centre`, moved apart by `spread` (below 1: in)."""
    x, y = centre
    a, b = UnitTestTouch(x - half, y), UnitTestTouch(x + half, y)
    a.touch_down()
    b.touch_down()
    for i in range(1, steps + 1):
        k = 1 + (spread - 1) * i / steps
        a.touch_move(x - half * k, y)
        b.touch_move(x + half * k, y)
    b.touch_up()
    a.touch_up()
    pump(timeout=0.05)


def pattern(path: Path, size: tuple[int, int]) -> Path:
    """Red grows to the right, green downwards, a dark block at a third: every crop differs."""
    w, h = size
    red = PILImage.linear_gradient("L").rotate(90).resize(size).transpose(0)
    green = PILImage.linear_gradient("L").resize(size)
    blue = PILImage.new("L", size, 90)
    im = PILImage.merge("RGB", (red, green, blue))
    im.paste((20, 20, 20), (w // 3, h // 3, w // 3 + w // 8, h // 3 + h // 6))
    im.save(path, quality=95)
    return path


@pytest.fixture
def cropping(run_app, studio, tmp_path):
    """The order screen with a 16×20 canvas of a landscape photo in the cart."""
    preview = pattern(tmp_path / "photo.jpg", (ORIGINAL[0] // 4, ORIGINAL[1] // 4))
    return canvas_in_the_cart(run_app, studio, "Eleanor Whitfield", preview, ORIGINAL, "16x20")


def canvas_in_the_cart(run_app, studio, client: str, photo: Path, original, size: str):
    """The order screen of a new session of `photo` (standing in for an original of
    `original` pixels), with a canvas of `size` added by touch: (app, screen)."""
    session = studio.store.create_session(client, "client@example.com")
    studio.store.add_image(
        session.id,
        file_name=photo.name,
        source_path=str(photo),
        content_hash="h1",
        width=original[0],
        height=original[1],
        capture_time="2026-05-01T10:00:00",
        preview_path=str(photo),
        thumb_path=str(photo),
    )
    app = run_app(session.id)
    show(app, "order")
    screen = app.order
    pump(lambda: screen.subject_texture is not None and screen.ids.add.width > 100)
    tap(next(b for b in screen.ids.products.children if b.value == "canvas"))
    tap(next(b for b in screen.ids.variants.children if b.value == size))
    tap(screen.ids.add)
    assert pump(lambda: app.live.cart.line("L1") is not None)
    return app, screen


def crop_row(screen):
    return next(row for row in screen.ids.lines.children if getattr(row, "crop_line", "") == "L1")


def open_view(app, screen, window):
    from kiosk.ui.widgets.cropview import CropView  # imported late: it opens Kivy's window

    tap(crop_row(screen).button)
    view = next(w for w in window.children if isinstance(w, CropView))
    assert pump(lambda: view.ids.stage.texture is not None)
    return view


def downscaled(im: PILImage.Image) -> PILImage.Image:
    return im.convert("RGB").resize((10, 8), PILImage.Resampling.BOX)


def difference(a: PILImage.Image, b: PILImage.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(downscaled(a), downscaled(b))).mean) / 3


def test_a_canvas_cropped_by_touch_is_saved_and_shown_on_its_picture_and_invoice(
    cropping, window, studio
):
    app, screen = cropping
    view = open_view(app, screen, window)
    stage = view.ids.stage
    iw, ih = ORIGINAL
    assert stage.crop == default_crop(iw, ih, 16, 20)  # landscape, full height, centred
    # Pinch in: the frame shrinks about its centre.
    fx, fy, fw, fh = stage.frame_rect()
    pinch((fx + fw / 2, fy + fh / 2), fw / 4, 0.6)
    assert stage.crop.w == pytest.approx(default_crop(iw, ih, 16, 20).w * 0.6, rel=0.02)
    # Drag it up and to the left; then far past the corner: it stops at the photo's edge.
    fx, fy, fw, fh = stage.frame_rect()
    start = (fx + fw / 2, fy + fh / 2)
    drag([start, (start[0] - 60, start[1] + 40), (start[0] - 120, start[1] + 80)])
    _px, _py, pw, ph = stage.photo_rect()
    moved = stage.crop
    assert moved.x == pytest.approx(0.5 - moved.w / 2 - 120 / pw, abs=0.002)
    assert moved.y == pytest.approx(0.5 - moved.h / 2 - 80 / ph, abs=0.002)
    fx, fy, fw, fh = stage.frame_rect()
    start = (fx + fw / 2, fy + fh / 2)
    drag([start, (start[0] - 3000, start[1] + 3000)])
    assert (stage.crop.x, stage.crop.y) == (0.0, 0.0) and stage.crop.w == moved.w
    drag([start, (start[0] + pw * 0.1, start[1] - ph * 0.1)])  # back a little into the photo
    chosen = stage.crop
    assert chosen.x > 0.05 and chosen.y > 0.05
    pump(timeout=0.2)
    screenshot(window, "crop-view")
    tap(view.ids.done)
    assert pump(lambda: view.parent is None)
    assert app.live.cart.line("L1").crop == chosen.as_tuple()
    # Durable: the session read back from the database has it.
    again = LiveSession(app.studio.store, app.live.session_id, app.live.pricelist)
    assert again.cart.line("L1").crop == chosen.as_tuple()

    # The product picture is the line, drawn with the crop.
    assert pump(lambda: screen.picture_texture is not None and not screen.picture_waiting)
    assert screen.product == "canvas" and screen.variant == "16x20"
    assert screen._picture_key[-1] == chosen
    screenshot(window, "order-cropped")
    image = app.live.by_id[app.live.cart.line("L1").images[0]]
    product = app.live.pricelist.current.product("canvas")
    options = dict(screen.options)
    px = screen.picture_texture.width
    expected = product_picture(image.preview_path, product, "16x20", options, px, crop=chosen)
    centred = product_picture(image.preview_path, product, "16x20", options, px)
    shown = PILImage.frombytes("RGBA", screen.picture_texture.size, screen.picture_texture.pixels)
    shown = min(
        (shown, shown.transpose(PILImage.Transpose.FLIP_TOP_BOTTOM)),
        key=lambda im: difference(im, expected),
    )
    assert difference(shown, expected) < 2
    assert difference(shown, centred) > 4 * max(difference(shown, expected), 1)

    # The invoice's thumbnail is the chosen region of the photo.
    invoice = confirm_order(
        studio.store,
        app.live.session_id,
        app.live.pricelist.current,
        app.live.cart.cart,
        CLIENT,
        today=date(2026, 5, 1),
        need_address=False,
    )
    pdf = render_invoice_pdf(invoice, STUDIO)
    (thumb,) = [
        i.image
        for page in PdfReader(io.BytesIO(pdf)).pages
        for i in page.images
        if i.image.width != i.image.height
    ]
    with PILImage.open(image.preview_path) as photo:
        region = photo.convert("RGB").crop(crop_box_px(chosen, photo.width, photo.height))
        middle = photo.convert("RGB").crop(crop_box_px(default_crop(iw, ih, 16, 20), *photo.size))
    assert thumb.width / thumb.height == pytest.approx(20 / 16, rel=0.03)
    assert difference(thumb, region) < 6
    assert difference(thumb, middle) > 3 * difference(thumb, region)


def test_undo_takes_the_crop_back(cropping, window):
    app, screen = cropping
    view = open_view(app, screen, window)
    fx, fy, fw, fh = view.ids.stage.frame_rect()
    pinch((fx + fw / 2, fy + fh / 2), fw / 4, 0.7)
    tap(view.ids.done)
    assert pump(lambda: app.live.cart.line("L1").crop is not None)
    tap(screen.ids.undo)
    assert pump(lambda: app.live.cart.line("L1").crop is None)


def test_turning_the_print_makes_it_portrait_and_cancel_keeps_the_old_crop(cropping, window):
    app, screen = cropping
    iw, ih = ORIGINAL
    view = open_view(app, screen, window)
    assert view.turn_text.endswith("Turn to portrait")
    tap(view.ids.turn)
    turned = view.ids.stage.crop
    assert turned.h * ih > turned.w * iw  # portrait now
    assert turned.w * iw / (turned.h * ih) == pytest.approx(16 / 20)
    assert turned.h == pytest.approx(1.0)  # as large as before: the photo's full height
    assert view.turn_text.endswith("Turn to landscape")
    tap(view.ids.cancel)
    assert pump(lambda: view.parent is None)
    assert app.live.cart.line("L1").crop is None
    view = open_view(app, screen, window)
    tap(view.ids.turn)
    tap(view.ids.done)
    assert pump(lambda: app.live.cart.line("L1").crop is not None)
    saved = Crop(*app.live.cart.line("L1").crop)
    assert saved.landscape(iw, ih) is False
    assert screen._picture_key[-1] == saved  # the picture is the portrait canvas


def test_the_resolution_warning_changes_at_the_lab_minimum(cropping, window):
    from kiosk.ui import theme  # imported late: Kivy's text core would open the window early

    app, screen = cropping
    # The centred crop of a 6000×4000 photo on a 20×16 canvas: 5000×4000 px, 250 ppi.
    app.studio.settings = replace(app.studio.settings, lab_min_ppi=250, lab_ppi=300)
    view = open_view(app, screen, window)
    assert view.note == "Prints at 250 ppi at 16×20: sharp from a step back"
    assert list(view.note_colour) == list(theme.ACCENT)
    view.ids.stage.crop = clamp(Crop(0.1, 0.1, 0.8, 0.8), *ORIGINAL, 16, 20)  # 4800 px: 240 ppi
    assert view.note == "Prints at 240 ppi at 16×20: soft up close"
    marks = {m.variant: m for m in view.ids.sizes.children}
    assert list(view.note_colour) == list(theme.DANGER)
    assert marks["16x20"].soft and marks["16x20"].current and "soft" in marks["16x20"].text
    tap(view.ids.cancel)
    app.studio.settings = replace(app.studio.settings, lab_min_ppi=150, lab_ppi=250)
    view = open_view(app, screen, window)
    assert view.note == "Sharp at 16×20"
    marks = {m.variant: m for m in view.ids.sizes.children}
    # 40×30 from 6000×4000: 133 ppi; 60×40: 100 ppi; 36×24: 166 ppi.
    assert [v for v, m in sorted(marks.items()) if m.soft] == ["30x40", "40x60"]
    tap(view.ids.cancel)
    # The order screen's size buttons carry the same mark.
    tap(next(b for b in screen.ids.products.children if b.value == "canvas"))
    soft = sorted(b.value for b in screen.ids.variants.children if "soft" in b.text)
    assert soft == ["30x40", "40x60"]


def test_screenshot_of_the_crop_view_for_the_docs(run_app, studio, window):
    """docs/crop.png: a real photograph, a canvas cropped, at 1920×1080."""
    photo = ROOT / "assets" / "demo" / "session" / "30-sunset-hilltop.jpg"
    if not photo.exists():
        photo = sorted((ROOT / "assets" / "demo" / "session").glob("*.jpg"))[0]
    with PILImage.open(photo) as im:
        width, height = im.size
    original = (width * 3, height * 3)
    app, screen = canvas_in_the_cart(run_app, studio, "The Garcias", photo, original, "30x40")
    view = open_view(app, screen, window)
    fx, fy, fw, fh = view.ids.stage.frame_rect()
    pinch((fx + fw / 2, fy + fh / 2), fw / 4, 0.75)
    drag([(fx + fw / 2, fy + fh / 2), (fx + fw / 2 + 60, fy + fh / 2 - 20)])
    pump(timeout=0.3)
    shot = screenshot(window, "crop")
    assert shot.size == (1920, 1080)
    shot.save(ROOT / "docs" / "crop.png")
    assert "soft" in view.note or "sharp" in view.note.lower()


def test_the_crop_view_closes_when_its_line_leaves_the_order(cropping, window):
    from kiosk.core.cart import RemoveLine

    app, screen = cropping
    view = open_view(app, screen, window)
    assert app.live.try_do(RemoveLine("L1"), actor="remote") == ""  # from the tablet
    assert pump(lambda: view.parent is None)
    assert app.live.cart.line("L1") is None
