"""The Settings page over HTTP against the real server: behind the PIN, settings.toml saved with
the studio's comments kept and the start's own messages, the mail password write-only, the test
e-mail through a real aiosmtpd with STARTTLS and a CA made with openssl, the logo bounded."""

from __future__ import annotations

import io

from PIL import Image

from kiosk.backup.manifest import MANIFEST
from kiosk.config import load_settings, save_setting
from kiosk.web.unlock import LOCKOUT_SECONDS, MOST_WRONG
from tests.checkout.test_mail_security import (  # noqa: F401 (fixtures)
    PASSWORD,
    USER,
    certificates,
    free_port,
    mail_server,
)
from tests.web.conftest import refuses_strangers_and_other_sites

ROUTES = [
    ("get", "/api/settings"),
    ("post", "/api/settings"),
    ("post", "/api/settings/unlock"),
    ("post", "/api/settings/mail"),
    ("post", "/api/settings/mail/test"),
    ("get", "/api/settings/logo"),
    ("post", "/api/settings/logo"),
    ("post", "/api/settings/logo/remove"),
]


def png(size: tuple[int, int], colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def test_every_settings_route_refuses_a_stranger_and_a_cross_site_write(server):
    tablet = refuses_strangers_and_other_sites(server, "/remote/settings", ROUTES)
    assert tablet.get("/remote/settings").status_code == 200


def test_saving_keeps_the_studios_comments_and_refuses_a_wrong_value_in_the_starts_words(
    server, studio
):
    settings_file = studio.paths.settings
    load_settings(studio.paths)
    text = settings_file.read_text().replace(
        "slideshow_seconds = 6.0", "slideshow_seconds = 6.0  # Jo likes it slow"
    )
    settings_file.write_text("# Jo's kiosk, set up in May\n" + text)
    tablet = server.paired_client()
    saved = tablet.post(
        "/api/settings",
        json={"slideshow_seconds": 9, "import_roots": ["/srv/shoots"], "web_port": 8471},
    )
    assert saved.status_code == 200, saved.text
    after = settings_file.read_text()
    assert after.startswith("# Jo's kiosk, set up in May\n")
    assert "slideshow_seconds = 9  # Jo likes it slow" in after
    assert 'import_roots = ["/srv/shoots"]' in after
    assert (
        after.replace("= 9  #", "= 6.0  #")
        .replace('import_roots = ["/srv/shoots"]', "import_roots = []")
        .replace("web_port = 8471", "web_port = 8470")
        == "# Jo's kiosk, set up in May\n" + text
    )
    assert saved.json()["settings"]["slideshow_seconds"] == 9
    assert "applies after the kiosk restarts" in saved.json()["restart"][0]
    assert server.studio.settings.slideshow_seconds == 9  # in force now
    assert server.studio.settings.web_port == 8470  # until a restart
    wrong = tablet.post("/api/settings", json={"pin": "12"})
    assert wrong.status_code == 422
    assert (
        wrong.json()["error"]
        == "'pin' should be 4 to 8 digits (0-9), or empty for no PIN; it is '12'."
    )
    assert tablet.post("/api/settings", json={"preview_edge": 10}).status_code == 422
    assert tablet.post("/api/settings", json={"slideshow_seconds": "9"}).status_code == 422
    assert settings_file.read_text() == after


def test_with_a_pin_nothing_is_shown_or_saved_until_it_is_typed_and_wrong_ones_wait(server, studio):
    tablet = server.paired_client()
    assert tablet.post("/api/settings", json={"pin": "2468"}).status_code == 200
    assert tablet.get("/api/settings").json()["pinSet"]  # the device that set it stays in
    other = server.paired_client()
    assert other.get("/api/settings").json() == {"locked": True}
    assert other.post("/api/settings", json={"pin": ""}).status_code == 403
    assert other.get("/api/settings/logo").status_code == 403
    for _ in range(MOST_WRONG - 1):
        wrong = other.post("/api/settings/unlock", json={"pin": "1111"})
        assert wrong.status_code == 422 and "not the kiosk's PIN" in wrong.json()["error"]
    assert other.post("/api/settings/unlock", json={"pin": "1111"}).status_code == 429
    waiting = other.post("/api/settings/unlock", json={"pin": "2468"})  # even the right one
    assert waiting.status_code == 429 and int(waiting.headers["Retry-After"]) > 0
    server.clock.advance(LOCKOUT_SECONDS + 1)
    assert other.post("/api/settings/unlock", json={"pin": "2468"}).status_code == 200
    assert other.get("/api/settings").json()["settings"]["pin"] == "2468"
    assert load_settings(studio.paths).pin == "2468"
    server.clock.advance(11 * 60)  # the unlock lapses
    assert other.get("/api/settings").json() == {"locked": True}


def test_the_mail_password_is_write_only_and_the_test_email_says_what_happened(
    server,
    studio,
    mail_server,  # noqa: F811 (the fixture imported above)
    certificates,  # noqa: F811
):
    port, inbox = mail_server("starttls")
    tablet = server.paired_client()
    mail = {
        "host": "127.0.0.1",
        "port": port,
        "security": "starttls",
        "username": USER,
        "password": PASSWORD,
        "ca_file": str(certificates / "ca.pem"),
    }
    answers = [tablet.post("/api/settings/mail", json=mail)]
    assert answers[0].status_code == 200, answers[0].text
    # Saved again without a password: the one kept stays.
    answers.append(tablet.post("/api/settings/mail", json={**mail, "password": ""}))
    answers.append(tablet.get("/api/settings"))
    assert answers[-1].json()["mail"]["passwordSet"] is True
    sent = tablet.post("/api/settings/mail/test", json={"to": "jo@golden.example"})
    assert sent.json() == {
        "ok": True,
        "message": f"The test e-mail went to jo@golden.example through 127.0.0.1:{port}.",
    }
    assert len(inbox.messages) == 1
    answers.append(sent)
    wrong = tablet.post("/api/settings/mail", json={**mail, "password": "wrong one"})
    failed = tablet.post("/api/settings/mail/test", json={"to": "jo@golden.example"})
    assert failed.json()["ok"] is False and "password" in failed.json()["message"].lower()
    closed = tablet.post("/api/settings/mail", json={**mail, "port": free_port()})
    refused = tablet.post("/api/settings/mail/test", json={"to": "jo@golden.example"})
    assert refused.json()["ok"] is False and "connect" in refused.json()["message"].lower()
    answers += [wrong, failed, closed, refused, tablet.get("/remote/settings")]
    for answer in answers:
        assert PASSWORD not in answer.text and "wrong one" not in answer.text
    for file in (studio.paths.database, studio.paths.settings):
        assert b"wrong one" not in file.read_bytes() and PASSWORD.encode() not in file.read_bytes()
    bad = tablet.post("/api/settings/mail", json={**mail, "security": "tls9"})
    assert bad.status_code == 422 and "Security" in bad.json()["error"]
    ssl_port, ssl_inbox = mail_server("ssl")
    over_ssl = {"port": ssl_port, "security": "ssl", "password": PASSWORD}  # the rest kept
    assert tablet.post("/api/settings/mail", json=over_ssl).status_code == 200
    assert tablet.post("/api/settings/mail/test", json={"to": "jo@golden.example"}).json()["ok"]
    assert len(ssl_inbox.messages) == 1


def test_a_logo_is_kept_as_a_png_in_the_studio_folder_and_a_bomb_or_a_stranger_file_refused(
    server, studio
):
    tablet = server.paired_client()
    as_png = {"Content-Type": "image/png"}
    kept = tablet.post("/api/settings/logo", content=png((600, 200)), headers=as_png)
    assert kept.status_code == 200, kept.text
    logo = tablet.get("/api/settings/logo")
    assert logo.status_code == 200 and logo.content.startswith(b"\x89PNG")
    assert (studio.paths.root / "logo.png").is_file()
    assert tablet.get("/api/settings").json()["logo"] is True
    huge = tablet.post("/api/settings/logo", content=png((5000, 8)), headers=as_png)
    assert huge.status_code == 422 and "5000 × 8 pixels" in huge.json()["error"]
    text = tablet.post("/api/settings/logo", content=b"not a picture", headers=as_png)
    assert text.status_code == 422 and "PNG or JPEG" in text.json()["error"]
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    assert (
        tablet.post("/api/settings/logo", content=gif.getvalue(), headers=as_png).status_code == 422
    )
    with Image.open(studio.paths.root / "logo.png") as still:
        assert still.size == (600, 200)  # the refused ones changed nothing
    assert tablet.post("/api/settings/logo/remove", json={}).json()["logo"] is False
    assert tablet.get("/api/settings/logo").status_code == 404


def test_the_backup_line_is_red_after_two_days(server, studio, tmp_path):
    folder = tmp_path / "nas"
    save_setting(studio.paths, "backup_folder", str(folder))
    old = folder / "reveal-backup-2020-01-01-090000"
    old.mkdir(parents=True)
    (old / MANIFEST).write_text("{}")
    view = server.paired_client().get("/api/settings").json()["backup"]
    assert view["folder"] == str(folder)
    assert view["last"] == "2020-01-01 09:00" and view["stale"] is True and view["size"] > 0
