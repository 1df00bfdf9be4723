"""A cost view written to a file (the Cost screen's export): its records (:mod:`.records`) through
the one formatter (:mod:`loom_tui.formats`) — the same escapes, the same CSV formula rule, the same
full precision as ``loom cost ... -o csv|json`` — into a private file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loom_tui.formats.rows import Column, render
from loom_tui.private_files import private_dir, write_private

from .records import document, rows_of

EXT = {"csv": "csv", "json": "json", "markdown": "md"}


def export_view(view: list[Any], fmt: str, folder: Path, name: str) -> Path:
    """Write ``view`` (the service's typed rows) in ``fmt`` (csv, json or markdown) to
    ``folder/name.<ext>``, the folder made private first; the file's path."""
    private_dir(folder)
    path = folder / f"{name}.{EXT[fmt]}"
    cols, rows = rows_of(view)
    return write_private(path, render(fmt, rows, [Column(c) for c in cols], json=document(view)))
