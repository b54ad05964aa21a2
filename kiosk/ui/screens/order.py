"""The order: choose products for a photo, pick a collection, and watch the total.

Every change is a cart command through the live session (on disk before it shows, undoable,
the same path as the remote). The advisor's suggestion comes with a Switch button that takes it
as one step (one Undo brings the cart back). Prices and credits come from the pricing engine's
breakdown; the screen only lays them out. While a product is being chosen, the photo is shown
as that product (a canvas with its wrap, a framed print, an album...), drawn off the UI thread.
"""

from __future__ import annotations

from datetime import date

from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.togglebutton import ToggleButton
from kivy.uix.widget import Widget
from kivy.utils import escape_markup

from kiosk.core.cart import (
    AddLine,
    ChooseCollection,
    RemoveLine,
    SetQuantity,
    advice_for,
    switch_for,
    unit_price,
)
from kiosk.core.crop import line_crop
from kiosk.core.pricing import format_money
from kiosk.core.selection import Undo
from kiosk.imaging.productshots import product_picture
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.widgets.cartrows import LINE_BUTTON, album_row, line_button, stepper
from kiosk.ui.widgets.cropview import CropView, crop_row, too_large
from kiosk.ui.widgets.productpreview import ProductPictures

THUMB_BOX = (480, 480)
PICTURE_PX = int(dp(512))  # the product picture's square: 470 dp on screen, a little to spare
# Files and retouching come one per image (their lines count images), so they get no − / +.
ONE_PER_IMAGE = frozenset({"digital", "retouch"})


class Choice(ToggleButton):
    value = ObjectProperty(None, allownone=True)


class OrderScreen(Screen):
    subject_text = StringProperty("")
    subject_texture = ObjectProperty(None, allownone=True)
    picture_texture = ObjectProperty(None, allownone=True)
    picture_caption = StringProperty("")
    picture_waiting = BooleanProperty(False)  # the picture shown is of the previous choice
    product = StringProperty("")
    variant = StringProperty("")
    add_text = StringProperty("Choose a product and a size")
    can_add = BooleanProperty(False)
    can_undo = BooleanProperty(False)
    error = StringProperty("")
    cart_error = StringProperty("")
    advice_text = StringProperty("")
    switch_command = ObjectProperty(None, allownone=True)  # takes the advice, one undoable step
    total_text = StringProperty("")
    tax_text = StringProperty("")

    def __init__(self, live, textures, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self.subject: int | None = None
        self.options: dict[str, str] = {}
        self._catalog_of = None  # the price list the product buttons were made from
        self.pictures = ProductPictures()
        self._picture_key: tuple | None = None
        live.subscribe(self.refresh)

    @property
    def pricelist(self):
        return self.live.pricelist.current

    def on_pre_enter(self, *_args) -> None:
        image = self.live.current_image
        self.subject = image.id if image else None
        self.refresh()

    # the photo the products are for ------------------------------------------------------
    def step_subject(self, delta: int) -> None:
        following = self.live.step_photo(self.subject, delta)
        if following is not None:
            self.subject = following
            self._show_subject()

    def _show_subject(self) -> None:
        if self.subject is None:
            self.subject_text = "This session has no photos."
            return
        image = self.live.by_id[self.subject]
        self.subject_text = f"Photo {image.position} of {len(self.live.images)}"
        subject = self.subject

        def arrived(texture) -> None:
            if self.subject == subject:
                self.subject_texture = texture

        self.textures.request(image.thumb_path, THUMB_BOX, arrived)
        self._show_picture()

    def _show_picture(self) -> None:
        """The photo as the product being chosen; before a size is chosen, as its first size
        with the usual options, so a tap on a product shows it at once."""
        pricelist = self.pricelist
        product = pricelist.product(self.product) if pricelist and self.product else None
        if product is None or self.subject is None or not product.variants:
            self.picture_texture, self.picture_caption = None, ""
            return
        variant = product.variant(self.variant) or product.variants[0]
        # A copy: the worker draws from it while the client may already be changing options.
        options = dict(self.options if self.variant else self._offered(product, variant.id))
        chosen = [
            choice.name
            for option in product.options
            if (choice := option.choice(options.get(option.id, ""))) is not None
        ]
        self.picture_caption = "  ·  ".join([product.name, variant.name, *chosen])
        image = self.live.by_id[self.subject]
        crop = self._crop_of(image, product, variant, options)
        key = (image.preview_path, id(self.pricelist), product.id, variant.id)
        key += (tuple(sorted(options.items())), PICTURE_PX, crop)

        def render():
            return product_picture(
                image.preview_path,
                product,
                variant.id,
                options,
                PICTURE_PX,
                aspect=image.aspect,
                crop=crop,
            )

        def arrived(texture) -> None:
            if self._picture_key == key:
                self.picture_texture, self.picture_waiting = texture, False

        self._picture_key, self.picture_waiting = key, True
        self.pictures.request(key, render, arrived)

    def _crop_of(self, image, product, variant, options):
        """The crop of the order's line that is this photo as this product and size, if there
        is one (the same options first): the picture shows the print as it will be made."""
        if variant.size is None or not product.is_wall_item:
            return None
        lines = [
            line
            for line in self.live.cart.cart.lines
            if (line.product, line.variant, line.images[:1])
            == (product.id, variant.id, (image.id,))
        ]
        lines.sort(key=lambda line: line.option_map != options)
        return line_crop(lines[0], image.width, image.height, variant.size) if lines else None

    def _offered(self, product, variant_id: str) -> list[tuple[str, str]]:
        """Each option offered for the variant, with the choice it starts on."""
        chosen = []
        for option in product.options:
            offered = [c for c in option.choices if c.price_for(variant_id) is not None]
            if offered:
                default = option.choice(option.default)
                chosen.append((option.id, option.default if default in offered else offered[0].id))
        return chosen

    # rendering ---------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        if self.manager is None or self.manager.current != self.name:
            return
        self.can_undo = self.live.can_undo
        pricelist = self.pricelist
        if pricelist is None:
            self.error = str(self.live.pricelist.error or "There is no price list.")
            return
        if self._catalog_of is not pricelist:
            self._build_catalog(pricelist)
        self._show_subject()
        self._show_cart(pricelist)

    def _build_catalog(self, pricelist) -> None:
        self._catalog_of = pricelist
        grid = self.ids.products
        grid.clear_widgets()
        for product in pricelist.products:
            cheapest = min(v.price for v in product.variants)
            money = format_money(cheapest, pricelist.currency)
            button = Choice(
                text=f"{product.name}\nfrom {money}",
                group="order-product",
                allow_no_selection=False,
                value=product.id,
            )
            button.bind(on_release=lambda b: self.choose_product(b.value))
            grid.add_widget(button)
        grid = self.ids.collections
        grid.clear_widgets()
        for collection in (None, *pricelist.collections):
            text = (
                "À la carte"
                if collection is None
                else f"{collection.name}\n{format_money(collection.price, pricelist.currency)}"
            )
            button = Choice(
                text=text,
                group="order-collection",
                allow_no_selection=False,
                value=collection.id if collection else None,
            )
            button.bind(on_release=lambda b: self.choose_collection(b.value))
            grid.add_widget(button)
        self.choose_product("")

    def choose_product(self, product_id: str) -> None:
        self.product, self.variant, self.options = product_id, "", {}
        grid = self.ids.variants
        grid.clear_widgets()
        self.ids.options.clear_widgets()
        product = self.pricelist.product(product_id) if product_id else None
        if product is not None:
            for variant in product.variants:
                money = format_money(variant.price, self.pricelist.currency)
                soft = "  ·  soft" if too_large(self.live, self.subject, product, variant) else ""
                button = Choice(
                    text=f"{variant.name}{soft}\n{money}",
                    group="order-variant",
                    allow_no_selection=False,
                    value=variant.id,
                )
                button.bind(on_release=lambda b: self.choose_variant(b.value))
                grid.add_widget(button)
        self._update_add()
        self._show_picture()

    def choose_variant(self, variant_id: str) -> None:
        self.variant = variant_id
        box = self.ids.options
        box.clear_widgets()
        product = self.pricelist.product(self.product)
        self.options = {}
        if variant_id:
            for option_id, chosen in self._offered(product, variant_id):
                option = product.option(option_id)
                offered = [c for c in option.choices if c.price_for(variant_id) is not None]
                self.options[option.id] = chosen
                row = BoxLayout(size_hint_y=None, height=dp(76), spacing=dp(10))
                row.add_widget(
                    Label(
                        text=option.name,
                        font_name=theme.FONT,
                        font_size=theme.TEXT_SIZE * 0.9,
                        color=theme.TEXT_DIM,
                        size_hint_x=None,
                        width=dp(150),
                    )
                )
                for choice in offered:
                    button = Choice(
                        text=choice.name,
                        group=f"order-option-{option.id}",
                        allow_no_selection=False,
                        value=(option.id, choice.id),
                        state="down" if choice.id == chosen else "normal",
                    )
                    button.bind(on_release=lambda b: self.choose_option(*b.value))
                    row.add_widget(button)
                box.add_widget(row)
        self._update_add()
        self._show_picture()

    def choose_option(self, option_id: str, choice_id: str) -> None:
        self.options[option_id] = choice_id
        self._update_add()
        self._show_picture()

    def _update_add(self) -> None:
        self.can_add = bool(self.product and self.variant and self.subject is not None)
        if not self.can_add:
            self.add_text = "Choose a product and a size" if self.subject is not None else ""
            return
        each = unit_price(
            self.pricelist, self.product, self.variant, self.options, (self.subject,), date.today()
        )
        self.add_text = f"Add to order  ·  {format_money(each, self.pricelist.currency)}"

    def _show_cart(self, pricelist) -> None:
        cart = self.live.cart.cart
        for button in self.ids.collections.children:
            button.state = "down" if button.value == cart.collection else "normal"
        breakdown, problem = self.live.breakdown()
        box = self.ids.lines
        box.clear_widgets()
        if breakdown is None:
            self.error, self.total_text, self.tax_text = problem, "", ""
            return
        money = pricelist.currency
        for line in breakdown.lines:
            if line.kind == "tax" and not breakdown.tax.inclusive:
                continue  # shown under the total
            box.add_widget(self._line_row(line, money))
            if line.kind == "item" and self._is_album(line.ref):
                design = self.live.cart.line(line.ref).design
                box.add_widget(album_row(line.ref, len(design), self.design_album))
            crop = crop_row(self.live, line.ref, self.adjust_crop) if line.kind == "item" else None
            if crop is not None:
                box.add_widget(crop)
        for usage in breakdown.credits:
            box.add_widget(
                Label(
                    text=f"  {usage.text}",
                    font_name=theme.FONT,
                    font_size=theme.TEXT_SIZE * 0.8,
                    color=theme.TEXT_DIM,
                    size_hint_y=None,
                    height=dp(30),
                    halign="left",
                    text_size=(dp(660), dp(30)),
                )
            )
        self.total_text = format_money(breakdown.total, money)
        tax = breakdown.tax
        self.tax_text = (
            f"{tax.name} included: {format_money(tax.amount, money)}"
            if tax.inclusive
            else f"with {tax.name.lower()} {format_money(tax.amount, money)}"
        )
        advice = advice_for(
            self.live.cart, pricelist, today=self.live.today(), images=len(self.live.images)
        )
        self.advice_text = advice.suggestion if advice and advice.suggestion else ""
        self.switch_command = switch_for(advice) if self.advice_text else None

    def _line_row(self, line, money) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=dp(76), spacing=dp(8))
        row.line_id = line.ref if line.kind == "item" else ""
        cart_line = self.live.cart.line(line.ref) if line.kind == "item" else None
        product = self.pricelist.product(cart_line.product) if cart_line else None
        stepped = (
            product is not None and product.per != "image" and product.kind not in ONE_PER_IMAGE
        )
        # A line with − / + shows its count between them; one counting images says it here.
        label = line.label if stepped or line.quantity <= 1 else f"{line.quantity} × {line.label}"
        # Labels carry the photographer's own words (a discount's reason): never read as markup.
        text = escape_markup(label)
        if line.note:
            small = int(theme.TEXT_SIZE * 0.75)
            text += f"\n[size={small}][color=a8a39c]{escape_markup(line.note)}[/color][/size]"
        words = Label(
            text=text,
            markup=True,
            font_name=theme.FONT,
            font_size=theme.TEXT_SIZE * 0.85,
            color=theme.TEXT,
            halign="left",
            valign="middle",
        )
        # Long names wrap: the row grows to fit them rather than cutting them off.
        words.bind(
            width=lambda w, width: setattr(w, "text_size", (width, None)),
            texture_size=lambda w, size: setattr(row, "height", max(dp(76), size[1] + dp(12))),
        )
        row.add_widget(words)
        if stepped:
            row.add_widget(stepper(line.ref, cart_line.quantity, self.step_quantity))
        else:
            row.add_widget(Widget(size_hint_x=None, width=2 * LINE_BUTTON + dp(60)))
        row.add_widget(
            Label(
                text=format_money(line.amount, money),
                font_name=theme.FONT,
                font_size=theme.TEXT_SIZE * 0.9,
                color=theme.TEXT,
                halign="right",
                valign="middle",
                size_hint_x=None,
                width=dp(124),
                text_size=(dp(124), None),
            )
        )
        if line.kind == "item":
            remove = line_button("×", dp(30))
            remove.line_id = line.ref
            remove.bind(on_release=lambda b: self._run_line(RemoveLine(b.line_id)))
            row.add_widget(remove)
        else:
            row.add_widget(Widget(size_hint_x=None, width=LINE_BUTTON))
        return row

    def adjust_crop(self, line_id: str) -> None:
        """The crop view over the screen; when the crop is saved, the picture shows the line."""
        if self.live.cart.line(line_id) is None:
            return
        self.crop_view = CropView(self.live, line_id, self.textures, on_done=self.show_line)
        self.crop_view.open(animation=False)

    def show_line(self, line_id: str) -> None:
        """The line's photo, product, size and options chosen above, so its picture shows."""
        line = self.live.cart.line(line_id)
        if line is None:
            return
        self.subject = line.images[0]
        for button in self.ids.products.children:
            button.state = "down" if button.value == line.product else "normal"
        self.choose_product(line.product)
        for button in self.ids.variants.children:
            button.state = "down" if button.value == line.variant else "normal"
        self.choose_variant(line.variant)
        for option_id, choice_id in line.options:
            self.options[option_id] = choice_id
        for row in self.ids.options.children:
            for button in row.children:
                value = getattr(button, "value", None)
                if value is not None:
                    button.state = "down" if self.options.get(value[0]) == value[1] else "normal"
        self._show_subject()
        self._update_add()

    def _is_album(self, line_id: str) -> bool:
        line = self.live.cart.line(line_id)
        product = self.pricelist.product(line.product) if line else None
        return product is not None and product.kind == "album"

    def design_album(self, line_id: str) -> None:
        """The album's spreads on the TV, laid out from the client's keepers the first time."""
        self.manager.get_screen("album").open_line(line_id)
        self.live.set_screen("album")

    # commands ----------------------------------------------------------------------------
    def add(self) -> None:
        if self.can_add:
            self._run(AddLine(self.product, self.variant, dict(self.options), (self.subject,)))

    def step_quantity(self, line_id: str, step: int) -> None:
        """One more or one fewer of a line; past the most the studio takes, the refusal says
        so beside the cart."""
        line = self.live.cart.line(line_id)
        if line is None:
            self.cart_error = ""  # gone already (the remote, or a double tap after ×)
            return
        self._run_line(SetQuantity(line_id, line.quantity + step))

    def choose_collection(self, collection_id: str | None) -> None:
        if collection_id != self.live.cart.cart.collection:
            self._run(ChooseCollection(collection_id))

    def undo(self) -> None:
        self._run(Undo())

    def take_advice(self) -> None:
        """The Switch button: the advisor's change (a bundle for the files, another
        collection) as one command, so one Undo takes it back."""
        if self.switch_command is not None:
            self._run(self.switch_command)

    def _run(self, command) -> None:
        self.error = self.live.try_do(command)
        self.cart_error = ""

    def _run_line(self, command) -> None:
        """A change made in the cart: its refusal is shown there, where the finger is."""
        self.cart_error = self.live.try_do(command)


load_kv(__file__)
