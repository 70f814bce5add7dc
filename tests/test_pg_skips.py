"""Without REPAIR_STATION_TEST_PG the PostgreSQL tests are still collected and reported as
skipped with the reason (not silently left out); with it they run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.pg_databases import BACKENDS, PG_ENV, SKIP_REASON

ROOT = Path(__file__).resolve().parent.parent


def _run(tmp_path: Path, env_value: str | None) -> str:
    test = tmp_path / "test_backends.py"
    test.write_text(textwrap.dedent("""
        import pytest
        from tests.pg_databases import BACKENDS

        @pytest.mark.parametrize("backend", BACKENDS)
        def test_backend(backend):
            assert backend in ("sqlite", "postgresql")
    """), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != PG_ENV}
    if env_value is not None:
        env[PG_ENV] = env_value
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-q", "-p", "no:cacheprovider",
         "-p", "no:randomly", "-n", "0", str(test)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def test_without_a_server_the_postgresql_cases_show_as_skipped_with_the_reason(tmp_path):
    out = _run(tmp_path, None)
    assert "1 passed, 1 skipped" in out, out
    skipped = [line for line in out.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1 and PG_ENV in skipped[0], out


def test_with_a_server_configured_they_run(tmp_path):
    out = _run(tmp_path, "postgresql+psycopg://u:p@127.0.0.1:1/none")
    assert "2 passed" in out, out


def test_the_reason_says_how_to_run_them():
    assert PG_ENV in SKIP_REASON and "postgresql" in SKIP_REASON
    assert [getattr(b, "values", (b,))[0] for b in BACKENDS] == ["sqlite", "postgresql"]
