"""A process's peak memory, as the benches and the memory-bound tests read it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
sys.path.insert(0, {root!r})
from kiosk.imaging.memory import peak_memory_mb
print(round(peak_memory_mb()))
"""


def test_a_child_started_by_a_large_process_reports_its_own_peak_not_its_parents():
    held = bytearray(400 * 2**20)  # the parent holds 400 MB, touched
    held[::4096] = b"\x01" * len(held[::4096])
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        check=True,
    )
    # a bare interpreter: some 10 MB; ru_maxrss said 400 MB more here, the parent's size
    # when the child started
    assert int(done.stdout) < 100, done.stdout
    del held
