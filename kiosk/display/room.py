"""What the display pages of one web app share: the links, the wall's pictures, the lighter
previews of video calls, and the wall design the TV shows now.

Made on first use by a display route (`DisplayRoom.of(reveal)`), it subscribes to the wall
feed so that a drag on the TV wakes every display. Everything here runs on the loop's thread
(the TV's), except the renders and the shrinking, which go to threads of their own."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import pyvips

from kiosk.core.wall import Room, finish_for
from kiosk.display.albumfeed import SPREADS, ShownSpread
from kiosk.display.feed import Feed
from kiosk.display.links import CALL_EDGE, DisplayLinks
from kiosk.display.printfeed import PRINTS, ShownPrint
from kiosk.display.wallfeed import FEED, WallFeed
from kiosk.display.wallrender import WallPictures
from kiosk.imaging.mockup import Artwork
from kiosk.imaging.rooms import load_rooms
from kiosk.store.designs import load_design
from kiosk.store.walls import calibrated_rooms
from kiosk.web.context import Reveal

LIGHT_PREVIEWS = 24  # video-call previews kept in memory (~250 KB each)


class DisplayRoom:
    def __init__(
        self,
        reveal: Reveal,
        feed: WallFeed = FEED,
        prints: Feed[ShownPrint] = PRINTS,
        spreads: Feed[ShownSpread] = SPREADS,
    ) -> None:
        self.reveal = reveal
        self.feed = feed
        self.prints = prints
        self.spreads = spreads
        self.links = DisplayLinks.of(reveal.pairing)
        self.pictures = WallPictures()
        self._rooms: dict[str, Room] | None = None
        self._light: OrderedDict[int, bytes] = OrderedDict()
        self._shrinking: dict[int, asyncio.Future[bytes]] = {}
        feed.subscribe(self._changed)
        prints.subscribe(self._changed)  # the actual-size screen's print: the same wake-up
        spreads.subscribe(self._changed)  # and the album screen's spread

    @classmethod
    def of(cls, reveal: Reveal) -> DisplayRoom:
        room = getattr(reveal, "display_room", None)
        if room is None:
            room = reveal.display_room = cls(reveal)  # type: ignore[attr-defined]
        return room

    def _changed(self, session_id: int) -> None:
        if session_id == self.reveal.live.session_id:
            self.reveal.broadcaster.changed()

    def shown_print(self) -> ShownPrint | None:
        return self.prints.latest(self.reveal.live.session_id)

    def shown_spread(self) -> ShownSpread | None:
        return self.spreads.latest(self.reveal.live.session_id)

    # the wall ---------------------------------------------------------------------------
    def wall_version(self) -> tuple[int, bool]:
        latest = self.feed.latest(self.reveal.live.session_id)
        return (latest[0], latest[2]) if latest else (0, True)

    def current_wall(self) -> tuple[int, Room, Sequence[Artwork]] | None:
        """The design the TV shows now, as a room and its pieces; None without one."""
        live = self.reveal.live
        latest = self.feed.latest(live.session_id)
        version, design = (latest[0], latest[1]) if latest else (0, None)
        design = design or load_design(live.store, live.session_id)
        if design is None:
            return None
        room = self.rooms().get(design.room)
        if room is None:
            room = next((r for r in calibrated_rooms(live.store, live.session_id)
                         if r.id == design.room), None)  # fmt: skip
        if room is None:
            return None
        pricelist = live.pricelist.current
        artworks = []
        for piece in design.pieces:
            product = pricelist.product(piece.product) if pricelist else None
            image = live.by_id.get(piece.image) if piece.image is not None else None
            if product is None or image is None:
                continue  # an empty frame, or something gone since: the TV leaves it out too
            options = {o.id: o.default for o in product.options}
            finish = finish_for(product, options, piece.variant)
            artworks.append(Artwork(image.preview_path, piece.placement, finish))
        return version, room, artworks

    def rooms(self) -> dict[str, Room]:
        if self._rooms is None:
            self._rooms = {room.id: room for room in load_rooms(errors=[])}
        return self._rooms

    # lighter previews for a video call --------------------------------------------------
    async def light_preview(self, path: Path, image_id: int) -> bytes:
        """The preview shrunk to CALL_EDGE pixels on its long edge, made once."""
        if image_id in self._light:
            self._light.move_to_end(image_id)
            return self._light[image_id]
        making = self._shrinking.get(image_id)
        if making is None:
            loop = asyncio.get_running_loop()
            making = self._shrinking[image_id] = loop.run_in_executor(None, _shrink, path)
        try:
            data = await making
        finally:
            self._shrinking.pop(image_id, None)
        self._light[image_id] = data
        while len(self._light) > LIGHT_PREVIEWS:
            self._light.popitem(last=False)
        return data


def _shrink(path: Path) -> bytes:
    image = pyvips.Image.thumbnail(str(path), CALL_EDGE, height=CALL_EDGE, size="down")
    return image.jpegsave_buffer(Q=85, keep="none")
