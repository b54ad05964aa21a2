"""A wall piece's crop: adjusted from the wall once it is in the order, drawn on the wall as
chosen, and a turned crop turns the piece."""

from __future__ import annotations

import pytest

from kiosk.core.crop import Crop
from tests.ui.conftest import pump
from tests.ui.test_crop import drag
from tests.ui.test_wallart import demo_session, open_wallart, ready, tap

pytestmark = pytest.mark.gui


def crop_view(window):
    from kiosk.ui.widgets.cropview import CropView  # imported late: it opens Kivy's window

    return next((w for w in window.children if isinstance(w, CropView)), None)


def test_a_wall_piece_is_cropped_from_the_wall_and_drawn_so(run_app, studio, window):
    app, screen = open_wallart(run_app, demo_session(studio))
    screen.select(0)
    piece = screen.design.pieces[0]
    tap(screen.ids.adjust_crop)
    assert crop_view(window) is None and "Add the wall to the order first" in screen.error
    tap(screen.ids.add)
    assert pump(lambda: any(line.images == (piece.image,) for line in app.live.cart.cart.lines))
    tap(screen.ids.adjust_crop)
    view = crop_view(window)
    assert view is not None and screen.error == ""
    assert pump(lambda: view.ids.stage.texture is not None)
    stage = view.ids.stage
    fx, fy, fw, fh = stage.frame_rect()
    start = (fx + fw / 2, fy + fh / 2)
    # The photo is portrait like the piece: the frame is its full width; it moves up and down.
    drag([start, (start[0], start[1] + 30), (start[0], start[1] + 60)])
    chosen = stage.crop
    tap(view.ids.done)
    assert pump(lambda: view.parent is None)
    line = next(li for li in app.live.cart.cart.lines if li.images == (piece.image,))
    assert line.crop == chosen.as_tuple()
    art = screen.artwork(screen.design.pieces[0])
    assert art.crop == pytest.approx((chosen.x, chosen.y, chosen.x + chosen.w, chosen.y + chosen.h))
    ready(app, screen, sprites=True)  # the piece drawn again with its crop
    assert any(key[-1] == art.crop for key in screen._sprites._done)

    # Turned to landscape: the piece on the wall turns with it, keeping its size.
    before = screen.design.pieces[0].placement
    tap(screen.ids.adjust_crop)
    view = crop_view(window)
    tap(view.ids.turn)
    tap(view.ids.done)
    assert pump(lambda: view.parent is None)
    after = screen.design.pieces[0].placement
    assert (after.width, after.height) == (before.height, before.width)
    image = app.live.by_id[piece.image]
    line = next(li for li in app.live.cart.cart.lines if li.images == (piece.image,))
    assert Crop(*line.crop).landscape(image.width, image.height)
    assert screen.artwork(screen.design.pieces[0]).crop is not None
