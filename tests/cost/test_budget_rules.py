"""Azure's budget rules (Consumption 2024-08-01) checked before a budget is sent, each named in one
line; the demo Azure refuses what Azure refuses; a budget that breaks one is shown as it is
(issue 21, item 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loom_tui.azure.budgets import Budget, Threshold, to_body
from loom_tui.demo_azure.routes.budgets import azure_rules
from loom_tui.domain import budget_rules
from loom_tui.services.errors import ValidationError

TODAY = date(2026, 11, 20)
SUB = "/subscriptions/de700000-0000-4000-8000-0000000000d1"
MAIL = ("ops@contoso.example",)
GROUP = (SUB + "/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ops",)


def t(key: str = "a", pct: str = "80", emails=MAIL, groups=()) -> Threshold:
    return Threshold(key, Decimal(pct), "Actual", tuple(emails), contact_groups=tuple(groups))


def budget(**kw) -> Budget:
    base = dict(scope=SUB, name="b", amount=Decimal(100), time_grain="Monthly", start=date(2026, 11, 1), end=None, thresholds=(t(),))
    base.update(kw)
    return Budget(**base)


def rules(b: Budget, new: bool = True) -> list[str]:
    return [x.rule for x in budget_rules.check(b, TODAY, new=new)]


CASES = {
    "start-first-of-month": budget(start=date(2026, 11, 15)),
    "start-after-june-2017": budget(start=date(2017, 5, 1), time_grain="Annually"),
    "start-within-12-months": budget(start=date(2027, 12, 1)),
    "start-in-current-period": budget(start=date(2026, 10, 1)),
    "start-before-end": budget(end=date(2026, 10, 31)),
    "at-most-5-notifications": budget(thresholds=tuple(t(str(i), str(10 * (i + 1))) for i in range(6))),
    "contact-needed": budget(thresholds=(t(emails=()),)),
    "contact-groups-scope": budget(scope="/providers/Microsoft.Management/managementGroups/mg", thresholds=(t(groups=GROUP),)),
    "at-most-50-contacts": budget(thresholds=(t(emails=tuple(f"u{i}@x.example" for i in range(51))),)),
    "threshold-0-1000": budget(thresholds=(t(pct="1200"),)),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule_is_named_and_the_demo_azure_refuses_it_too(rule: str) -> None:
    b = CASES[rule]
    assert rule in rules(b)
    line = next(x.line() for x in budget_rules.check(b, TODAY) if x.rule == rule)
    assert line.startswith(f"{rule}: ") and "\n" not in line
    # the demo Azure, with its own reading of the same spec, refuses the body loom would have sent
    assert azure_rules(to_body(b)["properties"], b.scope, TODAY, creating=True) != ""


def test_a_good_budget_breaks_nothing_and_groups_count_as_contacts_at_a_subscription() -> None:
    assert rules(budget()) == []
    assert rules(budget(thresholds=(t(emails=(), groups=GROUP),))) == []
    assert azure_rules(to_body(budget())["properties"], SUB, TODAY, creating=True) == ""
    assert rules(budget(start=date(2027, 11, 1))) == []  # twelve months ahead is allowed
    # an existing budget's start is not re-judged by the rules for setting one
    assert rules(budget(start=date(2025, 1, 1)), new=False) == []


async def test_loom_refuses_before_sending_and_lists_every_broken_rule(tmp_path, monkeypatch) -> None:
    from loom_tui.services.cost.budgets import refuse_broken

    b = budget(start=date(2026, 11, 15), thresholds=tuple(t(str(i), str(10 * (i + 1)), emails=()) for i in range(6)))
    with pytest.raises(ValidationError) as err:
        refuse_broken(b, TODAY, new=True)
    text = str(err.value)
    assert "nothing was sent" in text
    lines = [line.strip() for line in text.splitlines()[1:]]
    assert {line.split(":", 1)[0] for line in lines} == {"start-first-of-month", "at-most-5-notifications", "contact-needed"}


async def test_nothing_reaches_azure_and_an_existing_broken_budget_is_shown_as_it_is(ctx, monkeypatch) -> None:
    """Through the service on the demo Azure: a budget without a contact is refused before any
    PUT; one Azure holds that breaks a rule (stored past the rules, as an older API let it be) is
    listed as it is, its broken rule named."""
    from loom_tui.commands.cost import _broken, _budget_json
    from loom_tui.services.cost.budgets import parse_thresholds

    monkeypatch.setenv("LOOM_DEMO_TODAY", TODAY.isoformat())
    await ctx.azure()
    handle = next(o.handle for o in ctx._owned if hasattr(o, "handle"))
    scope = next(s for s in ctx.budgets.scopes() if "/resourceGroups/" not in s)
    with pytest.raises(ValidationError, match="contact-needed"):
        await ctx.budgets.create(scope, "no-contact", Decimal(100), thresholds=parse_thresholds(["80"], []))
    assert not [c for c in handle.server.calls if c.method == "PUT"]
    legacy = budget(scope=scope, name="legacy", start=date(2026, 11, 15))
    doc = {**to_body(legacy), "id": legacy.id, "name": "legacy", "type": "Microsoft.Consumption/budgets", "eTag": '"e1"'}
    handle.state.put_doc("consumption.budget", legacy.id.lower(), doc)
    [shown] = [b for b in await ctx.budgets.list(scope) if b.name == "legacy"]
    assert shown.start == date(2026, 11, 15)  # as it is
    assert _broken(shown) == ["start-first-of-month"] and _budget_json(shown)["brokenRules"] == ["start-first-of-month"]
