"""Making the app: what the kiosk's `_serve` does."""

from __future__ import annotations

from kiosk.live import LiveSession
from kiosk.web.app import create_app
from kiosk.web.pairing import Pairing


def test_the_app_makes_its_own_pairing_on_the_studio_database_when_given_none(
    studio, session_factory
):
    live = LiveSession(studio.store, session_factory([(300, 200)]))
    api = create_app(live, studio)
    pairing = api.state.reveal.pairing
    assert isinstance(pairing, Pairing) and pairing.devices.store is studio.store
    given = Pairing.for_store(studio.store)
    assert create_app(live, studio, given).state.reveal.pairing is given


def test_a_change_to_the_live_session_moves_the_revision_the_websockets_follow(
    studio, session_factory
):
    live = LiveSession(studio.store, session_factory([(300, 200), (300, 200)]))
    broadcaster = create_app(live, studio).state.reveal.broadcaster
    before = broadcaster.revision
    live.decide(live.images[0].id, "keep")
    live.set_screen("select")
    assert broadcaster.revision == before + 2
