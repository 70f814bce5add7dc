"""恢复密钥单 on paper (issue 14 item 1): the station, the date, the nine groups of the key in
large monospaced type, the key id and the instructions, in Chinese with the fonts embedded
and ink on the page, on A4 and A5; a station name as long as the set-up accepts stays on the
paper whole."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain import validation as v
from app.printing.data import Paper, StationHeader
from app.printing.recovery_key import RecoveryKeySheet
from app.printing.registry import documents
from app.store.store_key import StoreKey
from tests.printing.helpers import STATION_NAME, font_names, ink_share, page_texts, unembedded_fonts
from tests.printing.test_any_length import check_pdf, text

KEY = StoreKey(bytes(range(20)))


def sample(**changes) -> RecoveryKeySheet:
    values = dict(station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
                  station_code="BJ001", number="BJ001", recovery_key=KEY.recovery_text(),
                  key_id=KEY.key_id, printed_at=datetime(2026, 6, 1, 2, 0, tzinfo=UTC), tz=UTC)
    values.update(changes)
    return RecoveryKeySheet(**values)


def render(sheet: RecoveryKeySheet, paper: Paper = Paper.A4) -> bytes:
    buffer = BytesIO()
    documents()["recovery-key"].render(sheet, paper, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("paper", [Paper.A4, Paper.A5])
def test_the_sheet_prints_the_key_its_id_and_what_to_do(paper: Paper, tmp_path: Path) -> None:
    pdf = render(sample(), paper)
    assert unembedded_fonts(pdf) == []
    assert any("MicroHeiMono" in name for name in font_names(pdf))  # the key: monospaced
    text = "".join("".join(page_texts(pdf)).split())
    for group in KEY.recovery_text().split("-"):
        assert group in text, group
    for word in ("恢复密钥单", STATION_NAME, "BJ001", "2026-06-01", KEY.key_id, "锁好",
                 "另一台电脑", "任何人", "设置"):
        assert word in text, word
    path = tmp_path / "key.pdf"
    path.write_bytes(pdf)
    assert ink_share(path) > 0.005


def test_a_station_name_as_long_as_allowed_prints_whole() -> None:
    name = "北京市海淀区中关村大街家电维修服务站" * 20
    name = name[:v.MAX_SHORT]
    pdf = render(sample(station=StationHeader(name, "地" * v.MAX_ADDRESS, "010-62345678")))
    text = "".join("".join(page_texts(pdf)).split())
    assert name in text
    assert KEY.key_id in text


def test_the_paper_is_registered_for_the_recovery_key() -> None:
    spec = documents()["recovery-key"]
    assert spec.subject == "recovery_key" and spec.papers == (Paper.A4, Paper.A5)


@st.composite
def stations(draw) -> RecoveryKeySheet:
    return sample(station=StationHeader(draw(text(v.MAX_SHORT)), draw(text(v.MAX_ADDRESS)),
                                        "010-62345678"))


LONGEST = sample(station=StationHeader(("䶮𠀀Ｗ" * 40)[:v.MAX_SHORT],
                                       ("䶮𠀀Ｗ" * 80)[:v.MAX_ADDRESS], "010-62345678"))


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheet=stations(), paper=st.sampled_from([Paper.A4, Paper.A5]))
@example(sheet=LONGEST, paper=Paper.A5)
def test_any_accepted_station_text_lays_out_whole_on_the_recovery_key_paper(
        sheet: RecoveryKeySheet, paper: Paper) -> None:
    assert documents()["recovery-key"].subject == "recovery_key"
    check_pdf(render(sheet, paper), paper, [sheet.station.name, *sheet.groups],
              [sheet.station.name, sheet.station.address])
