"""Checkout on the TV: the order as it will be invoiced, the client's details, one clear
"Confirm order", then a large QR code that opens the invoice on the client's phone.

The invoice is written by `kiosk.checkout.confirm_order` (numbered in its own transaction);
the PDF is rendered in a background thread and the e-mail goes through the durable outbox,
so nothing here waits on reportlab or SMTP.

What it says must be true: the order is invoiced only in the studio's own name (until the
photographer has entered the studio's details on the tablet, the screen says so instead of
confirming); "on its way" only when a mail server is set up to send it; and the QR leads to
`public_url` when the studio has one, so the link the client takes home opens at home.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, DictProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.checkout.invoice import confirm_order, phone_url
from kiosk.checkout.mailer import mail_mockups, prepare_invoice_email, queue_prepared
from kiosk.checkout.pdf import render_invoice_pdf
from kiosk.checkout.settings import (
    details_for_session,
    missing_details,
    smtp_settings,
    studio_details,
)
from kiosk.checkout.thanks import next_steps, short_link
from kiosk.core.errors import CartError, CheckoutError, ClientDetailsError, StudioDetailsMissing
from kiosk.core.invoices import Client
from kiosk.core.pricing import format_money
from kiosk.ui import theme
from kiosk.ui.loader import load_kv
from kiosk.ui.widgets.buttons import BigButton  # noqa: F401  (used in checkout.kv)
from kiosk.ui.widgets.confirm import Confirm
from kiosk.ui.widgets.connect import qr_texture
from kiosk.ui.widgets.keyboard import GrowingField, KeyboardScroll  # noqa: F401  (in the .kv)
from kiosk.ui.widgets.orderreview import fill_review, plan_text
from kiosk.ui.widgets.productpreview import ProductPictures

_pdf_pool = ThreadPoolExecutor(1, thread_name_prefix="reveal-pdf")
NO_STUDIO_DETAILS = (
    "The photographer must finish the studio's details (Orders → Studio details on the "
    "tablet) before this order can be invoiced."
)
STUDIO_CHECK_SECONDS = 2.0  # how often the screen looks again while the details are missing
THANKS_QUIET_SECONDS = 90.0  # untouched this long, the thank-you gives way to the welcome


class ThanksPanel(BoxLayout):
    studio = StringProperty("")
    headline = StringProperty("")
    next_steps = StringProperty("")
    link = StringProperty("")
    mail_status = StringProperty("")
    qr_texture = ObjectProperty(None, allownone=True)


class CheckoutScreen(Screen):
    total_text = StringProperty("")
    due_text = StringProperty("")
    retouch_text = StringProperty("")
    confirm_text = StringProperty("Confirm order")
    can_confirm = BooleanProperty(False)
    done = BooleanProperty(False)
    message = StringProperty("")
    errors = DictProperty({})

    def __init__(self, live, session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.live = live
        self.ids.name.text = session.client
        self.ids.email.text = session.email
        self.invoice = None
        self._phone_url = ""  # the invoice's page on the client's phone, once confirmed
        self.thanks: ThanksPanel | None = None
        self._studio_check = None
        self._quiet = None  # the thank-you's way back to the welcome
        self.pictures = ProductPictures(latest_only=False)  # wall products in the review
        live.subscribe(self.refresh)

    def on_pre_enter(self, *_args) -> None:
        if self.done and self.thanks is None and self.invoice is not None:
            # Checkout asked for again after the thank-you went back to the welcome: this
            # session's order is invoiced, so its thank-you and QR code, not an empty screen.
            self._show_thanks(self.invoice, self._phone_url)
            self.thanks.mail_status = self._mail_status()
            return
        self.refresh()

    def on_leave(self, *_args) -> None:
        self._stop_studio_check()
        if self.done:
            self._forget_client()

    def _forget_client(self) -> None:
        """After the thank-you the TV is the next client's: nothing of this one stays."""
        if self._quiet is not None:
            self._quiet.cancel()
            self._quiet = None
        self.ids.body.clear_widgets()
        for field in ("name", "email", "phone", "address"):
            self.ids[field].text = ""
        self.thanks, self.total_text, self.confirm_text = None, "", ""

    def quiet_for_a_while(self, *_args) -> None:
        """(Re)start the thank-you's countdown back to the studio's welcome."""
        if self._quiet is not None:
            self._quiet.cancel()
        self._quiet = Clock.schedule_once(self._welcome_next_client, THANKS_QUIET_SECONDS)

    def _welcome_next_client(self, _dt=None) -> None:
        self._quiet = None
        # Only while this thank-you is on the TV: a session shown since (or a kiosk stopped)
        # has let go of this screen, and its log is closed.
        manager = self.manager
        if manager is not None and manager.parent is not None and manager.current == self.name:
            self.live.set_screen("welcome")

    def studio_details(self):
        app = App.get_running_app()
        return details_for_session(app.studio.store, self.live.session_id)

    def _watch_studio_details(self) -> None:
        # The tablet saves the details in the database; the TV looks again every few seconds
        # while it is waiting for them, and clears its message once they are there.
        if self._studio_check is None:
            self._studio_check = Clock.schedule_interval(
                lambda _dt: self.refresh(), STUDIO_CHECK_SECONDS
            )

    def _stop_studio_check(self) -> None:
        if self._studio_check is not None:
            self._studio_check.cancel()
            self._studio_check = None

    def refresh(self, *_args) -> None:
        if self.manager is None or self.manager.current != self.name or self.done:
            return
        breakdown, problem = self.live.breakdown()
        box = self.ids.summary
        if breakdown is None or not self.live.cart.cart.lines:
            box.clear_widgets()
            self.can_confirm = False
            self.total_text, self.due_text = "", ""
            self.message = problem or "The order is empty: add products first."
            return
        money = breakdown.currency
        fill_review(box, breakdown, self.live, App.get_running_app().textures, self.pictures)
        self.total_text = format_money(breakdown.total, money)
        self.due_text = plan_text(breakdown)
        notes = self.live.state.notes
        chosen = {i for line in self.live.cart.cart.lines for i in line.images}
        asked = sum(1 for image in chosen if image in notes)
        self.retouch_text = f"Retouching requested on {asked} of the chosen photos" if asked else ""
        self.confirm_text = f"Confirm order  ·  {self.total_text}"
        if missing_details(self.studio_details()):
            self.can_confirm = False
            self.message = NO_STUDIO_DETAILS
            self._watch_studio_details()
            return
        self._stop_studio_check()
        self.message = ""
        self.can_confirm = True
        self.confirm_text = f"Confirm order  ·  {self.total_text}"

    # confirming ----------------------------------------------------------------------------
    def client(self) -> Client:
        ids = self.ids
        return Client(ids.name.text, ids.email.text, ids.phone.text, ids.address.text)

    def ask_confirm(self) -> None:
        from kiosk.checkout.invoice import validate_client

        try:
            validate_client(self.client())
        except ClientDetailsError as exc:
            self.errors = exc.problems
            return
        self.errors = {}
        self.confirming = Confirm(
            on_confirm=self.confirm,
            question=f"Confirm your order of {self.total_text}?",
            detail=(
                "The invoice opens on your phone and is e-mailed to you."
                if smtp_settings(App.get_running_app().studio.store) is not None
                else "The invoice opens on your phone; the studio sends it to you by e-mail."
            ),
            confirm_text="Confirm order",
            cancel_text="Back",
        )
        self.confirming.ids.confirm.fill = theme.KEEP
        self.confirming.open(animation=False)

    def confirm(self) -> None:
        app = App.get_running_app()
        studio = app.studio
        details = self.studio_details()
        try:
            invoice = confirm_order(
                studio.store,
                self.live.session_id,
                self.live.pricelist.current,
                self.live.cart.cart,
                self.client(),
                today=date.today(),
                studio=details,
            )
        except ClientDetailsError as exc:
            self.errors = exc.problems
            return
        except StudioDetailsMissing:
            self.can_confirm, self.message = False, NO_STUDIO_DETAILS
            self._watch_studio_details()
            return
        except (CartError, CheckoutError) as exc:
            self.message = str(exc)
            return
        self.invoice = invoice
        public = studio.settings.public_url.rstrip("/")
        url = phone_url(public or app.base_url(), invoice.phone_token)
        self._phone_url = url
        self._show_thanks(invoice, url)
        folder = studio.paths.mockups(self.live.session_id)
        paper = studio.paper
        # A QR printed on the PDF is taken home: only one that opens there.
        pdf_url = url if public else None
        # PDF, mock-ups and the e-mail itself are made in a worker: the UI thread only stores it.
        future = _pdf_pool.submit(
            lambda: prepare_invoice_email(
                invoice,
                details,
                render_invoice_pdf(invoice, details, phone_url=pdf_url, paper=paper),
                phone_url=url,
                mockups=mail_mockups(folder),
                wifi_only=not public,
            )
        )
        future.add_done_callback(
            lambda f: Clock.schedule_once(lambda _dt: self._queue_mail(f, details, url), -1)
        )

    def _queue_mail(self, future, details, url) -> None:
        app = App.get_running_app()
        if app is None:
            return  # the kiosk quit while the PDF was made: nothing was promised yet
        try:
            queue_prepared(app.studio.store, future.result())
        except CheckoutError as exc:
            self.thanks.mail_status = f"The invoice e-mail could not be queued: {exc}"
            return
        app.wake_outbox()
        self.thanks.mail_status = self._mail_status()

    def _mail_status(self) -> str:
        store = App.get_running_app().studio.store
        return mail_status(
            self.invoice.reference,
            self.invoice.client.email,
            mail_server=smtp_settings(store) is not None,
        )

    def _show_thanks(self, invoice, url: str) -> None:
        self.done = True
        body = self.ids.body
        body.clear_widgets()
        store = App.get_running_app().studio.store
        self.thanks = ThanksPanel(
            studio=studio_details(store).name,
            headline=f"Invoice {invoice.reference}  ·  {invoice.money(invoice.total)}",
            link=short_link(url),
            next_steps=next_steps(invoice, self.live.pricelist.current),
            mail_status="Preparing the invoice e-mail…",
            qr_texture=qr_texture(url),
        )
        self.thanks.bind(on_touch_down=self.quiet_for_a_while)
        body.add_widget(self.thanks)
        self.quiet_for_a_while()


def mail_status(reference: str, email: str, *, mail_server: bool) -> str:
    """What the thank-you panel says about the e-mail: "on its way" only when a mail server is
    set up to send it; else the message waits in the outbox until one is."""
    if mail_server:
        return f"Invoice {reference} is on its way to {email}."
    return (
        f"Invoice {reference} is ready on your phone. The studio will send it to {email} by e-mail."
    )


load_kv(__file__)
