"""The order: choose products for a photo, pick a collection, and watch the total.

Every change is a cart command through the live session (on disk before it shows, undoable,
the same path as the remote). Prices and credits come from the pricing engine's breakdown; the
screen only lays them out.
"""

from __future__ import annotations

from datetime import date

from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.togglebutton import ToggleButton

from kiosk.core.cart import AddLine, ChooseCollection, RemoveLine, unit_price
from kiosk.core.pricing import format_money
from kiosk.core.selection import Undo
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.widgets.buttons import BigButton

THUMB_BOX = (480, 480)


class Choice(ToggleButton):
    value = ObjectProperty(None, allownone=True)


class OrderScreen(Screen):
    subject_text = StringProperty("")
    subject_texture = ObjectProperty(None, allownone=True)
    product = StringProperty("")
    variant = StringProperty("")
    add_text = StringProperty("Choose a product and a size")
    can_add = BooleanProperty(False)
    can_undo = BooleanProperty(False)
    error = StringProperty("")
    advice_text = StringProperty("")
    total_text = StringProperty("")
    tax_text = StringProperty("")

    def __init__(self, live, textures, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.textures = textures
        self.subject: int | None = None
        self.options: dict[str, str] = {}
        self._catalog_of = None  # the price list the product buttons were made from
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
        self.subject_text = f"For photo {image.position} of {len(self.live.images)}"
        subject = self.subject

        def arrived(texture) -> None:
            if self.subject == subject:
                self.subject_texture = texture

        self.textures.request(image.thumb_path, THUMB_BOX, arrived)

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
                button = Choice(
                    text=f"{variant.name}\n{money}",
                    group="order-variant",
                    allow_no_selection=False,
                    value=variant.id,
                )
                button.bind(on_release=lambda b: self.choose_variant(b.value))
                grid.add_widget(button)
        self._update_add()

    def choose_variant(self, variant_id: str) -> None:
        self.variant = variant_id
        box = self.ids.options
        box.clear_widgets()
        product = self.pricelist.product(self.product)
        self.options = {}
        if variant_id:
            for option in product.options:
                offered = [c for c in option.choices if c.price_for(variant_id) is not None]
                if not offered:
                    continue
                chosen = (
                    option.default if option.choice(option.default) in offered else offered[0].id
                )
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

    def choose_option(self, option_id: str, choice_id: str) -> None:
        self.options[option_id] = choice_id
        self._update_add()

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
        advice = self.live.advice()
        self.advice_text = advice.suggestion if advice and advice.suggestion else ""

    def _line_row(self, line, money) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=dp(62), spacing=dp(10))
        label = line.label if line.quantity <= 1 else f"{line.quantity} × {line.label}"
        text = (
            f"{label}\n[size={int(theme.TEXT_SIZE * 0.75)}][color=a8a39c]{line.note}[/color][/size]"
        )
        row.add_widget(
            Label(
                text=text,
                markup=True,
                font_name=theme.FONT,
                font_size=theme.TEXT_SIZE * 0.85,
                color=theme.TEXT,
                halign="left",
                valign="middle",
                text_size=(dp(430), dp(62)),
            )
        )
        row.add_widget(
            Label(
                text=format_money(line.amount, money),
                font_name=theme.FONT,
                font_size=theme.TEXT_SIZE * 0.9,
                color=theme.TEXT,
                halign="right",
                valign="middle",
                size_hint_x=None,
                width=dp(130),
                text_size=(dp(130), dp(62)),
            )
        )
        if line.kind == "item":
            remove = BigButton(
                text="×", font_size=dp(30), size_hint=(None, None), size=(dp(62), dp(62))
            )
            remove.line_id = line.ref
            remove.bind(on_release=lambda b: self._run(RemoveLine(b.line_id)))
            row.add_widget(remove)
        else:
            row.add_widget(Label(size_hint_x=None, width=dp(62)))
        return row

    # commands ----------------------------------------------------------------------------
    def add(self) -> None:
        if self.can_add:
            self._run(AddLine(self.product, self.variant, dict(self.options), (self.subject,)))

    def choose_collection(self, collection_id: str | None) -> None:
        if collection_id != self.live.cart.cart.collection:
            self._run(ChooseCollection(collection_id))

    def undo(self) -> None:
        self._run(Undo())

    def _run(self, command) -> None:
        self.error = self.live.try_do(command)


load_kv(__file__)
