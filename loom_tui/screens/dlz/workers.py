"""The DLZ screen's workers: every read and write of Azure and the store happens here, and each
posts a message (never touching widgets).  They raise: the screen's one worker-error path
(``worker_errors``) says it, and ``worker_failed`` below puts the screen back in order."""

from __future__ import annotations

from textual import work

from loom_tui.services.dlz.steps import Wizard

from ..worker_errors import log_failure
from .messages import DraftLoaded, FactsLoaded, OpStep, Permissions, PricesLoaded, RunEnded, Stage, TemplateLoaded


class DlzWorkers:
    FAILURES = {
        "_load_draft": "could not read the drafts",
        "_load_draft_list": "could not read the drafts",
        "_load_facts": "could not read the estate",
        "_save": "saving the draft failed",
        "_check": "the role check failed",
        "_validate": "validation failed",
        "_deploy": "the deployment failed",
        "_load_template": "the template failed",
    }

    def worker_failed(self, worker, error: BaseException) -> bool:
        """After a failed read the screen stops waiting (a draft that could not be read starts a
        new one; an estate that could not be read says why on its step)."""
        if worker.name == "_load_draft":
            self.post_message(DraftLoaded(None, []))
        if worker.name == "_load_facts":
            self.facts_error = str(error)
        if self.busy and worker.name != "_save":
            self.busy = ""
        self._show()
        return False

    @work(exclusive=True, exit_on_error=False, group="dlz-draft")
    async def _load_draft(self) -> None:
        drafts = await self.svc.drafts.list()
        latest = next((r.wizard for r in drafts if r.wizard.step != "done"), None)
        self.post_message(DraftLoaded(latest, drafts))

    @work(exclusive=True, exit_on_error=False, group="dlz-facts")
    async def _load_facts(self) -> None:
        self.busy = "facts"
        draft = self.wizard.draft_id if self.wizard else ""
        facts = await self.svc.facts(draft_id=draft)
        self.post_message(FactsLoaded(facts))

    @work(exclusive=True, exit_on_error=False, group="dlz-prices")
    async def _load_prices(self) -> None:
        from loom_tui.services.dlz.prices import SkuPrices, sku_prices

        try:
            prices = await sku_prices(self.ctx)
        except Exception as exc:  # noqa: BLE001 — not an error path: the step says why there are no prices
            log_failure("could not read the SKU prices", exc)
            prices = SkuPrices(why_not=f"the Cost service could not be read ({exc})")
        self.post_message(PricesLoaded(prices))

    @work(exclusive=True, exit_on_error=False, group="dlz-save")
    async def _save(self, w: Wizard) -> None:
        if self.ctx.read_only:
            return
        await self.svc.drafts.save(w)

    @work(exclusive=True, exit_on_error=False, group="dlz-perm")
    async def _check(self) -> None:
        info = self.template_info
        rep = await self.svc.check_permissions(self.wizard.answers.subscription_id, self.facts,
                                               info.role_assignments if info is not None else 0)
        self.post_message(Permissions(rep))

    @work(exclusive=True, exit_on_error=False, group="dlz-run")
    async def _validate(self, only: tuple[str, ...]) -> None:
        """Validate + what-if (read-only, run here)."""
        runner = await self.svc.runner(self.plan, self.facts, listener=lambda ev: self.post_message(Stage(ev)))
        ok = await runner.run(only=only)
        self.post_message(RunEnded(ok, only, None))

    @work(exclusive=True, exit_on_error=False, group="dlz-run")
    async def _deploy(self) -> None:
        """The deployment, as an Operation — an operation already running for this DLZ (here, or
        resumed from a process that died) is watched instead of started twice."""
        op, _ = await self.svc.follow_or_start(self.plan, listener=lambda ev: self.post_message(Stage(ev)))
        from loom_tui.services.operation_events import Finished

        ok = False
        async for ev in self.ctx.operations.events(op.id):
            if isinstance(ev, Finished):
                ok = ev.ok
            elif ev.step.state != "pending":
                self.post_message(OpStep(ev))
        record = await self.svc.registry.find(self.plan.domain)
        self.post_message(RunEnded(ok, None, record))

    @work(exclusive=True, exit_on_error=False, group="dlz-drafts")
    async def _load_draft_list(self) -> None:
        drafts = await self.svc.drafts.list()
        self.post_message(DraftLoaded(None, drafts))

    @work(exclusive=True, exit_on_error=False, group="dlz-template")
    async def _load_template(self) -> None:
        """The template the draft's answers choose (the Admin Plane's template spec, a file, the
        shipped one), read once the estate is known."""
        info = await self.svc.template(self.wizard.answers, self.facts)
        self.post_message(TemplateLoaded(info))

