"""The startup baseline: a bare Textual app with a header, a table and a footer (what any Textual
console costs to start), run the same way as ``loom``."""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Baseline(App):
    TITLE = "baseline"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Domain", "Capacity", "Items", "State")
        for i in range(20):
            table.add_row(f"Workspace {i}", "finance", "F8", str(i), "Active")


if __name__ == "__main__":
    Baseline().run()
