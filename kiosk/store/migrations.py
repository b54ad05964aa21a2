"""The studio database's schema, one migration per released version (`PRAGMA user_version`).

Append only: a released migration is never edited, a new one is added at the end. `Store`
runs the ones a studio's file has not had yet, each in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _v1(db: sqlite_utils.Database) -> None:
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["sessions"].create(
        {"id": int, "client": str, "email": str, "created": str}, pk="id", not_null={"client"}
    )
    db["images"].create(
        {
            "id": int,
            "session_id": int,
            "file_name": str,
            "source_path": str,
            "content_hash": str,
            "width": int,
            "height": int,
            "capture_time": str,
            "preview_path": str,
            "thumb_path": str,
        },
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["images"].create_index(["session_id", "content_hash"], unique=True)
    db["events"].create(
        {"seq": int, "session_id": int, "time": str, "actor": str, "command": str},
        pk="seq",
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["events"].create_index(["session_id", "seq"])


def _v2_remote(db: sqlite_utils.Database) -> None:
    """The tablet remote: paired devices (so a revocation survives a restart; only a hash of
    each token is kept) and the photographer's private notes, which never enter the event log
    because the TV and the client's documents are built from it."""
    db["devices"].create(
        {
            "id": int,
            "token_hash": str,
            "kind": str,  # 'remote' (controls the kiosk) or 'mirror' (view only)
            "name": str,
            "paired_at": float,  # seconds since the epoch
            "expires_at": float,
        },
        pk="id",
        not_null={"token_hash", "kind", "expires_at"},
    )
    db["devices"].create_index(["token_hash"], unique=True)
    db["private_notes"].create(
        {"image_id": int, "text": str, "updated": str},
        pk="image_id",
        foreign_keys=[("image_id", "images", "id")],
        not_null={"text"},
    )


def _v3_checkout(db: sqlite_utils.Database) -> None:
    """Checkout (kiosk/store/checkout.py): invoices, numbered inside the transaction that
    writes them and holding a frozen copy of what was sold; their status history; hashes of
    the phone links' tokens; and the e-mail outbox, each message stored whole before any
    attempt to send it (docs/checkout.md)."""
    db["invoices"].create(
        {
            "number": int,
            "session_id": int,
            "issued": str,  # the invoice date, YYYY-MM-DD
            "created": str,
            "client_name": str,
            "client_email": str,
            "client_phone": str,
            "client_address": str,
            "studio": str,
            "currency": str,  # JSON of the price list's Currency
            "cart": str,  # JSON, docs/pricelist.md
            "breakdown": str,  # JSON, Breakdown.to_dict()
            "lines": str,  # JSON, the cart lines as sold (names, sizes, options, amounts)
            "images": str,  # JSON, the chosen images with their retouch notes
            "total": int,
            "status": str,
            "status_changed": str,
        },
        pk="number",
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"session_id", "issued", "client_name", "breakdown", "status"},
    )
    db["invoices"].create_index(["session_id"])
    db["invoice_history"].create(
        {"id": int, "invoice": int, "status": str, "time": str},
        pk="id",
        foreign_keys=[("invoice", "invoices", "number")],
    )
    db["invoice_tokens"].create(
        {"token_hash": str, "invoice": int, "created": float, "expires_at": float},
        pk="token_hash",
        foreign_keys=[("invoice", "invoices", "number")],
        not_null={"invoice", "expires_at"},
    )
    db["outbox"].create(
        {
            "id": int,
            "message_id": str,
            "kind": str,
            "invoice": int,
            "sender": str,
            "recipients": str,  # JSON list
            "subject": str,
            "message": bytes,  # the RFC 5322 bytes, exactly as they will be sent
            "status": str,
            "attempts": int,
            "in_doubt": int,
            "last_error": str,
            "next_attempt": float,
            "lease_until": float,
            "created": float,
            "sent_at": float,
        },
        pk="id",
        not_null={"message_id", "message", "status"},
        defaults={"attempts": 0, "in_doubt": 0, "last_error": "", "lease_until": 0},
    )
    db["outbox"].create_index(["message_id"], unique=True)
    db["outbox"].create_index(["status", "next_attempt"])


def _v4_walls(db: sqlite_utils.Database) -> None:
    """Clients' own walls (kiosk/store/walls.py): hashes of the per-session upload links the
    TV shows as a QR code, and the wall photos that arrived through them, stored as upright
    sRGB JPEGs in the studio folder."""
    db["wall_tokens"].create(
        {"token_hash": str, "session_id": int, "created": float, "expires_at": float},
        pk="token_hash",
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"session_id", "expires_at"},
    )
    db["wall_photos"].create(
        {
            "id": int,
            "session_id": int,
            "path": str,  # <studio>/walls/<session>/<sha256 of the upload>.jpg
            "width": int,  # as stored: upright
            "height": int,
            "created": str,
        },
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"session_id", "path", "width", "height"},
    )
    db["wall_photos"].create_index(["path"], unique=True)
    db["wall_photos"].create_index(["session_id", "id"])


def _v5_wall_calibrations(db: sqlite_utils.Database) -> None:
    """How each wall photo was calibrated on the TV (kiosk/core/calibration.py): the touched
    ends of the reference, its length as typed, the wall's corners when dragged. The wall is
    derived from these again on every start, so it comes back exactly as it was."""
    db["wall_calibrations"].create(
        {
            "photo_id": int,  # one calibration per photo: calibrating again replaces it
            "session_id": int,
            "name": str,
            "ax": float,  # image pixels of the stored, upright photo
            "ay": float,
            "bx": float,
            "by": float,
            "length": float,  # as typed, in `unit`
            "unit": str,
            "on_floor": int,
            "corners": str,  # JSON [[x, y] x4] or null: a wall photographed square-on
            "focal": float,
            "created": str,
        },
        pk="photo_id",
        foreign_keys=[("photo_id", "wall_photos", "id"), ("session_id", "sessions", "id")],
        not_null={"session_id", "ax", "ay", "bx", "by", "length", "unit"},
    )
    db["wall_calibrations"].create_index(["session_id", "photo_id"])


def _v6_wall_designs(db: sqlite_utils.Database) -> None:
    """The wall design on the wall-art screen (kiosk/store/designs.py): the room and its pieces
    as JSON (kiosk/core/walldesign.py), one per session, written on every change so the
    screen opens on it again after a restart."""
    db["wall_designs"].create(
        {"session_id": int, "room": str, "design": str, "updated": str},
        pk="session_id",
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"room", "design"},
    )


def _v7_session_views(db: sqlite_utils.Database) -> None:
    """Which screen the TV showed for each session, so a restart opens where the client was.
    Navigation, not a decision: kept beside the event log, not in it."""
    db["session_views"].create(
        {"session_id": int, "screen": str, "updated": str},
        pk="session_id",
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"screen"},
    )


def _v8_client_details(db: sqlite_utils.Database) -> None:
    """The client's details the tablet keeps (kiosk/core/clients.py) beside the name and
    e-mail; when a session was archived (hidden from the list, kept whole; NULL while in use);
    and every change to the details, so a corrected e-mail leaves a trace (store/sessions.py)."""
    for column in ("phone", "partner", "notes", "shoot_date", "viewing_at"):
        db["sessions"].add_column(column, str, not_null_default="")
    db["sessions"].add_column("archived", str)
    db["session_changes"].create(
        {"id": int, "session_id": int, "time": str, "field": str, "old": str, "new": str},
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"session_id", "time", "field"},
    )
    db["session_changes"].create_index(["session_id", "id"])


def _v9_upkeep(db: sqlite_utils.Database) -> None:
    """A studio of many years (kiosk/store/upkeep.py, kiosk/store/snapshots.py): indexes for
    the queries that grow with it (the sessions list's counts, the newest shown session,
    invoices by status, e-mails by invoice), and snapshots of closed sessions' logs, so one is
    opened from its snapshot plus the events after it. The log itself stays whole: the truth."""
    db["event_snapshots"].create(
        {
            "session_id": int,
            "seq": int,  # the last event the snapshot includes
            "image_ids": str,  # JSON: the session's images as of the snapshot, in order
            "format": int,  # the snapshot's encoding; another one is ignored (the log replays)
            "state": bytes,
            "created": str,
        },
        pk="session_id",
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"seq", "image_ids", "format", "state"},
    )
    db.execute("create index events_time on events (session_id, time)")
    db.execute(
        "create index events_decided on events "
        "(session_id, json_extract(command, '$.image')) "
        "where json_extract(command, '$.kind') = 'decide'"
    )
    db["session_views"].create_index(["updated"])
    db["invoices"].create_index(["status", "number"])
    db["invoice_history"].create_index(["invoice", "id"])
    db["outbox"].create_index(["invoice", "id"])


def _v10_payments(db: sqlite_utils.Database) -> None:
    """An order's payments and refunds, append-only (kiosk/core/payments.py), and the one
    reminder each instalment may get: its key is unique, so a second is never recorded."""
    db["payments"].create(
        {
            "id": int,
            "invoice": int,
            "time": str,
            "day": str,
            "amount": int,
            "method": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("invoice", "invoices", "number")],
        not_null={"invoice", "time", "day", "amount", "method"},
    )
    db["payments"].create_index(["invoice", "id"])
    db["payment_reminders"].create(
        {"invoice": int, "instalment": int, "due": str, "time": str, "outbox": int},
        pk=("invoice", "instalment", "due"),
        foreign_keys=[("invoice", "invoices", "number")],
    )


def _v11_delivery(db: sqlite_utils.Database) -> None:
    """The retouched finals of an order (kiosk/core/finals.py), the client's gallery links
    (only a token's hash is kept), and every download from the gallery."""
    db["finals"].create(
        {
            "invoice": int,
            "image_id": int,
            "source_name": str,  # the file's name in the export folder
            "path": str,  # the copy in the studio folder
            "size": int,
            "crc": int,  # CRC-32, for the ZIP's headers before a byte is sent
            "mtime": float,
            "matched_by": str,  # "name" or "picture"
            "added": str,
        },
        pk=("invoice", "image_id"),
        foreign_keys=[("invoice", "invoices", "number")],
    )
    db["gallery_tokens"].create(
        {"token_hash": str, "invoice": int, "created": float, "expires_at": float},
        pk="token_hash",
        foreign_keys=[("invoice", "invoices", "number")],
    )
    db["gallery_tokens"].create_index(["invoice"])
    db["gallery_downloads"].create(
        {"id": int, "invoice": int, "time": float, "what": str, "start": int, "bytes": int},
        pk="id",
        foreign_keys=[("invoice", "invoices", "number")],
    )
    db["gallery_downloads"].create_index(["invoice", "id"])


def _v12_client_search(db: sqlite_utils.Database) -> None:
    """An index of the words of each client's details, so a search of a studio's thousands of
    sessions reads the words that start with what was typed instead of every row. An e-mail
    address is one word; a phone number is indexed as written and as its digits alone, so
    "5550107946" finds "(555) 010-7946". Triggers keep it in the transaction of each change.
    Word starts up to six characters are indexed too: what a photographer types while the list
    narrows is then one read, not a merge of every word that starts so."""
    digits = "new.phone"
    for mark in (" ", "-", "(", ")", ".", "+", "/"):
        digits = f"replace({digits}, '{mark}', '')"
    db.execute(
        "create virtual table sessions_search using fts5(client, partner, email, phone, digits, "
        "tokenize=\"unicode61 remove_diacritics 2 tokenchars '@.+_'\", prefix='1 2 3 4 5 6', "
        "detail=none)"
    )
    learn = (
        "insert into sessions_search(rowid, client, partner, email, phone, digits) "
        f"values (new.id, new.client, new.partner, new.email, new.phone, {digits});"
    )
    forget = "delete from sessions_search where rowid = old.id;"
    db.execute(f"create trigger sessions_search_insert after insert on sessions begin {learn} end")
    db.execute(f"create trigger sessions_search_delete after delete on sessions begin {forget} end")
    db.execute(
        "create trigger sessions_search_update after update of client, partner, email, phone "
        f"on sessions begin {forget} {learn} end"
    )
    db.execute(
        "insert into sessions_search(rowid, client, partner, email, phone, digits) "
        f"select id, client, partner, email, phone, {digits.replace('new.', '')} from sessions"
    )


def _v13_line_events(db: sqlite_utils.Database) -> None:
    """Each physical order line's way to the client (kiosk/core/fulfilment.py): sent to the
    lab, shipped with its tracking note, delivered. Append-only: a line's state is its newest
    event, and a correction is one more event."""
    db["line_events"].create(
        {"id": int, "invoice": int, "line": str, "state": str, "note": str, "time": str},
        pk="id",
        foreign_keys=[("invoice", "invoices", "number")],
        not_null={"invoice", "line", "state", "time"},
    )
    db["line_events"].create_index(["invoice", "id"])


def _v14_decided_count(db: sqlite_utils.Database) -> None:
    """How many of a session's images have a decision logged, kept as the log grows: the
    sessions list showed it by counting each session's decisions in the log, 60 sessions a
    page, which grew with every session's log; and its count of the sessions not archived.
    A trigger notes each image's first decision, in the transaction that logs it; a second
    decision of the same image changes nothing."""
    db.execute(
        "create table decided_images (session_id integer not null references sessions(id), "
        "image_id integer not null, primary key (session_id, image_id)) without rowid"
    )
    db.execute(
        "create table session_progress (session_id integer primary key "
        "references sessions(id), decided integer not null)"
    )
    db.execute(
        "create trigger events_first_decision after insert on events "
        "when json_extract(new.command, '$.kind') = 'decide' begin "
        "insert or ignore into decided_images (session_id, image_id) "
        "values (new.session_id, json_extract(new.command, '$.image')); end"
    )
    db.execute(
        "create trigger decided_images_count after insert on decided_images begin "
        "insert into session_progress (session_id, decided) values (new.session_id, 1) "
        "on conflict (session_id) do update set decided = decided + 1; end"
    )
    db.execute(
        "insert or ignore into decided_images (session_id, image_id) "
        "select session_id, json_extract(command, '$.image') from events "
        "where json_extract(command, '$.kind') = 'decide'"
    )
    # The list's count of sessions not archived reads this index, not every session's row.
    db.execute("create index sessions_archived on sessions (archived)")


# Append only: a released migration is never edited, a new one is added.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1,
    _v2_remote,
    _v3_checkout,
    _v4_walls,
    _v5_wall_calibrations,
    _v6_wall_designs,
    _v7_session_views,
    _v8_client_details,
    _v9_upkeep,
    _v10_payments,
    _v11_delivery,
    _v12_client_search,
    _v13_line_events,
    _v14_decided_count,
]
