"""Setup (key 5): the DLZ wizard, step by step, with its draft saved after every step.

intro → boundary → mode → subscription & region → domain → capacity → network → permissions →
review (validate + what-if) → deploying (per-stage progress) → done.  ``enter`` goes on (Next is
refused with the reasons shown until the step is valid), ``esc`` goes back.  The step machine,
checks and runner are in :mod:`loom_tui.services.deploy`; this screen only renders and asks, in
workers.  On open the latest unfinished draft resumes at its step (a deployment that was running
resumes watching — or retrying — from the stage it had reached).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from loom_tui.widgets.safe_input import SafeInput
from textual.widgets.option_list import Option

from loom_tui.domain.boundary import boundaries_for, find_boundary
from loom_tui.domain.dlz import MODES
from loom_tui.domain.fabric_skus import FABRIC_SKUS
from loom_tui.services.deploy.plan import PlanRefused, build_plan, plan_digest, propose_address_space
from loom_tui.services.deploy.steps import STEPS, TITLES, StepRefused, Wizard, back_step, next_step, problems, set_answer, with_defaults
from loom_tui.widgets.virtual_table import safe_text

from ..base import AreaScreen
from . import render

CHOICE_STEPS = ("boundary", "mode", "subscription", "capacity")
# the step each key belongs to (elsewhere it is hidden from the footer and does nothing)
STEP_KEYS = {"check": ("permissions",), "validate": ("review",), "retry": ("deploying",), "another": ("done",),
             "deploy": ("review",), "template": ("review",)}
# ctrl+r / r: on the deploying step retry the deployment; on every other step read again what the
# wizard knows from Azure (subscriptions, hub and spokes, permissions) — ctrl+r refreshes everywhere
INPUT_STEPS = ("domain", "network")
FACT_FREE = ("intro", "boundary", "mode")  # steps that need nothing read from Azure (usable while it is read)


class SetupScreen(AreaScreen):
    AREA = "Setup"
    WRITES = frozenset({"deploy", "retry", "new_draft"})
    DEFAULT_CSS = """
    SetupScreen #setup-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    SetupScreen #setup-body { padding: 0 1; height: 1fr; }
    SetupScreen #setup-choices { height: auto; max-height: 12; margin: 1 0 0 0; }
    SetupScreen #setup-input { margin: 1 0 0 0; }
    SetupScreen #setup-text, SetupScreen #setup-detail { height: auto; }
    SetupScreen #setup-reasons { height: auto; max-height: 3; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("enter", "next", "Next", id="setup.next"),
        Binding("escape", "back", "Back", id="setup.back"),
        Binding("c", "check", "Check roles", id="setup.check"),
        Binding("v", "validate", "Validate", id="setup.validate"),
        Binding("t", "template", "Template", id="setup.template"),
        Binding("ctrl+r,r", "retry", "Retry", id="setup.retry"),
        Binding("ctrl+r,r", "reload_facts", "Refresh", id="setup.refresh"),
        Binding("a", "another", "Deploy another", id="setup.another"),
        Binding("N", "new_draft", "New draft", id="setup.new_draft"),
        Binding("D", "deploy", "Deploy", show=False, id="setup.deploy"),
    ]

    class FactsLoaded(Message):
        def __init__(self, facts: Any) -> None:
            super().__init__()
            self.facts = facts

    class Failed(Message):
        def __init__(self, what: str, error: BaseException) -> None:
            super().__init__()
            self.what = what
            self.error = error

    class DraftLoaded(Message):
        def __init__(self, wizard: Wizard | None, drafts: list[Any]) -> None:
            super().__init__()
            self.wizard = wizard
            self.drafts = drafts

    class Permissions(Message):
        def __init__(self, report: Any) -> None:
            super().__init__()
            self.report = report

    class Stage(Message):
        def __init__(self, event: Any) -> None:
            super().__init__()
            self.event = event

    class RunEnded(Message):
        def __init__(self, ok: bool, only: tuple[str, ...] | None, record: Any) -> None:
            super().__init__()
            self.ok = ok
            self.only = only
            self.record = record

    class OpSnapshot(Message):
        def __init__(self, op: Any) -> None:
            super().__init__()
            self.op = op

    class PricesLoaded(Message):
        def __init__(self, prices: Any) -> None:
            super().__init__()
            self.prices = prices

    def __init__(self) -> None:
        super().__init__()
        self.wizard: Wizard | None = None
        self.drafts: list[Any] = []
        self.facts: Any = None
        self.facts_error = ""
        self.plan: Any = None
        self.plan_problem = ""
        self.events: dict[str, Any] = {}
        self.busy = ""  # "" or what runs: facts | permissions | validate | deploy
        self.sub_phase = "subscription"  # subscription step: choosing the subscription, then the region
        self.peering: dict[str, str] = {}
        self.links = 0
        self.prices: Any = None  # SkuPrices once the Cost service answered (prices, or why none)
        self._prices_asked = False

    # -- compose ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield Static(Text("Setup"), id="setup-title", markup=False)
        with VerticalScroll(id="setup-body"):
            yield Static(Text(""), id="setup-text", markup=False)
            yield OptionList(id="setup-choices")
            yield SafeInput(id="setup-input")
            yield Static(Text(""), id="setup-detail", markup=False)
        yield Static(Text(""), id="setup-reasons", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#setup-choices").display = False
        self.query_one("#setup-input").display = False
        self._load_draft()
        self._load_facts()

    @property
    def svc(self) -> Any:
        svc = getattr(self, "_svc", None)
        if svc is None:
            from loom_tui.services.deploy.service import SetupService

            svc = self._svc = SetupService(self.ctx)
        return svc

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if allowed is False:
            return False
        if action == "reload_facts":  # also before a draft is loaded: reading Azure again is always possible
            return False if self.wizard is not None and self.wizard.step == "deploying" else allowed
        steps = STEP_KEYS.get(action)
        if steps is not None and (self.wizard is None or self.wizard.step not in steps):
            return False
        if action == "new_draft" and self.wizard is not None and self.wizard.step == "deploying":
            return False
        return allowed

    # -- workers ------------------------------------------------------------------------------
    @work(exclusive=True, exit_on_error=False, group="setup-draft")
    async def _load_draft(self) -> None:
        try:
            drafts = await self.svc.drafts.list()
            latest = next((r.wizard for r in drafts if r.wizard.step != "done"), None)
        except Exception as exc:
            self.post_message(self.Failed("the drafts", exc))
            latest, drafts = None, []
        self.post_message(self.DraftLoaded(latest, drafts))

    @work(exclusive=True, exit_on_error=False, group="setup-facts")
    async def _load_facts(self) -> None:
        self.busy = "facts"
        try:
            draft = self.wizard.draft_id if self.wizard else ""
            facts = await self.svc.facts(draft_id=draft)
        except Exception as exc:
            self.post_message(self.Failed("the estate", exc))
            return
        self.post_message(self.FactsLoaded(facts))

    @work(exclusive=True, exit_on_error=False, group="setup-prices")
    async def _load_prices(self) -> None:
        from loom_tui.services.deploy.prices import SkuPrices, sku_prices

        try:
            prices = await sku_prices(self.ctx)
        except Exception as exc:  # noqa: BLE001 — the step says why there are no prices
            prices = SkuPrices(why_not=f"the Cost service could not be read ({exc})")
        self.post_message(self.PricesLoaded(prices))

    @work(exclusive=True, exit_on_error=False, group="setup-save")
    async def _save(self, w: Wizard) -> None:
        if self.ctx.read_only:
            return
        try:
            await self.svc.drafts.save(w)
        except Exception as exc:
            self.post_message(self.Failed("saving the draft", exc))

    @work(exclusive=True, exit_on_error=False, group="setup-perm")
    async def _check(self) -> None:
        try:
            rep = await self.svc.check_permissions(self.wizard.answers.subscription_id, self.facts)
        except Exception as exc:
            self.post_message(self.Failed("the role check", exc))
            return
        self.post_message(self.Permissions(rep))

    @work(exclusive=True, exit_on_error=False, group="setup-run")
    async def _run(self, only: tuple[str, ...] | None) -> None:
        """``only``: validate + what-if (read-only, run here); None: the deployment, as an
        Operation — an operation already running for this DLZ (here, or resumed from a process
        that died) is watched instead of started twice."""
        from loom_tui.services.deploy.operation import KIND

        from loom_tui.services.deploy.template import load_template, template_source

        try:
            path = self.wizard.template_path if self.wizard is not None else ""
            template, source = load_template(path), template_source(path)
            if only is not None:
                runner = await self.svc.runner(self.plan, self.facts, template=template,
                                               listener=lambda ev: self.post_message(self.Stage(ev)))
                ok = await runner.run(only=only)
                self.post_message(self.RunEnded(ok, only, None))
                return
            running = [o for o in await self.ctx.operations.running() if o.kind == KIND and o.target == self.plan.domain]
            if running:
                op = running[0]
            else:
                op = await self.svc.start_deploy(self.plan, template=template, template_source=source,
                                                 listener=lambda ev: self.post_message(self.Stage(ev)))
            final = None
            async for final in self.ctx.operations.watch(op.id):
                self.post_message(self.OpSnapshot(final))
            record = await self.svc.registry.find(self.plan.domain)
        except Exception as exc:
            self.post_message(self.Failed("the deployment" if only is None else "validation", exc))
            return
        self.post_message(self.RunEnded(final is not None and final.state == "succeeded", None, record))

    # -- messages -------------------------------------------------------------------------------
    @on(DraftLoaded)
    def _draft_loaded(self, event: DraftLoaded) -> None:
        self.drafts = event.drafts
        if self.wizard is None:
            if event.wizard is not None:
                self.wizard = event.wizard
                self.flash(f"resumed the draft at step {TITLES[self.wizard.step]}")
            else:
                self.wizard = self.svc.drafts.new()
        self._show()
        if self.wizard.step == "deploying" and self.facts is not None:
            self._start_deploy(resume=True)

    @on(FactsLoaded)
    def _facts_loaded(self, event: FactsLoaded) -> None:
        self.busy = ""
        self.facts = event.facts
        self.facts_error = ""
        if self.wizard is not None:
            self.facts.draft_domains = {r.wizard.answers.domain for r in self.drafts
                                        if r.wizard.draft_id != self.wizard.draft_id and r.wizard.answers.domain and r.wizard.step != "done"}
            if self.wizard.step == "deploying" and self.busy != "deploy":
                self._start_deploy(resume=True)
        self._show()

    @on(PricesLoaded)
    def _prices_loaded(self, event: PricesLoaded) -> None:
        self.prices = event.prices
        if self.wizard is not None and self.wizard.step == "capacity":
            self._show()

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if event.what == "the estate":
            self.facts_error = str(event.error)
        if self.busy and event.what != "saving the draft":
            self.busy = ""
        self.flash(f"could not read {event.what}: {event.error}" if event.what in ("the estate", "the drafts")
                   else f"{event.what} failed: {event.error}", "error")
        self._show()

    @on(Permissions)
    def _permissions(self, event: Permissions) -> None:
        self.busy = ""
        self.facts.permissions = event.report
        self._show()

    @on(Stage)
    def _stage(self, event: Stage) -> None:
        ev, prior = event.event, self.events.get(event.event.stage)
        if not ev.lines and prior is not None and prior.lines:  # the final event keeps the list (what-if, operations)
            from dataclasses import replace as _replace

            ev = _replace(ev, lines=prior.lines)
        self.events[ev.stage] = ev
        self._render_detail()

    @on(OpSnapshot)
    def _snapshot(self, event: OpSnapshot) -> None:
        """Steps of the operation (when it runs in another process there are no per-operation
        lines, only each stage's state and message)."""
        from loom_tui.services.deploy.runner import StageEvent

        for step in event.op.steps:
            if step.state == "pending":
                continue
            have = self.events.get(step.name)
            if have is None or have.state != step.state or (step.message and have.message != step.message and not have.lines):
                self.events[step.name] = StageEvent(step.name, step.state, step.message or (have.message if have else ""),
                                                    step.progress, have.lines if have else [])
        self._render_detail()

    @on(RunEnded)
    def _run_ended(self, event: RunEnded) -> None:
        self.busy = ""
        w = self.wizard
        if event.only is not None:
            if event.ok and self.plan is not None:
                self.wizard = replace(w, validated_for=plan_digest(self.plan))
                self._save(self.wizard)
                self.flash("validated; enter deploys (type-free: this is the last check)")
            else:
                self.flash("validation failed; see the reasons", "error")
        else:
            rec = event.record
            self.peering = dict(rec.peering) if rec else {}
            self.links = len([d for d in (rec.dns_links if rec else []) if d.get("state") in ("Completed", "Succeeded")])
            if event.ok:
                self.wizard = replace(w, deployed=True)
                self.wizard = next_step(self.wizard, self.facts)
                self._save(self.wizard)
                self.flash(f"DLZ {self.plan.domain} deployed")
            else:
                self.flash("the deployment stopped; r retries from the stage that failed", "error")
        self._show()

    # -- actions --------------------------------------------------------------------------------
    def _ready(self) -> bool:
        if self.wizard is None:
            return False
        if self.facts is None and self.wizard.step not in FACT_FREE:
            self.flash("still reading the estate…" if not self.facts_error else f"the estate could not be read: {self.facts_error}",
                       "warning")
            return False
        return True

    def action_next(self) -> None:
        if not self._ready() or self.busy in ("deploy", "validate"):
            return
        w = self.wizard
        if w.step in INPUT_STEPS:
            self._take_input()
            w = self.wizard
        if w.step == "subscription" and self.sub_phase == "subscription" and w.answers.subscription_id:
            self.sub_phase = "region"
            self._show()
            return
        if w.step == "review" and self.ctx.read_only:
            self.flash("read-only mode: deploying is not allowed", "error")
            return
        digest = plan_digest(self.plan) if (w.step == "review" and self.plan is not None) else None
        facts = self.facts if self.facts is not None else self._placeholder_facts()
        try:
            nw = next_step(w, facts, plan_digest=digest)
        except StepRefused as exc:
            self._reasons(exc.problems)
            return
        propose = propose_address_space(self.facts) if self.facts is not None and nw.step == "network" else ""
        self.wizard = with_defaults(nw, facts, propose_space=propose)
        self.sub_phase = "subscription"
        self._save(self.wizard)
        if self.wizard.step == "permissions":
            self._start_check()
        if self.wizard.step == "review":
            self.events = {}
        if self.wizard.step == "deploying":
            self._start_deploy(resume=False)
        self._show()

    def action_back(self) -> None:
        if self.wizard is None:
            return
        if self.wizard.step == "subscription" and self.sub_phase == "region":
            self.sub_phase = "subscription"
            self._show()
            return
        if self.wizard.step in INPUT_STEPS:
            self._take_input()
        nw = back_step(self.wizard)
        if nw.step == self.wizard.step:
            self.flash("no step back from here" if self.wizard.step != "intro" else "this is the first step")
            return
        self.wizard = nw
        self.sub_phase = "region" if nw.step == "subscription" else "subscription"
        self._save(self.wizard)
        self._show()

    def action_check(self) -> None:
        if self.wizard is not None and self.wizard.step == "permissions" and self.facts is not None:
            self._start_check()

    def _start_check(self) -> None:
        self.busy = "permissions"
        self.facts.permissions = None
        self._check()
        self._show()

    def action_validate(self) -> None:
        if self.wizard is None or self.wizard.step != "review" or self.plan is None or self.busy:
            return
        self.busy = "validate"
        self.events = {}
        self._run(("validate", "what-if"))
        self._show()

    def action_deploy(self) -> None:
        self.action_next()

    def action_template(self) -> None:
        """Deploy a compiled ARM template the operator points to instead of the shipped one."""
        if self.wizard is None or self.wizard.step != "review" or self.busy:
            return
        from loom_tui.services.deploy.template import load_template

        from ..prompt import TextPrompt

        async def check(value: str) -> str:
            path = value.strip()
            if path:
                await asyncio.to_thread(load_template, path)  # refused with the reason: the prompt stays open
            return path

        def chosen(path: Any) -> None:
            if path is None or path is True or self.wizard is None or path == self.wizard.template_path:
                return
            self.wizard = replace(self.wizard, template_path=str(path), validated_for="")
            self.events = {}
            self._save(self.wizard)
            self.flash(f"template: {path}; v validates it" if path else "template: the shipped one; v validates it")
            self._show()

        self.app.push_screen(TextPrompt("Template", "A compiled ARM template (JSON, subscription scope) to deploy instead of the "
                                        "shipped one; empty: the shipped one", check, value=self.wizard.template_path,
                                        hint="az bicep build compiles Bicep"), chosen)

    def _start_deploy(self, *, resume: bool) -> None:
        if self.ctx.read_only:
            self.flash("read-only mode: deploying is not allowed", "error")
            return
        self._build_plan()
        if self.plan is None:
            self.flash(f"cannot deploy: {self.plan_problem}", "error")
            return
        self.busy = "deploy"
        self.events = {}
        self._run(None)

    def action_retry(self) -> None:
        if self.wizard is not None and self.wizard.step == "deploying" and not self.busy:
            self._start_deploy(resume=True)
            self._show()

    def action_reload_facts(self) -> None:
        if self.busy:
            self.flash("still reading; try again in a moment", "warning")
            return
        self.flash("reading subscriptions, the hub, the spokes and permissions again", "ok")
        self._load_facts()

    def action_another(self) -> None:
        if self.wizard is None or self.wizard.step != "done":
            return
        self._begin_new()

    def action_new_draft(self) -> None:
        if self.wizard is not None and self.wizard.step in ("deploying",) and self.busy == "deploy":
            self.flash("a deployment is running", "warning")
            return
        self._begin_new()

    def _begin_new(self) -> None:
        self.wizard = self.svc.drafts.new()
        self.events, self.plan, self.peering, self.links = {}, None, {}, 0
        self.sub_phase = "subscription"
        self._load_draft_list()
        self._load_facts()
        self._show()
        self.flash("a new draft")

    @work(exclusive=True, exit_on_error=False, group="setup-drafts")
    async def _load_draft_list(self) -> None:
        try:
            drafts = await self.svc.drafts.list()
        except Exception:
            return
        self.post_message(self.DraftLoaded(None, drafts))

    # -- widgets → answers ------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#setup-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self.wizard is None:
            return
        value = str(event.option.id or "")
        if self.wizard.step == "intro":  # a draft chosen from the list: go on with it, where it was
            if value == self.wizard.draft_id:
                self.action_next()
                return
            other = next((r.wizard for r in self.drafts if r.wizard.draft_id == value), None)
            if other is not None:
                self.wizard, self.events, self.plan, self.sub_phase = other, {}, None, "subscription"
                self._load_facts()
                self._show()
                self.flash(f"resumed the draft at step {TITLES[other.step]}")
            return
        key = {"boundary": "boundary", "mode": "mode", "capacity": "capacity_sku"}.get(self.wizard.step)
        if self.wizard.step == "subscription":
            key = "subscription_id" if self.sub_phase == "subscription" else "region"
        if key:
            self.wizard = set_answer(self.wizard, key, value)
            self.action_next()

    @on(Input.Changed, "#setup-input")
    def _typed(self, event: Input.Changed) -> None:
        if self.wizard is None:
            return
        if self.wizard.step == "domain":
            from loom_tui.domain.dlz_names import normalise_domain

            clean = normalise_domain(event.value)
            if clean != event.value:
                event.input.value = clean  # forced to lower case and [a-z0-9-] while typing
                return
        self._render_detail(typed=event.value)

    @on(Input.Submitted, "#setup-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()

    def _take_input(self) -> None:
        key = {"domain": "domain", "network": "address_space"}[self.wizard.step]
        value = self.query_one("#setup-input", Input).value.strip()
        self.wizard = set_answer(self.wizard, key, value)

    # -- rendering --------------------------------------------------------------------------------
    def _placeholder_facts(self) -> Any:
        """What the first steps check against while the estate is still being read: the
        profile's cloud only."""
        from loom_tui.services.deploy.facts import DeployFacts

        return DeployFacts(tenant_id=self.ctx.session.tenant_id, profile_cloud=self.ctx.profile.cloud)

    def _reasons(self, problems_: list[Any]) -> None:
        text = Text("Next is refused: " if problems_ else "")
        text.append("; ".join(safe_text(p.message) for p in problems_))
        self.query_one("#setup-reasons", Static).update(text)

    def _build_plan(self) -> None:
        self.plan, self.plan_problem = None, ""
        if self.facts is None or self.wizard is None:
            self.plan_problem = "the estate has not been read yet"
            return
        try:
            self.plan = build_plan(self.wizard.answers, self.facts)
        except PlanRefused as exc:
            self.plan_problem = str(exc)

    def _show(self) -> None:
        w = self.wizard
        if w is None:
            self.query_one("#setup-text", Static).update(Text("loading the drafts…"))
            return
        i = STEPS.index(w.step)
        title = f"Setup · step {i + 1} of {len(STEPS)} · {TITLES[w.step]}"
        if w.answers.domain:
            title += f" · {safe_text(w.answers.domain)}"
        if self.facts is None and not self.facts_error:
            title += " · reading the estate…"
        self.query_one("#setup-title", Static).update(Text(title))
        choices = self.query_one("#setup-choices", OptionList)
        inp = self.query_one("#setup-input", Input)
        others = [r for r in self.drafts if r.wizard.step != "done"]
        choices.display = w.step in CHOICE_STEPS or (w.step == "intro" and bool(others))
        inp.display = w.step in INPUT_STEPS
        text = Text("")
        if w.step == "intro":
            text = render.intro(self.drafts, w.draft_id)
            if others:  # several drafts (one per domain): pick the one to go on with
                items = [(w.draft_id, Text("this draft" + (f" — {safe_text(w.answers.domain)}" if w.answers.domain else " (new)")))]
                items += [(r.wizard.draft_id, Text(f"{safe_text(r.wizard.answers.domain or '(no domain yet)')} — at "
                                                   f"{TITLES[r.wizard.step]}, saved {safe_text(r.updated_at[:16])}"))
                          for r in others if r.wizard.draft_id != w.draft_id]
                self._options(items, w.draft_id)
        elif w.step == "boundary":
            text = Text("Which compliance boundary? (enter chooses)")
            self._options([(b.key, render.boundary_option(b)) for b in boundaries_for(self.ctx.profile.cloud)], w.answers.boundary)
        elif w.step == "mode":
            text = Text("Where does the DLZ live?")
            self._options([(m, Text(render.MODE_TEXT[m])) for m in MODES], w.answers.mode)
        elif w.step == "subscription":
            if self.sub_phase == "subscription":
                text = Text("Subscription (enter chooses, then the region):")
                subs = self.facts.subscriptions if self.facts else []
                self._options([(s.subscription_id, Text(f"{safe_text(s.display_name)}  {s.subscription_id}  {safe_text(s.state)}"))
                               for s in subs], w.answers.subscription_id)
            else:
                text = Text("Region (enter chooses):")
                regions = self.facts.regions_of(w.answers.subscription_id) if self.facts else []
                self._options([(r, Text(r)) for r in regions], w.answers.region)
        elif w.step == "domain":
            text = Text("The data domain: lower-case letters, digits and '-', 3 to 24; unique among the DLZs.")
            self._input(w.answers.domain, "e.g. supply-chain")
        elif w.step == "capacity":
            if not self._prices_asked:
                self._prices_asked = True
                self._load_prices()
            prices = self.prices
            text = Text("Fabric capacity SKU. ")
            text.append(safe_text(prices.headline) if prices is not None else "Monthly prices: asking the Cost service…")
            self._options([(s.name, render.capacity_option(s.name, s.capacity_units, s.recommended,
                                                           prices.label(s.name) if prices is not None else ""))
                           for s in FABRIC_SKUS], w.answers.capacity_sku)
        elif w.step == "network":
            text = Text("The spoke's address space: the next free /16 is proposed; any /16 to /24 that overlaps nothing works.")
            self._input(w.answers.address_space, "10.N.0.0/16")
        elif w.step == "permissions":
            text = Text("The deploying identity needs these roles (c checks again):")
        elif w.step == "review":
            self._build_plan()
            text = Text("Review, then v validates and runs what-if; enter deploys once validated.")
        elif w.step == "deploying":
            text = Text("Deploying: every stage below is retryable from the one that failed.")
        elif w.step == "done":
            text = Text("Done.")
        self.query_one("#setup-text", Static).update(text)
        self._render_detail()
        why = problems(w, self.facts, plan_digest=plan_digest(self.plan) if self.plan else None) if self.facts is not None \
            and w.step not in ("intro", "deploying", "done") else []
        self._reasons(why if w.step not in CHOICE_STEPS + INPUT_STEPS or self._has_answer() else [])
        self._focus()
        self.refresh_bindings()

    def _has_answer(self) -> bool:
        a = self.wizard.answers
        return bool({"boundary": a.boundary, "mode": a.mode, "subscription": a.subscription_id, "capacity": a.capacity_sku,
                     "domain": a.domain, "network": a.address_space}.get(self.wizard.step))

    def _focus(self) -> None:
        w = self.wizard
        if w.step in CHOICE_STEPS or (w.step == "intro" and self.query_one("#setup-choices").display):
            self.query_one("#setup-choices").focus()
        elif w.step in INPUT_STEPS:
            self.query_one("#setup-input").focus()
        else:
            self.query_one("#setup-body").focus()

    def _options(self, items: list[tuple[str, Text]], current: str) -> None:
        ol = self.query_one("#setup-choices", OptionList)
        ol.clear_options()
        ol.add_options([Option(label, id=key) for key, label in items])
        idx = next((i for i, (k, _) in enumerate(items) if k.lower() == (current or "").lower()), 0)
        if items:
            ol.highlighted = idx

    def _input(self, value: str, placeholder: str) -> None:
        inp = self.query_one("#setup-input", Input)
        inp.placeholder = placeholder
        if inp.value != value:
            inp.value = value

    def _render_detail(self, typed: str | None = None) -> None:
        w = self.wizard
        if w is None:
            return
        f = self.facts
        a = w.answers
        detail = Text("")
        if self.facts_error and f is None and w.step != "intro":
            detail = Text("The estate could not be read: " + safe_text(self.facts_error))
        elif w.step == "boundary":
            b = find_boundary(a.boundary, self.ctx.profile.cloud)
            detail = render.boundary_detail(b)
        elif w.step == "subscription":
            detail = render.subscription_detail(f, a.subscription_id, a.region)
        elif w.step == "domain":
            taken = (f.dlz_domains() | f.draft_domains) if f else set()
            detail = render.domain_detail(typed if typed is not None else a.domain, a.region, a.subscription_id, taken)
        elif w.step == "network":
            detail = render.network_detail(typed if typed is not None else a.address_space, f)
        elif w.step == "permissions":
            detail = render.permissions_detail(f.permissions if f else None, self.busy == "permissions")
        elif w.step == "review":
            detail = render.review(self.plan, self.plan_problem, self.events, self.busy == "validate",
                                   template=self.wizard.template_path if self.wizard else "")
        elif w.step == "deploying":
            failed = any(ev.state == "failed" for ev in self.events.values()) and not self.busy
            detail = render.progress(self.events, failed)
        elif w.step == "done":
            if self.plan is None:
                self._build_plan_for_done()
            detail = render.done(self.plan, f.portal if f else "", self.ctx.session.tenant_id, self.peering, self.links)
        self.query_one("#setup-detail", Static).update(detail)

    def _build_plan_for_done(self) -> None:
        if self.facts is None:
            return
        try:  # after the deployment the domain is taken: the plan is rebuilt without that check
            facts = replace(self.facts, dlzs=[d for d in self.facts.dlzs if d.domain != self.wizard.answers.domain],
                            spokes=[s for s in self.facts.spokes if s.name != f"vnet-csa-loom-dlz-{self.wizard.answers.domain}-{self.wizard.answers.region}"])
            self.plan = build_plan(self.wizard.answers, facts)
        except PlanRefused:
            self.plan = None


