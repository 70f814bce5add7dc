"""Small per-station UI settings (paper size, default printer, window geometry...) kept as
JSON in the data folder. Only the GUI thread reads and writes them.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class UiSettings:
    """A JSON object on disk; every ``set`` rewrites the file atomically."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._values: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # a damaged settings file must not keep the program from starting
            log.warning("ignoring unreadable settings file %s: %s", self.path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Stores a JSON-serialisable ``value`` and saves the file."""
        json.dumps(value)  # refuse what cannot be saved before changing anything
        self._values[key] = value
        self._save()

    def remove(self, key: str) -> None:
        if self._values.pop(key, None) is not None:
            self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
