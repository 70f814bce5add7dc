"""A small parts catalogue with stock on the shelves, for the parts screens' tests."""

from __future__ import annotations

import pytest

from app.domain.parts import MovementKind, part_id
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.store.models import Part

HEADER = ("part_no,name,specification,models,unit,retail_price,station_price,"
          "return_required,warranty_months\n")
CATALOGUE = (
    "GR-CAP-35,压缩机启动电容,35μF 450V,\"KFR-35GW,KFR-26GW\",个,45.00,30,否,\n"
    "GR-FAN-12,室外风机电机,YDK-35-6,KFR-35GW,台,260,180,是,\n"
    "XQB-BELT-01,洗衣机皮带,O-型 540,\"XQB80,XQB75\",条,25,15,否,\n"
    "MD-PUMP-08,排水泵,30W,XQG80,个,88,66.6,否,\n"
)
#: part number -> (units on the shelf, shelf location, low-stock threshold)
SHELVES = {
    "GR-CAP-35": (5, "A-01-1", 2),
    "GR-FAN-12": (2, "A-02-3", 2),
    "XQB-BELT-01": (3, "B-01-1", 0),
    "MD-PUMP-08": (1, "B-02-2", 0),
}


def seed_parts(services, manager) -> None:
    """Imports the catalogue, puts the stock on the shelves and sets locations/thresholds."""
    services.catalogue.import_bytes(manager, (HEADER + CATALOGUE).encode(), "test.csv")
    now = services.orders.clock()
    with services.db.write() as s:
        for number, (units, _location, _threshold) in SHELVES.items():
            part = s.get(Part, part_id(number))
            ledger.post(s, SYSTEM, part=part, kind=MovementKind.RECEIVED, quantity=units,
                        now=now, reference="PO-TEST")
    for number, (_units, location, threshold) in SHELVES.items():
        services.catalogue.set_setting(manager, part_id(number), location=location,
                                       low_stock_threshold=threshold)


def on_hand(services, number: str) -> int:
    return services.stock.on_hand(part_id(number))


@pytest.fixture
def quiet_timers(qtbot, runner):
    """Lets the pages' refresh timers (300 ms after a change) fire before the runner stops."""
    yield
    qtbot.wait(400)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)
