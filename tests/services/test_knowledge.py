"""Repair knowledge (维修知识库): a symptom finds the diagnoses, actions and parts of similar
completed repairs, best first, through words (not substrings); the model boosts and narrows;
voided records and open work are not knowledge; identical repairs are grouped and counted;
the background build resumes where it stopped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from app.bootstrap import Services
from app.domain.enums import ChargeKind, OrderSource, OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.services.customers import CustomerInput, ProductInput
from app.services.knowledge import KnowledgeService, model_family, model_tags
from app.services.orders import ChargeInput, NewOrder

AC, AC_SMALL, AC_CAB = "KFR-35GW/BP3DN1Y", "KFR-26GW/BP3DN1Y", "KFR-72LW/NhZbB1"
HEATER, WASHER, STOVE, FRIDGE = "EC6002-H", "XQG100-14B", "JZT-Q216B", "BCD-470WDPG"
_serial = iter(range(1, 10_000))


def repair(services: Services, station, clock, fault: str, diagnosis: str, actions: str,
           model: str = AC, *, complete: bool = True, parts: tuple[str, ...] = ()) -> str:
    """An order for ``model`` with ``fault``, a repair record, part lines, completed."""
    clerk, tech = station["clerk"], station["tech"]
    n = next(_serial)
    phone = f"139{n:08d}"
    order = services.orders.create(clerk, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, fault, phone,
        customer=CustomerInput(f"客户{n}", (phone,), "北京市海淀区学院路1号"),
        product=ProductInput(model, f"SN{n:06d}"), technician_id=tech.user_id))
    services.orders.transition(tech, order.id, Action.START_ON_SITE)
    detail = services.orders.add_repair_record(tech, order.id, diagnosis, actions, 30)
    if parts:
        lines = [ChargeInput(ChargeKind.PARTS, p, 1, 4500) for p in parts]
        services.orders.set_charges(tech, order.id, lines, detail.revision)
    if complete:
        services.orders.transition(tech, order.id, Action.COMPLETE)
    clock.now += timedelta(hours=1)
    return order.id


@pytest.fixture
def past(services, station, clock) -> dict[str, str]:
    """A station with past repairs of several kinds."""
    return {
        "cooling": repair(services, station, clock, "制冷效果差", "过滤网脏堵",
                          "清洗过滤网及蒸发器"),
        "heater": repair(services, station, clock, "热水器不加热", "加热管烧坏", "更换加热管",
                         HEATER, parts=("RS-1001 加热管",)),
        "washer": repair(services, station, clock, "脱水时噪音大", "安装不水平",
                         "调整安装水平", WASHER),
        "stove": repair(services, station, clock, "打不着火", "电池电量不足", "更换电池",
                        STOVE),
        "fridge": repair(services, station, clock, "冷藏室不凉", "温度设置不当",
                         "调整温控设置", FRIDGE),
        "remote": repair(services, station, clock, "遥控器无反应", "遥控器发射管损坏",
                         "更换遥控器", AC, parts=("KT-3002-3501 遥控器",)),
        "leak": repair(services, station, clock, "内机滴水漏水", "排水管弯折",
                       "理顺排水管"),
    }


def _diagnoses(services: Services, symptom: str, model: str | None = None) -> list[str]:
    return [s.diagnosis for s in services.knowledge.similar(symptom, model)]


# a symptom as a customer says it -> the past repair it must find (they share a word)
TABLE = [
    ("不制冷", "过滤网脏堵"),          # 制冷 (制冷效果差)
    ("不出热水", "加热管烧坏"),        # 热水 (热水器不加热: 热水器 -> 热水)
    ("洗衣机不脱水", "安装不水平"),    # 脱水 (脱水时噪音大)
    ("燃气灶点不着", "电池电量不足"),  # 不着 (打不着火)
    ("冰箱不凉", "温度设置不当"),      # 不凉 (冷藏室不凉)
    ("遥控没反应", "遥控器发射管损坏"),  # 遥控, 反应 (遥控器无反应)
    ("空调漏水", "排水管弯折"),        # 漏水 (内机滴水漏水)
]


@pytest.mark.parametrize(("symptom", "expected"), TABLE)
def test_a_symptom_finds_the_past_repair_that_shares_a_word(services, past, symptom,
                                                           expected) -> None:
    found = _diagnoses(services, symptom)
    assert found and found[0] == expected


def test_a_shared_single_character_is_no_match(services, past) -> None:
    # 不制冷 and 热水器不加热 share only 不: that is not the same problem
    assert "加热管烧坏" not in _diagnoses(services, "不制冷")
    assert _diagnoses(services, "压缩机异响") == []


def test_suggestion_carries_actions_parts_and_an_example(services, past) -> None:
    (first, *_rest) = services.knowledge.similar("不出热水")
    assert (first.diagnosis, first.actions, first.times) == ("加热管烧坏", "更换加热管", 1)
    assert [(p.description, p.times) for p in first.parts] == [("RS-1001 加热管", 1)]
    assert first.fault == "热水器不加热" and first.model == HEATER
    assert first.order_number.startswith("SO-")


def test_identical_repairs_are_grouped_with_how_often_and_ranked_up(services, station, clock,
                                                                  past) -> None:
    for _ in range(3):
        repair(services, station, clock, "空调制冷不好", "冷媒不足", "检漏补焊，加注冷媒",
               parts=("KT-7001-0032 R32 冷媒",))
    repair(services, station, clock, "空调制冷不好", "冷媒不足", "检漏补焊，加注冷媒")
    found = services.knowledge.similar("不制冷")
    assert [(s.diagnosis, s.times) for s in found] == [("冷媒不足", 4), ("过滤网脏堵", 1)]
    assert [(p.description, p.times) for p in found[0].parts] == [("KT-7001-0032 R32 冷媒", 3)]


def test_best_first_the_repair_sharing_more_words_leads(services, station, clock,
                                                      past) -> None:
    repair(services, station, clock, "遥控器按键失灵", "按键导电胶老化", "更换遥控器按键")
    found = _diagnoses(services, "遥控器无反应")
    assert found[:2] == ["遥控器发射管损坏", "按键导电胶老化"]


def test_newest_breaks_a_tie(services, station, clock, past) -> None:
    # the same words count, the same length: bm25 cannot tell them apart
    repair(services, station, clock, "烟机吸力小", "风轮油污", "清洗风轮", "CXW-260")
    repair(services, station, clock, "烟机吸力小", "烟管堵塞", "疏通烟管", "CXW-260")
    found = services.knowledge.similar("吸力小")
    assert found[0].score == found[1].score
    assert [s.diagnosis for s in found] == ["烟管堵塞", "风轮油污"]


def test_the_same_model_and_family_count_more(services, station, clock, past) -> None:
    repair(services, station, clock, "制冷效果差", "柜机冷凝器脏", "清洗冷凝器", AC_CAB)
    # without a model the newer cabinet repair leads the tie; with the wall unit's model the
    # wall unit's own repair leads, and a sibling of its family beats another family
    assert _diagnoses(services, "不制冷")[0] == "柜机冷凝器脏"
    assert _diagnoses(services, "不制冷", AC)[0] == "过滤网脏堵"
    assert _diagnoses(services, "不制冷", AC_SMALL)[0] == "过滤网脏堵"
    first = services.knowledge.similar("不制冷", AC_CAB)[0]
    assert first.diagnosis == "柜机冷凝器脏" and first.same_model
    assert model_family(AC) == model_family(AC_SMALL) != model_family(AC_CAB)
    assert model_tags("") == ""


def test_the_model_finds_its_family_beyond_the_newest_matches(services, station, clock,
                                                            past, monkeypatch) -> None:
    from app.services import knowledge

    monkeypatch.setattr(knowledge, "WINDOW", 2)
    for i in range(3):
        repair(services, station, clock, "制冷效果差", f"柜机故障{i}", "处理", AC_CAB)
    assert "过滤网脏堵" not in _diagnoses(services, "不制冷")  # beyond the newest two
    assert "过滤网脏堵" in _diagnoses(services, "不制冷", AC_SMALL)  # its family's own


def test_voided_records_and_open_work_are_not_knowledge(services, station, clock,
                                                        past) -> None:
    tech = station["tech"]
    order_id = repair(services, station, clock, "空调不制冷", "误登记的诊断", "误登记",
                      complete=False)
    assert "误登记的诊断" not in _diagnoses(services, "不制冷")  # open work
    detail = services.orders.add_repair_record(tech, order_id, "室外机散热不良", "清洗冷凝器",
                                               30)
    wrong = next(r.id for r in detail.repairs if r.diagnosis == "误登记的诊断")
    services.corrections.void_record(tech, order_id, wrong, "登记错了")
    services.orders.transition(tech, order_id, Action.COMPLETE)
    found = _diagnoses(services, "不制冷")
    assert "室外机散热不良" in found and "误登记的诊断" not in found
    with services.db.read() as s:
        docs = s.execute(text("SELECT count(*) FROM repair_knowledge WHERE order_id = :o"),
                         {"o": order_id}).scalar_one()
    assert docs == 1


def test_the_order_in_hand_can_be_left_out(services, past) -> None:
    found = services.knowledge.similar("不制冷", exclude_order_id=past["cooling"])
    assert "过滤网脏堵" not in [s.diagnosis for s in found]


@pytest.mark.parametrize("symptom", ["", "   ", "\n\t"])
def test_an_empty_symptom_is_refused_with_a_message(services, symptom) -> None:
    with pytest.raises(RuleViolation) as err:
        services.knowledge.similar(symptom)
    assert err.value.field == "symptom"


def test_punctuation_only_finds_nothing_and_a_bad_limit_is_refused(services, past) -> None:
    assert services.knowledge.similar("，。！？") == []
    with pytest.raises(RuleViolation) as err:
        services.knowledge.similar("不制冷", limit=0)
    assert err.value.field == "limit"


def test_the_build_resumes_where_it_stopped(services, station, clock, past) -> None:
    # a station upgraded with repairs already stored: no documents, no build state
    with services.db.write() as s:
        s.execute(text("DELETE FROM repair_knowledge"))
        s.execute(text("DELETE FROM search_state"))
    assert _diagnoses(services, "不制冷") == []
    assert not services.knowledge.progress().complete
    first = services.knowledge.build_step(batch=3)
    assert not first.complete and 0 < first.done < first.total
    # the program stops; a new one goes on from there
    again = KnowledgeService(services.db, clock)
    seen: list[int] = []
    done = again.build(progress=lambda p: seen.append(p.done), batch=3)
    assert done.complete and seen[0] > first.done
    with services.db.read() as s:
        docs = s.execute(text("SELECT count(*) FROM repair_knowledge")).scalar_one()
    assert docs == len(past)
    assert _diagnoses(services, "不制冷") == ["过滤网脏堵"]
    assert again.build_step().complete  # nothing left to do


def test_a_new_words_version_builds_again(services, past, monkeypatch) -> None:
    from app.services import knowledge

    assert services.knowledge.build().complete
    monkeypatch.setattr(knowledge, "WORDS_VERSION", knowledge.WORDS_VERSION + 1)
    assert not services.knowledge.progress().complete
    assert services.knowledge.build().complete
    assert _diagnoses(services, "不制冷") == ["过滤网脏堵"]


# -- the command line ------------------------------------------------------------------------
def _cli(services: Services, capsys, *args: str) -> tuple[int, str, str]:
    from app.__main__ import main

    try:
        code = main(["--data-dir", str(services.paths.root), "knowledge", *args])
    except SystemExit as exc:  # argparse's own refusal
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_prints_the_suggestions_in_chinese(services, past, capsys) -> None:
    code, out, _err = _cli(services, capsys, "不出热水", "--model", HEATER, "--limit", "3")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "与“不出热水”相似的维修："
    assert lines[1] == "1. 诊断：加热管烧坏" and lines[2] == "   处理：更换加热管"
    assert lines[3] == "   配件：RS-1001 加热管 ×1"
    assert lines[4].startswith("   共 1 次；最近 ") and lines[4].endswith(f"{HEATER}（同型号）")


def test_the_command_says_when_nothing_is_similar(services, past, capsys) -> None:
    code, out, _err = _cli(services, capsys, "压缩机异响")
    assert (code, out.strip()) == (0, "没有与“压缩机异响”相似的维修记录。")


@pytest.mark.parametrize(("args", "message"), [
    (("  ",), "请输入故障现象"), (("不制冷", "--limit", "0"), "1 到 50"),
    (("不制冷", "--limit", "x"), "invalid int value")])
def test_the_command_refuses_a_bad_argument_with_exit_2(services, past, capsys, args,
                                                         message) -> None:
    code, _out, err = _cli(services, capsys, *args)
    assert code == 2 and message in err


def test_the_command_builds_an_unbuilt_index_first(services, past, capsys) -> None:
    with services.db.write() as s:
        s.execute(text("DELETE FROM repair_knowledge"))
        s.execute(text("DELETE FROM search_state"))
    code, out, err = _cli(services, capsys, "不制冷")
    assert code == 0 and "正在建立维修知识库 100%" in err and "过滤网脏堵" in out


def test_a_corrected_product_model_moves_its_repairs_to_that_model(services, station,
                                                                   past) -> None:
    order = services.orders.detail(past["cooling"], station["manager"])
    assert order.product is not None
    with services.db.read() as s:
        revision = s.execute(text("SELECT revision FROM products WHERE id = :p"),
                             {"p": order.product.id}).scalar_one()
    services.customers.update_product(station["manager"], order.product.id,
                                      ProductInput(AC_CAB, order.product.serial_no), revision)
    first = services.knowledge.similar("不制冷", AC_CAB)[0]
    assert (first.diagnosis, first.model, first.same_model) == ("过滤网脏堵", AC_CAB, True)
    with services.db.read() as s:
        tags = s.execute(text("SELECT tags FROM repair_knowledge WHERE order_id = :o"),
                         {"o": past["cooling"]}).scalar_one()
    assert tags == model_tags(AC_CAB)
