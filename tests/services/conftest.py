"""A demo station shared by the tests that read what ``repair-station demo`` made (it takes
a while to generate; the tests only read it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.__main__ import main
from app.bootstrap import Services, open_services


@pytest.fixture(scope="session")
def demo_station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    data: Path = tmp_path_factory.mktemp("demo_station")
    assert main(["--data-dir", str(data), "demo", "--customers", "20", "--orders", "80"]) == 0
    services = open_services(data)
    try:
        yield services
    finally:
        services.close()
