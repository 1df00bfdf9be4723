"""Capabilities on the domain (issue 23 item 5): ``Resource.can(verb)`` decides once what a kind
can do, and the runners refuse with the same words the service and the screen show."""

from __future__ import annotations

import pytest

from loom_tui.domain import capacity as cap
from loom_tui.domain.capability import PAUSE, RESUME, SCALE, VERBS
from loom_tui.services.capacity import actions


def row(rtype: str, name: str = "r1", state: str | None = None) -> cap.Resource:
    rg = "rg-csa-loom-dlz-finance-eastus2"
    ns, *types = rtype.split("/")
    path = "/".join(f"{t}/{name if i == len(types) - 1 else 'parent1'}" for i, t in enumerate(types))  # .../workspaces/parent1/sqlPools/pool1
    doc = {"id": f"/subscriptions/s1/resourceGroups/{rg}/providers/{ns}/{path}", "name": name, "type": rtype,
           "properties": {"state": state, "status": state}}
    return cap.resource_from_arm(doc)


FABRIC = row("Microsoft.Fabric/capacities", "fc1", "Active")
POOL = row("Microsoft.Synapse/workspaces/sqlPools", "pool1", "Paused")
ADX = row("Microsoft.Kusto/clusters", "adx1", "Running")
VAULT = row("Microsoft.KeyVault/vaults", "kv1")


@pytest.mark.parametrize("r, verbs", [
    (FABRIC, {PAUSE, RESUME, SCALE}),
    (POOL, {PAUSE, RESUME}),
    (ADX, {PAUSE, RESUME}),
    (VAULT, set()),
])
def test_each_kind_can_exactly_its_verbs(r, verbs):
    assert {v for v in VERBS if r.can(v) is None} == verbs
    assert r.pausable == (PAUSE in verbs) and r.scalable == (SCALE in verbs)


def test_a_refusal_names_the_resource_and_its_kind():
    assert POOL.can(SCALE) == "only Fabric capacities scale here; pool1 is Microsoft.Synapse/workspaces/sqlPools"
    assert VAULT.can(PAUSE) == "kv1 (Microsoft.KeyVault/vaults) cannot be paused or resumed"
    assert VAULT.can(RESUME) == VAULT.can(PAUSE)


def test_an_unknown_verb_is_a_mistake_not_a_refusal():
    with pytest.raises(ValueError, match="not a verb"):
        FABRIC.can("delete")


def test_acts_is_the_capability_and_the_state():
    assert FABRIC.acts(PAUSE) and not FABRIC.acts(RESUME) and FABRIC.acts(SCALE)
    assert POOL.acts(RESUME) and not POOL.acts(PAUSE) and not POOL.acts(SCALE)
    assert not any(VAULT.acts(v) for v in VERBS)


async def test_the_runners_refuse_with_the_domains_words_before_anything_is_sent():
    # no handle and no clients: a refusal must come before either is touched
    with pytest.raises(actions.ActionRefused) as scaled:
        await actions.scale(None, None, POOL, "F2")
    assert str(scaled.value) == POOL.can(SCALE)
    with pytest.raises(actions.ActionRefused) as paused:
        await actions.set_running(None, None, VAULT, False)
    assert str(paused.value) == VAULT.can(PAUSE)


@pytest.mark.parametrize("kind, rid, why", [
    ("capacity.scale", POOL.id, POOL.can(SCALE)),
    ("capacity.pause", VAULT.id, VAULT.can(PAUSE)),
])
async def test_a_taken_over_change_is_refused_by_the_same_rule_before_azure_is_asked(kind, rid, why):
    from types import SimpleNamespace

    from loom_tui.errors import ServiceError
    from loom_tui.services.capacity import resume

    class NoAzure:  # the handle of an operation whose process ended; asking it for clients is a failure here
        op = SimpleNamespace(target=rid, kind=kind)

        async def clients(self):
            raise AssertionError("Azure was asked before the refusal")

    with pytest.raises(ServiceError) as refused:
        await resume._resource(NoAzure())
    # the same words, but for the type: the id alone gives it in lower case
    assert str(refused.value).lower() == why.lower()
