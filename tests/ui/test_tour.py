"""A tour of the client screens on the real demo session, as a person would see them.

The screenshots land in build/screenshots/tour-*.png; the README's pictures come from here.
"""

from __future__ import annotations

import pytest
from kivy.tests.common import UnitTestTouch

from kiosk.core.cart import AddLine, ChooseCollection
from kiosk.core.selection import Decide, Decision, Favourite, Note
from kiosk.demo import ensure_demo
from tests.ui.conftest import pump, screenshot

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_tour_of_the_demo_session(run_app, studio, window):
    ensure_demo(studio, progress=False)
    app = run_app(studio.store.sessions()[-1].id)
    live, ids = app.live, [i.id for i in app.images]
    pattern = "kkmkdkkmkkdkkkkmkkdk"
    for image, mark in zip(ids, pattern, strict=False):
        decision = {"k": Decision.KEEP, "m": Decision.MAYBE, "d": Decision.DROP}[mark]
        live.do(Decide(image, decision))
    live.do(Favourite(ids[3]), Note(ids[3], "Soften the shadow under the chin", ("open_eyes",)))
    live.show(ids[3])

    app.show_screen("select")
    assert pump(lambda: app.select.ids.card.texture is not None, timeout=20)
    pump(timeout=0.5)
    shot = screenshot(window, "tour-select")
    colours = shot.resize((64, 36)).getcolors(maxcolors=64 * 36)
    assert len(colours) > 500, "a real photo, not a flat fill"

    app.show_screen("review")
    grid = app.review.ids.grid
    assert pump(
        lambda: (
            grid.layout_manager.children and all(c.texture for c in grid.layout_manager.children)
        ),
        timeout=20,
    )
    pump(timeout=0.3)
    screenshot(window, "tour-review")

    app.show_screen("compare")
    compare = app.compare
    assert pump(lambda: compare.ids.start.y > 100 and compare.can_start), compare.error
    pump(lambda: not app.screens.transition.is_active)  # screens take no touch mid-fade
    touch = UnitTestTouch(*compare.ids.start.to_window(*compare.ids.start.center))
    touch.touch_down()
    touch.touch_up()
    pump(timeout=0)  # the comparison starts once its first step is durable
    assert compare.running, compare.error
    assert pump(lambda: all(t.texture for t in compare.tiles), timeout=20)
    pump(timeout=0.5)
    screenshot(window, "tour-compare")

    live.do(AddLine("canvas", "30x40", {"depth": "1.5"}, (ids[3],)))
    live.do(AddLine("album", "10x10", {}, tuple(ids[:10])))
    live.do(AddLine("digital", "single", {}, tuple(ids[:15])))
    live.do(AddLine("framed", "16x20", {}, (ids[5],)))
    live.do(ChooseCollection("heirloom"))
    app.show_screen("order")
    assert pump(lambda: app.order.subject_texture is not None, timeout=20)
    pump(timeout=0.4)
    screenshot(window, "tour-order")
