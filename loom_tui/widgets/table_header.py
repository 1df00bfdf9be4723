"""The column titles above a VirtualTable, kept aligned with its columns."""

from __future__ import annotations

from textual.widgets import Static

from .virtual_table import VirtualTable


class TableHeader(Static):
    DEFAULT_CSS = "TableHeader { height: 1; }"

    def __init__(self, table_id: str) -> None:
        super().__init__("", markup=False)
        self.table_id = table_id

    def on_resize(self) -> None:
        self.refresh_header()

    def refresh_header(self) -> None:
        table = self.screen.query_one(f"#{self.table_id}", VirtualTable)
        self.update(table.header_text(self.size.width))
