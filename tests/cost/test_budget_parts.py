"""Budget pieces that need no Azure: the body both ways, thresholds typed on the command line,
the period of each time grain, and alerts written once per budget x threshold x period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loom_tui.azure.budgets import Budget, Threshold, from_body, to_body
from loom_tui.services.cost.budgets import check_name, notification_id, parse_thresholds, period_start
from loom_tui.services.errors import ValidationError
from tests.conftest import shared_fixture


def test_the_official_example_body_reads_and_writes_back():
    import json

    example = json.loads(shared_fixture("azure-rest", "Consumption_2024-08-01_CreateOrUpdateBudget.json").read_text())
    body = example["parameters"]["parameters"]
    b = from_body("/subscriptions/00000000-0000-0000-0000-000000000000", {**body, "name": "TestBudget"})
    assert b.amount > 0 and b.thresholds and b.time_grain in ("Monthly", "Quarterly", "Annually")
    again = to_body(b)
    assert again["eTag"] == body.get("eTag")
    for key, n in body["properties"]["notifications"].items():
        assert again["properties"]["notifications"][key]["threshold"] == n["threshold"]
        assert again["properties"]["notifications"][key]["contactEmails"] == n["contactEmails"]
        assert again["properties"]["notifications"][key]["thresholdType"] == n.get("thresholdType", "Actual")


def test_thresholds_and_names():
    ts = parse_thresholds(["80", "100:forecasted"], ["ops@contoso.example"])
    assert [(t.threshold, t.threshold_type) for t in ts] == [(Decimal(80), "Actual"), (Decimal(100), "Forecasted")]
    assert ts[1].key == "Forecasted_GreaterThanOrEqualTo_100_Percent" and ts[0].contact_emails == ("ops@contoso.example",)
    for bad in (["abc"], ["0"], ["80:sometimes"]):
        with pytest.raises(ValidationError):
            parse_thresholds(bad, [])
    with pytest.raises(ValidationError):
        parse_thresholds(["80"], ["not-an-email"])
    assert check_name("team-budget_1") == "team-budget_1"
    for bad in ("", "x" * 64, "a/b", "a b"):
        with pytest.raises(ValidationError):
            check_name(bad)


def test_periods_and_notification_ids():
    d = date(2026, 11, 20)
    assert period_start("Monthly", d, None) == date(2026, 11, 1)
    assert period_start("Quarterly", d, None) == date(2026, 10, 1)
    assert period_start("Annually", d, date(2026, 4, 1)) == date(2026, 4, 1)
    assert period_start("Annually", date(2026, 2, 1), date(2025, 4, 1)) == date(2025, 4, 1)
    a = notification_id("/subscriptions/S/providers/Microsoft.Consumption/budgets/b", "Actual_80", date(2026, 11, 1))
    assert a == notification_id("/subscriptions/s/providers/microsoft.consumption/budgets/B", "Actual_80", date(2026, 11, 1))
    assert a != notification_id("/subscriptions/s/providers/microsoft.consumption/budgets/b", "Actual_80", date(2026, 12, 1))


async def test_notify_once_never_duplicates_nor_marks_unread_again(ctx):
    doc = {"id": "budget-abc", "title": "Budget b at 80%", "body": "x", "severity": "warning", "read": False, "createdAt": "2026-11-20T00:00:00Z"}
    before = await ctx.notifications.unread_count()
    assert await ctx.scoped.notify_once(ctx.session.user_oid, doc) is True
    assert await ctx.notifications.unread_count() == before + 1
    await ctx.notifications.mark_read("budget-abc")
    assert await ctx.scoped.notify_once(ctx.session.user_oid, doc) is False
    assert await ctx.notifications.unread_count() == before
