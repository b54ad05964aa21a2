"""The client's gallery: its link, what it shows, and the files and ZIP it serves.

    token = issue_gallery_link(store, 42)                  # shown once; only its hash is kept
    number = gallery_for_token(store, token)               # None: unknown, expired or withdrawn
    gallery = load_gallery(store, get_invoice(store, 42))
    gallery.state.open                                     # paid in full, every final in
    gallery.files                                          # the purchased images' finals only
    gallery.zip.size                                       # the archive, laid out, not written

The link's token comes from `secrets` (192 bits) and lasts GALLERY_DAYS; the photographer can
withdraw it at any time (kiosk/web/routes/gallery.py, `main.py gallery ORDER --withdraw`).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.checkout.invoice import get_invoice, hash_token
from kiosk.core.finals import clean_names, purchased_images
from kiosk.core.gallery import GALLERY_DAYS, GalleryState, gallery_state
from kiosk.core.invoices import Invoice
from kiosk.core.payments import Account
from kiosk.delivery.ziplayout import Member, ZipLayout
from kiosk.payments.ledger import account_for
from kiosk.store import delivery as rows
from kiosk.store.db import Store

TOKEN_BYTES = 24  # 192 bits
ZIP_NAME = "all.zip"


@dataclass(frozen=True)
class GalleryFile:
    image_id: int
    name: str  # the clean name the client downloads it under
    path: Path
    size: int
    crc: int
    mtime: float
    thumb_path: str


@dataclass(frozen=True)
class Gallery:
    invoice: Invoice
    account: Account
    state: GalleryState
    files: tuple[GalleryFile, ...]  # empty while the gallery is locked

    def file(self, name: str) -> GalleryFile | None:
        return next((f for f in self.files if f.name == name), None)

    @property
    def zip(self) -> ZipLayout:
        return ZipLayout([Member(f.name, f.path, f.size, f.crc, f.mtime) for f in self.files])

    @property
    def zip_name(self) -> str:
        stem = self.files[0].name.rsplit("-", 1)[0] if self.files else "photos"
        return f"{stem}-{self.invoice.reference}.zip"


def issue_gallery_link(
    store: Store, number: int, *, now: float | None = None, days: int = GALLERY_DAYS
) -> str:
    """A new token for the order's gallery (earlier ones stay valid until they expire)."""
    get_invoice(store, number)  # InvoiceNotFound
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(TOKEN_BYTES)
    rows.add_gallery_token(store, number, hash_token(token), now, now + days * 86400)
    return token


def gallery_for_token(store: Store, token: str, *, now: float | None = None) -> int | None:
    if not token or len(token) > 128:
        return None
    return rows.token_gallery(store, hash_token(token), time.time() if now is None else now)


def withdraw_gallery_links(store: Store, number: int) -> int:
    return rows.revoke_gallery_tokens(store, number)


def gallery_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/g/{token}"


def load_gallery(store: Store, invoice: Invoice, today: date | None = None) -> Gallery:
    """The gallery as the client may see it now: no file at all while it is locked."""
    account = account_for(store, invoice, today or date.today())
    wanted = purchased_images(invoice)
    finals = {f.image_id: f for f in rows.finals(store, invoice.number)}
    state = gallery_state(paid_in_full=account.paid_in_full, wanted=wanted, retouched=finals)
    if not state.open:
        return Gallery(invoice, account, state, ())
    names = clean_names(invoice, [(i, finals[i].source_name) for i in wanted])
    thumbs = {i.id: i.thumb_path for i in invoice.images}
    files = tuple(
        GalleryFile(
            i,
            names[i],
            Path(finals[i].path),
            finals[i].size,
            finals[i].crc,
            finals[i].mtime,
            thumbs.get(i, ""),
        )
        for i in wanted
    )
    return Gallery(invoice, account, state, files)
