"""Sync tests read head office's command in English (``--lang en``'s words): its Chinese
default is tested in tests/sync/hq/test_hq_i18n.py and test_hq_migrations.py."""

from __future__ import annotations

import pytest

from sync.hq.i18n import LANG_ENV


@pytest.fixture(autouse=True)
def _head_office_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANG_ENV, "en")
