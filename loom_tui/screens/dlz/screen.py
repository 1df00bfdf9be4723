"""DLZ (key 5): the DLZ wizard, step by step, with its draft saved after every step.

intro → boundary → mode → subscription & region → domain → capacity → network → permissions →
review (validate + what-if) → deploying (per-stage progress) → done.  ``enter`` goes on (Next is
refused with the reasons shown until the step is valid), ``esc`` goes back.  The step machine,
checks and runner are in :mod:`loom_tui.services.dlz`; this screen only renders and asks, in
workers.  On open the latest unfinished draft resumes at its step (a deployment that was running
resumes watching — or retrying — from the stage it had reached).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static

from loom_tui.widgets.safe_input import SafeInput

from loom_tui.services.dlz.plan import plan_digest, propose_address_space
from loom_tui.services.dlz.steps import (TITLES, StepRefused, Wizard, back_step, next_step, problems, set_answer,
                                            set_parameter, with_defaults)

from ..base import AreaScreen

from .consts import FACT_FREE, INPUT_STEPS, STEP_KEYS
from .messages import DraftLoaded, FactsLoaded, OpStep, Permissions, PricesLoaded, RunEnded, Stage, TemplateLoaded
from .view import DlzView
from .workers import DlzWorkers


class DlzScreen(DlzWorkers, DlzView, AreaScreen):
    AREA = "DLZ"
    WRITES = frozenset({"deploy", "retry", "new_draft"})
    DEFAULT_CSS = """
    DlzScreen #dlz-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    DlzScreen #dlz-body { padding: 0 1; height: 1fr; }
    DlzScreen #dlz-choices { height: auto; max-height: 12; margin: 1 0 0 0; }
    DlzScreen #dlz-input { margin: 1 0 0 0; }
    DlzScreen #dlz-text, DlzScreen #dlz-detail { height: auto; }
    DlzScreen #dlz-reasons { height: auto; max-height: 3; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("enter", "next", "Next", id="dlz.next"),
        Binding("escape", "back", "Back", id="dlz.back"),
        Binding("c", "check", "Check roles", id="dlz.check"),
        Binding("v", "validate", "Validate", id="dlz.validate"),
        Binding("t", "template", "Template", id="dlz.template"),
        Binding("e", "parameter", "Edit parameter", id="dlz.parameter"),
        Binding("ctrl+r,r", "retry", "Retry", id="dlz.retry"),
        Binding("ctrl+r,r", "reload_facts", "Refresh", id="dlz.refresh"),
        Binding("a", "another", "Deploy another", id="dlz.another"),
        Binding("N", "new_draft", "New draft", id="dlz.new_draft"),
        Binding("D", "deploy", "Deploy", show=False, id="dlz.deploy"),
    ]

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
        self.template_info: Any = None  # the template the answers choose (TemplateInfo), read after the estate
        self._restore: dict[str, str] | None = None  # what the terminal guard saved, put back once its draft is loaded
        self._next_after_check = False  # enter pressed while the roles were being read
        self.refused = False  # "Next is refused" is on screen
        self.missing_params: list[str] = []  # template parameters the plan still needs (e asks for the first)

    # -- compose ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield Static(Text("DLZ"), id="dlz-title", markup=False)
        with VerticalScroll(id="dlz-body"):
            yield Static(Text(""), id="dlz-text", markup=False)
            yield OptionList(id="dlz-choices")
            yield SafeInput(id="dlz-input")
            yield Static(Text(""), id="dlz-detail", markup=False)
        yield Static(Text(""), id="dlz-reasons", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#dlz-choices").display = False
        self.query_one("#dlz-input").display = False
        self._load_draft()
        self._load_facts()

    @property
    def svc(self) -> Any:
        svc = getattr(self, "_svc", None)
        if svc is None:
            from loom_tui.services.dlz.service import DlzService

            svc = self._svc = DlzService(self.ctx)
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
        self._apply_restore()
        if self.facts is not None:
            self._load_template()

    @on(FactsLoaded)
    def _facts_loaded(self, event: FactsLoaded) -> None:
        self.busy = ""
        self.facts = event.facts
        self.facts_error = ""
        if self.wizard is not None:
            mine = {r.wizard.answers.domain for r in self.drafts
                    if r.wizard.draft_id != self.wizard.draft_id and r.wizard.answers.domain and r.wizard.step != "done"}
            self.facts.draft_domains = (self.facts.draft_domains - {self.wizard.answers.domain}) | mine
            self.facts.draft_owners = {**{d: "your" for d in mine}, **{d: o for d, o in self.facts.draft_owners.items()
                                                                       if d != self.wizard.answers.domain and d not in mine}}
            self._load_template()
        self._show()

    @on(TemplateLoaded)
    def _template_loaded(self, event: TemplateLoaded) -> None:
        self.template_info = event.info
        if self.wizard is not None and self.wizard.step == "deploying" and self.busy != "deploy":
            self._start_deploy(resume=True)
        self._show()

    @on(PricesLoaded)
    def _prices_loaded(self, event: PricesLoaded) -> None:
        self.prices = event.prices
        if self.wizard is not None and self.wizard.step == "capacity":
            self._show()

    @on(Permissions)
    def _permissions(self, event: Permissions) -> None:
        self.busy = ""
        self.facts.permissions = event.report
        self._show()
        if getattr(self, "_next_after_check", False):
            self._next_after_check = False
            self.action_next()

    @on(Stage)
    def _stage(self, event: Stage) -> None:
        ev, prior = event.event, self.events.get(event.event.stage)
        if not ev.lines and prior is not None and prior.lines:  # the final event keeps the list (what-if, operations)
            from dataclasses import replace as _replace

            ev = _replace(ev, lines=prior.lines)
        self.events[ev.stage] = ev
        self._render_detail()

    @on(OpStep)
    def _op_step(self, event: OpStep) -> None:
        """A step of the operation (when it runs in another process there are no per-operation
        lines, only each stage's state and message)."""
        from loom_tui.services.dlz.stage_events import StageEvent

        step = event.event.step
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
        if self.busy == "permissions" and self.wizard is not None and self.wizard.step == "permissions":
            self._next_after_check = True  # typed ahead while the roles load: goes on once they are read
            self.flash("checking the roles; enter goes on once they are read")
            return
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
        self._validate(("validate", "what-if"))
        self._show()

    def action_deploy(self) -> None:
        self.action_next()

    def action_template(self) -> None:
        """Choose the template: the Admin Plane's template spec (empty), a version id, a compiled
        JSON file, or ``shipped``; checked before it is taken (the prompt stays open on a refusal)."""
        if self.wizard is None or self.wizard.step != "review" or self.busy or self.facts is None:
            return
        from loom_tui.screens.modals.prompt import TextPrompt

        got: dict[str, Any] = {}

        async def check(value: str) -> str:
            choice = value.strip()
            got["info"] = await self.svc.template(replace(self.wizard.answers, template=choice), self.facts)
            return choice

        def chosen(choice: Any) -> None:
            if choice is None or choice is True or self.wizard is None or "info" not in got:
                return
            self.wizard = set_answer(self.wizard, "template", str(choice))
            self.template_info = got["info"]
            self.events = {}
            self._save(self.wizard)
            self.flash(f"template: {got['info'].label()}; v validates it")
            self._show()

        self.app.push_screen(TextPrompt("Template", "A template spec version id, a compiled ARM template (JSON), or 'shipped'; "
                                        "empty: the Admin Plane's newest DLZ template spec, else the shipped one", check,
                                        value=self.wizard.answers.template, hint="az bicep build compiles Bicep"), chosen)

    def action_parameter(self) -> None:
        """Give a template parameter a value (``name = value``; empty value: derived or default again)."""
        if self.wizard is None or self.wizard.step != "review" or self.busy or self.template_info is None:
            return
        from loom_tui.services.dlz.parameters import parse_assignment

        from loom_tui.screens.modals.prompt import TextPrompt

        declared = self.template_info.declared

        async def check(value: str) -> Any:
            return parse_assignment(value, declared)  # refused with the reason: the prompt stays open

        def chosen(pair: Any) -> None:
            if not isinstance(pair, tuple) or self.wizard is None:
                return
            self.wizard = set_parameter(self.wizard, *pair)
            self.events = {}
            self._save(self.wizard)
            self._show()

        name = (getattr(self, "missing_params", None) or [""])[0]
        # the missing parameter's name is typed in already (not a value shown for change: enter submits it, typing appends)
        prompt = TextPrompt("Template parameter", "name = value (true/false, a number, text, or JSON); "
                            "an empty value goes back to the derived or default one", check,
                            typed=f"{name} = " if name else "", hint="the review lists every parameter and its source")
        self.app.push_screen(prompt, chosen)

        def cursor_to_end() -> None:  # typing goes after "name = ", not over it
            from textual.widgets import Input as _Input

            inp = prompt.query_one(_Input)
            inp.action_end()

        prompt.call_after_refresh(cursor_to_end)

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
        self._deploy()

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

    # -- widgets → answers ------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#dlz-choices")
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

    def resume_form(self) -> dict[str, str]:
        """What the terminal guard saves if the terminal goes away: the step, and a field typed but
        not submitted yet (the draft holds only what Next took)."""
        w = self.wizard
        if w is None:
            return {}
        out = {"form": "dlz", "title": "DLZ wizard", "step": TITLES[w.step], "draft_id": w.draft_id, "domain": w.answers.domain}
        if w.step in INPUT_STEPS:
            out["typed"] = self.query_one("#dlz-input", Input).value
            out["field"] = {"domain": "the domain", "network": "the address space"}[w.step]
            out["input_step"] = w.step
        return out

    def restore_form(self, saved: dict[str, str]) -> None:
        """After a drop: put back what was typed (once the draft it belongs to is loaded)."""
        self._restore = dict(saved)
        self._apply_restore()

    def _apply_restore(self) -> None:
        saved, w = getattr(self, "_restore", None), self.wizard
        if not saved or w is None:
            return
        if saved.get("draft_id") == w.draft_id and saved.get("input_step") == w.step and saved.get("typed"):
            self.query_one("#dlz-input", Input).value = saved["typed"]
            self.flash(f"put back what you had typed: {saved['typed']}")
        self._restore = None

    @on(Input.Changed, "#dlz-input")
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
        if self.refused and self.facts is not None:  # a stale refusal goes (or changes) as soon as the value does
            key = {"domain": "domain", "network": "address_space"}.get(self.wizard.step)
            if key:
                trial = set_answer(self.wizard, key, event.value.strip())
                self._reasons(problems(trial, self.facts))

    @on(Input.Submitted, "#dlz-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()

    def _take_input(self) -> None:
        key = {"domain": "domain", "network": "address_space"}[self.wizard.step]
        value = self.query_one("#dlz-input", Input).value.strip()
        self.wizard = set_answer(self.wizard, key, value)
