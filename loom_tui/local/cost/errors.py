"""The one error a bad cost file gives: the file, the line, the column and what is wrong."""

from __future__ import annotations

from loom_tui.errors import USAGE, ServiceError


class CostFileError(ServiceError):
    code = "invalid"
    exit_code = USAGE

    def __init__(self, file: str, problem: str, *, line: int | None = None, column: str | None = None) -> None:
        where = file
        if line is not None:
            where += f": line {line}"
        if column:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}; nothing was imported")
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem


class CostDbBusy(ServiceError):
    code = "busy"

    def __init__(self, path: str) -> None:
        super().__init__(f"the cost database {path} is in use by another loom process (an import?); try again in a moment")
