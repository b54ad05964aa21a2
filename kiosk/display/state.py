"""What a room display is sent: the big picture of the screen the TV shows, and nothing the
client may not see (no notes, no prices the studio is still working out, no advice).

Always the whole state, rendered once per change for every display (kiosk/web/broadcast.py).
Each screen carries only what it draws: the review grid's images only on the review screen, the
order's lines only on the order and checkout screens, so a drag on the wall does not render
the whole session for every display."""

from __future__ import annotations

from typing import Any

from kiosk.display.albumfeed import ShownSpread, spread_state
from kiosk.display.printfeed import ShownPrint, print_state
from kiosk.live import LiveSession
from kiosk.web.cart_state import cart_state

ORDER_SCREENS = ("order", "checkout")


def display_state(
    live: LiveSession,
    revision: int,
    client: str,
    studio: str,
    wall: tuple[int, bool] | None,
    slideshow: tuple[float, float] = (6.0, 1.2),
    shown_print: ShownPrint | None = None,
    shown_spread: ShownSpread | None = None,
) -> dict[str, Any]:
    """`studio` is the studio's name (the welcome shows only that); `wall` the wall design's
    (version, final) as the wall-art screen last told it; `slideshow` its seconds per image and
    cross-fade; `shown_print` the print the actual-size screen shows; `shown_spread` the
    album spread the album screen shows."""
    screen = live.screen
    if screen == "welcome":  # between clients: nothing of this one
        return {"type": "display", "rev": revision, "screen": "welcome", "studio": studio}
    current = live.current_image
    decision = live.decision(current.id) if current else None
    state: dict[str, Any] = {
        "type": "display",
        "rev": revision,
        "screen": screen,
        "studio": studio,
        "client": client,
        "playing": live.playing,
        "current": current.id if current else None,
        "position": current.position if current else 0,
        "total": len(live.images),
        "decision": decision.value if decision else None,
    }
    if screen == "select" and current is not None:
        # The photo a decision moves on to: the page fetches it ahead, so a decision shows
        # without waiting for the photo's bytes.
        following = live.images[current.position : current.position + 1]
        state["next"] = following[0].id if following else None
    if screen == "slideshow":
        state["slideshow"] = {
            "images": [image.id for image in live.images],
            "seconds": slideshow[0],
            "crossfade": slideshow[1],
        }
    elif screen == "compare":
        narrowing = live.state.narrowing
        running = narrowing is not None and not narrowing.finished
        counts = live.counts()
        state["comparing"] = {
            "group": list(narrowing.group) if running else [],
            "remaining": narrowing.remaining if running else 0,
            "target": narrowing.target if narrowing is not None else 0,
            "kept": counts.kept,
        }
    elif screen == "review":
        state["images"] = [
            {"id": image.id, "decision": _decision(live, image.id)} for image in live.images
        ]
    elif screen in ORDER_SCREENS:
        cart = cart_state(live)
        state["order"] = {
            "lines": [
                {"label": line["label"], "quantity": line["quantity"], "amount": line["display"]}
                for line in cart["lines"]
            ],
            "total": cart["total"]["display"] if cart["total"] else None,
        }
    elif screen == "wallart":
        state["wall"] = {"version": wall[0], "final": wall[1]} if wall else None
    elif screen == "actualsize":
        state["print"] = print_state(shown_print, live.by_id)
    elif screen == "album":
        state["album"] = spread_state(shown_spread, live.by_id)
    return state


def _decision(live: LiveSession, image_id: int) -> str | None:
    decision = live.decision(image_id)
    return decision.value if decision else None
