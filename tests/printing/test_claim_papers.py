"""The claim papers (issue 11, item 5): 三包索赔清单 and 索赔结算单. Each prints its values in
figures and 大写, embeds its fonts, inks the page; read from the station's store the amounts
add up in fen between the lines, the batch, head office's statement and the paper; 500 lines
and 200-character reasons flow over pages inside their boxes; any text the services accept
lays out whole; ``repair-station print claim-batch|settlement NUMBER -o FILE`` works and an
unsettled batch's statement is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.__main__ import main
from app.domain import validation as v
from app.domain.claims import MAX_OVERRIDE_REASON
from app.printing.claim_batch import ClaimOverrideNote, ClaimPaperLine, ClaimSheet
from app.printing.data import Paper, StationHeader
from app.printing.registry import documents
from app.printing.text import rmb_upper, yuan
from app.services.sync_apply import apply_change
from sync import protocol as p
from tests.printing.helpers import ink_share, page_texts, sample_claim, unembedded_fonts
from tests.printing.test_any_length import check_pdf, text
from tests.services.claims_helpers import CAP, Shape, add_parts, finished_order, publish_policy

PAPERS = ("claim-batch", "settlement")
REASON = 200  # ClaimLine.decision_reason, ClaimOverride.reason, ClaimLine.description


def render(name: str, sheet: ClaimSheet) -> bytes:
    buffer = BytesIO()
    documents()[name].render(sheet, Paper.A4, buffer)
    return buffer.getvalue()


def flat(pdf: bytes | Path) -> str:
    return "".join("".join(page_texts(pdf)).split())


@pytest.mark.parametrize("name", PAPERS)
def test_each_paper_prints_its_values_with_embedded_fonts_and_ink(name: str,
                                                                  tmp_path: Path) -> None:
    pdf = render(name, sample_claim())
    assert unembedded_fonts(pdf) == []
    words = {
        "claim-batch": ("三包索赔清单", "CB-BJ001-20260601-0001", "索赔期间", "2026-05",
                        "SO-BJ001-20260510-0001", "韩梅梅", "KFR-35GW/BP3DN1Y/SN9914853944",
                        "工时", "GR-CAP-35压缩机启动电容", "45.00", "OP-BJ001-20260510-0001",
                        "放行：30天内重复维修", "用户第二次报修，非同一故障", "125.01",
                        "人民币（大写）：壹佰贰拾伍元零壹分", "制表人", "站长", "维修站盖章"),
        "settlement": ("索赔结算单", "ST-BJ001-202605-01", "CB-BJ001-20260601-0001",
                       "¥125.01人民币（大写）：壹佰贰拾伍元零壹分",
                       "¥80.00人民币（大写）：捌拾元整", "¥5.00人民币（大写）：伍元整",
                       "¥75.00人民币（大写）：柒拾伍元整", "通过", "调整", "驳回",
                       "按站内价结算", "上门距离不足", "总部审核"),
    }[name]
    got = flat(pdf)
    for word in words:
        assert word in got, word
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    assert ink_share(path) > 0.005


def _line(n: int, reason: str = "", **kw) -> ClaimPaperLine:
    return ClaimPaperLine(n, f"SO-BJ001-20260510-{n:04d}", f"客户{n}", "KFR-35GW", f"SN{n:05d}",
                          "labour", f"维修工时{n}", 1, 100 + n, 100 + n, decision="adjusted",
                          approved_fen=100, decision_reason=reason or f"理由{n}", **kw)


@pytest.mark.parametrize("name", PAPERS)
def test_five_hundred_lines_and_long_reasons_span_pages_inside_their_boxes(name: str) -> None:
    long_reason = ("工时超出标准，按标准核减；旧件检测无故障。" * 12)[:REASON]
    note = ClaimOverrideNote("above_schedule", ("超标原因：楼层高需吊装，" * 20)[:REASON], "boss")
    lines = tuple(_line(n, long_reason if n % 50 == 0 else "",
                        overrides=(note,) if n % 100 == 1 else ()) for n in range(1, 501))
    claimed = sum(x.amount_fen for x in lines)
    sheet = sample_claim(lines=lines, claimed_fen=claimed, approved_fen=50_000,
                         deducted_fen=0, payable_fen=50_000)
    pdf = render(name, sheet)
    pages = page_texts(pdf)
    assert len(pages) >= 10
    head, row = ("工单号/客户", "客户") if name == "claim-batch" else ("审核结论", "理由")
    with_lines = [page for page in pages if f"{row}1" in page or f"{row}3" in page]
    assert len(with_lines) >= 10  # the heads repeated on every page of lines
    assert all(head in "".join(page.split()) for page in with_lines)
    values = [x.customer_name if name == "claim-batch" else x.decision_reason for x in lines]
    if name == "claim-batch":
        values += [o.reason for x in lines for o in x.overrides]
    check_pdf(pdf, Paper.A4, values + [sheet.station.name],
              [sheet.station.name, sheet.station.address])
    got = flat(pdf)
    assert yuan(claimed) in got and rmb_upper(claimed) in got


@st.composite
def claim_sheets(draw) -> ClaimSheet:
    def line(n: int) -> ClaimPaperLine:
        return ClaimPaperLine(
            n, f"SO-BJ001-20260510-{n:04d}", draw(text(v.MAX_NAME)), draw(text(v.MAX_SHORT)),
            draw(text(v.MAX_SHORT)), "parts", draw(text(REASON)), draw(st.integers(1, 9999)),
            draw(st.integers(0, 99_999_999)), draw(st.integers(0, 99_999_999)),
            draw(text(40)),
            (ClaimOverrideNote("missing_serial", draw(text(MAX_OVERRIDE_REASON)),
                               draw(text(32))),),
            "rejected", 0, draw(text(REASON)))

    return sample_claim(
        station=StationHeader(draw(text(v.MAX_SHORT)), draw(text(v.MAX_ADDRESS)),
                              "010-62345678"),
        lines=tuple(line(n) for n in range(1, draw(st.integers(1, 6)) + 1)),
        submitted_by=draw(text(v.MAX_NAME)), paid_at=datetime(2026, 6, 20, tzinfo=UTC),
        paid_note=draw(text(REASON)), status="paid")


def _widest(limit: int) -> str:
    return ("䶮𠀀Ｗ" * limit)[:limit]


LONGEST = sample_claim(
    station=StationHeader(_widest(v.MAX_SHORT), _widest(v.MAX_ADDRESS), "010-62345678"),
    lines=tuple(ClaimPaperLine(
        n, "SO-BJ001-20260510-0001", _widest(v.MAX_NAME), _widest(v.MAX_SHORT),
        _widest(v.MAX_SHORT), "parts", _widest(REASON), 9999, 99_999_999, 99_999_999,
        _widest(40), (ClaimOverrideNote("missing_serial", _widest(MAX_OVERRIDE_REASON),
                                        _widest(32)),), "rejected", 0, _widest(REASON))
        for n in (1, 2)),
    submitted_by=_widest(v.MAX_NAME), paid_at=datetime(2026, 6, 20, tzinfo=UTC),
    paid_note=_widest(REASON), status="paid")
SLOW = settings(max_examples=5, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _values(name: str, sheet: ClaimSheet) -> list[str]:
    if name == "claim-batch":
        return [sheet.station.name, sheet.submitted_by] + [
            s for x in sheet.lines
            for s in (x.customer_name, x.product_model, x.serial_no, x.description,
                      x.old_part_tag, *(o.reason for o in x.overrides),
                      *(o.username for o in x.overrides))]
    return [sheet.station.name, sheet.paid_note] + [
        s for x in sheet.lines for s in (x.description, x.decision_reason)]


@pytest.mark.parametrize("name", PAPERS)
@SLOW
@given(sheet=claim_sheets())
@example(sheet=LONGEST)
def test_any_accepted_text_lays_out_whole(name: str, sheet: ClaimSheet) -> None:
    check_pdf(render(name, sheet), Paper.A4, _values(name, sheet),
              [sheet.station.name, sheet.station.address])


# -- from the station's store --------------------------------------------------------------------


@pytest.fixture
def settled(services, station, clock):
    """A batch of two orders built and submitted through the claims service, then head
    office's decisions and statement applied through the pull's handlers."""
    boss = station["manager"]
    publish_policy(services, boss)
    add_parts(services)
    finished_order(services, boss, Shape(parts=((CAP, 1, 1),)))
    finished_order(services, boss, Shape(serial="SN0002", labour_fen=4000, travel_fen=None,
                                         invoice=""))
    draft = services.claims.build(boss, "2026-05")
    for line, finding in draft.problems:
        draft = services.claims.override(boss, draft.id, line.id, finding.check.value,
                                         f"{line.order_number} 购机凭证已核实：发票遗失，保修卡为证")
    return services.claims.submit(boss, draft.id)


def _settle(services, clock, batch, deducted: int) -> tuple[int, int]:
    lines = batch.lines
    answers = [("approved", x.amount_fen, "") for x in lines]
    answers[0] = ("adjusted", lines[0].amount_fen - 1, "按标准核减一分")
    answers[-1] = ("rejected", 0, "无旧件")
    decided = {"batch_id": batch.id, "number": batch.number, "hq_revision": 10,
               "lines": [{"line_id": x.id, "decision": d, "approved_fen": fen, "reason": why,
                          "decided_at": "2026-06-03T02:00:00+00:00"}
                         for x, (d, fen, why) in zip(lines, answers, strict=True)]}
    claimed = sum(x.amount_fen for x in lines)
    approved = sum(fen for _d, fen, _w in answers)
    statement = {"batch_id": batch.id, "number": batch.number,
                 "statement_no": "ST-BJ001-202605-01", "hq_revision": 11,
                 "claimed_fen": claimed, "approved_fen": approved, "deducted_fen": deducted,
                 "payable_fen": approved - deducted,
                 "settled_at": "2026-06-10T02:00:00+00:00"}
    for seq, entity, payload in ((10, "claim_decision", decided),
                                 (11, "claim_settlement", statement)):
        with services.db.write() as s:
            apply_change(s, p.Change(seq, entity, batch.id, "upsert", payload), clock())
    return claimed, approved


def test_amounts_add_up_between_lines_batch_statement_and_paper(services, station, clock,
                                                                 settled) -> None:
    batch = settled
    assert len(batch.lines) >= 3
    sheet = services.reports.subject_sheet("claim-batch", batch.number)
    assert sheet.total_fen == sum(x.amount_fen for x in batch.lines)
    text = flat(render("claim-batch", sheet))
    for x in batch.lines:
        assert yuan(x.amount_fen) in text
    assert yuan(sheet.total_fen) in text and rmb_upper(sheet.total_fen) in text

    claimed, approved = _settle(services, clock, batch, deducted=150)
    statement = services.reports.subject_sheet("settlement", "st-bj001-202605-01")
    assert statement.claimed_fen == claimed == sheet.total_fen
    assert statement.approved_fen == approved == sum(x.approved_fen for x in statement.lines)
    assert statement.payable_fen == approved - 150
    got = flat(render("settlement", statement))
    for fen in (claimed, approved, 150, approved - 150):
        assert f"¥{yuan(fen)}人民币（大写）：{rmb_upper(fen)}" in got
    assert "按标准核减一分" in got and "无旧件" in got


def test_the_print_command(services, station, clock, settled, tmp_path: Path, capsys) -> None:
    batch = settled
    root = str(services.paths.root)
    out = tmp_path / "claims.pdf"
    assert main(["--data-dir", root, "print", "claim-batch", batch.number, "-o",
                 str(out)]) == 0
    assert "三包索赔清单" in page_texts(out)[0] and batch.number in flat(out)
    capsys.readouterr()
    early = tmp_path / "early.pdf"
    assert main(["--data-dir", root, "print", "settlement", batch.number, "-o",
                 str(early)]) == 2
    assert "尚未结算" in capsys.readouterr().err and not early.exists()
    assert main(["--data-dir", root, "print", "claim-batch", "CB-BJ001-19990101-0001", "-o",
                 str(early)]) == 2
    assert "CB-BJ001-19990101-0001" in capsys.readouterr().err and not early.exists()
    _settle(services, clock, batch, deducted=0)
    statement = tmp_path / "statement.pdf"
    for key in (batch.number, "ST-BJ001-202605-01"):
        assert main(["--data-dir", root, "print", "settlement", key, "-o",
                     str(statement)]) == 0
        got = flat(statement)
        assert "索赔结算单" in got and "ST-BJ001-202605-01" in got and batch.number in got


def test_overrides_and_decisions_print_as_kept(services, station, clock, settled) -> None:
    sheet = services.reports.subject_sheet("claim-batch", settled.id)
    kept = [(o.check, o.reason) for o in settled.overrides]
    assert kept and [(o.check, o.reason) for x in sheet.lines for o in x.overrides] == kept
    text = flat(render("claim-batch", sheet))
    assert all("".join(reason.split()) in text for _check, reason in kept)
