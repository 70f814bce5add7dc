"""Text the papers cannot hold is refused with a message naming the field and the characters;
everything else passes unchanged (app.domain.text_rules, through validation's checks)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import text_rules
from app.domain.errors import RuleViolation
from app.domain.validation import check_length, check_phone, check_required, clean_text
from app.i18n import TEXT_ZH, render

RARE = ["䶮", "㐀", "𠀀", "℃", "℉", "ǎ", "ǘ", "Ⅻ", "①", "±", "×", "·", "—", "“引号”", "《书名》",
        "全角１２３", "한글", "カタカナ", "Ωµ", "€¥", "😀", "张\u3000三", "A\u00a0B"]


def refusal(text: str, multiline: bool = True) -> RuleViolation:
    with pytest.raises(RuleViolation) as err:
        check_length(text, "fault_description", "Fault description", 4000, multiline=multiline)
    assert err.value.field == "fault_description"
    assert err.value.params["label"] == "Fault description"
    assert "故障描述" in render(err.value)
    return err.value


@pytest.mark.parametrize("text", ["坏\ud800字", "\udfff", "a\udc80b"])
def test_a_lone_surrogate_is_refused_by_every_check(text: str) -> None:
    err = refusal(text)
    assert "U+" in render(err) and "代理项" in render(err)
    for check in (lambda: clean_text(text, "name", "Customer name"),
                  lambda: check_required(text, "name", "Customer name", 40),
                  lambda: check_phone(text, "contact_phone")):
        with pytest.raises(RuleViolation) as other:
            check()
        assert other.value.field in ("name", "contact_phone")
        # the message itself never holds the surrogate (it could not be shown or logged)
        render(other.value).encode("utf-8")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\r",
                                  "\u2028", "\u2029"])
def test_control_characters_are_refused_not_deleted(char: str) -> None:
    err = refusal(f"空调{char}不制冷")
    assert text_rules.code(char) in render(err)
    assert "控制字符" in render(err)


def test_newline_and_tab_only_in_multi_line_fields() -> None:
    assert check_length("第一行\n\t第二行", "fault_description", "Fault description", 4000,
                        multiline=True) == "第一行\n\t第二行"
    for char in "\n\t":
        err = refusal(f"张{char}三", multiline=False)
        assert text_rules.code(char) in render(err)


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u200d", "\u200b", "\u200e", "\ufeff",
                                  "\u00ad", "\u2060", "\u2066", "\U000e0041"])
def test_format_characters_are_refused(char: str) -> None:
    err = refusal(f"李{char}雷")
    assert "格式字符" in render(err)
    assert text_rules.code(char) in render(err)


def test_emoji_joined_with_zwj_is_refused() -> None:
    assert "U+200D" in render(refusal("😀\u200d😀"))


@pytest.mark.parametrize("text", ["ئۇيغۇر", "عربي", "עברית", "ܐܪܡܝܐ", "ދިވެހި", "ߒߞߏ", "١٢٣",
                                  "ﺍﻟ"])
def test_right_to_left_text_is_refused(text: str) -> None:
    err = refusal(f"客户 {text}")
    assert "从右向左" in render(err)
    assert text_rules.code(text[0]) in render(err)


@pytest.mark.parametrize(("text", "script"), [
    ("मराठी", "天城文"), ("বাংলা", "孟加拉文"), ("தமிழ்", "泰米尔文"), ("සිංහල", "僧伽罗文"),
    ("བོད་ཡིག", "藏文"), ("မြန်မာ", "缅甸文"), ("ខ្មែរ", "高棉文"), ("ᠮᠣᠩᠭᠣᠯ", "蒙古文"),
    ("ไทย", "泰文"), ("ລາວ", "老挝文"), ("ꡖꡍꡂ", "八思巴文"), ("ꦗꦮ", "南亚或东南亚文字"),
])
def test_scripts_that_need_shaping_are_refused_by_name(text: str, script: str) -> None:
    err = refusal(text)
    assert script in render(err)


@pytest.mark.parametrize("text", ["q\u0301", "a\ufe0f", "中\U000e0100", "1\u20e3", "x\u0308\u0323"])
def test_combining_marks_left_after_nfc_are_refused(text: str) -> None:
    err = refusal(text)
    assert "组合符号" in render(err)


def test_a_mark_that_nfc_composes_is_accepted_composed() -> None:
    assert check_length("e\u0301", "name", "Customer name", 40) == "é"
    assert check_length("u\u030c", "name", "Customer name", 40) == "ǔ"


@pytest.mark.parametrize("text", RARE)
def test_rare_characters_pass_unchanged(text: str) -> None:
    assert check_length(f"客户{text}", "name", "Customer name", 40, multiline=False) == \
        f"客户{text}"


def test_many_characters_are_listed_with_an_ellipsis() -> None:
    err = refusal("ابتثجحخدذرزسشصضطظعغ")
    assert len(err.params["chars"]) == text_rules.SHOWN_AT_MOST + 1
    assert err.params["chars"][-1] == "…"


def test_every_message_and_script_has_chinese() -> None:
    names = {name for _, _, name in text_rules.SHAPING_BLOCKS}
    missing = [text for text in [*text_rules.MESSAGES.values(), *names] if text not in TEXT_ZH]
    assert not missing


@given(st.text(max_size=80), st.booleans())
def test_any_text_passes_unchanged_or_is_refused(text: str, multiline: bool) -> None:
    try:
        clean = check_length(text, "notes", "Notes", 4000, multiline=multiline)
    except RuleViolation as err:
        assert err.field == "notes"
        render(err).encode("utf-8")
        return
    assert clean == unicodedata.normalize("NFC", text).strip()
    assert not text_rules.surrogates(clean)
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Mn", "Mc", "Me")
               or (multiline and c in "\n\t") for c in clean)
