"""The answers file of ``loom dlz plan|export|deploy``: TOML whose keys are the wizard's steps."""

from __future__ import annotations

import tomllib
from pathlib import Path

from loom_tui.domain.dlz import ANSWER_KEYS, DlzAnswers, Problem
from loom_tui.domain.text import has_control


class AnswersError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def read_answers(path: str | Path) -> DlzAnswers:
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnswersError([Problem("answers", f"cannot read {p}: {exc.strerror or exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise AnswersError([Problem("answers", f"{p} is not TOML: {exc}")]) from None
    problems = [Problem(k, f"unknown key; the keys are {', '.join(ANSWER_KEYS)}") for k in raw if k not in ANSWER_KEYS]
    values: dict[str, str] = {}
    for k in ANSWER_KEYS:
        v = raw.get(k)
        if v is None:
            continue
        if not isinstance(v, str):
            problems.append(Problem(k, f"must be a string (got {type(v).__name__})"))
        elif has_control(v):
            problems.append(Problem(k, "must not contain control characters"))
        else:
            values[k] = v.strip()
    if problems:
        raise AnswersError(problems)
    return DlzAnswers(**values)
