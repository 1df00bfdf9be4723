"""Pick an item type from the full catalog (21 categories, 90 types): by category or by typing.

The list shows every type under its category heading.  Typing narrows it to the types whose name
or category contains the text (so "real" leaves the Real-Time Intelligence category, "lake" the
lakehouse); ``enter`` in the field takes the first match, ``down`` moves into the list, and
``ctrl+left`` / ``ctrl+right`` — or ``[`` and ``]`` in the list — step through the categories.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from loom_tui.widgets.safe_input import SafeInput
from loom_tui.domain.catalog import item_types_by_category

from loom_tui.screens.modals.prompt import MODAL_CSS


def matches(text: str) -> list[tuple[str, list[str]]]:
    """Categories with their types that match ``text`` (type or category, case-insensitive)."""
    term = text.strip().lower()
    out = []
    for cat, types in item_types_by_category().items():
        if not term or term in cat.lower():
            out.append((cat, list(types)))
            continue
        hit = [t for t in types if term in t.lower() or term in t.replace("-", " ")]
        if hit:
            out.append((cat, hit))
    return out


class ItemTypePicker(ModalScreen[str | None]):
    DEFAULT_CSS = MODAL_CSS.format(name="ItemTypePicker") + "ItemTypePicker OptionList { max-height: 14; }"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="types.cancel"),
        Binding("ctrl+right,right_square_bracket", "category(1)", "Next category", id="types.next"),
        Binding("ctrl+left,left_square_bracket", "category(-1)", "Previous category", id="types.prev"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.categories = list(item_types_by_category())
        self.category: int | None = None  # index into categories when stepping by category

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("New item: choose its type", style="bold"))
            yield SafeInput(placeholder="type to filter: name or category (e.g. lake, notebook)", id="type-filter")
            yield Static("", id="type-count", markup=False)
            yield OptionList(id="types")
            yield Static(Text("enter picks · ↓ into the list · [ ] or ctrl+←/→ category · esc cancels", style="italic"))

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        groups = matches(text)
        if self.category is not None:
            wanted = self.categories[self.category]
            groups = [(wanted, list(item_types_by_category()[wanted]))]
        options = self.query_one(OptionList)
        options.clear_options()
        n = 0
        for cat, types in groups:
            options.add_option(Option(Text(cat, style="bold"), disabled=True))
            for t in types:
                options.add_option(Option(Text("  " + t), id=t))
                n += 1
        where = f" in {self.categories[self.category]}" if self.category is not None else ""
        self.query_one("#type-count", Static).update(Text(f"{n} type{'s' if n != 1 else ''}{where}"))
        first = next((i for i in range(options.option_count) if not options.get_option_at_index(i).disabled), None)
        options.highlighted = first

    def first_match(self) -> str | None:
        options = self.query_one(OptionList)
        for i in range(options.option_count):
            opt = options.get_option_at_index(i)
            if not opt.disabled:
                return opt.id
        return None

    @on(Input.Changed, "#type-filter")
    def _changed(self, event: Input.Changed) -> None:
        self.category = None
        self._fill(event.value)

    @on(Input.Submitted, "#type-filter")
    def _submitted(self) -> None:
        exact = self.query_one(Input).value.strip().lower()
        options = self.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        if exact in ids:
            self.dismiss(exact)
            return
        first = self.first_match()
        if first:
            self.dismiss(first)

    def on_key(self, event) -> None:
        if event.key == "down" and self.query_one(Input).has_focus:
            self.query_one(OptionList).focus()
            event.stop()

    @on(OptionList.OptionSelected, "#types")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_category(self, step: int) -> None:
        self.category = (step if step > 0 else -1) % len(self.categories) if self.category is None else (self.category + step) % len(self.categories)
        self._fill("")

    def action_cancel(self) -> None:
        self.dismiss(None)
