"""The studio's secrets (the mail server's password): a file only the kiosk's user can read.

What must stay true: a secret is never written to `studio.db` or `settings.toml`, which are
backed up, copied and opened by hand; the secrets file is created with mode 0600 (and put back
to 0600 when found open to others), written aside and renamed over, so a power cut leaves the
old file or the new one.

    secrets = Secrets(studio.paths.root / SECRETS_FILE)
    secrets.set("smtp.password", "hunter2")
    secrets.get("smtp.password")        # 'hunter2'; '' when none is kept
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from kiosk.core.errors import StudioError

SECRETS_FILE = "secrets.json"


class Secrets:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def get(self, name: str) -> str:
        return str(self._read().get(name, ""))

    def set(self, name: str, value: str) -> None:
        """Keep `value` under `name`; an empty value forgets it."""
        kept = self._read()
        if value:
            kept[name] = value
        else:
            kept.pop(name, None)
        fresh = self.path.with_name(self.path.name + ".new")
        try:
            descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)  # a leftover .new of another mode is made private too
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                json.dump(kept, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(fresh, self.path)
        except OSError as exc:
            raise StudioError(
                f"The studio's secrets file {self.path} cannot be written ({exc.strerror}). "
                "Check the studio folder is writable by the kiosk's user."
            ) from exc

    def _read(self) -> dict[str, str]:
        try:
            mode = self.path.stat().st_mode
            if stat.S_IMODE(mode) & 0o077:  # copied in by hand, or restored by another tool
                os.chmod(self.path, 0o600)
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise StudioError(
                f"The studio's secrets file {self.path} cannot be read ({exc}). Delete it and "
                "enter the mail server's password again."
            ) from exc
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
