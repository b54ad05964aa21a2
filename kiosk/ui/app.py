"""The kiosk's Kivy application: one window on the TV, screens that render the session."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.logger import Logger
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import FadeTransition, ScreenManager

from kiosk.live import LiveSession
from kiosk.store.writer import Writer
from kiosk.studio import Studio
from kiosk.ui import theme
from kiosk.ui.music import SlideshowMusic
from kiosk.ui.textures import TextureCache
from kiosk.web.pairing import Pairing

CORNER = 140  # px: the top-left square where a long press opens pairing
CORNER_HOLD = 1.5  # seconds


class RevealApp(App):
    title = "Reveal"

    def __init__(
        self,
        studio: Studio,
        session_id: int,
        screenshot: Path | None = None,
        commit_delay: float = 0.0,
        welcome: bool = False,
    ) -> None:
        super().__init__()
        self.studio = studio
        self.session = studio.store.session(session_id)
        self._loop: asyncio.AbstractEventLoop | None = None
        # The event log is written by its own thread: the UI never waits on the disk.
        # `commit_delay` stands in for a slow disk (tests and benches).
        writer = Writer(studio.paths.database, self.deliver, commit_delay=commit_delay)
        self.live = LiveSession(studio.store, session_id, studio.pricelist, writer)
        if welcome:  # between clients: nothing of this session on the TV until it is shown
            self.live.screen = "welcome"
        self.pairing = Pairing.for_store(studio.store)  # shared with the web pages
        self.screenshot_path = screenshot
        self.textures = TextureCache()
        self._take_images()
        self.confirm = None
        # The slideshow's music (kiosk.ui.music): follows the slideshow of each session shown.
        self.music = SlideshowMusic(studio.paths.named(studio.settings.slideshow_music))
        # Called with the path of each wall photo a client's phone sends to this session.
        self.wall_photo_listeners: list = []
        # Called with (live, client) when the TV shows another session: the web pages.
        self.session_listeners: list = []

    def build(self) -> ScreenManager:
        theme.register_fonts()
        from kiosk.ui.widgets.banner import ProblemBanner

        Window.clearcolor = theme.BACKGROUND
        Window.bind(on_key_down=self._on_key_down, on_request_close=self._on_request_close)
        Window.bind(on_touch_down=self._corner_down, on_touch_up=self._corner_up)
        self.saving_problem = ProblemBanner()
        return self._build_screens()

    def _build_screens(self) -> ScreenManager:
        """The client's screens, all rendering `self.live`: built anew for each session shown,
        so that nothing of one client stays in a widget when the next one's session opens."""
        # Screens import their .kv after the fonts exist.
        from kiosk.ui.screens.actualsize import ActualSizeScreen
        from kiosk.ui.screens.album import AlbumScreen
        from kiosk.ui.screens.checkout import CheckoutScreen
        from kiosk.ui.screens.compare import CompareScreen
        from kiosk.ui.screens.order import OrderScreen
        from kiosk.ui.screens.review import ReviewScreen
        from kiosk.ui.screens.select import SelectScreen
        from kiosk.ui.screens.slideshow import SlideshowScreen
        from kiosk.ui.screens.wallart import WallArtScreen
        from kiosk.ui.screens.welcome import WelcomeScreen, portfolio

        settings = self.studio.settings
        self.welcome = WelcomeScreen(
            self.textures,
            self.studio_name(),
            portfolio(self.studio.paths.named(settings.portfolio_folder)),
            identity=self.studio_identity,
            name="welcome",
        )
        self.slideshow = SlideshowScreen(
            self.textures, settings.slideshow_seconds, settings.crossfade_seconds, name="slideshow"
        )
        self.select = SelectScreen(self.live, self.textures, name="select")
        self.review = ReviewScreen(self.live, self.textures, name="review")
        self.compare = CompareScreen(self.live, self.textures, name="compare")
        self.wallart = WallArtScreen(self.live, self.textures, name="wallart")
        self.actualsize = ActualSizeScreen(self.live, self.textures, self.studio, name="actualsize")
        self.order = OrderScreen(self.live, self.textures, name="order")
        self.album = AlbumScreen(self.live, self.textures, name="album")
        self.checkout = CheckoutScreen(self.live, self.session, name="checkout")
        screens = [
            self.welcome,
            self.slideshow,
            self.select,
            self.review,
            self.compare,
            self.wallart,
            self.actualsize,
            self.order,
            self.album,
            self.checkout,
        ]
        self.screens = ScreenManager(transition=FadeTransition(duration=0.3))
        # The screen to open on goes in first, so it is there from the first frame: no fade
        # from another screen (the welcome must never fade from a client's photo).
        screens.sort(key=lambda screen: screen.name != self.live.screen)
        for screen in screens:
            self.screens.add_widget(screen)
        self.live.subscribe(self._follow)
        self.music.follow(self.slideshow)
        return self.screens

    @staticmethod
    def _reopening(screen: str | None) -> str:
        """The screen a session opens on when shown: where it was left, never the welcome."""
        return screen if screen not in (None, "welcome") else "slideshow"

    def studio_name(self) -> str:
        from kiosk.checkout.settings import studio_details

        return studio_details(self.studio.store).name

    def studio_identity(self) -> tuple[str, str]:
        """The studio's name and logo file, as the tablet's Settings page last saved them."""
        from kiosk.checkout.settings import studio_details

        details = studio_details(self.studio.store)
        return details.name, details.logo

    def _take_images(self) -> None:
        self.images = self.live.images
        self.textures.know(self.images)

    def show_session(self, session_id: int) -> None:
        """Show another session on the TV at once, without a restart. The one shown before
        stays exactly as it was: everything it accepted is committed before it is let go, and
        it reopens where it was left. Its screens, textures and open panels go with it."""
        session = self.studio.store.session(session_id)  # a clear message for a wrong id
        if session.id == self.session.id:
            if self.live.screen == "welcome":  # the welcome hid it: show it where it was left
                self.live.set_screen(self._reopening(self.studio.store.view(session.id)))
            self.live.remember_view()
            return
        for view in [w for w in Window.children if isinstance(w, ModalView)]:
            view.dismiss(animation=False)
        old_screens, old_live = self.screens, self.live
        old_screens.current_screen.dispatch("on_leave")  # its timers (the slideshow's) stop
        old_live.unsubscribe(self._follow)
        old_live.writer.close()  # the client's last choices are on disk before they go
        self.textures.shutdown()
        self.textures = TextureCache()
        self.wall_photo_listeners.clear()
        self.session = session
        writer = Writer(
            self.studio.paths.database, self.deliver, commit_delay=old_live.writer.commit_delay
        )
        self.live = LiveSession(self.studio.store, session.id, self.studio.pricelist, writer)
        self.live.screen = self._reopening(self.live.screen)
        self.live.remember_view()
        self._take_images()
        if old_screens.parent is not None:
            old_screens.parent.remove_widget(old_screens)
        self.root = self._build_screens()
        Window.add_widget(self.root)  # panels were closed; the band is re-shown above it
        self._follow(self.live)
        self.slideshow.load(session.client, self.images)
        self.saving_problem.show("")
        for listener in list(self.session_listeners):
            listener(self.live, session.client)
        print(f"Reveal: now showing {session.client}, {len(self.images)} images", flush=True)

    def images_added(self, session_id: int) -> None:
        """Photos were imported into a session from the tablet: when the TV shows it, they
        join it at once, the client staying where they are (kiosk/web/routes/imports.py)."""
        if session_id != self.session.id:
            return
        if self.live.saving:  # the log is replayed: first what is being written
            Clock.schedule_once(lambda _dt: self.images_added(session_id), 0.05)
            return
        self.live.images_added()
        self._take_images()
        if self.slideshow.images:
            self.slideshow.images = self.images  # its next step meets them
        else:
            self.slideshow.load(self.session.client, self.images)

    def client_details_changed(self, session_id: int) -> None:
        """The tablet corrected the details of the client on the TV (a typo in the e-mail
        before checkout): the slideshow and the checkout form take them at once, unless the
        order is already confirmed."""
        if session_id != self.session.id:
            return
        self.session = self.studio.store.session(session_id)
        self.slideshow.client = self.session.client
        if not self.checkout.done:
            fields = self.checkout.ids
            fields.name.text, fields.email.text = self.session.client, self.session.email
            if self.session.phone:
                fields.phone.text = self.session.phone

    def show_screen(self, name: str) -> None:
        """A touch asks for a screen: it goes through the live session, like the remote's."""
        self.live.set_screen(name)

    def deliver(self, callback) -> None:
        """Run `callback` on the UI thread, from any thread: the writer's acknowledgements.
        With the web server's asyncio loop running, at once between two frames; else (tests
        that drive Kivy's clock by hand) on the next frame."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(callback)
        else:
            Clock.schedule_once(lambda _dt: callback())

    def _follow(self, live: LiveSession) -> None:
        if self.screens.current != live.screen:
            self.screens.current = live.screen
        if self.slideshow.paused == live.playing:
            self.slideshow.set_paused(not live.playing)
        self.saving_problem.show(live.write_error)

    def on_start(self) -> None:
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self._follow(self.live)  # reopen on the screen the client was on
        if self.live.screen != "welcome":
            self.live.remember_view()
        self.watch_pricelist()
        self.slideshow.load(self.session.client, self.images)
        if self.screenshot_path:
            self.slideshow.bind(shown=self._take_screenshot)
        print(f"Reveal: slideshow of {self.session.client}, {len(self.images)} images", flush=True)

    def base_url(self) -> str:
        """Where phones and tablets reach this kiosk's pages."""
        from kiosk.web.server import base_url

        server = getattr(self, "web_server", None)
        return base_url((server.port if server else None) or self.studio.settings.web_port)

    def wall_photo_arrived(self, session_id: int, path: str) -> None:
        """The phone page stored a wall photo (the web app's `on_wall_photo`). Handled on the
        next frame: the client's upload gets its answer without waiting for the TV, and Clock
        may be called from any thread."""
        Clock.schedule_once(lambda _dt: self._show_wall_photo(session_id, path))

    def _show_wall_photo(self, session_id: int, path: str) -> None:
        if session_id == self.session.id:
            for listener in list(self.wall_photo_listeners):
                listener(path)

    def start_outbox(self) -> None:
        """Send queued e-mail in the background; only where an asyncio loop runs the app."""
        from kiosk.checkout.outbox import OutboxSender
        from kiosk.payments.reminders import Reminders

        self.outbox = OutboxSender(self.studio.paths.database)
        self.outbox.subscribe(Reminders(self.studio.paths.database).after_round)  # hourly look
        self.outbox.start()

    def watch_pricelist(self) -> None:
        """Edits to pricelist.toml apply while the kiosk runs (kiosk.studio.PriceListWatcher)."""
        from kiosk.studio import PriceListWatcher

        self.pricelist_watcher = PriceListWatcher(
            self.studio, deliver=self.deliver, on_change=lambda: self.live.pricelist_changed()
        ).start()

    def wake_outbox(self) -> None:
        if getattr(self, "outbox", None) is not None:
            self.outbox.wake()

    def on_stop(self) -> None:
        self.live.unsubscribe(self._follow)
        if getattr(self, "pricelist_watcher", None) is not None:
            self.pricelist_watcher.stop()
        self.live.writer.close()  # commits what is queued: quitting loses nothing
        self.saving_problem.show("")
        Window.unbind(on_key_down=self._on_key_down, on_request_close=self._on_request_close)
        Window.unbind(on_touch_down=self._corner_down, on_touch_up=self._corner_up)
        self.textures.shutdown()
        self.music.stop()

    def _take_screenshot(self, *_args) -> None:
        self.slideshow.unbind(shown=self._take_screenshot)
        # Let the finished frame reach the window before reading it back.
        Clock.schedule_once(lambda _dt: save_screenshot(self.screenshot_path), 0.2)

    # keys and quitting ------------------------------------------------------------------
    def _on_key_down(self, _window, keycode: int, _scancode, _text, _modifiers) -> bool:
        if any(isinstance(w, ModalView) for w in Window.children):
            return False  # keys belong to the open panel (typing a note, the PIN...)
        if keycode == 27:  # Escape: ask, never quit on a stray key in front of a client
            self.ask_quit()
            return True
        name = Window._system_keyboard.keycode_to_string(keycode)
        if name == "p":
            self.open_connect()
            return True
        on_key = getattr(self.screens.current_screen, "on_key", None)
        return bool(on_key and on_key(name))

    def _on_request_close(self, *_args, source: str | None = None, **_kwargs) -> bool:
        if source in ("keyboard", None):
            self.ask_quit()
            return True  # handled: keep running until the photographer confirms
        return False

    # the photographer's doors: behind the PIN when the studio set one -------------------------
    def with_pin(self, then, on_quit=None) -> None:
        """`then()` once the PIN is typed; with `on_quit`, the pad also offers to quit."""
        from kiosk.ui.widgets.pinpad import PinPad

        pin = self.studio.settings.pin
        if not pin:
            then()
            return
        self.pinpad = PinPad(pin, on_ok=then, on_quit=on_quit)
        self.pinpad.open(animation=False)

    def open_connect(self) -> None:
        self.with_pin(self._show_connect, on_quit=self._confirm_quit)

    def _show_connect(self) -> None:
        from kiosk.ui.widgets.connect import ConnectPanel

        self.connect = ConnectPanel(self.pairing, self.base_url(), on_forget=self._forget_walls)
        self.connect.open(animation=False)

    def _forget_walls(self) -> None:
        """ "Forget all tablets" also closes the wall-photo links of the session on screen."""
        from kiosk.store.walls import revoke_wall_tokens

        revoke_wall_tokens(self.studio.store, self.live.session_id)

    def _corner_down(self, _window, touch) -> bool:
        # A long press in the top-left corner opens pairing: a photographer's gesture that a
        # client will not stumble on, and the touch still reaches whatever is under it.
        if touch.x < CORNER and touch.y > Window.height - CORNER:
            touch.ud["corner"] = time.monotonic()
        # The top-right corner, held as long, asks before quitting (behind the PIN if set).
        if touch.x > Window.width - CORNER and touch.y > Window.height - CORNER:
            touch.ud["quit_corner"] = time.monotonic()
        return False

    def _corner_up(self, _window, touch) -> bool:
        pressed = touch.ud.get("corner")
        if pressed and time.monotonic() - pressed >= CORNER_HOLD and touch.x < CORNER:
            self.open_connect()
        pressed = touch.ud.get("quit_corner")
        if pressed and time.monotonic() - pressed >= CORNER_HOLD:
            if touch.x > Window.width - CORNER:
                self.ask_quit()
        return False

    def ask_quit(self) -> None:
        self.with_pin(self._confirm_quit)

    def _confirm_quit(self) -> None:
        from kiosk.ui.widgets.confirm import Confirm

        if self.confirm is not None and self.confirm.parent:
            return
        self.confirm = Confirm(
            on_confirm=self.stop,
            question="Quit Reveal?",
            detail="The session is saved. It will open where you left it.",
            confirm_text="Quit",
            cancel_text="Stay",
        )
        self.confirm.open(animation=False)


def save_screenshot(path: Path) -> Path:
    """Window.screenshot adds a counter to the name; put the picture exactly where asked."""
    path = Path(path)
    written = Path(Window.screenshot(name=str(path.with_suffix(".png"))))
    written.replace(path)
    Logger.info(f"Reveal: screenshot saved to {path}")
    return path
