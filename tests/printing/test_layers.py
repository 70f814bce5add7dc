"""printing/ never imports Qt, SQLAlchemy, the store or the services: documents take plain
dataclasses and can be rendered anywhere (command line, worker thread, head office)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from app.printing.registry import documents
documents()
bad = sorted(m for m in sys.modules
             if m.split('.')[0] in ('PySide6', 'sqlalchemy', 'shiboken6')
             or m.startswith(('app.store', 'app.services', 'app.ui')))
print(','.join(bad))
"""


def test_printing_imports_no_qt_and_no_database() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == ""
