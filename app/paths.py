"""Where the program keeps its data, configuration and logs, and where its resources are.

Works from a source checkout and from a PyInstaller bundle (``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "RepairStation"
APP_AUTHOR = "RepairStation"
DB_FILENAME = "station.sqlite3"


def default_data_dir() -> Path:
    """The per-user data folder (e.g. ``%LOCALAPPDATA%\\RepairStation`` on Windows)."""
    return Path(user_data_dir(APP_NAME, APP_AUTHOR))


def resources_dir() -> Path:
    """The shipped ``resources/`` folder: fonts, icons, styles."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


class DataPaths:
    """The files of one station's data folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def database(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    def ensure(self) -> DataPaths:
        for folder in (self.root, self.backups, self.attachments, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        return self
