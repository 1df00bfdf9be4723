"""Rules for operator-typed text (names, descriptions): what is accepted, how it is normalised."""

from __future__ import annotations

import unicodedata

from loom_tui.errors import ValidationError


def has_control(text: str) -> bool:
    """True if ``text`` holds control characters (C0/C1, DEL, escape sequences)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


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
