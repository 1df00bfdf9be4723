"""Rules for operator-typed text (names, descriptions): what is accepted, how it is normalised."""

from __future__ import annotations

import unicodedata
from typing import Any

from loom_tui.errors import ValidationError


# shown as escapes wherever text reaches a terminal or a machine format: control characters (C0,
# C1, DEL), format characters (bidi overrides and isolates, zero-width space/joiners, BOM, soft
# hyphen, invisible tags), line/paragraph separators, surrogates and unassigned code points
_HOSTILE_CATEGORIES = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Cn"))


def is_hostile(ch: str) -> bool:
    """True for a character that could drive a terminal, reorder text or hide in it."""
    return unicodedata.category(ch) in _HOSTILE_CATEGORIES


def json_escaped(text: str) -> str:
    """JSON text with every hostile character (C1, DEL, bidi, zero-width; json.dumps already escapes
    C0 inside strings) written as a ``\\uXXXX`` escape — the same JSON, safe on a terminal, in a
    clipboard and in a file.  A newline is kept: in dumped JSON it can only be the indent's own."""
    if not any(is_hostile(ch) and ch != "\n" for ch in text):
        return text
    out = []
    for ch in text:
        if ch == "\n" or not is_hostile(ch):
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            n = ord(ch) - 0x10000
            out.append(f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


# Invisible format characters that change how text reads without showing: bidi embeddings,
# overrides and isolates, marks, zero-width joiners/spaces, the BOM.  Python already counts most
# of them as not printable; they are listed so the rule does not rest on that.
INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u00ad\u180e"
)


def _escape(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii")


def visible(value: Any) -> str:
    """Text fit for a terminal: every control character (C0, C1, DEL — so every escape
    sequence), bidi override/isolate and zero-width character shown as a visible escape
    (``\\x1b``, ``\\u202e``), so data can never drive the terminal, the clipboard (OSC 52),
    the layout or how a name reads.  The ONE function every path from data to a terminal uses:
    tables, inputs, prompts, titles, flash lines, plain output, errors."""
    text = "" if value is None else str(value)
    if text.isprintable() and not any(ch in INVISIBLE for ch in text):
        return text
    return "".join(ch if (ch.isprintable() and ch not in INVISIBLE) else _escape(ch) for ch in text)


def has_control(text: str) -> bool:
    """True if ``text`` holds control characters (C0/C1, DEL, escape sequences)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def has_invisible(text: str) -> bool:
    """True if ``text`` holds bidi controls or zero-width characters (look-alike names)."""
    return any(ch in INVISIBLE or unicodedata.category(ch) == "Cf" for ch in text)


def clean_name(field: str, value: object, *, max_len: int = 256, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    text = value.strip()
    if required and not text:
        raise ValidationError(field, "is required")
    if len(text) > max_len:
        raise ValidationError(field, f"is {len(text)} characters long; at most {max_len} are allowed")
    if has_control(text):
        raise ValidationError(field, "must not contain control characters (tabs, newlines, escape sequences)")
    if has_invisible(text):
        raise ValidationError(field, "must not contain invisible characters (zero-width or bidi controls such as "
                              "U+200B or U+202E): a name that looks like another would be ambiguous")
    return text


def clean_text(field: str, value: object, *, max_len: int = 2000) -> str:
    """Free text such as a description: optional, control characters other than newline refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    text = value.strip()
    if len(text) > max_len:
        raise ValidationError(field, f"is {len(text)} characters long; at most {max_len} are allowed")
    if any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text):
        raise ValidationError(field, "must not contain control characters (escape sequences, tabs)")
    return text
