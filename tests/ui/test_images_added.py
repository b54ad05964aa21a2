"""Photos imported from the tablet into the session on the TV join it at once, the client's
decisions and place kept."""

from __future__ import annotations

import pytest

from kiosk.core.selection import Decision
from kiosk.live import LiveSession
from tests.conftest import write_photo
from tests.ui.conftest import pump, show

pytestmark = pytest.mark.gui


def add(studio, session_id: int, folder, name: str, taken: str) -> int:
    path = write_photo(folder / name, (1600, 1000), (90, 90, 200))
    return studio.store.add_image(
        session_id,
        file_name=name,
        source_path=str(path),
        content_hash=f"new-{name}",
        width=1600,
        height=1000,
        capture_time=taken,
        preview_path=str(path),
        thumb_path=str(path),
    )


def test_photos_imported_into_the_shown_session_join_it_where_the_client_is(
    run_app, session_factory, studio, tmp_path
):
    session_id = session_factory([(1500, 1000), (1000, 1500), (1500, 1000)])
    app = run_app(session_id)
    show(app, "select")
    first, second = app.live.images[0].id, app.live.images[1].id
    app.live.decide(first, "keep")
    assert pump(lambda: app.live.current_image.id == second)
    # One photo taken before the others, one after: the store's order puts them at either end.
    earlier = add(studio, session_id, tmp_path, "early.jpg", "2026-04-30T09:00:00")
    later = add(studio, session_id, tmp_path, "late.jpg", "2026-05-02T09:00:00")
    app.images_added(session_id + 1)  # another session's import changes nothing here
    assert len(app.live.images) == 3
    app.images_added(session_id)
    assert pump(lambda: len(app.live.images) == 5)
    ids = [image.id for image in app.live.images]
    assert ids[0] == earlier and ids[-1] == later
    assert app.live.decision(first) == Decision.KEEP
    assert app.live.current_image.id == second  # the client's place, not an index
    assert pump(lambda: app.select.position_text == "3 / 5")
    assert app.slideshow.images == app.live.images
    # What the TV shows now is what a restart would rebuild from the store.
    assert LiveSession(studio.store, session_id).state == app.live.state
    app.live.decide(earlier, "drop")
    assert pump(lambda: app.live.decision(earlier) == Decision.DROP)
