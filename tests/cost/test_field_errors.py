"""Service errors name fields, the command line names flags (issue 23 item 7): the cost and
budget services raise ``ValidationError("by")``, ``ValidationError("contact_emails")``; ``loom cost``
maps each field to the flag that gave it (``FIELD_FLAGS``), so its error lines are what they were,
byte for byte, and the TUI never tells an operator about a flag."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from loom_tui.errors import ValidationError
from loom_tui.services.cost.budgets import parse_thresholds
from loom_tui.services.cost.model import Query
from tests.support.cli import loom

PKG = Path(__file__).resolve().parents[2] / "loom_tui"
SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"


def _lead(arg: ast.expr) -> str:
    """The text an error's first argument starts with (a string, or an f-string's first part)."""
    if isinstance(arg, ast.JoinedStr) and arg.values:
        arg = arg.values[0]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else ""


def test_no_service_or_domain_error_names_a_flag():
    """No ``ValidationError("--by", ...)``, no ``ValueError("--to is before --from")``.  The context's
    ``--as`` refusal is the CLI's own check; it leaves services/ with the wiring (issue 23 item 1)."""
    offenders = []
    for layer in ("services", "domain"):
        for path in sorted((PKG / layer).rglob("*.py")):
            if path == PKG / "services" / "context.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = getattr(node, "func", None)
                name = getattr(name, "id", getattr(name, "attr", ""))
                if isinstance(node, ast.Call) and name.endswith("Error") and node.args and _lead(node.args[0]).startswith("--"):
                    offenders.append(f"{path.relative_to(PKG)}:{node.lineno} {_lead(node.args[0])}")
    assert offenders == []


@pytest.mark.parametrize("specs, emails, groups, field", [
    (["80:x"], ["a@b.c"], [], "thresholds"),
    (["lots"], ["a@b.c"], [], "thresholds"),
    (["80"], ["not-an-email"], [], "contact_emails"),
    (["80"], ["a@b.c"], ["nope"], "contact_groups"),
])
def test_budget_thresholds_name_the_field(specs, emails, groups, field):
    with pytest.raises(ValidationError) as err:
        parse_thresholds(specs, emails, groups)
    assert err.value.field == field and "--" not in str(err.value)


async def test_a_cost_query_names_its_field(ctx):
    with pytest.raises(ValidationError) as err:
        ctx.cost.check(Query(by="nope"))
    assert err.value.field == "by" and str(err.value).startswith("by: unknown dimension 'nope'")
    with pytest.raises(ValidationError) as err:
        ctx.cost.check(Query(kind="guessed"))
    assert err.value.field == "kind"


# (argv, stderr) as loom printed them before the services stopped naming flags, and the two period
# errors, whose sentences named both flags (``give both --from and --to``, ``--to is before --from``)
CASES = [
    (("cost", "show", "--from", "2026-11-02", "--to", "2026-11-01"),
     "loom: --to: 2026-11-01 is before the first day, 2026-11-02\n"),
    (("cost", "daily", "--from", "2026-11-02"),
     "loom: --to: is needed too: a custom period has a first and a last day\n"),
    (('cost', 'show', '--by', 'nope'),
     "loom: --by: unknown dimension 'nope'; the dimensions are workspace, domain, tenant, resource-group, service, resource-type, subscription, resource or tag:KEY\n"),
    (('cost', 'show', '--by', 'nope', '-o', 'json'),
     '{"error": {"code": "invalid", "message": "--by: unknown dimension \'nope\'; the dimensions are workspace, domain, tenant, resource-group, service, resource-type, subscription, resource or tag:KEY"}}\n'),
    (('cost', 'show', '--where', 'workspce=abc'),
     "loom: --where: unknown dimension 'workspce'; the dimensions are workspace, domain, tenant, resource-group, service, resource-type, subscription, resource or tag:KEY\n"),
    (('cost', 'show', '--where', 'workspce=abc', '-o', 'json'),
     '{"error": {"code": "usage", "message": "--where: unknown dimension \'workspce\'; the dimensions are workspace, domain, tenant, resource-group, service, resource-type, subscription, resource or tag:KEY"}}\n'),
    (('cost', 'budgets', 'create', 'b1', '--scope', SUB, '--amount', '0', '--email', 'a@b.c'),
     'loom: --amount: must be more than 0\n'),
    (('cost', 'budgets', 'create', 'b1', '--scope', SUB, '--amount', '10', '--threshold', '80:x', '--email', 'a@b.c'),
     "loom: --threshold: '80:x': the type after ':' is actual or forecasted\n"),
    (('cost', 'budgets', 'create', 'b1', '--scope', SUB, '--amount', '10', '--threshold', '80', '--email', 'not-an-email'),
     "loom: --email: 'not-an-email' is not an email address\n"),
    (('cost', 'budgets', 'create', 'b1', '--scope', SUB, '--amount', '10', '--threshold', '80', '--group', 'nope'),
     "loom: --group: 'nope' is not an action group's resource id (/subscriptions/.../providers/Microsoft.Insights/actionGroups/<name>)\n"),
    (('cost', 'budgets', 'create', 'b1', '--scope', 'nope', '--amount', '10', '--email', 'a@b.c'),
     "loom: --scope: 'nope': give /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>\n"),
    (('cost', 'budgets', 'list', '--scope', 'nope', '-o', 'json'),
     '{"error": {"code": "invalid", "message": "--scope: \'nope\': give /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>"}}\n')
]


@pytest.mark.parametrize("argv, stderr", CASES)
def test_cli_error_lines_name_the_flag_as_before(argv, stderr):
    r = loom(*argv)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", stderr)
