"""What typed text the program can store and the papers can lay out, by Unicode alone.

A paper draws text left to right, one glyph per character, with no shaping engine. So text
is refused (never altered) when it holds:

- a lone UTF-16 surrogate (it cannot even be stored: SQLite and UTF-8 refuse it);
- control characters, line or paragraph separators (newline and tab only in multi-line
  fields);
- invisible format characters (bidi overrides such as U+202E, zero-width joiners, BOM,
  soft hyphen);
- right-to-left text (bidi classes R, AL, AN: Arabic and Uyghur, Hebrew, Syriac, Thaana, N'Ko);
- text of a script that needs shaping (Indic, Tibetan, Myanmar, Khmer, Mongolian, Thai, Lao);
- combining marks left over after NFC (variation selectors included).

Whether some embedded font draws each character is the services' check (it reads the font
files); this module imports nothing of ours but the domain's errors.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable

from app.domain.errors import RuleViolation

#: what a multi-line field (fault description, diagnosis, notes) may hold besides text
MULTI_LINE_LAYOUT = frozenset("\n\t")
#: characters named in a message, at most; the rest become "…"
SHOWN_AT_MOST = 10

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_RTL = frozenset({"R", "AL", "AN"})

#: scripts that need a shaping engine, as (first, last, name) blocks; the name is a
#: translation key (app.i18n)
SHAPING_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x1780, 0x17FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0x1900, 0x1AAF, "a South or Southeast Asian script"),  # Limbu .. Tai Tham
    (0x1B00, 0x1C4F, "a South or Southeast Asian script"),  # Balinese .. Lepcha
    (0x1CD0, 0x1CFF, "Devanagari"),  # Vedic extensions
    (0x19E0, 0x19FF, "Khmer"),
    (0xA800, 0xA82F, "a South or Southeast Asian script"),  # Syloti Nagri
    (0xA840, 0xA87F, "Phags-pa"),
    (0xA880, 0xA8DF, "a South or Southeast Asian script"),  # Saurashtra
    (0xA8E0, 0xA8FF, "Devanagari"),
    (0xA900, 0xA9DF, "a South or Southeast Asian script"),  # Kayah Li, Rejang, Javanese
    (0xA9E0, 0xA9FF, "Myanmar"),
    (0xAA00, 0xAA5F, "a South or Southeast Asian script"),  # Cham
    (0xAA60, 0xAA7F, "Myanmar"),
    (0xAA80, 0xAAFF, "a South or Southeast Asian script"),  # Tai Viet, Meetei Mayek ext.
    (0xABC0, 0xABFF, "a South or Southeast Asian script"),  # Meetei Mayek
    (0x11660, 0x1167F, "Mongolian"),
    (0x11000, 0x11FFF, "a South or Southeast Asian script"),  # Brahmi .. Tamil supplement
)
# sorted by first code point, inner blocks (Mongolian supplement) before their container
_BLOCKS = sorted(SHAPING_BLOCKS, key=lambda b: (b[0], b[1]))
_STARTS = [b[0] for b in _BLOCKS]

# why a character is refused, in the order a message reports them (the first one found)
SURROGATE, CONTROL, FORMAT, RIGHT_TO_LEFT, MARK = "surrogate", "control", "format", "rtl", "mark"
_ORDER = (SURROGATE, CONTROL, FORMAT, RIGHT_TO_LEFT, "script", MARK)

MESSAGES = {
    SURROGATE: "{label} holds a broken character (an unpaired UTF-16 surrogate: {chars}); "
               "please type it again.",
    CONTROL: "{label} holds control characters that cannot be printed ({chars}); "
             "please remove them.",
    FORMAT: "{label} holds invisible formatting characters ({chars}); please remove them.",
    RIGHT_TO_LEFT: "{label} holds right-to-left text ({chars}), which the papers cannot lay "
                   "out; please write it in Chinese characters or pinyin.",
    "script": "{label} holds {script} text ({chars}), which the papers cannot lay out; "
              "please write it in Chinese characters or pinyin.",
    MARK: "{label} holds combining marks the papers cannot place ({chars}); please use the "
          "precomposed character or remove them.",
}


def code(char: str) -> str:
    """``U+4E2D``: how a message names a character that may not show."""
    return f"U+{ord(char):04X}"


def shown(chars: Iterable[str]) -> tuple[str, ...]:
    """The characters as a message lists them: 'ئ (U+0626)', or only the code point for those
    that draw nothing on screen (marks, controls, format characters, surrogates)."""
    found = list(dict.fromkeys(chars))
    out = []
    for char in found[:SHOWN_AT_MOST]:
        visible = unicodedata.category(char)[0] not in "MCZ"
        out.append(f"{char} ({code(char)})" if visible else code(char))
    if len(found) > SHOWN_AT_MOST:
        out.append("…")
    return tuple(out)


def surrogates(text: str) -> list[str]:
    """The distinct lone surrogates in ``text`` (a str from Python cannot hold pairs)."""
    return list(dict.fromkeys(_SURROGATE_RE.findall(text)))


def check_encodable(text: str, field: str | None, label: str) -> str:
    """Refuses a lone surrogate: nothing can store or print it. Passwords, search text and
    ids only need this check."""
    found = surrogates(text)
    if found:
        raise RuleViolation(MESSAGES[SURROGATE], field=field, label=label, chars=shown(found))
    return text


def script_of(char: str) -> str | None:
    """The name of the shaping script ``char`` belongs to, None for any other character."""
    point = ord(char)
    i = bisect.bisect_right(_STARTS, point)
    # a code point can sit in a small block that starts after a big one containing it
    for first, last, name in reversed(_BLOCKS[:i]):
        if first <= point <= last:
            return name
        if point - first > 0x1000:
            break
    return None


def _kind(char: str, layout: frozenset[str]) -> str | None:
    if char in layout:
        return None
    category = unicodedata.category(char)
    if category == "Cs":
        return SURROGATE
    if category == "Cc" or category in ("Zl", "Zp"):
        return CONTROL
    if category == "Cf":
        return FORMAT
    if unicodedata.bidirectional(char) in _RTL:
        return RIGHT_TO_LEFT
    if script_of(char) is not None:
        return "script"
    if category[0] == "M":
        return MARK
    return None


def check_layout(text: str, field: str | None, label: str, multiline: bool = True) -> str:
    """Refuses text the papers cannot lay out (see the module docstring); ``text`` is the
    NFC form the services store. Returns it unchanged."""
    layout = MULTI_LINE_LAYOUT if multiline else frozenset()
    if text.isascii() and all(c in layout or c.isprintable() for c in text):
        return text
    found: dict[str, list[str]] = {}
    for char in text:
        kind = _kind(char, layout)
        if kind is not None:
            found.setdefault(kind, []).append(char)
    if not found:
        return text
    kind = next(k for k in _ORDER if k in found)
    chars = found[kind]
    if kind == "script":
        script = script_of(chars[0])
        chars = [c for c in chars if script_of(c) == script]
        raise RuleViolation(MESSAGES[kind], field=field, label=label, script=script,
                            chars=shown(chars))
    raise RuleViolation(MESSAGES[kind], field=field, label=label, chars=shown(chars))


def check_text(text: str, field: str | None, label: str, multiline: bool = True) -> str:
    """Both checks: storable and laid out by the papers."""
    return check_layout(check_encodable(text, field, label), field, label, multiline)
