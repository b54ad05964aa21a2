"""Each screen's layout lives in a .kv file beside its .py, with the same stem."""

from pathlib import Path

from kivy.lang import Builder


def load_kv(module_file: str) -> None:
    kv = Path(module_file).with_suffix(".kv")
    Builder.unload_file(str(kv))  # reloading a module must not apply its rules twice
    Builder.load_file(str(kv))
