"""After sign-in, when the profile names no subscription: pick one from those the user can see.

Subscriptions are listed by tenant (the tenant column says which directory each belongs to, and
the signed-in tenant is marked), loaded by a worker through a loader the app hands in (no Azure
import here).  ``enter`` picks, ``esc`` skips (Azure areas then say that no subscription is
chosen), ``r`` loads again after an error.  Names and ids come from ARM: shown as plain ``Text``.

ARM lists only the subscriptions of the token's tenant: when the account belongs to more than one
tenant (listed in the background through ``load_tenants``), ``t`` offers the others
(``TenantPicker``) and the picker dismisses with ``OtherTenant``.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from loom_tui.domain.text import visible

from loom_tui.screens.worker_errors import ReportsWorkerErrors


def cause(exc: BaseException) -> str:
    """ARM, network, TLS: the error's type and the first line of its message, for the status line."""
    text = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).strip().splitlines()
    return visible(f"{type(exc).__name__}: {text[0] if text else ''}")


class SubscriptionPicker(ReportsWorkerErrors, ModalScreen[Any]):
    """Dismisses with the chosen ``SubscriptionInfo``, or ``None`` when skipped."""

    DEFAULT_CSS = """
    SubscriptionPicker { align: center middle; }
    SubscriptionPicker > Vertical { width: 96; max-width: 98%; height: auto; max-height: 90%; border: heavy $accent; padding: 1 2; background: $surface; }
    SubscriptionPicker #title { text-style: bold; }
    SubscriptionPicker #status { margin: 1 0; }
    SubscriptionPicker #status.error { color: $error; text-style: bold; }
    SubscriptionPicker OptionList { height: auto; max-height: 16; }
    SubscriptionPicker #keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "skip", "Skip", id="subs.skip"),
        Binding("r", "reload", "Reload", id="subs.reload"),
        Binding("t", "other_tenant", "Other tenant", id="subs.tenant"),
    ]

    class Loaded(Message):
        def __init__(self, subscriptions: list[Any]) -> None:
            super().__init__()
            self.subscriptions = subscriptions

    class LoadFailed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class TenantsLoaded(Message):
        def __init__(self, tenants: list[Any] | None, error: str = "") -> None:
            super().__init__()
            self.tenants = tenants
            self.error = error

    def __init__(self, load: Callable[[], Awaitable[list[Any]]], signed_in_tenant: str,
                 load_tenants: Callable[[], Awaitable[list[Any]]] | None = None) -> None:
        super().__init__()
        self._load = load
        self._load_tenants = load_tenants
        self.tenants: list[Any] | None = None  # None: not (yet) known
        self.tenants_error = ""
        self.tenant = signed_in_tenant
        self.subscriptions: list[Any] = []
        self.state = "loading"  # loading | ready | empty | failed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Choose a subscription"), id="title")
            yield Static(Text("Loading the subscriptions you can see…"), id="status")
            yield OptionList(id="subs")
            yield Static(Text(self._keys()), id="keys")

    def _keys(self) -> str:
        other = f" · t other tenant ({len(self.tenants) - 1} more)" if self.tenants and len(self.tenants) > 1 else ""
        return f"enter choose · r reload{other} · esc skip"

    def on_mount(self) -> None:
        self.action_reload()
        self._run_tenants()

    def worker_failed(self, worker, error: BaseException) -> bool:
        """Whatever failed (ARM, network, TLS), the cause goes on this screen, where the operator
        can retry or skip: the subscriptions' on the status line, the tenants' when t is pressed."""
        if worker.name == "_run_tenants":
            self.post_message(self.TenantsLoaded(None, cause(error)))
        elif worker.name == "_run":
            self.post_message(self.LoadFailed(cause(error)))
        else:
            return False
        return True

    @work(exclusive=True, group="tenants", exit_on_error=False)
    async def _run_tenants(self) -> None:
        if self._load_tenants is None:
            return
        tenants = await self._load_tenants()
        self.post_message(self.TenantsLoaded(tenants))

    @on(TenantsLoaded)
    def _tenants_loaded(self, msg: TenantsLoaded) -> None:
        self.tenants, self.tenants_error = msg.tenants, msg.error
        self.query_one("#keys", Static).update(Text(self._keys()))

    def action_other_tenant(self) -> None:
        from loom_tui.screens.modals.tenant_picker import OtherTenant, TenantPicker

        if self._load_tenants is None:
            self._status("This profile's credential signs in to one tenant only (service principal or managed identity).", error=True)
        elif self.tenants_error:
            self._status(f"Could not list your tenants: {self.tenants_error}  Press t to try again.", error=True)
            self.tenants_error = ""
            self._run_tenants()
        elif self.tenants is None:
            self._status("Still listing your tenants… press t again in a moment.")
        elif len(self.tenants) < 2:
            self._status("This account belongs to this tenant only.")
        else:
            def chosen(tenant: Any) -> None:
                if tenant is not None:
                    self.workers.cancel_group(self, "subs")
                    self.dismiss(OtherTenant(tenant.tenant_id, tenant.display_name))

            self.app.push_screen(TenantPicker(self.tenants, self.tenant), chosen)

    def action_reload(self) -> None:
        self.state = "loading"
        self._status("Loading the subscriptions you can see…")
        self._run()

    @work(exclusive=True, group="subs", exit_on_error=False)
    async def _run(self) -> None:
        subs = await self._load()
        self.post_message(self.Loaded(subs))

    @on(Loaded)
    def _loaded(self, msg: Loaded) -> None:
        self.subscriptions = msg.subscriptions
        options = self.query_one(OptionList)
        options.clear_options()
        for i, s in enumerate(msg.subscriptions):
            line = Text()
            line.append(visible(s.display_name) or "(no name)", style="bold")
            if s.state and s.state != "Enabled":
                line.append(f"  {visible(s.state)}")
            mark = " (signed-in tenant)" if s.tenant_id == self.tenant else ""
            line.append(f"\n  {visible(s.subscription_id)} · tenant {visible(s.tenant_id)}{mark}", style="dim")
            options.add_option(Option(line, id=str(i)))
        if msg.subscriptions:
            self.state = "ready"
            self._status(f"{len(msg.subscriptions)} subscription(s). The choice holds for this run.")
            options.highlighted = 0
            options.focus()
        else:
            self.state = "empty"
            self._status("No subscription is visible to this account. Press esc to go on without one.")

    @on(LoadFailed)
    def _failed(self, msg: LoadFailed) -> None:
        self.state = "failed"
        self._status(f"Could not list subscriptions: {msg.text}  Press r to try again, esc to skip.", error=True)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.subscriptions[int(event.option.id or 0)])

    def action_skip(self) -> None:
        self.workers.cancel_group(self, "subs")
        self.workers.cancel_group(self, "tenants")
        self.dismiss(None)

    def _status(self, text: str, *, error: bool = False) -> None:
        w = self.query_one("#status", Static)
        w.set_class(error, "error")
        w.update(Text(text))
