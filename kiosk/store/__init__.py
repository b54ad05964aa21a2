"""The studio's database (db.py is the only module that speaks SQL).

sqlite-utils imports numpy whenever it is installed, only to store numpy values, which the
kiosk never does: 15 MB of every process, the web server's included
(bench/delivery_bench.py measured it at 104 MB before streaming a gallery with numpy, 89 MB
without). So sqlite-utils is imported here first, with numpy out of its sight; numpy stays
importable afterwards for whatever else wants it.
"""

import sys


def _import_sqlite_utils_without_numpy() -> None:
    if "numpy" in sys.modules or "sqlite_utils" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" fails meanwhile
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_sqlite_utils_without_numpy()
