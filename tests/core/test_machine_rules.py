"""doctor's rules: each fact becomes one line that says what is fine or what to fix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.core.machine import (
    Finding,
    backup_findings,
    clock_findings,
    disk_findings,
    exit_status,
    renderer_findings,
    screen_findings,
    tablet_findings,
)

NOW = datetime(2026, 12, 4, 15, 0)


def fixes(findings: list[Finding]) -> list[str]:
    return [f.text for f in findings if f.fix]


def test_a_software_renderer_is_named_in_words_and_a_graphics_card_is_fine():
    for software in ("llvmpipe (LLVM 15.0.6, 256 bits)", "SwiftShader Device", "softpipe"):
        (finding,) = renderer_findings(software)
        assert finding.fix and "software renderer" in finding.text and "driver" in finding.text
    (card,) = renderer_findings("NVIDIA GeForce GTX 1650/PCIe/SSE2")
    assert not card.fix
    (none,) = renderer_findings(None, "no display")
    assert none.fix and "no display" in none.text


def test_the_screen_is_judged_against_the_tv_size_and_the_previews():
    uhd = (3840, 2160)
    assert fixes(screen_findings(uhd, diagonal_in=65, ppi=0, preview_edge=3840)) == []
    assert "not entered" in fixes(screen_findings(uhd, diagonal_in=0, ppi=0, preview_edge=3840))[0]
    # 6.5 inches: a typo for 65 gives 678 pixels per inch.
    (typo,) = fixes(screen_findings(uhd, diagonal_in=6.5, ppi=0, preview_edge=3840))
    assert "678 pixels per inch" in typo
    (soft,) = fixes(screen_findings(uhd, diagonal_in=65, ppi=0, preview_edge=1920))
    assert "preview_edge = 3840" in soft
    assert fixes(screen_findings((1920, 1080), diagonal_in=0, ppi=34.0, preview_edge=3840)) == []
    assert fixes(screen_findings((1920, 1080), diagonal_in=0, ppi=3.4, preview_edge=3840))


def test_little_free_disk_is_to_fix():
    assert disk_findings(1_500_000_000, "/srv/reveal")[0].fix
    assert not disk_findings(40_000_000_000, "/srv/reveal")[0].fix


def test_a_clock_behind_the_studios_records_or_not_synchronised_is_to_fix():
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    behind = clock_findings(now, synchronised=True, newest_record=now + timedelta(hours=2))
    assert behind[0].fix and "before the studio's last record" in behind[0].text
    assert clock_findings(now, synchronised=False, newest_record=None)[0].fix
    assert not clock_findings(now, synchronised=None, newest_record=now)[0].fix


def test_the_last_backup_is_to_fix_after_two_days_or_when_there_is_none():
    fresh = backup_findings(NOW - timedelta(hours=5), 12_000_000, NOW, folder="/nas", same_disk=0)
    assert exit_status(fresh) == 0 and "5 hours ago, 12.0 MB" in fresh[0].text
    old = backup_findings(NOW - timedelta(days=3), 1, NOW, folder="/nas", same_disk=False)
    assert old[0].fix and "3 days ago" in old[0].text
    assert backup_findings(None, 0, NOW, folder="/nas", same_disk=False)[0].fix
    same = backup_findings(NOW, 1, NOW, folder="/srv/reveal/backups", same_disk=True)
    assert exit_status(same) == 0 and "another disk" in same[1].text


def test_the_tablet_finding_says_whether_the_lan_reaches_the_kiosk():
    url = "http://192.168.1.20:8470/"

    def judge(**facts):
        facts = {"local_only": False, "answers_lan": False, "answers_here": False} | facts
        return tablet_findings(url, port_free=facts.pop("port_free", True), **facts)[0]

    assert not judge(answers_lan=True).fix
    assert "firewall" in judge(answers_here=True).text and judge(answers_here=True).fix
    assert judge(local_only=True).fix
    assert judge(port_free=False).fix
    assert not judge().fix and url in judge().text
