"""Text rules: the one rule for showing untrusted text (:func:`visible`, :func:`json_escaped`, both by
:func:`is_hostile`), and what operator-typed text (names, descriptions) may hold."""

from __future__ import annotations

import unicodedata
from typing import Any

from loom_tui.errors import ValidationError


# THE rule for text that reaches a terminal, a clipboard or a machine format: a character is hostile
# (shown as an escape) when Unicode counts it as "Other" or as a "Separator", the ASCII space
# excepted.  Other: controls (Cc: C0, C1, DEL, so every escape sequence), format characters (Cf:
# bidi embeddings, overrides and isolates, zero-width space/joiners, BOM, soft hyphen, invisible
# tags), surrogates (Cs), private use (Co), unassigned code points (Cn).  Separator: line and
# paragraph separators (Zl, Zp) and every space but " " (Zs: no-break and other-width spaces that
# pass for a space).  This is exactly what ``str.isprintable`` refuses (Python defines it by these
# categories; a test holds the two together over every code point), so :func:`visible` keeps its
# C-speed fast path.  Rich markup (``[bold]``) is not hostile text: it is shown as it is, because no
# path formats data into markup (``rich.text.Text``, ``markup=False``).
_HOSTILE_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"))


def is_hostile(ch: str) -> bool:
    """True for a character that could drive a terminal, reorder text or hide in it."""
    return ch != " " and unicodedata.category(ch) in _HOSTILE_CATEGORIES


def has_hostile(text: str) -> bool:
    """True when any character of ``text`` is hostile (:func:`is_hostile`), at C speed:
    ``str.isprintable`` refuses exactly those characters."""
    return not text.isprintable()


def json_escaped(text: str) -> str:
    """JSON text with every hostile character (:func:`is_hostile`: C1, DEL, bidi, zero-width, odd
    spaces; json.dumps already escapes C0 inside strings) written as a ``\\u202e``-style escape — the
    same JSON, safe on a terminal, in a clipboard and in a file.  A newline is kept: in dumped JSON it can only be the indent's own."""
    if not has_hostile(text.replace("\n", "")):  # none but the indent's newlines
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


def _escape(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii")


def visible(value: Any) -> str:
    """Text fit for a terminal: every hostile character (:func:`is_hostile`: C0, C1, DEL — so
    every escape sequence —, bidi override/isolate, zero-width, odd spaces) shown as an escape
    (``\\x1b``, ``\\u202e``), so data can never drive the terminal, the clipboard (OSC 52),
    the layout or how a name reads.  The ONE function every path from data to a terminal uses:
    tables, inputs, prompts, titles, flash lines, plain output, errors."""
    text = "" if value is None else str(value)
    if text.isprintable():  # no hostile character (the same rule, at C speed)
        return text
    return "".join(_escape(ch) if is_hostile(ch) else ch for ch in text)


def has_control(text: str) -> bool:
    """True if ``text`` holds control characters (C0/C1, DEL, escape sequences)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def has_invisible(text: str) -> bool:
    """True if ``text`` holds bidi controls or zero-width characters (look-alike names)."""
    return any(unicodedata.category(ch) == "Cf" for ch in text)


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
