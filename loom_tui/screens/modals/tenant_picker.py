"""From the subscription picker (``t``): the tenants the signed-in account belongs to, the
signed-in one marked.  Choosing another one dismisses with ``OtherTenant``; the console then signs
in to that tenant for this run.  ``esc`` keeps the current tenant.  Names, domains and ids come
from ARM: shown as plain ``Text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from loom_tui.domain.text import visible


@dataclass(frozen=True)
class OtherTenant:
    """What the subscription picker dismisses with when the operator chose another tenant."""

    tenant_id: str
    display_name: str = ""


class TenantPicker(ModalScreen[Any]):
    """Dismisses with the chosen ``TenantInfo``, or ``None`` (esc, or the signed-in tenant chosen)."""

    DEFAULT_CSS = """
    TenantPicker { align: center middle; }
    TenantPicker > Vertical { width: 90; max-width: 96%; height: auto; max-height: 85%; border: heavy $accent; padding: 1 2; background: $surface; }
    TenantPicker #title { text-style: bold; }
    TenantPicker #status { margin: 1 0; }
    TenantPicker OptionList { height: auto; max-height: 14; }
    TenantPicker #keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "keep", "Keep tenant", id="tenants.keep")]

    def __init__(self, tenants: list[Any], signed_in_tenant: str) -> None:
        super().__init__()
        self.tenants = tenants
        self.tenant = signed_in_tenant

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Choose a tenant"), id="title")
            yield Static(Text(f"You belong to {len(self.tenants)} tenants. Another one signs you in there for this run."), id="status")
            yield OptionList(id="tenants")
            yield Static(Text("enter choose · esc keep the current tenant"), id="keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for i, t in enumerate(self.tenants):
            line = Text()
            line.append(visible(t.display_name) or "(no name)", style="bold")
            if t.default_domain:
                line.append(f"  {visible(t.default_domain)}")
            if t.tenant_id == self.tenant:
                line.append("  (signed in)", style="bold")
            line.append(f"\n  tenant {visible(t.tenant_id)}", style="dim")
            options.add_option(Option(line, id=str(i)))
        if self.tenants:
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self.tenants[int(event.option.id or 0)]
        self.dismiss(None if chosen.tenant_id == self.tenant else chosen)

    def action_keep(self) -> None:
        self.dismiss(None)
