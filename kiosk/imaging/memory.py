"""Giving the memory libvips's worker threads freed back to the system.

glibc keeps what a thread frees in that thread's arena: after a few wall-photo uploads the
kiosk held 120 MB more than it used (bench/upload_bench.py), and file after file of an order's
print files (an album's spreads above all) the exporting process grew by 100 MB more than it
used. Nothing to do where the C library is not glibc.
"""

from __future__ import annotations

import ctypes


def give_back_memory() -> None:
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _libc()
