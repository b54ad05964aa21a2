"""The README opens with the two commands a photographer and CI run; keep them true."""

import re

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_opens_with_a_run_command_and_a_test_command():
    run, test = readme_commands()
    assert run.startswith("bash scripts/setup.sh &&") and "main.py" in run
    assert test.startswith("bash scripts/setup.sh --test &&") and "pytest" in test


def test_ci_runs_the_readmes_test_command():
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci
