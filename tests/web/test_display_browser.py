"""The room display in a real browser at 1920×1080: Playwright driving Debian's chromium
against the real server. It follows each screen of the TV; its wall shows the design's pieces
where the design puts them; the wall, comparison and order screenshots go to docs/.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from kiosk.checkout.settings import save_studio_details
from kiosk.core.cart import AddLine
from kiosk.core.invoices import StudioDetails
from kiosk.core.pricing import format_money
from kiosk.core.selection.commands import NarrowStart, Show
from kiosk.core.wall import Placement, finish_for
from kiosk.core.walldesign import Piece, WallDesign
from kiosk.display.albumfeed import SPREADS, ShownSpread
from kiosk.display.links import DisplayLinks
from kiosk.display.printfeed import PRINTS, ShownPrint
from kiosk.display.wallfeed import FEED
from kiosk.imaging.rooms import load_rooms
from kiosk.store.designs import save_design
from tests.conftest import ROOT
from tests.web.test_browser import ARGS, CHROMIUM, images_loaded

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")

DOCS = ROOT / "docs"
SCREEN = {"width": 1920, "height": 1080}
RED = (200, 40, 40)  # the first image of the `server` fixture's session
BLUE = (40, 90, 210)  # its second


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def display_link(server) -> str:
    return server.call(DisplayLinks.of(server.pairing).display_url, server.url)


def save_jpeg_shot(page, name: str) -> Path:
    """A 1920×1080 screenshot as a JPEG of at most 250 KB in docs/, for a person to look at."""
    png = page.screenshot()
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    path = DOCS / name
    for quality in (82, 72, 62, 52):
        picture.save(path, "JPEG", quality=quality, optimize=True, progressive=True)
        if path.stat().st_size <= 250_000:
            break
    assert picture.size == (1920, 1080)
    assert path.stat().st_size <= 250_000
    return path


def with_prices(server) -> None:
    """The studio's price list, as the kiosk's LiveSession has it."""
    server.call(setattr, server.live, "pricelist", server.studio.pricelist)


def show(server, screen: str) -> None:
    server.call(server.live.set_screen, screen)


def test_the_display_follows_each_screen_of_the_tv(demo_server, browser):
    server = demo_server
    ids = [image.id for image in server.live.images]
    details = StudioDetails("Lumen Portrait Studio", "hello@lumen.example", address="1 High St")
    server.call(save_studio_details, server.studio.store, details)
    with_prices(server)
    page = browser.new_page(viewport=SCREEN)
    page.goto(display_link(server))

    show(server, "welcome")
    expect(page.locator("#welcome-studio")).to_have_text("Lumen Portrait Studio")
    expect(page.locator("#client")).to_be_hidden()
    assert server.live.images[0].file_name not in page.content()

    show(server, "select")
    expect(page.locator("#screen-name")).to_have_text("Choosing")
    expect(page.locator("#client")).to_have_text(server.call(lambda: server.studio.store.session(
        server.live.session_id).client))  # fmt: skip
    server.call(server.live.decide, ids[0], "keep")  # the TV moves on to the next photo
    server.call(server.live.do, Show(ids[0]))  # and back, as a swipe back does
    expect(page.locator("#stamp")).to_have_text("Kept")
    expect(page.locator("#layer-a.on, #layer-b.on")).to_have_attribute(
        "src", f"/display/{page.url.rsplit('/', 1)[1]}/img/{ids[0]}"
    )

    for image_id in ids[1:6]:
        server.call(server.live.decide, image_id, "keep")
    server.call(server.live.do, NarrowStart(target=3))
    show(server, "compare")
    group = page.locator("#compare-group img")
    expect(group).to_have_count(2)
    expect(page.locator("#compare-note")).to_contain_text("keeping 3")
    images_loaded(page, "#compare-group img")
    save_jpeg_shot(page, "display-compare.jpg")

    show(server, "review")
    expect(page.locator("#review-grid figure")).to_have_count(len(ids))
    expect(page.locator(f'#review-grid figure[data-id="{ids[0]}"]')).to_have_class("keep")

    server.call(server.live.do, AddLine("canvas", "30x40", {"depth": "1.5"}, (ids[0],)))
    server.call(server.live.do, AddLine("print", "8x10", {}, (ids[1],), 2))
    show(server, "order")
    breakdown = server.call(lambda: server.live.breakdown()[0])
    expect(page.locator("#order-lines tr")).to_have_count(len(breakdown.lines))
    expect(page.locator("#order-lines")).to_contain_text("8×10")
    money = server.call(lambda: server.live.pricelist.current.currency)
    expect(page.locator("#order-total")).to_have_text(format_money(breakdown.total, money))
    save_jpeg_shot(page, "display-order.jpg")

    room = load_rooms()[0]
    design = design_of(server, room, [(ids[2], -24, 0), (ids[3], 0, 0), (ids[4], 24, 0)])
    server.call(publish_saved, server, design)
    show(server, "wallart")
    wall_shown(page, server)
    save_jpeg_shot(page, "display-wall.jpg")


def test_the_wall_shows_each_piece_where_the_design_puts_it_and_ends_on_the_saved_place(
    server, browser
):
    red, blue = (image.id for image in server.live.images[:2])
    with_prices(server)
    room = next(r for r in load_rooms() if r.wall.main_furniture is not None)
    page = browser.new_page(viewport=SCREEN)
    page.goto(display_link(server))
    show(server, "wallart")

    design = design_of(server, room, [(red, -25, 0), (blue, 25, 0)])
    server.call(publish_saved, server, design)
    wall_shown(page, server)
    pieces_where_the_design_puts_them(page, server, room, design, [RED, BLUE])

    # A drag: the steps as the screen draws them, then the design as saved.
    for step in range(1, 13):
        moved = design_of(server, room, [(red, -25 + step, -step / 2), (blue, 25, 0)])
        server.call(FEED.publish, server.live.session_id, moved, final=False)
    server.call(publish_saved, server, moved)
    wall_shown(page, server)
    pieces_where_the_design_puts_them(page, server, room, moved, [RED, BLUE])


# the wall ------------------------------------------------------------------------------------
def design_of(server, room, pieces: list[tuple[int, float, float]]) -> WallDesign:
    """Canvases of 20×30 in, each `dx, dy` inches from above the room's main furniture."""
    wall = room.wall
    sofa = wall.main_furniture
    cx, cy = (sofa.centre, sofa.top + 10 + 15) if sofa else (wall.width / 2, wall.eye_level)
    design = WallDesign(room.id)
    for image_id, dx, dy in pieces:
        placement = Placement(cx + dx, cy + dy, 20, 30)
        design = design.with_piece(Piece(image_id, "canvas", "20x30", placement))
    return design


def publish_saved(server, design: WallDesign) -> None:
    """What the wall-art screen does after each change: save it, then tell the displays."""
    save_design(server.studio.store, server.live.session_id, design)
    FEED.publish(server.live.session_id, design, final=True)


def wall_shown(page, server) -> None:
    version = server.call(lambda: FEED.latest(server.live.session_id)[0])
    page.wait_for_selector(f'.wall.on[data-version="{version}"]', timeout=20_000)
    images_loaded(page, ".wall.on")


def pieces_where_the_design_puts_them(page, server, room, design, colours) -> None:
    """Each piece's box on the screen (its colour found in a screenshot) is where the wall's
    geometry puts it, scaled to the picture as the page shows it, within a few pixels."""
    box = page.locator(".wall.on").bounding_box()
    natural = page.eval_on_selector(".wall.on", "i => [i.naturalWidth, i.naturalHeight]")
    scale = min(box["width"] / natural[0], box["height"] / natural[1])
    left = box["x"] + (box["width"] - natural[0] * scale) / 2
    top = box["y"] + (box["height"] - natural[1] * scale) / 2
    wall = room.wall.scaled(natural[0] * scale / room.wall.image_size[0])
    pricelist = server.live.pricelist.current
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    for piece, colour in zip(design.pieces, colours, strict=True):
        product = pricelist.product(piece.product)
        finish = finish_for(product, {o.id: o.default for o in product.options}, piece.variant)
        corners = [*wall.quad(piece.placement, finish.depth), *wall.quad(piece.placement, 0)]
        expected = (
            left + min(x for x, _ in corners),
            top + min(y for _, y in corners),
            left + max(x for x, _ in corners),
            top + max(y for _, y in corners),
        )
        found = colour_box(shot, colour)
        assert found is not None, f"no piece of colour {colour} on the display"
        assert all(abs(a - b) <= 4 for a, b in zip(found, expected, strict=True)), (
            found,
            expected,
        )


def colour_box(picture: Image.Image, colour) -> tuple[int, int, int, int] | None:
    """The bounding box of the pixels near `colour` (the room's light dims a piece a little)."""
    near = [
        picture.getchannel(i).point(lambda v, c=c: 255 if abs(v - c) < 60 else 0)
        for i, c in enumerate(colour)
    ]
    mask = ImageChops.darker(ImageChops.darker(near[0], near[1]), near[2])
    return mask.getbbox()


def test_a_video_call_link_from_the_tablet_opens_the_display_with_lighter_photos(
    demo_server, browser
):
    server = demo_server
    tablet = browser.new_page(viewport={"width": 1024, "height": 768})
    tablet.goto(f"{server.url}/remote")
    tablet.fill("#code", server.code())
    tablet.click("#pair")
    tablet.wait_for_url(f"{server.url}/remote")
    shown = []
    tablet.on("dialog", lambda dialog: (shown.append(dialog.default_value), dialog.dismiss()))
    expect(tablet.locator("#link")).to_have_text("Live")
    tablet.click("#call-link")
    for _ in range(200):  # the kiosk answers, then the dialog opens
        if shown:
            break
        tablet.wait_for_timeout(100)
    [url] = shown
    assert "/display/" in url

    home = browser.new_page(viewport=SCREEN)
    home.goto(url.replace(url.split("/display/")[0], server.url))  # the kiosk, as reached here
    show(server, "select")
    home.wait_for_selector("#view-photo .layer.on", timeout=20_000)
    images_loaded(home, "#view-photo .layer.on")
    size = home.eval_on_selector("#view-photo .layer.on", "i => [i.naturalWidth, i.naturalHeight]")
    assert max(size) <= 1600


# actual size ---------------------------------------------------------------------------------
def show_print(server, image_id: int, width_in: float, height_in: float, label: str) -> None:
    """What the TV's actual-size screen does when it draws a print."""
    shown = ShownPrint(image_id, width_in, height_in, label)
    server.call(PRINTS.publish, server.live.session_id, shown)


def paper_box(page) -> dict:
    page.wait_for_selector("#view-print:not([hidden])")
    images_loaded(page, "#print-photo")
    return page.locator("#print-paper").bounding_box()


def test_the_actual_size_print_is_drawn_at_its_true_size_from_the_screens_diagonal(
    demo_server, browser
):
    server = demo_server
    image_id = server.live.images[0].id  # landscape: the TV hangs its prints the long way
    link = display_link(server)
    page = browser.new_page(viewport=SCREEN, screen=SCREEN)
    page.goto(f"{link}?diagonal=65")
    show_print(server, image_id, 10, 8, "8×10")
    show(server, "actualsize")
    ppi = math.hypot(1920, 1080) / 65  # CSS px per inch of a 65-inch 1080p screen: 33.9
    for width_in, height_in, label in ((10, 8, "8×10"), (20, 16, "16×20")):
        show_print(server, image_id, width_in, height_in, label)
        expect(page.locator("#print-label")).to_have_text(f"{label} in, shown at true size")
        box = paper_box(page)
        assert abs(box["width"] - width_in * ppi) <= 1, box
        assert abs(box["height"] - height_in * ppi) <= 1, box
        assert abs(box["x"] + box["width"] / 2 - 960) <= 1  # centred
        assert abs(box["y"] + box["height"] / 2 - 540) <= 1
    expect(page.locator("#print-note")).to_be_hidden()
    # The photo fills the paper inside its white border, cropped to its shape, not squeezed.
    photo = page.locator("#print-picture").bounding_box()
    assert (
        abs(photo["width"] - (20 - 0.5) * ppi) <= 2 and abs(photo["x"] - box["x"] - 0.25 * ppi) <= 1
    )
    natural = page.eval_on_selector("#print-photo", "i => [i.naturalWidth, i.naturalHeight]")
    drawn = page.locator("#print-photo").bounding_box()
    assert abs(drawn["width"] / drawn["height"] - natural[0] / natural[1]) < 0.01
    page.wait_for_timeout(300)  # the photo decoded and painted
    shot = page.screenshot(clip={"x": 0, "y": 0, "width": 1920, "height": 1080})
    (DOCS / "display-actual-size.png").write_bytes(shot)
    assert Image.open(io.BytesIO(shot)).size == (1920, 1080)

    # In centimetres, the same screen.
    page.goto(f"{link}?diagonal=165.1cm")
    box = paper_box(page)
    assert abs(box["width"] - 20 * ppi) <= 1 and abs(box["height"] - 16 * ppi) <= 1

    # A 24-inch monitor: 16×20 is larger than it, shown at true size, cut by its edges.
    page.goto(f"{link}?diagonal=24")
    box = paper_box(page)
    assert abs(box["height"] - 16 * math.hypot(1920, 1080) / 24) <= 1 and box["height"] > 1080
    expect(page.locator("#print-note")).to_contain_text("larger than this screen")

    # No size in the link: the print as large as fits, and what to do for its true size.
    page.goto(link)
    box = paper_box(page)
    assert box["height"] <= 1080 and box["width"] <= 1920
    expect(page.locator("#print-label")).to_have_text("16×20 in, not at true size")
    expect(page.locator("#print-note")).to_contain_text(
        "Add this screen's size to its link to see prints at true size"
    )
    page.goto(f"{link}?diagonal=2")  # no screen has 1000 pixels an inch
    paper_box(page)
    expect(page.locator("#print-note")).to_contain_text("cannot be right")


# the album ----------------------------------------------------------------------------------
def test_the_album_spread_the_tv_shows_is_drawn_large_on_the_display(demo_server, browser):
    server = demo_server
    ids = [image.id for image in server.live.images]
    page = browser.new_page(viewport=SCREEN)
    page.goto(display_link(server))
    cells = ((0.0, 0.0, 0.5, 1.0, ids[0]), (0.54, 0.1, 0.2, 0.8, ids[1]))
    cells += ((0.76, 0.1, 0.2, 0.8, ids[2]),)
    shown = ShownSpread("Heirloom album 8×8", 1, 10, 2.0, cells)  # what the album screen says
    server.call(SPREADS.publish, server.live.session_id, shown)
    show(server, "album")
    expect(page.locator("#album-position")).to_have_text("Heirloom album 8×8 · Spread 2 of 10")
    photos = page.locator("#album-spread image")
    expect(photos).to_have_count(3)
    assert photos.nth(0).get_attribute("href").endswith(f"/img/{ids[0]}")
    spread = page.locator("#album-spread").bounding_box()
    first = photos.nth(0).bounding_box()
    # Square pages: the spread is twice as wide as high, large on the screen; the full-page
    # photo fills the left half of it.
    page_box = page.locator(".album-page").bounding_box()
    assert abs(page_box["width"] / page_box["height"] - 2.0) < 0.01 and page_box["width"] > 1200
    assert abs(first["width"] - page_box["width"] / 2) <= 2 and abs(first["x"] - page_box["x"]) <= 2
    assert spread["y"] >= 0 and spread["y"] + spread["height"] <= 1080
    page.wait_for_timeout(500)  # the photos decoded and painted
    save_jpeg_shot(page, "display-album.jpg")

    # The client swipes to the next spread on the TV: the display follows.
    server.call(
        SPREADS.publish,
        server.live.session_id,
        ShownSpread("Heirloom album 8×8", 2, 10, 2.0, cells[:1]),
    )
    expect(page.locator("#album-position")).to_have_text("Heirloom album 8×8 · Spread 3 of 10")
    expect(photos).to_have_count(1)
    page.close()
