"""The global options through main.py: the same before the command as after it."""

from __future__ import annotations

import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image

import main
from kiosk.checkout import outbox
from kiosk.studio import open_studio

ROOT = Path(__file__).resolve().parents[2]
PRICELIST = ROOT / "tests" / "data" / "pricelists" / "vat.toml"


def card(folder: Path, count: int = 2) -> Path:
    folder.mkdir(parents=True)
    for i in range(count):
        Image.new("RGB", (640, 480), (40 * i, 120, 200)).save(folder / f"IMG_{i:04}.JPG")
    return folder


def sessions_in(data: Path) -> list[tuple[str, int]]:
    studio = open_studio(data)
    try:
        return [(s.client, len(studio.store.images(s.id))) for s in studio.store.sessions()]
    finally:
        studio.close()


def queue_mail(data: Path, subject: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "s@example.com", "c@example.com", subject
    message.set_content("Hello")
    studio = open_studio(data)
    try:
        outbox.enqueue(studio.store, message)
    finally:
        studio.close()


def test_import_with_data_after_the_command_imports_into_that_studio(tmp_path: Path) -> None:
    folder, data = card(tmp_path / "card"), tmp_path / "studio"
    done = subprocess.run(
        [sys.executable, "main.py", "import", str(folder), "--client", "Ada", "--data", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "2 imported" in done.stdout
    assert sessions_in(data) == [("Ada", 2)]


@pytest.mark.parametrize("where", ["before", "after"])
def test_import_finds_the_studio_wherever_data_stands(tmp_path: Path, where: str) -> None:
    folder, data = card(tmp_path / "card"), tmp_path / "studio"
    command = ["import", str(folder), "--client", "Grace", "--workers", "1"]
    global_ = ["--data", str(data)]
    assert main.main(global_ + command if where == "before" else command + global_) == 0
    assert sessions_in(data) == [("Grace", 2)]


@pytest.mark.parametrize("where", ["before", "after"])
def test_outbox_lists_the_mail_of_the_studio_given_either_side(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data, other = tmp_path / "studio", tmp_path / "other"
    queue_mail(data, "Your proofs are ready")
    queue_mail(other, "Someone else's invoice")
    argv = ["--data", str(data), "outbox"] if where == "before" else ["outbox", "--data", str(data)]
    assert main.main(argv) == 0
    out = capsys.readouterr().out
    assert "c@example.com  Your proofs are ready" in out
    assert "Someone else" not in out


@pytest.mark.parametrize("where", ["before", "after"])
def test_pricelist_check_takes_data_either_side(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data", str(tmp_path / "studio")]
    command = ["pricelist", "check", str(PRICELIST)]
    assert main.main(data + command if where == "before" else command + data) == 0
    assert "Currency: EUR, written 2.400,00 €" in capsys.readouterr().out


def test_data_after_a_two_word_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "studio"
    studio = open_studio(data)
    session = studio.store.create_session("Ada", "")
    studio.close()
    assert main.main(["wall", "list", "--session", str(session.id), "--data", str(data)]) == 0
    assert f"Session {session.id} has no wall photos yet." in capsys.readouterr().out


def test_data_given_twice_with_two_studios_is_refused_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    with pytest.raises(SystemExit) as exit_:
        main.main(["--data", str(a), "outbox", "--data", str(b)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"--data is given twice, as {a} and {b}: give it once" in err
    assert not a.exists() and not b.exists()  # neither studio was opened, nor created


def test_data_given_twice_with_the_same_folder_is_one_studio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "studio"
    queue_mail(data, "Your proofs are ready")
    assert main.main(["--data", str(data), "outbox", "--data", str(data)]) == 0
    assert "Your proofs are ready" in capsys.readouterr().out


def test_a_bad_global_option_after_the_command_is_the_same_error_as_before_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    errors = []
    for argv in (["--size", "100x100", "outbox"], ["outbox", "--size", "100x100"]):
        with pytest.raises(SystemExit) as exit_:
            main.main(argv)
        assert exit_.value.code == 2
        errors.append(capsys.readouterr().err.strip().splitlines()[-1])
    message = "argument --size: '100x100' is too small; the kiosk needs at least 320x240"
    assert errors == [f"main.py: error: {message}", f"main.py outbox: error: {message}"]


def test_a_command_alone_takes_data_after_it(tmp_path: Path) -> None:
    data = tmp_path / "studio"
    queue_mail(data, "Your proofs are ready")
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli.checkout", "outbox", "--data", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Your proofs are ready" in done.stdout


def test_a_studio_that_cannot_be_opened_exits_1_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert main.main(["outbox", "--data", str(not_a_folder)]) == 1
    assert capsys.readouterr().err.strip()


def test_a_kiosk_option_after_a_command_lands_where_the_kiosk_reads_it() -> None:
    from kiosk.cli import parse_args

    args = parse_args(["outbox", "--port", "0", "--size", "1280x720", "--windowed"])
    assert (args.command, args.port, args.size, args.windowed) == ("outbox", 0, (1280, 720), True)
    assert not [name for name in vars(args) if name.startswith("_")]
