"""The wizard's step machine (pure): where the operator is, Back / Next, and why Next is refused.

intro → boundary → mode → subscription → domain → capacity → network → permissions → review →
deploying → done.  ``Wizard`` is plain data so a draft stores it and resumes it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from loom_tui.domain.dlz import DlzAnswers, Problem
from loom_tui.domain.fabric_skus import RECOMMENDED

from .checks import ANSWER_CHECKS, boundary_of, check_permissions
from .facts import DeployFacts

STEPS = ("intro", "boundary", "mode", "subscription", "domain", "capacity", "network", "permissions", "review", "deploying", "done")
TITLES = {
    "intro": "Deploy a Data Landing Zone",
    "boundary": "Compliance boundary",
    "mode": "Subscription mode",
    "subscription": "Subscription and region",
    "domain": "Domain",
    "capacity": "Fabric capacity",
    "network": "Network",
    "permissions": "Permissions",
    "review": "Review",
    "deploying": "Deploying",
    "done": "Done",
}


class StepRefused(Exception):
    def __init__(self, step: str, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.step = step
        self.problems = problems


@dataclass
class Wizard:
    draft_id: str
    step: str = "intro"
    answers: DlzAnswers = field(default_factory=DlzAnswers)
    validated_for: str = ""  # plan digest the last successful ARM validation covered
    operation_id: str = ""  # the deployment Operation once started
    deployed: bool = False

    @property
    def index(self) -> int:
        return STEPS.index(self.step)

    def to_doc(self) -> dict[str, Any]:
        return {"draftId": self.draft_id, "step": self.step, "answers": self.answers.to_dict(),
                "validatedFor": self.validated_for, "operationId": self.operation_id, "deployed": self.deployed}

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> "Wizard":
        saved = d.get("step")
        step = saved if isinstance(saved, str) and saved in STEPS else "intro"
        answers = DlzAnswers.from_dict(d.get("answers") or {})
        if d.get("templatePath") and not answers.template:  # a draft saved before the template became an answer
            answers = replace(answers, template=str(d["templatePath"]))
        return cls(str(d.get("draftId") or ""), step, answers, str(d.get("validatedFor") or ""), str(d.get("operationId") or ""),
                   bool(d.get("deployed")))


def problems(w: Wizard, facts: DeployFacts, *, plan_digest: str | None = None) -> list[Problem]:
    """Why Next is refused on the current step ([] = it may go on)."""
    s = w.step
    if s in ANSWER_CHECKS:
        return ANSWER_CHECKS[s](w.answers, facts)
    if s == "permissions":
        return check_permissions(w.answers, facts)
    if s == "review":
        if not w.validated_for or (plan_digest is not None and w.validated_for != plan_digest):
            return [Problem("review", "validate the deployment first (v)")]
        return []
    if s == "deploying":
        return [] if w.deployed else [Problem("deploying", "the deployment has not finished")]
    if s == "done":
        return [Problem("done", "this is the last step")]
    return []


class _Defaults(TypedDict, total=False):
    """The answers ``with_defaults`` may fill (each a ``DlzAnswers`` field of the same name)."""
    mode: str
    subscription_id: str
    region: str
    capacity_sku: str
    address_space: str


def with_defaults(w: Wizard, facts: DeployFacts, *, propose_space: str = "") -> Wizard:
    """Fill the current step's empty answers with the boundary's defaults and proposals."""
    a = w.answers
    b = boundary_of(a, facts)
    changes: _Defaults = {}
    if w.step == "mode" and not a.mode and b:
        changes["mode"] = b.default_mode
    if w.step == "subscription":
        if not a.subscription_id and a.mode == "single-sub" and facts.admin_subscription_id:
            changes["subscription_id"] = facts.admin_subscription_id
        if not a.region and b and b.default_location:
            changes["region"] = b.default_location
    if w.step == "capacity" and not a.capacity_sku:
        changes["capacity_sku"] = RECOMMENDED
    if w.step == "network" and not a.address_space and propose_space:
        changes["address_space"] = propose_space
    return replace(w, answers=replace(a, **changes)) if changes else w


def next_step(w: Wizard, facts: DeployFacts, *, plan_digest: str | None = None) -> Wizard:
    """The wizard one step on, or StepRefused naming each reason."""
    why = problems(w, facts, plan_digest=plan_digest)
    if why:
        raise StepRefused(w.step, why)
    return replace(w, step=STEPS[w.index + 1])


def back_step(w: Wizard) -> Wizard:
    """One step back; not out of a running or finished deployment."""
    if w.step in ("intro", "deploying", "done"):
        return w
    return replace(w, step=STEPS[w.index - 1])


def set_answer(w: Wizard, key: str, value: Any) -> Wizard:
    """Change one answer; a change after validation makes the review validate again."""
    a = replace(w.answers, **{key: value})
    if a == w.answers:
        return w
    return replace(w, answers=a, validated_for="")


def set_parameter(w: Wizard, name: str, value: Any) -> Wizard:
    """Give one template parameter a value (``None``: back to derived or the template's default)."""
    params = dict(w.answers.parameters)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = value
    return set_answer(w, "parameters", params)

