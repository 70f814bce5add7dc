"""The reference head-office server: FastAPI app (``create_app``), its store, admin use cases
and the ``repair-station-hq`` command. Imports FastAPI; the station never imports this package.
"""

from sync.hq.api import create_app

__all__ = ["create_app"]
