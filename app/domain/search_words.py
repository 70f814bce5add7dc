"""How text becomes search words, the same way when a record is indexed and when a query is
typed: Chinese is cut into words by jieba (rjieba, the Rust port: fast, its dictionary
built in), in search mode so a long word also yields its parts (压缩机 -> 压缩, 压缩机);
Latin letters are folded to lower case; punctuation and spaces are dropped.

A given name is what is left of a Chinese personal name without its surname (compound
surnames such as 欧阳 included), so a clerk who only knows "小明" finds 张小明.
"""

from __future__ import annotations

import unicodedata

import rjieba

#: bumped when the way words are made changes: every index built with an older version is
#: rebuilt in the background
WORDS_VERSION = 1

#: two-character surnames (复姓) common enough to meet at a service counter
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "呼延", "申屠", "太史", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "闻人", "万俟", "赫连", "东郭", "百里", "第五", "羊舌", "微生", "梁丘", "左丘", "东门", "拓跋"])


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokens(text: str) -> list[str]:
    """The words of ``text``, in order, repeats kept (search mode: parts of long words too)."""
    if not text:
        return []
    folded = unicodedata.normalize("NFKC", text).lower()
    return [t.strip() for t in rjieba.cut_for_search(folded) if _is_word(t)]


def words(*texts: str) -> str:
    """The space-separated words of ``texts``, the form an FTS5 unicode61 column stores."""
    return " ".join(t for text in texts for t in tokens(text))


def query_tokens(text: str) -> list[str]:
    """The distinct words of a typed query, longest first (the most telling first)."""
    seen = dict.fromkeys(tokens(text))
    return sorted(seen, key=len, reverse=True)


def fts_phrase(token: str) -> str:
    """``token`` as an FTS5 string (quoted, so no word is read as query syntax)."""
    return '"' + token.replace('"', '""') + '"'


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def given_name(name: str) -> str:
    """The given name of a Chinese personal name (``""`` when it is not one: a company,
    a Latin name, a single character)."""
    name = name.strip()
    if not 2 <= len(name) <= 5 or not all(is_cjk(ch) for ch in name):
        return ""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[2:]
    return name[1:]


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
