"""The rules `main.py doctor` judges the kiosk's machine by: each fact measured elsewhere
(kiosk/setup/doctor.py) becomes one finding, a line that says what is fine or what to fix.

What must stay true: every finding that needs fixing says what to do, in words a photographer
can follow without knowing what OpenGL is; and doctor exits 1 exactly when one needs fixing.

    renderer_findings("llvmpipe (LLVM 15.0.6, 256 bits)")[0].fix      # True
    exit_status([Finding("Disk", "40 GB free")])                     # 0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.core.backups import STALE, is_stale

# Renderers that draw with the CPU: cross-fades and the wall-art screen stutter on them.
SOFTWARE_RENDERERS = (
    "llvmpipe",
    "softpipe",
    "swrast",
    "software rasterizer",
    "swiftshader",
    "microsoft basic render",
)
MIN_FREE = 2_000_000_000  # bytes free for previews and thumbnails: about 40 sessions at 4K
PLAUSIBLE_PPI = (10.0, 300.0)  # no TV or monitor has a pixel density outside this
CLOCK_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class Finding:
    subject: str  # what was looked at: "OpenGL", "Screen", "Disk"...
    text: str
    fix: bool = False  # True: something to fix, said in `text`

    def line(self) -> str:
        return f"{'FIX' if self.fix else 'ok '}  {self.subject}: {self.text}"


def exit_status(findings: Sequence[Finding]) -> int:
    return 1 if any(f.fix for f in findings) else 0


def renderer_findings(renderer: str | None, problem: str = "") -> list[Finding]:
    """The OpenGL renderer the kiosk's window gets; None with `problem` when none could open."""
    if renderer is None:
        return [Finding("OpenGL", f"no window could be opened ({problem}).", fix=True)]
    if any(name in renderer.lower() for name in SOFTWARE_RENDERERS):
        return [
            Finding(
                "OpenGL",
                f"{renderer} is a software renderer: the graphics card is not used, so "
                "cross-fades and the wall-art screen will stutter. Install the graphics "
                "card's driver (for example the distribution's Mesa or NVIDIA packages) and "
                "check that the kiosk starts in the desktop session, not over remote desktop.",
                fix=True,
            )
        ]
    return [Finding("OpenGL", f"{renderer} (the graphics card draws the screen).")]


def screen_findings(
    size: tuple[int, int] | None, *, diagonal_in: float, ppi: float, preview_edge: int
) -> list[Finding]:
    """The screen's pixels against the TV-size settings and the previews' size."""
    if size is None:
        return [Finding("Screen", "its size could not be read; check it on the TV itself.")]
    width, height = size
    found = []
    pixels = math.hypot(width, height)
    if ppi:
        implied = pixels / ppi
        if not PLAUSIBLE_PPI[0] <= ppi <= PLAUSIBLE_PPI[1]:
            found.append(
                Finding(
                    "Screen",
                    f"screen_ppi = {ppi:g} would make this {width}x{height} screen "
                    f"{implied:.0f} inches across, which no TV is: measure again on the "
                    "Actual size screen.",
                    fix=True,
                )
            )
    elif diagonal_in:
        implied = pixels / diagonal_in
        if not PLAUSIBLE_PPI[0] <= implied <= PLAUSIBLE_PPI[1]:
            found.append(
                Finding(
                    "Screen",
                    f"a {diagonal_in:g}-inch screen of {width}x{height} would have "
                    f"{implied:.0f} pixels per inch, which no TV has: check "
                    "screen_diagonal_in (the TV's diagonal in inches, e.g. 65).",
                    fix=True,
                )
            )
    else:
        found.append(
            Finding(
                "Screen",
                f"{width}x{height}, but the TV's size is not entered, so prints cannot show at "
                "actual size: set screen_diagonal_in (e.g. 65), or measure with the ruler on "
                "the Actual size screen.",
                fix=True,
            )
        )
    if preview_edge < max(width, height):
        found.append(
            Finding(
                "Screen",
                f"previews are {preview_edge} px on the long edge but the screen is "
                f"{max(width, height)} px: photos will look soft. Set preview_edge = "
                f"{max(width, height)} and import the sessions again.",
                fix=True,
            )
        )
    if not found:
        size_set = f"{ppi:g} pixels per inch" if ppi else f"a {diagonal_in:g}-inch TV"
        found.append(Finding("Screen", f"{width}x{height}, {size_set}."))
    return found


def disk_findings(free: int, where: str) -> list[Finding]:
    shown = f"{free / 1e9:.1f} GB free on the disk of {where}"
    if free < MIN_FREE:
        return [
            Finding(
                "Disk",
                f"only {shown}; previews need room (about 50 MB a session at 4K). Free "
                f"{(MIN_FREE - free) / 1e9:.1f} GB or more, or move the studio with --data.",
                fix=True,
            )
        ]
    return [Finding("Disk", shown + ".")]


def clock_findings(
    now: datetime, *, synchronised: bool | None, newest_record: datetime | None
) -> list[Finding]:
    """The clock dates invoices and decides when the daily backup is due. `now` and
    `newest_record` (the last event logged) are aware datetimes."""
    if newest_record is not None and newest_record - now > CLOCK_SLACK:
        return [
            Finding(
                "Clock",
                f"it says {now:%Y-%m-%d %H:%M}, before the studio's last record "
                f"({newest_record:%Y-%m-%d %H:%M}): it is wrong. Set the date and time, "
                "and turn on network time (timedatectl set-ntp true).",
                fix=True,
            )
        ]
    if synchronised is False:
        return [
            Finding(
                "Clock",
                f"{now:%Y-%m-%d %H:%M}, not kept in time by the network: invoices' dates "
                "depend on it. Turn on network time (timedatectl set-ntp true).",
                fix=True,
            )
        ]
    how = "kept in time by the network" if synchronised else "network time unknown"
    return [Finding("Clock", f"{now:%Y-%m-%d %H:%M} ({how}).")]


def backup_findings(
    last: datetime | None, size: int, now: datetime, *, folder: str, same_disk: bool
) -> list[Finding]:
    """The last backup (local time), and where backups go. The daily backup runs while the
    kiosk does."""
    if last is None:
        return [
            Finding(
                "Backup",
                f"none yet in {folder}. Run main.py backup now; the kiosk then backs up by "
                "itself every day.",
                fix=True,
            )
        ]
    age = now - last
    when = f"{last:%Y-%m-%d %H:%M} ({_age(age)} ago, {size / 1e6:.1f} MB) in {folder}"
    found = []
    if is_stale(last, now):
        found.append(
            Finding(
                "Backup",
                f"the last one is from {when}, more than {STALE.days} days ago. Check the "
                "backup folder is reachable and the kiosk runs; run main.py backup now.",
                fix=True,
            )
        )
    else:
        found.append(Finding("Backup", f"the last one is from {when}."))
    if same_disk:
        found.append(
            Finding(
                "Backup",
                "backups go to the studio's own disk, which does not survive that disk: set "
                "backup_folder to another disk or a network share.",
            )
        )
    return found


def _age(age: timedelta) -> str:
    if age >= timedelta(days=2):
        return f"{age.days} days"
    hours = int(age.total_seconds() // 3600)
    return f"{hours} hours" if hours >= 1 else f"{int(age.total_seconds() // 60)} minutes"


def tablet_findings(
    url: str, *, local_only: bool, answers_lan: bool, answers_here: bool, port_free: bool
) -> list[Finding]:
    """Whether the tablet can reach the kiosk at `url` (its LAN address and port)."""
    if local_only:
        return [
            Finding(
                "Tablet",
                'web_host only lets this PC reach the pages; set web_host = "0.0.0.0" so the '
                f"tablet can, at {url}.",
                fix=True,
            )
        ]
    if answers_lan:
        return [Finding("Tablet", f"the kiosk answers at {url}: pair the tablet there.")]
    if answers_here:
        return [
            Finding(
                "Tablet",
                f"the kiosk answers on this PC but not at {url}: a firewall blocks the port; "
                "allow it (for example: sudo ufw allow "
                f"{url.rsplit(':', 1)[-1].split('/')[0]}/tcp).",
                fix=True,
            )
        ]
    if not port_free:
        return [
            Finding(
                "Tablet",
                f"another program holds the port of {url}: stop it, or set web_port to "
                "another port.",
                fix=True,
            )
        ]
    return [Finding("Tablet", f"the kiosk is not running now; the tablet will use {url}.")]


def mail_findings(login: str | None, problem: str = "") -> list[Finding]:
    """`login` is where the studio's mail server accepted the login; None with `problem`
    when it did not, or no server is set up (`problem` empty)."""
    if login is not None:
        return [Finding("E-mail", f"logged in to {login}.")]
    if not problem:
        return [
            Finding(
                "E-mail",
                "no mail server is set up: invoices wait in the outbox. Set one on the "
                "tablet, or with main.py mail --host smtp.example.com --user you@example.com.",
                fix=True,
            )
        ]
    return [Finding("E-mail", problem, fix=True)]
