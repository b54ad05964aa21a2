"""Giving the memory libvips's worker threads freed back to the system.

glibc keeps what a thread frees in that thread's arena: after a few wall-photo uploads the
kiosk held 120 MB more than it used (bench/upload_bench.py), and file after file of an order's
print files (an album's spreads above all) the exporting process grew by 100 MB more than it
used. Nothing to do where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import resource


def give_back_memory() -> None:
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def peak_memory_mb() -> float:
    """This process's peak resident memory, in MB: the kernel's VmHWM. Not `ru_maxrss`, which
    a process started by another (subprocess, a spawned worker) begins with its parent's
    resident size at the moment it started: 700 MB for a 180 MB print file made from a
    test run's process, measured."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # no /proc: the larger figure, which is still an upper bound
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _libc()
