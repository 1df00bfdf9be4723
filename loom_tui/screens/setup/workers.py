"""The Setup screen's workers: every read and write of Azure and the store happens here, and each
posts a message (never touching widgets)."""

from __future__ import annotations

from textual import work

from loom_tui.services.deploy.steps import Wizard

from .messages import DraftLoaded, Failed, FactsLoaded, OpSnapshot, Permissions, PricesLoaded, RunEnded, Stage, TemplateLoaded


class SetupWorkers:
    @work(exclusive=True, exit_on_error=False, group="setup-draft")
    async def _load_draft(self) -> None:
        try:
            drafts = await self.svc.drafts.list()
            latest = next((r.wizard for r in drafts if r.wizard.step != "done"), None)
        except Exception as exc:
            self.post_message(Failed("the drafts", exc))
            latest, drafts = None, []
        self.post_message(DraftLoaded(latest, drafts))

    @work(exclusive=True, exit_on_error=False, group="setup-facts")
    async def _load_facts(self) -> None:
        self.busy = "facts"
        try:
            draft = self.wizard.draft_id if self.wizard else ""
            facts = await self.svc.facts(draft_id=draft)
        except Exception as exc:
            self.post_message(Failed("the estate", exc))
            return
        self.post_message(FactsLoaded(facts))

    @work(exclusive=True, exit_on_error=False, group="setup-prices")
    async def _load_prices(self) -> None:
        from loom_tui.services.deploy.prices import SkuPrices, sku_prices

        try:
            prices = await sku_prices(self.ctx)
        except Exception as exc:  # noqa: BLE001 — the step says why there are no prices
            prices = SkuPrices(why_not=f"the Cost service could not be read ({exc})")
        self.post_message(PricesLoaded(prices))

    @work(exclusive=True, exit_on_error=False, group="setup-save")
    async def _save(self, w: Wizard) -> None:
        if self.ctx.read_only:
            return
        try:
            await self.svc.drafts.save(w)
        except Exception as exc:
            self.post_message(Failed("saving the draft", exc))

    @work(exclusive=True, exit_on_error=False, group="setup-perm")
    async def _check(self) -> None:
        try:
            info = self.template_info
            rep = await self.svc.check_permissions(self.wizard.answers.subscription_id, self.facts,
                                                   info.role_assignments if info is not None else 0)
        except Exception as exc:
            self.post_message(Failed("the role check", exc))
            return
        self.post_message(Permissions(rep))

    @work(exclusive=True, exit_on_error=False, group="setup-run")
    async def _run(self, only: tuple[str, ...] | None) -> None:
        """``only``: validate + what-if (read-only, run here); None: the deployment, as an
        Operation — an operation already running for this DLZ (here, or resumed from a process
        that died) is watched instead of started twice."""
        from loom_tui.services.deploy.operation import KIND

        try:
            if only is not None:
                runner = await self.svc.runner(self.plan, self.facts, listener=lambda ev: self.post_message(Stage(ev)))
                ok = await runner.run(only=only)
                self.post_message(RunEnded(ok, only, None))
                return
            running = [o for o in await self.ctx.operations.running() if o.kind == KIND and o.target == self.plan.domain]
            if running:
                op = running[0]
            else:
                op = await self.svc.start_deploy(self.plan, listener=lambda ev: self.post_message(Stage(ev)))
            final = None
            async for final in self.ctx.operations.watch(op.id):
                self.post_message(OpSnapshot(final))
            record = await self.svc.registry.find(self.plan.domain)
        except Exception as exc:
            self.post_message(Failed("the deployment" if only is None else "validation", exc))
            return
        self.post_message(RunEnded(final is not None and final.state == "succeeded", None, record))

    @work(exclusive=True, exit_on_error=False, group="setup-drafts")
    async def _load_draft_list(self) -> None:
        try:
            drafts = await self.svc.drafts.list()
        except Exception:
            return
        self.post_message(DraftLoaded(None, drafts))

    @work(exclusive=True, exit_on_error=False, group="setup-template")
    async def _load_template(self) -> None:
        """The template the draft's answers choose (the Admin Plane's template spec, a file, the
        shipped one), read once the estate is known."""
        try:
            info = await self.svc.template(self.wizard.answers, self.facts)
        except Exception as exc:
            self.post_message(Failed("the template", exc))
            return
        self.post_message(TemplateLoaded(info))

