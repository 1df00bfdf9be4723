"""Create or edit a workspace: one field each, a clear message under the field that is wrong.

The form only collects text; the service validates and writes (so the CLI and the TUI share one
set of rules).  Nothing is written until the service accepts all of it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from loom_tui.widgets.tickbox import TickBox

from loom_tui.domain.text import visible
from loom_tui.domain.workspace import Workspace
from loom_tui.errors import EditConflict, LoomError, ValidationError
from loom_tui.widgets.safe_input import SafeInput
from loom_tui.services.workspaces.service import WorkspaceInput

from loom_tui.screens.worker_errors import ReportsWorkerErrors

FIELDS = (("name", "Name (required)"), ("description", "Description"), ("capacity", "Capacity (F2 … F2048, P1 … P5; empty = none)"), ("domain", "Domain"))
NEW_DOMAIN = "New domain (start one the tenant does not have)"


class WorkspaceForm(ReportsWorkerErrors, ModalScreen[Workspace | None]):
    DEFAULT_CSS = """
    WorkspaceForm { align: center middle; }
    WorkspaceForm > Vertical { width: 76; max-width: 98%; height: auto; max-height: 95%; border: round $accent; padding: 0 1; background: $surface; }
    WorkspaceForm #form-title { height: 1; }
    WorkspaceForm #form-fields { height: auto; max-height: 16; }
    WorkspaceForm .error { color: $error; height: auto; }
    WorkspaceForm Input { border: none; height: 1; padding: 0 1; background: $boost; }
    WorkspaceForm Input:focus { border: none; background: $accent 30%; }
    WorkspaceForm Label { margin-top: 0; }
    WorkspaceForm Horizontal { height: auto; }
    WorkspaceForm Button { margin-right: 2; }
    WorkspaceForm Checkbox { border: none; height: 1; padding: 0 1; background: $surface; }
    WorkspaceForm Checkbox:focus { border: none; background: $accent 30%; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel"), Binding("ctrl+s", "save", "Save", id="form.save")]

    def __init__(self, service, current: Workspace | None = None, domains: list[str] | None = None,
                 initial: dict[str, str] | None = None) -> None:
        super().__init__()
        self.service = service
        self.current = current
        self.domains = domains or []
        self.initial = initial or {}  # unsaved input brought back after an SSH drop

    def compose(self) -> ComposeResult:
        title = "Edit workspace" if self.current else "New workspace"
        with Vertical():
            # the title sits above the scrolling fields: it stays visible at 80x24 whatever has focus
            yield Static(Text(title + " · tab moves between fields", style="bold"), id="form-title")
            with VerticalScroll(id="form-fields"):
                yield from self._fields()
            with Horizontal():
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def _fields(self) -> ComposeResult:
        for key, label in FIELDS:
            yield Label("  " + label, id=f"l-{key}")
            value = self.initial.get(key, self._stored(key))
            # select_on_focus off: a key typed as the field gets focus must never wipe a saved value
            yield SafeInput(value=value, id=f"f-{key}", select_on_focus=False,
                            placeholder=", ".join(self.domains)[:60] if key == "domain" else "")
            yield Static("", id=f"e-{key}", classes="error", markup=False)
            if key == "domain":
                yield TickBox(NEW_DOMAIN, value=self.initial.get("new_domain") == "yes", id="f-new-domain")
        yield Static("", id="e-form", classes="error", markup=False)

    def _stored(self, key: str) -> str:
        """The stored value of the field ``key`` ('' for a new workspace)."""
        return str(getattr(self.current, key)) if self.current is not None else ""

    AUTO_FOCUS = "#f-name"

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-name", Input))
        if not self.domains:
            self._load_domains()

    @work(exit_on_error=False, group="form-domains")
    async def _load_domains(self) -> None:
        """The tenant's domains, offered as the domain field's placeholder."""
        self.domains = await self.service.domains()
        self.query_one("#f-domain", Input).placeholder = ", ".join(self.domains)[:60]

    def on_descendant_focus(self, event) -> None:
        """The focused field's label gets a "›" (focus is not shown by colour alone)."""
        for key, label in FIELDS:
            focused = self.focused is not None and self.focused.id == f"f-{key}"
            self.query_one(f"#l-{key}", Label).update(("› " if focused else "  ") + label)

    def on_key(self, event) -> None:
        """Typeahead: a printable key that reaches the form itself was consumed by no field —
        it arrived before the form had mounted and focused one.  It goes to the focused field
        (or the name field), so nothing typed right after "n" or "e" is lost."""
        if not (event.is_printable and event.character):
            return
        target = self.focused if isinstance(self.focused, Input) else None
        if target is None and self.focused is None:
            target = self.query_one("#f-name", Input)
            self.set_focus(target)
        if target is not None:
            target.insert_text_at_cursor(event.character)
            event.stop()

    def resume_form(self) -> dict[str, str]:
        """What the terminal guard saves if the terminal goes away while this form is open."""
        title = "Edit workspace" if self.current else "New workspace"
        return {"form": "workspace", "title": title, "workspace_id": self.current.id if self.current else "", **self.values(),
                **({"new_domain": "yes"} if self.new_domain() else {})}

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#f-{key}", Input).value for key, _ in FIELDS}

    def new_domain(self) -> bool:
        return self.query_one("#f-new-domain", Checkbox).value

    def _clear_errors(self) -> None:
        for key, _ in FIELDS:
            self.query_one(f"#e-{key}", Static).update("")
        self.query_one("#e-form", Static).update("")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        self._clear_errors()
        self.holds_keys = True  # keys typed after ctrl+s wait for the outcome (key_order.py)
        self._save(self.values(), force=False)

    @on(Input.Changed)
    def _clear_field_error(self, event: Input.Changed) -> None:
        """A field's message goes as soon as the field is corrected (typed in again)."""
        key = (event.input.id or "").removeprefix("f-")
        if key in dict(FIELDS):
            self.query_one(f"#e-{key}", Static).update("")

    def _changed(self) -> bool:
        """Anything typed that would be lost: values that differ from what the form showed for the
        stored workspace — stored text with control characters is shown escaped (``visible``), so it
        is compared escaped, or esc on an untouched form would ask to discard nothing."""
        start = {key: visible(self._stored(key)) for key, _ in FIELDS}
        return self.values() != start or self.new_domain()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self._changed():
            self.dismiss(None)
            return
        from loom_tui.screens.modals.prompt import confirm

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(confirm("Discard your changes?", "What you typed in this form is not saved.", "Discard"), answered)

    holds_keys = False

    def worker_failed(self, worker, error: BaseException) -> bool:
        """A save refused by the service shows in the form, under the field it names (the input
        stays); the domains are only a hint (the field takes any text): their failure is logged."""
        if worker.name == "_load_domains":
            return True
        if worker.name != "_save" or not isinstance(error, LoomError):
            return False
        field = error.field if isinstance(error, ValidationError) else ""
        target = f"#e-{field}" if field in dict(FIELDS) else "#e-form"
        self.query_one(target, Static).update(Text(visible(str(error))))  # "Name is required"
        return True

    @work(exclusive=True, exit_on_error=False, group="form-save")
    async def _save(self, values: dict[str, str], force: bool) -> None:
        try:
            await self._save_once(values, force)
        finally:
            self.holds_keys = False  # saved and closed, or an error shown: keys go on

    async def _save_once(self, values: dict[str, str], force: bool) -> None:
        try:
            if self.current is None:
                doc = await self.service.create(WorkspaceInput(**values, new_domain=self.new_domain()))
            else:
                # a field left as shown is unchanged (stored text with control characters is shown,
                # and edited, with visible escapes: saving the form must not rewrite it as escapes)
                changes = {k: v for k, v in values.items() if v != visible(self._stored(k))}
                if not changes:
                    self.dismiss(self.current)
                    return
                doc = await self.service.update(self.current.id, changes, etag=self.current.etag, force=force,
                                                base=self.current, new_domain=self.new_domain())
        except EditConflict as exc:
            from loom_tui.screens.modals.edit_conflict import EditConflictDialog

            choice = await self.app.push_screen_wait(EditConflictDialog(exc.mine, exc.theirs, base=self.current and self.current.doc))
            if choice == "overwrite":
                self._save(values, force=True)
            elif choice == "reload" and exc.theirs:
                self.current = Workspace.from_doc(exc.theirs)
                for key, _ in FIELDS:
                    self.query_one(f"#f-{key}", Input).value = self._stored(key)
                self.query_one("#e-form", Static).update(Text("Reloaded the other version; your changes were not saved."))
            return
        self.dismiss(doc)
