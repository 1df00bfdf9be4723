"""The answers file of ``loom dlz plan|export|deploy``: TOML whose keys are the wizard's steps, and a
``[parameters]`` table for the template parameters loom asks for (typed TOML values: strings,
booleans, integers, tables, arrays), checked against the template's declarations."""

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
    params = raw.pop("parameters", {})
    problems = [Problem(k, f"unknown key; the keys are {', '.join(ANSWER_KEYS)} and a [parameters] table") for k in raw
                if k not in ANSWER_KEYS]
    if not isinstance(params, dict):
        problems.append(Problem("parameters", "must be a table: [parameters] then name = value lines"))
        params = {}
    for k, v in params.items():
        if isinstance(v, str) and has_control(v):
            problems.append(Problem(f"parameters.{k}", "must not contain control characters"))
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
    return DlzAnswers(**values, parameters=dict(params))
