"""``repair-station-hq`` speaks Chinese by default and English with ``--lang en``: every help
text of every sub-command, every text its code puts through ``tr``/``AdminError``/the schema
errors, and argparse's own words have a Chinese entry keeping the same placeholders."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from sync.hq import i18n
from sync.hq.__main__ import build_parser, main
from sync.hq.i18n_zh import TEXT_ZH

ROOT = Path(__file__).resolve().parents[3]
#: modules whose every message goes through the catalogue
TRANSLATED = ["__main__.py", "admin.py", "checks.py", "device_admin.py", "errors.py", "i18n.py",
              "feedback.py",
              "migrations/__init__.py"]
ARGPARSE_WORDS = ["usage: ", "positional arguments", "options",
                  "show this help message and exit", "%(prog)s: error: %(message)s\n",
                  "the following arguments are required: %s",
                  "invalid choice: %(value)r (choose from %(choices)s)",
                  "unrecognized arguments: %s", "argument %(argument_name)s: %(message)s",
                  "expected one argument", "invalid %(type)s value: %(value)r"]


def _help_texts() -> list[str]:
    out: list[str] = []
    done: set[int] = set()

    def walk(parser: argparse.ArgumentParser) -> None:
        if id(parser) in done:
            return
        done.add(id(parser))
        if parser.description:
            out.append(parser.description)
        for action in parser._actions:
            if isinstance(action.help, str) and action.help != argparse.SUPPRESS:
                out.append(action.help)
            if isinstance(action, argparse._SubParsersAction):
                out.extend(p.help for p in action._choices_actions if p.help)
                for sub in action.choices.values():
                    walk(sub)

    i18n.set_language("en")
    walk(build_parser())
    return out


def _code_texts() -> list[str]:
    """First string arguments of tr(...), AdminError(...) and the schema errors' templates."""
    out = []
    for name in TRANSLATED:
        tree = ast.parse((ROOT / "sync" / "hq" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if called in ("tr", "AdminError", "__init__") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                out.append(first.value)
    return out


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{\w*\}|%\(\w+\)[rsd]|%[rsd]", text))


def test_every_text_has_chinese_with_the_same_placeholders() -> None:
    texts = set(_help_texts()) | set(_code_texts()) | set(ARGPARSE_WORDS)
    assert len(texts) > 100
    missing = sorted(t for t in texts if not TEXT_ZH.get(t))
    assert missing == []
    for text in texts:
        assert _placeholders(TEXT_ZH[text]) == _placeholders(text), text


def test_chinese_by_default_english_with_lang_en(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path, capsys) -> None:
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    assert main(["--db", url, "add-station", "BJ001", "--name", "北京海淀维修站"]) == 0
    assert "已添加维修站 BJ001" in capsys.readouterr().out
    assert main(["--db", url, "revoke-station", "ZZ999"]) == 1
    assert "没有维修站 ZZ999" in capsys.readouterr().err
    assert main(["--db", url, "revoke-station", "ZZ999", "--lang", "en"]) == 1
    assert "No station ZZ999; add it with add-station first." in capsys.readouterr().err
    with pytest.raises(SystemExit) as shown:
        main(["--help"])
    assert shown.value.code == 0
    out = capsys.readouterr().out
    assert "用法:" in out and "运行同步服务器" in out and "显示本帮助并退出" in out
    with pytest.raises(SystemExit) as bad:
        main(["--db", url, "frobnicate"])
    assert bad.value.code == 2 and "无效的选项" in capsys.readouterr().err
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    assert main(["--db", url, "stations"]) == 0
    assert "1 station(s)." in capsys.readouterr().out
    assert main(["--db", url, "stations", "--lang", "zh_CN"]) == 0
    assert "共 1 个维修站。" in capsys.readouterr().out
    assert main(["--lang", "fr", "--db", url, "stations"]) == 2


def test_argparse_words_are_restored_after_the_command(monkeypatch, capsys) -> None:
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    capsys.readouterr()
    other = argparse.ArgumentParser(prog="x")
    assert "usage: x" in other.format_usage()  # the station's commands keep their own words


#: head office's older modules: their f-string messages are said by pattern (i18n.said)
SAID = ["catalogue.py", "policy.py", "claims.py", "feedback.py", "old_parts.py",
        "parts_orders.py", "dispatch_file.py"]


def _sample(node: ast.expr) -> list[str]:
    """The texts an f-string message can make, with X1, X2... (quoted for !r) as values."""
    if isinstance(node, ast.IfExp):
        return _sample(node.body) + _sample(node.orelse)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        out, n = "", 0
        for part in node.values:
            if isinstance(part, ast.Constant):
                out += part.value
            else:
                n += 1
                assert isinstance(part, ast.FormattedValue)
                out += f"'X{n}'" if part.conversion == ord("r") else f"X{n}"
        return [out]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _sample(node.left) for b in _sample(node.right)]
    return ["X9"]


def _said_texts() -> list[str]:
    out = []
    for name in SAID:
        tree = ast.parse((ROOT / "sync" / "hq" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and getattr(
                    node.func, "id", "") in ("AdminError", "said", "tr"):
                out.extend(_sample(node.args[0]))
    return out


def test_the_older_modules_messages_are_said_in_chinese() -> None:
    texts = _said_texts()
    assert len(texts) > 80
    i18n.set_language("zh_CN")
    try:
        untranslated = [t for t in texts if i18n.said(t) == t and t != "X9"]
    finally:
        i18n.set_language("en")
    assert untranslated == []
    assert i18n.said("No claim batch 'CB-1' is known to head office (has the station "
                     "submitted it and synced since?).") == "No claim batch 'CB-1' is known " \
        "to head office (has the station submitted it and synced since?)."  # English: as is


def test_a_message_is_said_with_its_parts_in_chinese() -> None:
    i18n.set_language("zh_CN")
    try:
        assert i18n.said("The adjusted amount '12.345' has more than two decimals (fen).") == \
            "调整后的金额 '12.345' 的小数超过两位(分)。"
        assert i18n.said("Unknown column(s) in order 3: colour. Known: customer, phone.") == \
            "第 3 张工单中有未知的列:colour。可用的列:customer, phone。"
        assert i18n.said("something nobody wrote") == "something nobody wrote"
    finally:
        i18n.set_language("en")


def test_tables_line_up_in_chinese(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    assert main(["--db", url, "add-station", "BJ001", "--name", "北京海淀维修站" * 5]) == 0
    assert main(["--db", url, "add-station", "SH002", "--name", "Shanghai"]) == 0
    capsys.readouterr()
    assert main(["--lang", "zh_CN", "--db", url, "stations"]) == 0
    header, first, second, _total = capsys.readouterr().out.splitlines()
    # the revoked column starts at the same terminal column on every line
    starts = [i18n.columns(line[:line.rindex(word)])
              for line, word in ((header, "已吊销"), (first, "否"), (second, "否"))]
    assert len(set(starts)) == 1
    assert i18n.pad("北京", 6) == "北京  " and i18n.pad("7", 3, right=True) == "  7"
