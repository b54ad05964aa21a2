"""Checkout fixtures: a priced order in a real studio, and a real SMTP server on loopback."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kiosk.checkout.invoice import Client, confirm_order
from kiosk.core.invoices import StudioDetails
from kiosk.core.mail import SmtpSettings
from kiosk.core.pricelist import load
from kiosk.core.pricing import Cart, CartLine

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "demo" / "session"
TODAY = date(2026, 5, 1)

STUDIO = StudioDetails(
    name="Golden Hour Portraits",
    email="hello@goldenhour.example",
    phone="+1 503 555 0100",
    address="88 Pearl Street, Studio 3\nPortland, OR 97209",
    website="goldenhour.example",
    payment_instructions=(
        "Pay the deposit today by card at the studio, or by bank transfer to Golden Hour "
        "Portraits LLC, account 0123 4567 89, routing 123000848, with the invoice number."
    ),
    terms=(
        "Orders go into production once the deposit is received; wall art takes 3–4 weeks. "
        "Instalments are charged monthly to the card on file. Digital files are licensed for "
        "personal use."
    ),
)
CLIENT = Client(
    "Eleanor Whitfield",
    "eleanor@example.com",
    "+1 503 555 0142",
    "1420 Alder Street\nPortland, OR 97205",
)


@pytest.fixture(scope="session")
def pricelist():
    return load(ROOT / "assets" / "pricelist.toml")


@pytest.fixture
def session_images(studio, session_factory):
    """A session of 20 generated images, two with retouch notes; returns (session, ids)."""
    session_id = session_factory([(300, 200) if i % 3 else (200, 300) for i in range(20)])
    ids = [image.id for image in studio.store.images(session_id)]
    studio.store.append_events(
        session_id,
        [
            {"kind": "note", "image": ids[1], "text": "Soften the chin shadow", "tags": []},
            {
                "kind": "note",
                "image": ids[1],
                "text": "Soften the chin shadow; keep freckles",
                "tags": ["skin_smoothing", "remove_stray_hair"],
            },
            {"kind": "note", "image": ids[4], "text": "", "tags": ["black_and_white"]},
        ],
    )
    return session_id, ids


def sample_cart(ids: list[int], extra_prints: int = 0) -> Cart:
    lines = [
        CartLine("canvas", "30x40", {"depth": "1.5"}, images=(ids[1],), id="wall"),
        CartLine("album", "10x10", {"cover": "leather"}, spreads=12, images=tuple(ids[:10])),
        CartLine("digital", "single", images=tuple(ids[1:16])),
        CartLine("print", "8x10", {"paper": "metallic"}, images=(ids[4],), quantity=2),
        CartLine("framed", "16x20", {"frame": "gold", "mat": "cream"}, images=(ids[7],)),
    ]
    lines += [CartLine("print", "5x7", images=(ids[i % len(ids)],)) for i in range(extra_prints)]
    return Cart(
        lines=tuple(lines),
        collection="heirloom",
        shipping="install",
        payment_plan="three",
        promo_codes=("VIEWING100",),
    )


@pytest.fixture
def invoice(studio, session_images, pricelist):
    session_id, ids = session_images
    return confirm_order(studio.store, session_id, pricelist, sample_cart(ids), CLIENT, today=TODAY)


# SMTP ------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Inbox:
    """aiosmtpd handler: keeps every accepted envelope. `hold`, when set, makes the first
    message's DATA wait (after it is fully received) until released: the window in which a
    sender may die after the server took the message."""

    envelopes: list = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> reply, e.g. "550 ..."
    hold: threading.Event | None = None
    received: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        self.received.set()
        hold = self.hold
        while hold is not None and not hold.is_set():
            await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"

    def messages(self):
        from email import message_from_bytes, policy

        return [
            message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes
        ]


@dataclass
class Server:
    port: int
    inbox: Inbox
    controller: Controller | None = None

    @property
    def settings(self) -> SmtpSettings:
        return SmtpSettings("127.0.0.1", self.port, security="none", timeout=5)

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    """A stopped server on a free port: start() it when the test wants it up."""
    server = Server(free_port(), Inbox())
    yield server
    if server.inbox.hold is not None:
        server.inbox.hold.set()
    server.stop()


def run_python(code: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)


def wait_for(condition, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)
