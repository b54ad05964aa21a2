"""The cache within its budget on a real studio: small files, a fake clock; previews rebuilt
from the originals through the import, or the missing originals named; and the big queries
on their indexes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import main
from kiosk.imaging.importer import import_folder
from kiosk.store.db import save_view
from kiosk.store.sessions import _SUMMARY
from kiosk.upkeep.cache import cache_contents, keep_within_budget
from kiosk.upkeep.rebuild import rebuild_previews, without_previews
from tests.conftest import write_photo

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def cached_session(studio, tmp_path: Path, name: str, files: int, size: int) -> int:
    """A session whose previews and thumbnails are files of `size` bytes."""
    session = studio.store.create_session(name)
    cache = studio.paths.cache
    for i in range(files):
        preview, thumb = cache / f"{name}-{i}-p.jpg", cache / f"{name}-{i}-t.jpg"
        preview.write_bytes(b"p" * size)
        thumb.write_bytes(b"t" * (size // 10))
        studio.store.add_image(
            session.id,
            file_name=f"{i}.jpg",
            source_path=str(tmp_path / "gone" / f"{i}.jpg"),
            content_hash=f"{name}-{i}",
            width=4,
            height=3,
            capture_time="2026-01-01T10:00:00",
            preview_path=str(preview),
            thumb_path=str(thumb),
        )
    return session.id


def shown(studio, session_id: int, when: datetime) -> None:
    save_view(studio.store.db.conn, session_id, "select")
    studio.store.db.execute(
        "update session_views set updated = ? where session_id = ?",
        [when.isoformat(timespec="seconds"), session_id],
    )


def test_least_recently_shown_sessions_lose_their_previews_first(studio, tmp_path):
    old = cached_session(studio, tmp_path, "old", 3, 1000)
    older = cached_session(studio, tmp_path, "older", 3, 1000)
    recent = cached_session(studio, tmp_path, "recent", 3, 1000)
    on_tv = cached_session(studio, tmp_path, "tv", 3, 1000)
    shown(studio, old, NOW - timedelta(days=60))
    shown(studio, older, NOW - timedelta(days=400))
    shown(studio, recent, NOW - timedelta(days=3))
    shown(studio, on_tv, NOW - timedelta(days=900))
    assert cache_contents(studio.store, studio.paths.cache).size == 4 * 3300

    removed = keep_within_budget(
        studio.store, studio.paths.cache, budget=10_200, now=NOW, on_tv=on_tv
    )

    assert removed.plan.previews == (older,) and removed.plan.thumbs == ()
    assert removed.files == 3 and removed.freed == 3000
    left = {s.session_id: s for s in cache_contents(studio.store, studio.paths.cache).sessions}
    assert left[older].previews == 0 and left[older].thumbs == 300  # thumbnails kept
    assert left[old].previews == left[recent].previews == left[on_tv].previews == 3000

    removed = keep_within_budget(
        studio.store, studio.paths.cache, budget=1000, now=NOW, on_tv=on_tv
    )
    assert removed.plan.previews == (old,)  # the next oldest; the recent one and the TV's stay
    assert removed.plan.thumbs == (older, old) and removed.plan.over


def test_a_photo_two_sessions_share_is_kept_for_the_one_still_shown(studio, tmp_path):
    old = cached_session(studio, tmp_path, "old", 1, 1000)
    recent = studio.store.create_session("recent").id
    image = studio.store.images(old)[0]
    studio.store.add_image(
        recent,
        file_name="0.jpg",
        source_path=image.source_path,
        content_hash=image.content_hash,
        width=4,
        height=3,
        capture_time=image.capture_time,
        preview_path=image.preview_path,
        thumb_path=image.thumb_path,
    )
    shown(studio, old, NOW - timedelta(days=300))
    shown(studio, recent, NOW - timedelta(days=1))
    removed = keep_within_budget(studio.store, studio.paths.cache, budget=0, now=NOW, on_tv=None)
    assert removed.files == 0 and Path(image.preview_path).is_file()


def test_an_evicted_session_is_rebuilt_from_its_originals(studio, tmp_path):
    card = tmp_path / "card"
    card.mkdir()
    for i in range(2):
        write_photo(card / f"IMG_{i}.jpg", (64, 48), (200, 40 * i, 40))
    summary = import_folder(studio, card, "Ada Park", progress=False, workers=1)
    session = summary.session
    images = studio.store.images(session.id)
    for image in images:
        Path(image.preview_path).unlink()  # what the budget did

    assert len(without_previews(images)) == 2
    queued: list[tuple[int, Path, list[Path]]] = []
    outcome = rebuild_previews("Ada Park", images, lambda *job: queued.append(job))
    assert outcome.queued == 2 and outcome.message == ""
    [(session_id, folder, files)] = queued
    import_folder(
        studio, folder, "Ada Park", progress=False, workers=1, session=session, only=files
    )
    again = studio.store.images(session.id)
    assert without_previews(again) == []
    assert [i.id for i in again] == [i.id for i in images]  # decisions still point at them


def test_missing_originals_are_named_and_the_thumbnails_stay(studio, tmp_path):
    sid = cached_session(studio, tmp_path, "stick", 2, 100)
    images = studio.store.images(sid)
    Path(images[0].preview_path).unlink()
    outcome = rebuild_previews("Ada Park", images, lambda *job: None)
    assert outcome.queued == 0 and outcome.missing == ["0.jpg"]
    assert "1 of its 1 originals" not in outcome.message
    assert "Plug in the drive" in outcome.message and "thumbnails" in outcome.message
    assert Path(images[0].thumb_path).is_file()


def plan(studio, sql: str, args: list) -> str:
    rows = studio.store.db.execute("explain query plan " + sql, args).fetchall()
    return "\n".join(row[-1] for row in rows)


def test_the_queries_that_grow_with_the_studio_use_their_indexes(studio):
    searched = " or ".join(f"s.{c} like ? escape '\\'" for c in ("client", "email"))
    listed = plan(studio, f"{_SUMMARY} where ({searched}) order by s.id desc", ["a%", "a%"])
    assert "SEARCH p USING INTEGER PRIMARY KEY" in listed  # session_progress: no log read
    assert "USING COVERING INDEX events_time" in listed
    assert "idx_invoices_session_id" in listed
    assert "SCAN e" not in listed and "SCAN v" not in listed and "SCAN i" not in listed
    assert "SCAN p" not in listed
    shown_last = "select session_id from session_views order by updated desc limit 1"
    assert "idx_session_views_updated" in plan(studio, shown_last, [])
    orders = "select number from invoices where status = ? order by number"
    assert "idx_invoices_status_number" in plan(studio, orders, ["paid"])
    mails = "select id from outbox where invoice = ? order by id"
    assert "idx_outbox_invoice_id" in plan(studio, mails, [1])
    queued = "select id from outbox where status = 'queued' and next_attempt <= ?"
    assert "idx_outbox_status_next_attempt" in plan(studio, queued, [0])


def test_studio_stats_counts_what_the_studio_holds(studio, tmp_path, capsys):
    cached_session(studio, tmp_path, "ada", 2, 100)
    data = studio.paths.root
    studio.close()
    assert main.main(["--data", str(data), "studio-stats"]) == 0
    out = capsys.readouterr().out
    assert "Sessions" in out and "Images" in out and "Events" in out
    assert "Oldest cached" in out and "never" in out
    assert "budget" in out


def test_a_preview_recorded_outside_the_cache_is_never_removed(studio, session_factory):
    sid = session_factory([(60, 40)] * 2)  # previews recorded where the pictures themselves are
    image = studio.store.images(sid)[0]
    removed = keep_within_budget(studio.store, studio.paths.cache, budget=0, now=NOW, on_tv=None)
    assert removed.files == 0 and Path(image.preview_path).is_file()
    assert cache_contents(studio.store, studio.paths.cache).size == 0
