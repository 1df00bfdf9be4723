"""The Capacity screen's changes: confirm, run through the service in a worker, report.

Pause / resume / scale ask a yes/no question with Cancel first; "pause this DLZ" asks for the
DLZ's name typed out.  Progress goes to the flash line; the result (or ARM's error, in full, in
the error dialog) comes back to the screen, which refreshes."""

from __future__ import annotations

from typing import Any, Protocol

from loom_tui.domain.capability import SCALE
from loom_tui.domain.capacity import F_SKUS, Resource, fabric_cus

from ..worker_errors import log_failure


class Host(Protocol):
    """What the flows ask of the screen that runs them (the Capacity screen, or its candidates)."""

    @property
    def app(self) -> Any: ...

    @property
    def ctx(self) -> Any: ...

    def flash(self, message: str, severity: str = "info") -> None: ...

    def show_error(self, title: str, error: BaseException | str) -> None: ...

    def run_worker(self, work: Any, *args: Any, **kw: Any) -> Any: ...

    def action_done(self, message: str, ok: bool) -> None: ...

    def action_refresh(self) -> None: ...

    def action_reload(self) -> Any: ...

    def clear_marks(self) -> None: ...


def pause_resume_flow(screen: "Host", r: Resource, verb: str) -> None:
    from loom_tui.screens.modals.prompt import confirm

    why = r.can(verb)
    rt = r.runtime
    if why or rt is None:
        screen.flash(why or f"{r.name} has no runtime state", "warning")
        return
    cost = "Paused, it stops billing compute; nothing is lost." if verb == "pause" else "Running, it bills compute again."

    def ask(impact=None) -> None:
        title = f"{verb.capitalize()} {rt.label} {r.name}?"
        said = f"It is {r.state or 'in an unknown state'}. {cost}"
        if impact is not None:  # a pause names what it stops first: a busy capacity is never paused blind
            said = f"{impact.words()} {said}"
            if impact.busy:
                title = f"Pause BUSY {rt.label} {r.name}?"

        def answered(yes) -> None:
            if yes:
                _run(screen, f"{verb} {r.name}", lambda progress: screen.ctx.capacity.set_running(r, verb == "resume", progress))

        screen.app.push_screen(confirm(title, said, verb.capitalize()), answered)

    if verb != "pause":
        ask()
        return

    async def work() -> None:
        try:
            impact = await screen.ctx.capacity.pause_impact(r)
        except Exception as exc:  # what it serves is a help, not a condition: say why it is missing
            screen.flash(f"could not tell what {r.name} serves: {exc}", "warning")
            impact = None
        ask(impact)

    screen.run_worker(work(), group="cap-impact", exit_on_error=False)


def pause_picked_flow(screen, decisions) -> None:
    """Auto-pause's picks, paused after one confirmation that lists each and why."""
    from loom_tui.screens.modals.prompt import confirm

    picked = [d for d in decisions if d.pause and not d.resource.is_paused]
    if not picked:
        screen.flash("auto-pause picks nothing now: nothing to pause", "warning")
        return
    lines = "\n".join(f"{d.resource.name} ({d.resource.type}): {d.reason}" for d in picked[:12])
    more = f"\n… and {len(picked) - 12} more" if len(picked) > 12 else ""
    question = confirm(f"Pause the {len(picked)} capacit{'y' if len(picked) == 1 else 'ies'} auto-pause picked?",
                       f"{lines}{more}\nEach is paused on its own; a failure of one does not stop the others.", "Pause")

    def answered(yes) -> None:
        if not yes:
            return

        def ended(results) -> None:
            screen.flash(f"paused {len(results)} capacit{'y' if len(results) == 1 else 'ies'} auto-pause picked", "ok")
            screen.action_reload()

        run_each(screen, "pause the picked capacities", lambda progress: screen.ctx.capacity.pause_picked(picked, progress),
                 ended, on_failure=screen.action_reload, group="capap-pause")

    screen.app.push_screen(question, answered)


def scale_flow(screen: "Host", r: Resource) -> None:
    """Pick the new F SKU (each with its estimated monthly price difference when the capacity's
    billed cost gives one), then scale."""
    why = r.can(SCALE)
    if why:
        screen.flash(why, "warning")
        return

    async def work() -> None:
        try:
            prices, currency, basis = await screen.ctx.capacity.monthly_prices(r)
        except Exception as exc:  # the price is a help, not a condition
            prices, currency, basis = {}, "", f"price not known ({exc})"
        screen.app.push_screen(_scale_prompt(r, prices, currency, basis), lambda sku: _scaled(screen, r, sku))

    screen.run_worker(work(), group="cap-scale", exit_on_error=False)


def _scale_prompt(r: Resource, prices: dict[str, float], currency: str, basis: str):
    from loom_tui.screens.modals.prompt import ChoicePrompt

    now = fabric_cus(r.sku) or 0
    choices: list[tuple[str, object]] = [("Cancel", None)]
    for sku in F_SKUS:
        if sku == (r.sku or "").upper():
            continue
        cus = fabric_cus(sku) or 0
        label = f"{sku}  {cus} CU, {'up' if cus > now else 'down'} from {r.sku}"
        if prices and (r.sku or "").upper() in prices:
            diff = prices[sku] - prices[(r.sku or "").upper()]
            label += f"; about {diff:+,.0f} {currency}/month"
        choices.append((label, sku))
    note = f"Monthly price difference {basis}." if prices else f"Monthly price difference not known: {basis}."
    return ChoicePrompt(f"Scale {r.name} (now {r.sku})", f"Pick the new F SKU. {note}", choices, danger=True)


def _scaled(screen: "Host", r: Resource, sku) -> None:
    if sku:
        _run(screen, f"scale {r.name} to {sku}", lambda progress: screen.ctx.capacity.scale(r, sku, progress))


def pause_dlz_flow(screen: "Host", dlz: str, rows: list[Resource]) -> None:
    from loom_tui.widgets.confirm import TypeToConfirm

    targets = [r for r in rows if r.pausable and not r.is_paused]
    if not targets:
        screen.flash(f"nothing to pause in {dlz}: no running capacity", "warning")
        return
    names = ", ".join(r.name for r in targets)
    dialog = TypeToConfirm("Pause DLZ", dlz, f"Pauses {len(targets)} resource(s) of {dlz}: {names}. Each is paused on its own; "
                                              "a failure of one does not stop the others.")

    def answered(yes) -> None:
        if yes:
            _run_many(screen, dlz, targets)

    screen.app.push_screen(dialog, answered)


def _run(screen: "Host", what: str, call) -> None:
    async def work() -> None:
        async def progress(text: str) -> None:
            screen.flash(text)

        try:
            out = await call(progress)
        except Exception as exc:  # ARM's error in full, in the dialog (not the flash line), then a refresh
            log_failure(f"could not {what}", exc)
            screen.show_error(f"could not {what}", exc)
            screen.action_refresh()
            return
        screen.action_done(out.message, True)

    screen.run_worker(work(), group="cap-action", exit_on_error=False)


def _run_many(screen: "Host", dlz: str, targets: list[Resource]) -> None:
    def ended(results) -> None:
        screen.action_done(f"paused {len(results)} resource(s) of {dlz}", True)

    run_each(screen, f"pause {dlz}", lambda progress: screen.ctx.capacity.pause_dlz(dlz, targets, progress), ended,
             on_failure=screen.action_refresh)


def run_each(screen, what: str, call, ended, *, on_failure=None, group: str = "cap-action") -> None:
    """Run an action over several resources in a worker (``call(progress)`` returns one result per
    resource, each with ``ok``, ``name`` and ``message``): progress to the flash line, a failure of
    the whole call or of some resources to the error dialog, in full; ``ended(results)`` when every
    one succeeded, else ``on_failure()``."""
    async def work() -> None:
        async def progress(text: str) -> None:
            screen.flash(text)

        try:
            results = await call(progress)
        except Exception as exc:  # ARM's error in full, in the dialog (not the flash line)
            log_failure(f"could not {what}", exc)
            screen.show_error(f"could not {what}", exc)
            return
        failed = [x for x in results if not x.ok]
        if failed:
            screen.show_error(f"{what}: {len(failed)} of {len(results)} failed", "\n".join(f"{x.name}: {x.message}" for x in results))
            if on_failure is not None:
                on_failure()
        else:
            ended(results)

    screen.run_worker(work(), group=group, exit_on_error=False)


def bulk_flow(screen: "Host", rows: list[Resource], verb: str) -> None:
    """Pause or resume every marked row that can be, as one confirmation and one run with progress
    per resource; one failure does not stop the others."""
    from loom_tui.screens.modals.prompt import confirm

    targets = [r for r in rows if r.acts(verb)]
    if not targets:
        screen.flash(f"nothing marked can be {'paused' if verb == 'pause' else 'resumed'}", "warning")
        return
    skipped = len(rows) - len(targets)
    names = "\n".join(f"{r.name} ({r.type}, {r.state})" for r in targets[:12]) + (f"\n… and {len(targets) - 12} more" if len(targets) > 12 else "")
    note = f"\n{skipped} marked resource(s) left as they are (not {'running' if verb == 'pause' else 'paused'})." if skipped else ""
    question = confirm(f"{verb.capitalize()} {len(targets)} marked resource(s)?",
                       f"{names}{note}\nEach is done on its own; a failure of one does not stop the others.", verb.capitalize())

    def answered(yes) -> None:
        if not yes:
            return

        def ended(results) -> None:
            screen.clear_marks()
            screen.action_done(f"{'paused' if verb == 'pause' else 'resumed'} {len(results)} marked resource(s)", True)

        def failed() -> None:
            screen.clear_marks()
            screen.action_refresh()

        run_each(screen, f"{verb} the marked resources",
                 lambda progress: screen.ctx.capacity.pause_many(targets, progress, run=verb == "resume"), ended, on_failure=failed)

    screen.app.push_screen(question, answered)
