"""The order on the checkout screen as the client will receive it: each line with its photos
(the product picture first for a wall product), the collection's credits, discounts, tax, the
session-fee credit, and the payment plan. The same lines the invoice PDF prints, from the same
breakdown. Thumbnails and product pictures are made off the UI thread (TextureCache,
ProductPictures); a row shows a quiet placeholder until its picture arrives.
"""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.core.crop import line_crop
from kiosk.core.pricing import format_money
from kiosk.imaging.productshots import product_picture
from kiosk.ui import theme

THUMB = dp(104)  # a photo's square in a row: recognisable from the sofa
THUMB_PX = (240, 240)  # decoded at this size: sharp at 104 dp on a 1080p TV
PICTURE_PX = 256
MOST_THUMBS = 4  # more photos on a line are counted, not shown
TOTAL_KINDS = ("discount", "minimum", "shipping", "tax", "session_credit")


def fill_review(box, breakdown, live, textures, pictures) -> None:
    """Put the order's rows in `box` (a vertical BoxLayout in a ScrollView)."""
    box.clear_widgets()
    money = breakdown.currency
    cart_lines = {line.id or str(n): line for n, line in enumerate(live.cart.cart.lines, 1)}
    credits = "\n".join(c.text for c in breakdown.credits)
    for line in breakdown.lines:
        if line.kind == "collection":
            box.add_widget(_text_row(f"{line.label} collection", line.amount, money, credits))
    for line in breakdown.lines:
        if line.kind == "item":
            box.add_widget(_item_row(line, cart_lines.get(line.ref), live, textures, pictures))
    rest = [line for line in breakdown.lines if line.kind in TOTAL_KINDS]
    if rest:
        box.add_widget(_text_row("Subtotal", breakdown.subtotal, money, "", dim=True))
    for line in rest:
        box.add_widget(_text_row(line.label, line.amount, money, line.note, dim=True))


def plan_text(breakdown) -> str:
    """ "Deposit today $400.00, then 3 monthly payments of $266.67", or the total due today."""
    schedule, money = breakdown.schedule, breakdown.currency
    if not schedule or not schedule.instalments:
        return "Due today: the total"
    first, count = schedule.instalments[0], len(schedule.instalments)
    every = {"month": "monthly ", "week": "weekly "}.get(schedule.interval.rstrip("ly"), "")
    return (
        f"{schedule.name}: deposit today {format_money(schedule.deposit, money)}, "
        f"then {count} {every}payments of {format_money(first, money)}"
    )


# rows -----------------------------------------------------------------------------------------
def _item_row(line, cart_line, live, textures, pictures) -> BoxLayout:
    row = BoxLayout(size_hint_y=None, height=THUMB + dp(20), spacing=dp(16), padding=(0, dp(10)))
    strip = BoxLayout(size_hint_x=None, width=MOST_THUMBS * (THUMB + dp(8)), spacing=dp(8))
    images = [live.by_id[i] for i in (cart_line.images if cart_line else ()) if i in live.by_id]
    product = live.pricelist.current.product(cart_line.product) if cart_line else None
    shown = images[: MOST_THUMBS - 1] if product is not None and product.is_wall_item else images
    if product is not None and product.is_wall_item and images:
        strip.add_widget(_picture(images[0], product, cart_line, live, pictures))
    for image in shown[: MOST_THUMBS - len(strip.children)]:
        strip.add_widget(_thumb(image.thumb_path, textures))
    row.add_widget(strip)
    words = BoxLayout(orientation="vertical")
    label = line.label if line.quantity <= 1 else f"{line.quantity} × {line.label}"
    words.add_widget(_label(label, size=theme.TEXT_SIZE))
    notes = [f"{len(images)} photos"] if len(images) > MOST_THUMBS else []
    notes += [line.note] if line.note else []
    if notes:
        words.add_widget(_label(" · ".join(notes), size=theme.TEXT_SIZE * 0.8, dim=True))
    row.add_widget(words)
    row.add_widget(_amount(format_money(line.amount, live.pricelist.current.currency)))
    return row


def _text_row(label: str, amount: int, money, note: str, *, dim: bool = False) -> BoxLayout:
    lines = 1 + (note.count("\n") + 1 if note else 0)
    row = BoxLayout(size_hint_y=None, height=dp(40) + dp(32) * (lines - 1), padding=(0, dp(4)))
    words = BoxLayout(orientation="vertical")
    words.add_widget(_label(label, size=theme.TEXT_SIZE * (0.9 if dim else 1), dim=dim))
    if note:
        detail = _label(note, size=theme.TEXT_SIZE * 0.8, dim=True)
        detail.max_lines, detail.size_hint_y = 0, lines - 1  # every credit on its own line
        words.add_widget(detail)
    row.add_widget(words)
    row.add_widget(_amount(format_money(amount, money), dim=dim))
    return row


def _thumb(path: str, textures) -> Widget:
    slot = _slot()
    image = slot.children[0]
    textures.request(path, THUMB_PX, lambda texture: setattr(image, "texture", texture))
    return slot


def _picture(image, product, cart_line, live, pictures) -> Widget:
    slot = _slot()
    shown = slot.children[0]
    options = dict(cart_line.option_map)
    variant = product.variant(cart_line.variant)
    crop = (
        line_crop(cart_line, image.width, image.height, variant.size)
        if variant is not None and variant.size is not None and product.is_wall_item
        else None
    )
    key = ("review", image.preview_path, product.id, cart_line.variant)
    key += (tuple(sorted(options.items())), PICTURE_PX, crop)

    def render():
        return product_picture(
            image.preview_path,
            product,
            cart_line.variant,
            options,
            PICTURE_PX,
            aspect=image.aspect,
            crop=crop,
        )

    pictures.request(key, render, lambda texture: setattr(shown, "texture", texture))
    return slot


def _slot() -> Widget:
    slot = BoxLayout(size_hint=(None, None), size=(THUMB, THUMB))
    with slot.canvas.before:
        Color(1, 1, 1, 0.06)  # the placeholder until the picture arrives
        backdrop = Rectangle(pos=slot.pos, size=slot.size)
    slot.bind(pos=lambda w, pos: setattr(backdrop, "pos", pos))
    slot.add_widget(Image(fit_mode="contain"))
    return slot


def _label(text: str, *, size: float, dim: bool = False) -> Label:
    # Two lines for a long product name ("Gallery canvas 16×20, 1.5" depth, black edges").
    label = Label(
        text=text,
        font_name=theme.FONT,
        font_size=size,
        color=theme.TEXT_DIM if dim else theme.TEXT,
        halign="left",
        valign="middle",
        max_lines=2,
    )
    label.bind(size=lambda w, size: setattr(w, "text_size", size))
    return label


def _amount(text: str, *, dim: bool = False) -> Label:
    label = _label(text, size=theme.TEXT_SIZE * (0.9 if dim else 1), dim=dim)
    label.halign, label.size_hint_x, label.width = "right", None, dp(170)
    return label
