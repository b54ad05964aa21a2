"""The layers import only downwards: the domain knows no storage, screen or web, and the store
knows nothing of what is built on it (checkout, imaging, the views).

Read from the source files, so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parent.parent / "kiosk"
ABOVE_THE_STORE = ("kiosk.checkout", "kiosk.imaging", "kiosk.ui", "kiosk.web", "kiosk.live")
NOT_IN_THE_DOMAIN = (
    *ABOVE_THE_STORE,
    "kiosk.store",
    "kivy",
    "fastapi",
    "starlette",
    "sqlite3",
    "sqlite_utils",
)


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def reaching(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in sorted((KIOSK / folder).rglob("*.py")):
        for name in sorted(imports(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(KIOSK.parent)} imports {name}")
    return out


@pytest.mark.parametrize(
    ("folder", "forbidden"), [("core", NOT_IN_THE_DOMAIN), ("store", ABOVE_THE_STORE)]
)
def test_a_layer_imports_nothing_from_the_layers_above_it(folder, forbidden):
    assert (KIOSK / folder).is_dir()
    assert reaching(folder, forbidden) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "late.py").write_text(
        "def load():\n    from kiosk.checkout.invoice import confirm_order\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "KIOSK", tmp_path)
    assert reaching("store", ABOVE_THE_STORE) == [
        f"{tmp_path.name}/store/late.py imports kiosk.checkout.invoice"
    ]
