"""The mail server's password kept out of the database and the settings, and the test e-mail
through a real aiosmtpd server with STARTTLS and with SSL, its certificate signed by a CA made
here with openssl: sent when the studio names that CA, and every failure said in words."""

from __future__ import annotations

import io
import socket
import ssl
import stat
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

import main
from kiosk.checkout.settings import save_smtp_settings, smtp_settings, studio_secrets
from kiosk.checkout.trymail import send_studio_test_email
from kiosk.core.errors import MailSettingsError
from kiosk.core.mail import SmtpSettings
from kiosk.store import checkout as tables
from kiosk.studio import open_studio

USER, PASSWORD = "studio@golden.example", "correct horse 7 battery"


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    """A CA of the studio's own and the mail server's certificate (for 127.0.0.1) it signed."""
    folder = tmp_path_factory.mktemp("ca")
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Golden Hour test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)  # fmt: skip
    openssl("req", *key, "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=127.0.0.1", cwd=folder)  # fmt: skip
    (folder / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
    )
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
            cwd=folder)  # fmt: skip
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self, refuse: str = "") -> None:
        self.messages: list[bytes] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope.original_content)
        return "250 OK: queued"


def login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535


@pytest.fixture
def mail_server(certificates):
    """start(security, inbox) runs aiosmtpd with STARTTLS (required) or SSL from the first
    byte, asking for a login; it stops after the test."""
    started: list[Controller] = []

    def start(security: str, inbox: Inbox | None = None) -> tuple[int, Inbox]:
        inbox = inbox or Inbox()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certificates / "server.pem", certificates / "server.key")
        tls = (
            {"tls_context": context, "require_starttls": True}
            if security == "starttls"
            else {"ssl_context": context, "auth_require_tls": False}  # TLS from the first byte
        )
        port = free_port()
        controller = Controller(
            inbox,
            hostname="127.0.0.1",
            port=port,
            authenticator=login,
            **tls,
        )
        controller.start()
        started.append(controller)
        return port, inbox

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def studio(tmp_path):
    opened = open_studio(tmp_path / "studio")
    yield opened
    opened.close()


def settings_for(port: int, security: str, certificates: Path, **changes) -> SmtpSettings:
    values = {
        "host": "127.0.0.1",
        "port": port,
        "security": security,
        "username": USER,
        "password": PASSWORD,
        "timeout": 5,
        "ca_file": str(certificates / "ca.pem"),
    }
    return SmtpSettings(**(values | changes))


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_the_test_email_goes_out_through_a_server_trusted_by_the_studios_ca(
    studio, mail_server, certificates, security
):
    port, inbox = mail_server(security)
    save_smtp_settings(studio.store, settings_for(port, security, certificates))
    said = send_studio_test_email(studio.store, "owner@golden.example")
    assert said == f"The test e-mail went to owner@golden.example through 127.0.0.1:{port}."
    (message,) = inbox.messages
    assert b"Subject: Reveal: test e-mail" in message and b"To: owner@golden.example" in message


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        ("no CA file", "certificate is not trusted"),
        ("wrong password", "refused the login"),
        ("closed port", "refused the connection"),
        ("relay refused", "refused to send it (550 5.7.1 Relaying denied)"),
        ("SSL to a STARTTLS port", "secure connection"),
    ],
)
def test_a_failed_test_email_says_why_in_words_and_never_the_password(
    studio, mail_server, certificates, problem, words
):
    security, changes, inbox = "starttls", {}, None
    if problem == "no CA file":
        changes = {"ca_file": ""}  # the system's authorities do not know the studio's CA
    elif problem == "wrong password":
        changes = {"password": "Tr0ub4dor&3"}
    elif problem == "relay refused":
        inbox = Inbox(refuse="550 5.7.1 Relaying denied")
    elif problem == "SSL to a STARTTLS port":
        changes = {"security": "ssl"}
    port, _ = mail_server(security, inbox)
    if problem == "closed port":
        port = free_port()
    settings = settings_for(port, changes.pop("security", security), certificates, **changes)
    save_smtp_settings(studio.store, settings)
    with pytest.raises(MailSettingsError) as failed:
        send_studio_test_email(studio.store, "owner@golden.example")
    said = str(failed.value)
    assert said.startswith("The test e-mail was not sent.") and words in said
    assert PASSWORD not in said and "Tr0ub4dor" not in said
    if problem == "no CA file":
        assert "--ca-file" in said


def everything_on_disk(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_the_password_is_kept_only_in_a_file_only_the_kiosk_can_read(studio, certificates):
    save_smtp_settings(studio.store, settings_for(587, "starttls", certificates))
    secrets = studio_secrets(studio.store).path
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert stat.S_IMODE(studio.paths.root.stat().st_mode) == 0o700
    for database_file in studio.paths.root.glob("studio.db*"):
        assert stat.S_IMODE(database_file.stat().st_mode) == 0o600, database_file
    outside = [p for p in studio.paths.root.rglob("*") if p.is_file() and p != secrets]
    assert PASSWORD.encode() not in b"".join(p.read_bytes() for p in outside)
    assert PASSWORD in secrets.read_text()
    assert smtp_settings(studio.store).password == PASSWORD
    assert PASSWORD not in repr(smtp_settings(studio.store))


def test_a_password_an_earlier_version_kept_in_the_database_is_moved_out_and_scrubbed(studio):
    old = {"host": "smtp.golden.example", "port": 465, "security": "ssl", "username": USER}
    tables.set_json_setting(studio.store, "checkout.smtp", old | {"password": PASSWORD})
    database = studio.paths.database
    assert PASSWORD.encode() in database.read_bytes() + Path(f"{database}-wal").read_bytes()

    assert smtp_settings(studio.store) == SmtpSettings(**old, password=PASSWORD)

    wal = Path(f"{database}-wal")
    assert PASSWORD.encode() not in database.read_bytes()
    assert not wal.exists() or PASSWORD.encode() not in wal.read_bytes()
    assert studio_secrets(studio.store).get("smtp.password") == PASSWORD
    assert "password" not in tables.json_setting(studio.store, "checkout.smtp")


def test_a_ca_file_that_cannot_be_read_is_refused_when_saved(studio, tmp_path):
    with pytest.raises(MailSettingsError, match="cannot be read"):
        save_smtp_settings(
            studio.store,
            SmtpSettings("smtp.golden.example", ca_file=str(tmp_path / "missing.pem")),
        )
    assert smtp_settings(studio.store) is None


def test_main_py_mail_takes_the_ca_file_and_sends_the_test_email(
    tmp_path, mail_server, certificates, capsys, monkeypatch
):
    port, inbox = mail_server("starttls")
    data = str(tmp_path / "studio-cli")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    ca = str(certificates / "ca.pem")
    setup = ["--host", "127.0.0.1", "--port", str(port), "--user", USER, "--ca-file", ca]
    assert main.main(["mail", "--data", data, *setup, "--password-stdin"]) == 0
    assert main.main(["mail", "--data", data, "--test", "owner@golden.example"]) == 0
    assert "The test e-mail went to owner@golden.example" in capsys.readouterr().out
    assert len(inbox.messages) == 1
    assert PASSWORD.encode() not in (tmp_path / "studio-cli" / "studio.db").read_bytes()
