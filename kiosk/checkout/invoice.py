"""Confirming an order: the cart priced once more, frozen into a numbered invoice.

    from kiosk.checkout.invoice import confirm_order, Client
    invoice = confirm_order(store, session_id, pricelist, cart,
                            Client("Ada Lovelace", "ada@example.com"), today=date.today())
    invoice.number, invoice.reference     # 42, "0042": sequential, no gaps, no repeats
    invoice.phone_token                   # for the QR: only its hash is stored

The invoice keeps its own copy of everything it shows: the breakdown JSON, each line's product,
size and option names, the chosen images with their retouch notes and the currency. Editing the
price list, or a note, afterwards changes nothing on it.

Phone links: every token is `secrets.token_urlsafe(32)` (256 bits) and only its SHA-256 is
stored, so a copy of the database opens no order page. An invoice may have several live
tokens: showing the QR again (on the TV or in a re-rendered PDF) issues a fresh one with
`issue_phone_token`; all expire after `TOKEN_DAYS`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import UTC, date, datetime

from kiosk.checkout.addresses import check_address
from kiosk.checkout.settings import missing_details
from kiosk.core import selection
from kiosk.core.errors import (
    BadAddress,
    CartError,
    CheckoutError,
    ClientDetailsError,
    StudioDetailsMissing,
)
from kiosk.core.invoices import (
    STATUSES,
    Client,
    Invoice,
    InvoiceImage,
    OptionChoice,
    OrderLine,
    StudioDetails,
)
from kiosk.core.pricelist import PriceList
from kiosk.core.pricing import Cart, cart_from_dict, price
from kiosk.store import checkout as tables
from kiosk.store.db import Store

__all__ = [
    "Client",
    "Invoice",
    "STATUSES",
    "confirm_order",
    "validate_client",
    "get_invoice",
    "list_invoices",
    "set_status",
    "issue_phone_token",
    "invoice_for_phone_token",
    "phone_url",
    "revoke_phone_links",
]

TOKEN_DAYS = 30
MAX_FIELD = {"name": 120, "email": 254, "phone": 40, "address": 400}


def validate_client(client: Client, *, need_address: bool = False) -> Client:
    """The client's details trimmed, or ClientDetailsError naming every field to fix.

    Name and e-mail are required; the phone is optional but, when given, must look like a
    phone number; the delivery address is required when the order is delivered."""
    problems: dict[str, str] = {}
    name = " ".join(client.name.split())
    email = client.email.strip()
    phone = " ".join(client.phone.split())
    address = "\n".join(line.strip() for line in client.address.strip().splitlines() if line)
    if not name:
        problems["name"] = "Please enter the client's name."
    if not email:
        problems["email"] = "Please enter an e-mail address for the invoice."
    else:
        try:
            email = check_address(email)
        except BadAddress as exc:
            problems["email"] = f"The e-mail address {email!r} looks wrong: {exc.reason}"
    digits = sum(c.isdigit() for c in phone)
    if phone and (digits < 6 or any(not (c.isdigit() or c in " +-().x/") for c in phone)):
        problems["phone"] = (
            "The phone number should be digits, with spaces, dashes or a leading + if needed."
        )
    if need_address and not address:
        problems["address"] = "Please enter the delivery address, or choose pick-up."
    for key, most in MAX_FIELD.items():
        value = {"name": name, "email": email, "phone": phone, "address": address}[key]
        if len(value) > most and key not in problems:
            problems[key] = f"The {key} is too long ({len(value)} characters; at most {most})."
    if problems:
        raise ClientDetailsError(problems)
    return Client(name=name, email=email, phone=phone, address=address)


def confirm_order(
    store: Store,
    session_id: int,
    pricelist: PriceList,
    cart: Cart | dict,
    client: Client,
    *,
    today: date,
    now: float | None = None,
    token_days: int = TOKEN_DAYS,
    need_address: bool | None = None,
    studio: StudioDetails | None = None,
) -> Invoice:
    """Price `cart` and record it as the next invoice, atomically; returns it with a fresh
    `phone_token`. Raises ClientDetailsError, CartError (or StudioError for an unknown
    session) before anything is written. Safe to call from several threads or processes at
    once, each with its own Store: numbers come out strictly sequential.

    The delivery address is required when `need_address`; by default, when the cart's
    shipping method (or the list's default) is not a pick-up or collection at the studio.

    `studio` (kiosk.checkout.settings.details_for_session) is whose invoice this is: its name
    is kept on the invoice, and StudioDetailsMissing is raised when it lacks what an invoice
    needs, rather than invoicing in nobody's (or another studio's) name."""
    if studio is not None and (missing := missing_details(studio)):
        raise StudioDetailsMissing(missing)
    if isinstance(cart, dict):
        cart = cart_from_dict(cart)
    store.session(session_id)  # StudioError when there is no such session
    breakdown = price(pricelist, cart, today=today)
    if not any(line.kind in ("collection", "item") for line in breakdown.lines):
        raise CartError("The cart is empty; add a product or a collection before confirming.")
    if need_address is None:
        method = (
            pricelist.shipping_method(cart.shipping)
            if cart.shipping
            else pricelist.default_shipping
        )
        words = f"{method.id} {method.name}".lower() if method else "pick"
        need_address = not any(w in words for w in ("pick", "collect"))
    client = validate_client(client, need_address=need_address)

    session_images = {image.id: image for image in store.images(session_id)}
    lines = _order_lines(pricelist, cart, breakdown, session_images)
    chosen = _chosen_images(store, session_id, lines, session_images)

    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    record = {
        "session_id": session_id,
        "issued": today.isoformat(),
        "created": stamp,
        "client_name": client.name,
        "client_email": client.email,
        "client_phone": client.phone,
        "client_address": client.address,
        "studio": studio.name if studio is not None else pricelist.studio,
        "currency": json.dumps(asdict(pricelist.currency)),
        "cart": json.dumps(cart.to_dict(), ensure_ascii=False),
        "breakdown": json.dumps(breakdown.to_dict(), ensure_ascii=False),
        "lines": json.dumps([asdict(x) for x in lines], ensure_ascii=False),
        "images": json.dumps([asdict(x) for x in chosen], ensure_ascii=False),
        "total": breakdown.total,
        "status": "confirmed",
        "status_changed": stamp,
    }
    number = tables.insert_invoice(store, record, hash_token(token), now, now + token_days * 86400)
    return replace(tables.invoice(store, number), phone_token=token)


def get_invoice(store: Store, number: int) -> Invoice:
    """InvoiceNotFound when there is none."""
    return tables.invoice(store, number)


def list_invoices(
    store: Store, *, session_id: int | None = None, status: str | None = None
) -> list[Invoice]:
    return tables.invoices(store, session_id=session_id, status=status)


def set_status(store: Store, number: int, status: str) -> Invoice:
    """Move an invoice to `status` (confirmed, emailed, paid, delivered); the change is logged
    (`kiosk.store.checkout.status_history`)."""
    if status not in STATUSES:
        raise CheckoutError(
            f'"{status}" is not an invoice status; use one of: {", ".join(STATUSES)}.'
        )
    tables.set_status(store, number, status)
    return tables.invoice(store, number)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_phone_token(
    store: Store, number: int, *, now: float | None = None, days: int = TOKEN_DAYS
) -> str:
    """A new token for the invoice's phone page (the earlier ones stay valid until they
    expire). Use it when the QR is shown again after a restart, or in a re-rendered PDF."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    tables.store_phone_token(store, number, hash_token(token), now, now + days * 86400)
    return token


def invoice_for_phone_token(
    store: Store, token: str, *, now: float | None = None
) -> Invoice | None:
    """The invoice a phone link opens, or None for an unknown, expired or revoked token."""
    if not token or len(token) > 128:
        return None
    number = tables.token_invoice(store, hash_token(token), time.time() if now is None else now)
    return None if number is None else tables.invoice(store, number)


def revoke_phone_links(store: Store, number: int) -> int:
    """Close every phone link to this invoice at once; returns how many were live."""
    return tables.revoke_phone_tokens(store, number)


def phone_url(base_url: str, token: str) -> str:
    """The phone page's address, as the QR holds it: http://192.168.1.20:8470/i/TOKEN (served
    by kiosk/web/routes/phone.py; short, so the QR code stays coarse enough to scan easily)."""
    return f"{base_url.rstrip('/')}/i/{token}"


# ---------------------------------------------------------------------------------------------


def _order_lines(pricelist, cart, breakdown, session_images) -> list[OrderLine]:
    items = {line.ref: line for line in breakdown.lines if line.kind == "item"}
    out = []
    for n, line in enumerate(cart.lines, 1):
        ref = line.id or str(n)
        product = pricelist.product(line.product)
        variant = product.variant(line.variant)
        images = []
        for image in line.images:
            image_id = _image_id(image)
            if image_id not in session_images:
                raise CartError(
                    f"Cart line {n} ({product.name}) names image {image}, which is not in this "
                    "session; remove it from the line."
                )
            images.append(image_id)
        chosen = line.option_map
        options = []
        for option in product.options:
            choice = option.choice(chosen.get(option.id, option.default))
            options.append((option.id, choice.id, option.name, choice.name))
        priced = items[ref]
        out.append(
            OrderLine(
                ref=ref,
                label=priced.label,
                product=product.id,
                product_name=product.name,
                kind=product.kind,
                variant=variant.id,
                variant_name=variant.name,
                size=variant.size.label if variant.size else "",
                options=tuple(OptionChoice(*o) for o in options),
                images=tuple(images),
                quantity=line.quantity,
                units=priced.quantity,
                spreads=line.spreads or variant.spreads,
                unit_price=priced.unit_price,
                list_amount=priced.list_amount,
                amount=priced.amount,
                covered=priced.covered,
                note=priced.note,
            )
        )
    return out


def _image_id(value: int | str) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _chosen_images(
    store: Store, session_id: int, lines: Sequence[OrderLine], session_images
) -> list[InvoiceImage]:
    """The images on the order's lines, in session order, with their retouch notes. An order
    naming no image (a collection alone, "all digital files") takes the session's keepers."""
    from kiosk.live import LiveSession  # the one replay of a session's log (decisions + cart)

    state = LiveSession(store, session_id).state
    wanted = {i for line in lines for i in line.images}
    if not wanted:
        wanted = set(selection.keepers(state))
    out = []
    for image in sorted((session_images[i] for i in wanted), key=lambda im: im.position):
        note = state.notes.get(image.id)
        out.append(
            InvoiceImage(
                id=image.id,
                position=image.position,
                file_name=image.file_name,
                source_path=image.source_path,
                thumb_path=image.thumb_path,
                note=note.text if note else "",
                tags=tuple(selection.RETOUCH_TAGS[t] for t in note.tags) if note else (),
            )
        )
    return out
