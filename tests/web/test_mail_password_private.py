"""The mail server's password never reaches a browser: no page or answer of the remote carries
it, and it is not in the database or settings.toml the pages are served from."""

from __future__ import annotations

from kiosk.checkout.settings import save_smtp_settings
from kiosk.core.mail import SmtpSettings

PASSWORD = "never-shown 9f3c"


def test_no_answer_of_the_remote_carries_the_mail_password(server):
    settings = SmtpSettings("smtp.golden.example", 465, "ssl", "studio@golden.example", PASSWORD)
    server.call(save_smtp_settings, server.studio.store, settings)
    tablet = server.paired_client()
    answers = [tablet.get(path) for path in ("/remote", "/remote/orders", "/api/orders")]
    answers.append(tablet.get("/api/studio"))
    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    assert answers[-1].json()["mailServer"] is True  # the server is known to be set up...
    for answer in answers:
        assert PASSWORD not in answer.text  # ...but its password is not sent
    root = server.studio.paths.root
    assert PASSWORD.encode() not in (root / "studio.db").read_bytes()
    assert PASSWORD.encode() not in (root / "settings.toml").read_bytes()
