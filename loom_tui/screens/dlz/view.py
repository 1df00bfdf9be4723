"""What the DLZ screen shows for the wizard's current step (widgets filled from the state)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from loom_tui.domain.boundary import boundaries_for, find_boundary
from loom_tui.domain.dlz import MODES
from loom_tui.domain.fabric_skus import FABRIC_SKUS
from loom_tui.services.dlz.plan import PlanRefused, build_plan, plan_digest
from loom_tui.services.dlz.steps import STEPS, TITLES, problems
from loom_tui.domain.text import visible

from . import render
from .consts import CHOICE_STEPS, INPUT_STEPS


# what the steps that show neither choices nor an input say
_STEP_TEXT = {"permissions": "The deploying identity needs these roles (c checks again):",
              "review": "Review, then v validates and runs what-if; enter deploys once validated.",
              "deploying": "Deploying: every stage below is retryable from the one that failed.",
              "done": "Done."}


class DlzView:
    def _placeholder_facts(self) -> Any:
        """What the first steps check against while the estate is still being read: the
        profile's cloud only."""
        from loom_tui.services.dlz.facts import DeployFacts

        return DeployFacts(tenant_id=self.ctx.session.tenant_id, profile_cloud=self.ctx.profile.cloud)

    def _reasons(self, problems_: list[Any]) -> None:
        self.refused = bool(problems_)
        text = Text("Next is refused: " if problems_ else "")
        text.append("; ".join(visible(p.message) for p in problems_))
        self.query_one("#dlz-reasons", Static).update(text)

    def _build_plan(self) -> None:
        self.plan, self.plan_problem = None, ""
        if self.facts is None or self.wizard is None:
            self.plan_problem = "the estate has not been read yet"
            return
        if self.template_info is None:
            self.plan_problem = "reading the template…"
            return
        self.missing_params = []
        try:
            self.plan = build_plan(self.wizard.answers, self.facts, self.template_info)
        except PlanRefused as exc:
            self.plan_problem = str(exc)
            self.missing_params = [p.message.split(":", 1)[0] for p in exc.problems if p.field == "parameters" and "needs a value" in p.message]

    def _show(self) -> None:
        w = self.wizard
        if w is None:
            self.query_one("#dlz-text", Static).update(Text("loading the drafts…"))
            return
        i = STEPS.index(w.step)
        title = f"DLZ · step {i + 1} of {len(STEPS)} · {TITLES[w.step]}"
        if w.answers.domain:
            title += f" · {visible(w.answers.domain)}"
        if self.facts is None and not self.facts_error:
            title += " · reading the estate…"
        self.query_one("#dlz-title", Static).update(Text(title))
        choices = self.query_one("#dlz-choices", OptionList)
        inp = self.query_one("#dlz-input", Input)
        others = [r for r in self.drafts if r.wizard.step != "done"]
        choices.display = w.step in CHOICE_STEPS or (w.step == "intro" and bool(others))
        inp.display = w.step in INPUT_STEPS
        if not inp.display:
            self._input_shown = None  # the next input step is entered afresh
        self.query_one("#dlz-text", Static).update(self._step_text(w, others))
        self._render_detail()
        why = problems(w, self.facts, plan_digest=plan_digest(self.plan) if self.plan else None) if self.facts is not None \
            and w.step not in ("intro", "deploying", "done") else []
        self._reasons(why if w.step not in CHOICE_STEPS + INPUT_STEPS or self._has_answer() else [])
        self._focus()
        self.refresh_bindings()

    def _step_text(self, w: Any, others: list) -> Text:
        """What the step says above its choices or input, filling those in (``others``: the
        unfinished drafts, offered on the intro step)."""
        if w.step == "intro":
            return self._intro_step(w, others)
        if w.step == "boundary":
            self._options([(b.key, render.boundary_option(b)) for b in boundaries_for(self.ctx.profile.cloud)], w.answers.boundary)
            return Text("Which compliance boundary? (enter chooses)")
        if w.step == "mode":
            self._options([(m, Text(render.MODE_TEXT[m])) for m in MODES], w.answers.mode)
            return Text("Where does the DLZ live?")
        if w.step == "subscription":
            return self._subscription_step(w)
        if w.step == "domain":
            self._input(w.answers.domain, "e.g. supply-chain")
            return Text("The data domain: lower-case letters, digits and '-', 3 to 24; unique among the DLZs.")
        if w.step == "capacity":
            return self._capacity_step(w)
        if w.step == "network":
            self._input(w.answers.address_space, "10.N.0.0/16")
            return Text("The spoke's address space: the next free /16 is proposed; any /16 to /24 that overlaps nothing works.")
        if w.step == "review":
            self._build_plan()
        return Text(_STEP_TEXT.get(w.step, ""))

    def _intro_step(self, w: Any, others: list) -> Text:
        text = render.intro(self.drafts, w.draft_id)
        if others:  # several drafts (one per domain): pick the one to go on with
            # stored text (a domain, a time) only ever as literal parts of a Text, made visible
            this = (" — ", visible(w.answers.domain)) if w.answers.domain else (" (new)",)
            items = [(w.draft_id, Text.assemble("this draft", *this))]
            items += [(r.wizard.draft_id, Text.assemble(visible(r.wizard.answers.domain or "(no domain yet)"), " — at ",
                                                        TITLES[r.wizard.step], ", saved ", visible(r.updated_at[:16])))
                      for r in others if r.wizard.draft_id != w.draft_id]
            self._options(items, w.draft_id)
        return text

    def _subscription_step(self, w: Any) -> Text:
        if self.sub_phase != "subscription":
            regions = self.facts.regions_of(w.answers.subscription_id) if self.facts else []
            self._options([(r, Text(visible(r))) for r in regions], w.answers.region)
            return Text("Region (enter chooses):")
        subs = self.facts.subscriptions if self.facts else []
        held: dict[str, list[str]] = {}
        for d in (self.facts.reserving() if self.facts else []):
            held.setdefault(d.subscription_id.lower(), []).append(d.domain)
        self._options([(s.subscription_id, Text(f"{visible(s.display_name)}  {visible(s.subscription_id)}  {visible(s.state)}"
                                                + (f"  · holds DLZ {visible(', '.join(sorted(held[s.subscription_id.lower()])))}"
                                                   if s.subscription_id.lower() in held else "")))
                       for s in subs], w.answers.subscription_id)
        return Text("Subscription (enter chooses, then the region):")

    def _capacity_step(self, w: Any) -> Text:
        if not self._prices_asked:
            self._prices_asked = True
            self._load_prices()
        prices = self.prices
        text = Text("Fabric capacity SKU. ")
        text.append(visible(prices.headline) if prices is not None else "Monthly prices: asking the Cost service…")
        self._options([(s.name, render.capacity_option(s.name, s.capacity_units, s.recommended,
                                                       prices.label(s.name) if prices is not None else ""))
                       for s in FABRIC_SKUS], w.answers.capacity_sku)
        return text

    def _has_answer(self) -> bool:
        a = self.wizard.answers
        return bool({"boundary": a.boundary, "mode": a.mode, "subscription": a.subscription_id, "capacity": a.capacity_sku,
                     "domain": a.domain, "network": a.address_space}.get(self.wizard.step))

    def _focus(self) -> None:
        w = self.wizard
        if w.step in CHOICE_STEPS or (w.step == "intro" and self.query_one("#dlz-choices").display):
            self.query_one("#dlz-choices").focus()
        elif w.step in INPUT_STEPS:
            self.query_one("#dlz-input").focus()
        else:
            self.query_one("#dlz-body").focus()

    def _options(self, items: list[tuple[str, Text]], current: str) -> None:
        ol = self.query_one("#dlz-choices", OptionList)
        ol.clear_options()
        ol.add_options([Option(label, id=key) for key, label in items])
        idx = next((i for i, (k, _) in enumerate(items) if k.lower() == (current or "").lower()), 0)
        if items:
            ol.highlighted = idx

    def _input(self, value: str, placeholder: str) -> None:
        """Show the step's answer in the field when the step is entered, or when the answer changes
        under a field the operator has not edited (a proposal arriving); a re-render (facts, prices,
        the template loading) never overwrites what is being typed."""
        inp = self.query_one("#dlz-input", Input)
        inp.placeholder = placeholder
        place = (self.wizard.draft_id, self.wizard.step)
        shown = getattr(self, "_input_shown", None)
        entered = shown is None or shown[0] != place
        if (entered or (shown[1] != value and inp.value == shown[1])) and inp.value != value:
            inp.value = value
        self._input_shown = (place, value)

    def _render_detail(self, typed: str | None = None) -> None:
        w = self.wizard
        if w is None:
            return
        f = self.facts
        a = w.answers
        detail = Text("")
        if self.facts_error and f is None and w.step != "intro":
            detail = Text("The estate could not be read: " + visible(self.facts_error))
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
                                   template=self.template_info)
        elif w.step == "deploying":
            failed = any(ev.state == "failed" for ev in self.events.values()) and not self.busy
            detail = render.progress(self.events, failed)
        elif w.step == "done":
            if self.plan is None:
                self._build_plan_for_done()
            detail = render.done(self.plan, f.portal if f else "", self.ctx.session.tenant_id, self.peering, self.links)
        self.query_one("#dlz-detail", Static).update(detail)

    def _build_plan_for_done(self) -> None:
        if self.facts is None:
            return
        try:  # after the deployment the domain is taken: the plan is rebuilt without that check
            facts = replace(self.facts, dlzs=[d for d in self.facts.dlzs if d.domain != self.wizard.answers.domain],
                            spokes=[s for s in self.facts.spokes if s.name != f"vnet-csa-loom-dlz-{self.wizard.answers.domain}-{self.wizard.answers.region}"])
            self.plan = build_plan(self.wizard.answers, facts, self.template_info)
        except PlanRefused:
            self.plan = None
