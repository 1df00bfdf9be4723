"""The Textual app: the areas of ``loom_tui.areas`` as modes, global keys, the command palette, the read-only gate.

Start-up opens the context (store, session) in a worker, so the first frame paints at once; the
Azure SDKs are never imported for the embedded default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .areas import AREAS, BY_NAME, Area
from .shell.field_ready import FieldReady
from .shell.key_order import KeyOrder
from .widgets.no_color import apply_no_color
from .screens.loading import LoadingScreen
from .screens.worker_errors import ReportsWorkerErrors
from .widgets.jump import JumpTo
from .widgets.palette import ScreenKeys

if TYPE_CHECKING:
    from loom_tui.services.context import AppContext
    from loom_tui.widgets.header import LoomHeader


def _screen(area: Area):
    def make() -> Screen:
        return area.load()()

    return make


class LoomApp(ReportsWorkerErrors, KeyOrder, FieldReady, App):
    TITLE = "loom"
    CSS_PATH = "styles/app.tcss"
    MODES = {a.name: _screen(a) for a in AREAS}
    # the palette: the areas and the app's commands, plus every action of the current screen
    COMMANDS = App.COMMANDS | {ScreenKeys, JumpTo}
    BINDINGS = [
        *(Binding(a.key, f"area('{a.name}')", a.label, show=False, id=a.binding_id) for a in AREAS),
        Binding("question_mark", "help", "Keys", id="help"),
        Binding("b", "notifications", "Bell", id="notifications", tooltip="notifications"),
        Binding("o", "operations", "Operations", id="operations", tooltip="long-running Azure operations"),
        Binding("colon", "command_palette", "Palette", show=False, id="palette"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, *, profile_name: str | None = None, data_dir: str | None = None, read_only: bool = False,
                 context: "AppContext | None" = None, persona: str | None = None) -> None:
        super().__init__()
        apply_no_color(self)
        self.persona = persona  # the local profile's demo user by role (loom --as ...)
        self.profile_name = profile_name
        self.data_dir = data_dir
        self.read_only_flag = read_only
        self._ctx = context
        self.context_is_ready = False
        self.field_init()
        self.key_order_init()

    # -- start-up --------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return LoadingScreen()

    def on_mount(self) -> None:
        self.field_mount()
        if self._ctx is not None:
            self._context_ready()
        else:
            self._open()

    @work(exclusive=True, exit_on_error=False, group="open")
    async def _open(self) -> None:
        from loom_tui.wiring import open_context, resolve_profile, signs_in

        try:
            profile = resolve_profile(self.profile_name)
            if signs_in(profile) and not self.persona:
                await self._open_azure(profile)
                return
            self._ctx = await open_context(profile, data_dir=self.data_dir, read_only=self.read_only_flag, persona=self.persona)
        except Exception as exc:
            screen = self.screen
            if isinstance(screen, LoadingScreen):
                screen.fail("the profile or its store", exc)
            return
        self._context_ready()

    async def _open_azure(self, profile) -> None:
        """An Azure profile: the cached sign-in, else the login screen; a subscription picker when
        the profile names none; then the context.  Each failure is shown with its cause and the
        operator can retry the step (or quit); nothing here raises past the worker."""
        from loom_tui.wiring import open_context
        from loom_tui.services.signin import AzureStart

        start = AzureStart(profile)
        start.validate()  # a bad cloud name or GUID: the loading screen names the key
        signed_in = None
        picked = bool(profile.subscriptions)
        while True:
            step = "the sign-in"
            try:
                if signed_in is None:
                    signed_in = await self._sign_in(start)
                    if signed_in is None:
                        if await self._retry(step, "Sign-in cancelled."):
                            continue
                        self.exit(return_code=1)
                        return
                session, credential = signed_in
                if not picked:
                    step = "the subscription list"
                    from .screens.modals.subscription_picker import SubscriptionPicker
                    from .screens.modals.tenant_picker import OtherTenant

                    tenants = (lambda: start.tenants(credential)) if start.can_change_tenant else None
                    chosen = await self.push_screen_wait(SubscriptionPicker(lambda: start.subscriptions(credential), session.tenant_id, tenants))
                    if isinstance(chosen, OtherTenant):
                        signed_in = await self._change_tenant(start, chosen, signed_in)
                        continue  # the picker again, for the tenant now signed in
                    picked = True
                    if chosen is not None:
                        start.choose(chosen.subscription_id)
                step = "the store"
                self._ctx = await open_context(start.profile, session=session, credential=credential, data_dir=self.data_dir,
                                               read_only=self.read_only_flag)
            except Exception as exc:
                if signed_in is not None and not start.reusable(signed_in[1]):
                    signed_in = None  # open_context closed it
                if await self._retry(step, exc):
                    continue
                self.exit(return_code=1)
                return
            break
        if start.note:
            self._ctx.notes.append(start.note)
        self._context_ready()

    async def _sign_in(self, start):
        """``(session, credential)``: cached, or from the login screen; ``None`` when cancelled."""
        found = await start.silent()
        if found is not None:
            return found
        if not start.interactive:
            return None
        from .screens.login import LoginScreen

        flow = start.new_flow()
        session = await self.push_screen_wait(LoginScreen(flow))
        if session is None:
            return None
        return session, await start.credential_after(flow, session)

    async def _change_tenant(self, start, chosen, signed_in):
        """Sign in to the chosen tenant (silently with the same account, else the login screen for
        that tenant); the new ``(session, credential)``, or ``signed_in`` unchanged when that failed
        (shown with its cause) or was cancelled — the current tenant is kept."""
        start.change_tenant(chosen.tenant_id, signed_in[1])
        try:
            found = await self._sign_in(start)
        except Exception as exc:
            found = None
            from .screens.modals.error import ErrorDialog
            from .domain.text import visible

            await self.push_screen_wait(ErrorDialog(f"could not sign in to tenant {visible(chosen.tenant_id)}", exc))
        if found is None:
            start.undo_change_tenant()
            return signed_in
        if found[1] is not signed_in[1]:
            await signed_in[1].close()  # an Azure CLI credential holds a transport; MSAL's holds nothing
        return found

    async def _retry(self, step: str, error: BaseException | str) -> bool:
        from .screens.modals.start_failed import StartFailedScreen

        return bool(await self.push_screen_wait(StartFailedScreen(step, error)))

    def on_resize(self, event) -> None:
        self.check_size(tuple(event.size))

    def _context_ready(self) -> None:
        self.context_is_ready = True
        self.ctx.throttle_listeners.append(lambda event: self.notify(event.message, severity="warning", timeout=4, markup=False))
        self._apply_config_keys()
        self.switch_mode("workspaces")
        for note in self.ctx.notes:
            self.notify(note, timeout=4)
        self.run_worker(self.offer_resume(BY_NAME), name="could not offer the saved place", group="resume", exit_on_error=False)
        self.run_worker(self._resume_operations(), name="_resume_operations", group="operations", exit_on_error=False)

    async def _resume_operations(self, *, again: bool = True) -> None:
        """Operations left running by a loom process that died resume polling here (Azure is
        reached only when there are any): a dead process on this host at once, another host's
        once its heartbeat has stood still for ``STALE`` seconds as this process measures them —
        looked at once more then, from a timer (a worker asleep for ``STALE`` s would keep the app
        busy all that time)."""
        from loom_tui.services.operation_owners import STALE

        resumed = await self.ctx.operations.resume_orphans()
        if resumed:
            self.notify(f"resumed {len(resumed)} operation{'s' if len(resumed) != 1 else ''} left running (o shows them)", timeout=6)
        if again:
            self.set_timer(STALE + 1, lambda: self.run_worker(self._resume_operations(again=False), name="_resume_operations", group="operations",
                                                               exit_on_error=False))

    def _apply_config_keys(self) -> None:
        from loom_tui.config import ConfigError, load_config

        try:
            keys = load_config().keys
        except ConfigError as exc:  # already validated when the profile loaded; never fatal here
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.apply_keymap(keys)
        from loom_tui.services.binding_ids import describe_unknown, unknown_binding_ids

        unknown = unknown_binding_ids(keys)
        if unknown:
            self.notify(describe_unknown(unknown), title="Keys", severity="warning", timeout=10, markup=False)

    def notify(self, message: str, *, markup: bool = False, **kwargs) -> None:
        """Every toast is plain text with control characters made visible (notes and config
        errors can carry stored or typed text)."""
        from loom_tui.domain.text import visible

        super().notify(visible(message), markup=False, **kwargs)

    @property
    def ctx(self) -> "AppContext":
        if self._ctx is None:
            raise RuntimeError("the context is not open yet")
        return self._ctx

    async def on_unmount(self) -> None:
        if self._ctx is not None:
            await self._ctx.close()

    # -- the read-only / readiness gate (the only place that decides) -----------------------
    def allows(self, screen: Screen, action: str) -> bool | None:
        writes = getattr(screen, "WRITES", frozenset())
        if action in writes and (self._ctx is None or self._ctx.read_only):
            return False
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "area" and not self.context_is_ready:
            return False
        return True

    # -- actions ---------------------------------------------------------------------------
    def action_area(self, name: str) -> None:
        if name in BY_NAME and self.context_is_ready:
            self.switch_mode(name)

    def action_notifications(self) -> None:
        """The notifications panel (newest 50, mark read); the bell count follows on close."""
        from .screens.notifications import NotificationsPanel

        if self.context_is_ready and not isinstance(self.screen, NotificationsPanel):
            self.push_screen(NotificationsPanel())

    def open_target(self, target) -> None:
        """Open a place a notification points to (``loom_tui.domain.links.Target``)."""
        if self.current_mode != target.area:
            self.switch_mode(target.area)
        if target.workspace_id:
            from .screens.workspaces.detail import WorkspaceDetailScreen

            self.push_screen(WorkspaceDetailScreen(target.workspace_id, item_id=target.item_id))

    def action_operations(self) -> None:
        """The operations panel: running and recent long-running operations (any loom process)."""
        from .screens.operations import OperationScreen, OperationsPanel

        if self.context_is_ready and not isinstance(self.screen, (OperationsPanel, OperationScreen)):
            self.push_screen(OperationsPanel())

    # the app's own workers (start-up aside: the loading screen says its failures) take the one
    # worker-error path; the app has no flash line: its notifications are
    FAILURES = {"_resume_operations": ("could not resume operations", "warning"), "_open": "could not open the console"}

    def flash(self, message: str, severity: str = "info") -> None:
        self.notify(message, severity={"error": "error", "warning": "warning"}.get(severity, "information"),
                    markup=False)

    def switch_persona(self, persona: str) -> None:
        """Local profile: become the demo user of another role (as ``loom --as``): a new context
        for that user, every area opened afresh with it (nothing of the last user's view stays)."""
        self.run_worker(self._switch_persona(persona), name=f"could not switch to {persona}", group="open", exclusive=True,
                        exit_on_error=False)

    async def _switch_persona(self, persona: str) -> None:
        from loom_tui.wiring import open_context, resolve_profile

        if self._ctx is None or not self._ctx.personas:
            self.notify("personas are the local profile's demo users; this profile signs in as you", severity="warning")
            return
        new = await open_context(resolve_profile(self.profile_name), data_dir=self.data_dir,
                                 read_only=self.read_only_flag, persona=persona)
        self.context_is_ready = False
        if "persona-switch" not in self._modes:
            self.add_mode("persona-switch", LoadingScreen)
        await self.switch_mode("persona-switch")
        for a in AREAS:  # every area starts again for the new user
            if a.name in self._modes:
                await self.remove_mode(a.name)
            self.add_mode(a.name, _screen(a))
        old, self._ctx, self.persona = self._ctx, new, persona
        await old.close()
        self._context_ready()
        self.notify(f"you are now {new.session.upn} ({persona})", timeout=4)

    def action_doctor(self) -> None:
        from .screens.doctor import DoctorScreen

        self.push_screen(DoctorScreen(self.profile_name, self.data_dir))

    def action_help(self) -> None:
        from .screens.modals.help import HelpScreen

        keys: list[tuple[str, str]] = []
        moving: list[tuple[str, str]] = []  # cursor, scroll and focus keys: after the screen's own actions
        seen = set()
        for key, active in self.screen.active_bindings.items():
            b = active.binding
            if not b.description or (b.description, b.action) in seen or not active.enabled:
                continue
            seen.add((b.description, b.action))
            basic = b.id is None or b.id.startswith("table.")
            (moving if basic else keys).append((b.key_display or self.get_key_display(b), b.description))
        keys += moving
        area = getattr(self.screen, "AREA", "") or "loom"
        self.push_screen(HelpScreen(area, keys))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for a in AREAS:
            title = f"Go to {a.label}" + (f" — {a.words}" if a.words else "")
            yield SystemCommand(title, f"Open the {a.label} area (key {a.key})", lambda n=a.name: self.action_area(n))
        yield SystemCommand("Operations", "Running and recent long-running operations (o)", self.action_operations)
        yield SystemCommand("Notifications", "The bell: newest notifications, mark read (b)", self.action_notifications)
        yield SystemCommand("Keys", "Show the keys of this screen (?)", self.action_help)
        if self._ctx is not None:
            for p in self._ctx.personas:
                if p != (self.persona or "tenant-admin"):
                    yield SystemCommand(f"Persona: {p}", f"Act as the demo tenant's {p} (local profile; loom --as {p})",
                                        lambda p=p: self.switch_persona(p))
        yield SystemCommand("Doctor", "Check terminal, config, files, proxy/CA and cloud endpoints", self.action_doctor)
        yield SystemCommand("Quit", "Quit loom (ctrl+q)", self.exit)

    # -- shared UI helpers -----------------------------------------------------------------
    def fill_header(self, header: "LoomHeader", area: str) -> None:
        header.area = area
        if self._ctx is None:
            return
        header.where = self._ctx.where()
        header.tenant = self._ctx.session.tenant_id
        header.user = self._ctx.session.upn
        header.azure = self._ctx.azure_where()
        header.read_only = self._ctx.read_only
        notifications = self._ctx.notifications

        async def bell() -> None:  # the unread count, read off the event loop's critical path
            header.unread = await notifications.unread_count()  # a failure: LoomHeader.worker_failed

        header.run_worker(bell, name="could not count the unread notifications", group="bell", exclusive=True, exit_on_error=False)

    def show_error(self, title: str, error: BaseException | str) -> None:
        from .screens.modals.error import ErrorDialog

        self.push_screen(ErrorDialog(title, error))
