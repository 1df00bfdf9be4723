"""The DLZ screen's messages (workers post them; the screen's handlers own the state)."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from loom_tui.services.dlz.steps import Wizard


class FactsLoaded(Message):
    def __init__(self, facts: Any) -> None:
        super().__init__()
        self.facts = facts

class DraftLoaded(Message):
    def __init__(self, wizard: Wizard | None, drafts: list[Any]) -> None:
        super().__init__()
        self.wizard = wizard
        self.drafts = drafts

class Permissions(Message):
    def __init__(self, report: Any) -> None:
        super().__init__()
        self.report = report

class Stage(Message):
    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event

class RunEnded(Message):
    def __init__(self, ok: bool, only: tuple[str, ...] | None, record: Any) -> None:
        super().__init__()
        self.ok = ok
        self.only = only
        self.record = record

class OpStep(Message):
    """A step of the deployment's Operation that changed (a ``StepChanged``)."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event

class PricesLoaded(Message):
    def __init__(self, prices: Any) -> None:
        super().__init__()
        self.prices = prices


class TemplateLoaded(Message):
    def __init__(self, info: Any) -> None:
        super().__init__()
        self.info = info
