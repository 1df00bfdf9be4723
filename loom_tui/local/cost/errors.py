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


class CostDbDamaged(ServiceError):
    """The cost database file exists but DuckDB cannot open it (a crash mid-write, a disk error,
    another program's file at that path).  Exit 1: the store failed, not the input."""

    code = "damaged"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"the cost database {path} cannot be opened ({reason}). It holds only what was imported: "
                         f"move it aside (mv {path} {path}.damaged) and import the exports again with `loom cost import`; "
                         "the demo tenant's cost is rebuilt on its own")
