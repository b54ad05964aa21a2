"""What the README and docs/checkout.md tell a studio to type or set exists in the code."""

from __future__ import annotations

import argparse
import re
from dataclasses import fields

import pytest

from kiosk.cli import build_parser
from kiosk.config import PIN_RULE, Settings
from tests.conftest import ROOT

DOCS = ["README.md", "docs/checkout.md"]


def commands() -> set[str]:
    parser = build_parser()
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found |= set(action.choices)
    return found


@pytest.mark.parametrize("doc", DOCS)
def test_every_main_py_command_in_the_docs_is_one_main_py_knows(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    named = set(re.findall(r"main\.py (?:--\S+ \S+ )*([a-z][a-z-]+)", text))
    assert named, doc
    assert named <= commands(), sorted(named - commands())


def test_every_setting_is_documented_and_nothing_else_is_called_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    docs = readme + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    for setting in fields(Settings):
        assert f"`{setting.name}`" in docs, f"settings.toml's {setting.name} is not documented"
    checkout = (ROOT / "docs" / "checkout.md").read_text(encoding="utf-8")
    assert "settings key" not in checkout  # a database value is not a settings.toml key
    assert "studio_name" not in readme and "4 to 8 digits" in readme
    assert PIN_RULE.startswith("4 to 8 digits")
