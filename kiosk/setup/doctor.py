"""`main.py doctor`: the machine looked at, one finding a line (the rules are
kiosk.core.machine; this module only measures).

    findings = examine(studio)
    for finding in findings:
        print(finding.line())     # "FIX  OpenGL: llvmpipe ... is a software renderer: ..."

Each measurement is bounded in time (the window probe, the SMTP login, the network checks), so
doctor answers in seconds on a machine that is wrong in every way.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from kiosk.backup import backup_folder
from kiosk.backup.manifest import list_backups
from kiosk.checkout.settings import smtp_settings
from kiosk.checkout.smtp import SmtpTransport, connection_error_text
from kiosk.core.machine import (
    Finding,
    backup_findings,
    clock_findings,
    disk_findings,
    mail_findings,
    renderer_findings,
    screen_findings,
    tablet_findings,
)
from kiosk.setup.probe import Display, probe_display
from kiosk.store.backups import last_event_time
from kiosk.studio import Studio

NETWORK_TIMEOUT = 2.0  # seconds for each network check on the studio's own network
MAIL_TIMEOUT = 15.0


def examine(
    studio: Studio,
    *,
    probe: Callable[[], Display] = probe_display,
    now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
) -> list[Finding]:
    display = probe()
    s = studio.settings
    found = renderer_findings(display.renderer, display.problem)
    found += screen_findings(
        display.size,
        diagonal_in=s.screen_diagonal_in,
        ppi=s.screen_ppi,
        preview_edge=s.preview_edge,
    )
    found += disk_findings(shutil.disk_usage(studio.paths.root).free, str(studio.paths.root))
    found += tablet(s.web_host, s.web_port)
    found += mail(studio)
    found += clock_findings(
        now(), synchronised=network_time(), newest_record=last_event_time(studio.paths.database)
    )
    found += backups(studio, now().replace(tzinfo=None))
    return found


def lan_address() -> str | None:
    """The address other machines on the studio's network reach this one at: the one the
    system would send from (a UDP socket sends nothing when it connects)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed like the internet, never used
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=NETWORK_TIMEOUT):
            return True
    except OSError:
        return False


def port_free(host: str, port: int) -> bool:
    with socket.socket() as trial:
        try:
            trial.bind((host, port))
        except OSError:
            return False
    return True


def tablet(host: str, port: int) -> list[Finding]:
    address = lan_address()
    if address is None:
        return [
            Finding(
                "Tablet",
                "this PC is on no network: connect it to the studio's Wi-Fi or network so the "
                "tablet can reach it.",
                fix=True,
            )
        ]
    return tablet_findings(
        f"http://{address}:{port}/",
        local_only=host in ("127.0.0.1", "localhost", "::1"),
        answers_lan=answers(address, port),
        answers_here=answers("127.0.0.1", port),
        port_free=port_free(host, port),
    )


def mail(studio: Studio) -> list[Finding]:
    settings = smtp_settings(studio.store)
    if settings is None:
        return mail_findings(None)
    settings = replace(settings, timeout=MAIL_TIMEOUT)
    transport = SmtpTransport(settings)
    try:
        transport.open()
    except Exception as exc:  # every failure is a line for the photographer, in words
        text = connection_error_text(exc, settings).removesuffix(" Retrying.")
        return mail_findings(None, text)
    transport.close()
    who = f" as {settings.username}" if settings.username else ""
    return mail_findings(f"{settings.host}:{settings.port}{who}")


def network_time() -> bool | None:
    """Whether the clock is kept in time by the network (systemd-timesyncd, chrony...);
    None when the system cannot say."""
    if shutil.which("timedatectl") is None:
        return None
    try:
        done = subprocess.run(
            ["timedatectl", "show", "--property=NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    answer = done.stdout.strip()
    return {"yes": True, "no": False}.get(answer) if done.returncode == 0 else None


def backups(studio: Studio, now: datetime) -> list[Finding]:
    folder = backup_folder(studio.paths, studio.settings)
    taken = list_backups(folder)
    last = taken[-1] if taken else None
    return backup_findings(
        last.name.taken if last else None,
        last.size if last else 0,
        now,
        folder=str(folder),
        same_disk=_same_disk(folder, studio.paths.root),
    )


def _same_disk(folder: Path, root: Path) -> bool:
    """Whether backups in `folder` would land on the studio's disk (a folder not made yet, or
    a share not mounted, is judged by the nearest folder that is there)."""
    folder = folder.resolve()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return folder.stat().st_dev == root.stat().st_dev
    except OSError:
        return False
