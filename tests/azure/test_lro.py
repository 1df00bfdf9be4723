"""The one poller (issue 21 item 3, issue 22 items 12 and 14) against scripted ARM answers: every
shape the REST specs allow — 200/201/202 with ``Azure-AsyncOperation`` or ``Location``, 204, a
resource whose ``provisioningState`` moves — Retry-After clamped to [1 s, 30 s] through the pace,
503 / reset / malformed answers read again, busy conflicts sent again, and one deadline per kind."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from loom_tui.azure import lro
from loom_tui.azure.clients import AzureClients
from loom_tui.azure.errors import ArmError
from loom_tui.azure.lro import Target, begin, kind_of, poll
from loom_tui.domain.pace import Pace
from tests.azure.conftest import StaticCredential, arm_cloud
from tests.support.arm_server import ArmServer
from tests.support.scripted_arm import Answer, ScriptedArm

RUNNING = Answer(200, body={"status": "InProgress", "percentComplete": 40})
DONE = Answer(200, body={"status": "Succeeded"})


@dataclass(frozen=True)
class RecordingPace(Pace):
    """A fast pace that remembers every wait asked for, in simulated seconds."""

    waits: list = field(default_factory=list, compare=False)

    async def sleep(self, wait: float) -> None:
        self.waits.append(wait)
        await super().sleep(wait)


@pytest.fixture
async def scripted(tmp_path):
    server = ArmServer(tls=True, tmp=tmp_path)
    script = ScriptedArm(server)
    await server.start()
    clients = AzureClients(StaticCredential(), arm_cloud(server), extra_ca=server.ca_file, retry_total=0)
    try:
        yield script, clients
    finally:
        await clients.close()
        await server.stop()


def fast() -> RecordingPace:
    return RecordingPace(speed=1000.0)


async def test_kusto_200_with_azure_asyncoperation_is_followed_to_the_end(scripted) -> None:
    script, clients = scripted
    path = script.on("POST", "k/stop", Answer(200, {"Azure-AsyncOperation": "{base}/scripted/k/op?api-version=1"}))
    script.on("GET", "k/op", RUNNING, RUNNING, DONE)
    response, target = await begin(clients, "POST", path, "2024-04-13", pace=fast())
    assert response.status == 200 and target == Target("/scripted/k/op?api-version=1", "status", "arm")  # stored relative
    seen = []
    final = await poll(clients, target, on_progress=seen.append, pace=fast())
    assert [s.outcome for s in seen] == ["running", "running", "succeeded"] and final.outcome == "succeeded"
    assert seen[0].percent == 40.0


@pytest.mark.parametrize("first", [201, 202])
async def test_location_only_ends_on_a_204(scripted, first) -> None:
    script, clients = scripted
    path = script.on("PUT", "n/link", Answer(first, {"Location": "{base}/scripted/n/result", "Retry-After": "0"}))
    script.on("GET", "n/result", Answer(202, {"Location": "{base}/scripted/n/result2"}))
    script.on("GET", "n/result2", Answer(202), Answer(204))
    _, target = await begin(clients, "PUT", path, "2024-06-01", {"location": "global"}, pace=fast())
    assert target.mode == "location" and target.kind == "arm"
    final = await poll(clients, target, pace=fast())
    assert final.outcome == "succeeded" and script.count("GET", "n/result2") == 2


async def test_201_with_azure_asyncoperation_and_a_failure_carries_arms_error(scripted) -> None:
    script, clients = scripted
    path = script.on("PUT", "d/dep", Answer(201, {"Azure-AsyncOperation": "{base}/scripted/d/st"}, body={"properties": {"provisioningState": "Accepted"}}))
    script.on("GET", "d/st", RUNNING, Answer(200, body={"status": "Failed", "error": {"code": "DeploymentFailed", "message": "[a] failed"}}))
    _, target = await begin(clients, "PUT", path, "x", {}, pace=fast())
    final = await poll(clients, target, pace=fast())
    assert final.outcome == "failed" and final.error.arm_code == "DeploymentFailed" and final.error.message == "[a] failed"


async def test_fabric_patch_200_updating_follows_the_resources_provisioning_state(scripted) -> None:
    script, clients = scripted
    updating = {"id": "c", "properties": {"provisioningState": "Updating", "state": "Scaling"}, "sku": {"name": "F8"}}
    done = {"id": "c", "properties": {"provisioningState": "Succeeded", "state": "Active"}, "sku": {"name": "F16"}}
    path = script.on("PATCH", "f/cap", Answer(200, body=updating))
    script.on("GET", "f/cap", Answer(200, body=updating), Answer(200, body=updating), Answer(200, body=done))
    _, target = await begin(clients, "PATCH", path, "2023-11-01", {"sku": {"name": "F16"}}, pace=fast())
    assert target == Target("/scripted/f/cap?api-version=2023-11-01", "resource", "arm")
    final = await poll(clients, target, pace=fast())
    assert final.outcome == "succeeded" and final.body["sku"]["name"] == "F16" and script.count("GET", "f/cap") == 3


@pytest.mark.parametrize("status, body", [(204, None), (200, {"properties": {"provisioningState": "Succeeded"}}), (200, None)])
async def test_an_answer_with_nothing_to_follow_is_the_end(scripted, status, body) -> None:
    script, clients = scripted
    path = script.on("PUT", "x/done", Answer(status, body=body))
    _, target = await begin(clients, "PUT", path, "1", {}, pace=fast())
    assert target is None


async def test_retry_after_is_honoured_between_1_and_30_seconds_through_the_pace(scripted) -> None:
    script, clients = scripted
    script.on("GET", "r/op", Answer(200, {"Retry-After": "0"}, body={"status": "InProgress"}),
              Answer(200, {"Retry-After": "7"}, body={"status": "InProgress"}),
              Answer(200, {"Retry-After": "600"}, body={"status": "InProgress"}),
              Answer(200, {"retry-after-ms": "2500"}, body={"status": "InProgress"}),
              Answer(200, body={"status": "InProgress"}), DONE)
    pace = fast()
    final = await poll(clients, Target(script.path("r/op"), "status"), interval=5.0, pace=pace)
    assert final.outcome == "succeeded"
    assert pace.waits == [1.0, 7.0, 30.0, 2.5, 5.0]  # simulated seconds; the pace made them milliseconds


async def test_malformed_reset_and_503_answers_are_read_again(scripted) -> None:
    """Issue 22 item 12: one bad answer on a status poll does not fail the operation."""
    script, clients = scripted
    script.on("GET", "m/op", RUNNING, Answer(200, raw='{"status": "InProg'), Answer(reset=True),
              Answer(503, body={"error": {"code": "ServiceUnavailable", "message": "later"}}), Answer(200, body={"percentComplete": 3}),
              Answer(200, raw="<html>gateway</html>"), DONE)
    problems: list[str] = []
    final = await poll(clients, Target(script.path("m/op"), "status"), on_problem=problems.append, pace=fast())
    assert final.outcome == "succeeded"
    # (a reset connection may be re-sent by the HTTP client itself: then it reports one problem less)
    assert len(problems) in (4, 5) and "not JSON" in problems[0] and any("no status" in p for p in problems)
    assert script.count("GET", "m/op") == 7


async def test_a_malformed_location_answer_is_read_again_not_taken_for_the_result(scripted) -> None:
    script, clients = scripted
    script.on("GET", "l/op", Answer(202), Answer(200, raw='{"value": [ {"id": truncated'), Answer(200, body={"name": "done"}))
    final = await poll(clients, Target(script.path("l/op"), "location"), pace=fast())
    assert final.outcome == "succeeded" and final.body == {"name": "done"}


async def test_the_deadline_ends_the_poll_as_unknown_with_the_reason(scripted, monkeypatch) -> None:
    script, clients = scripted
    monkeypatch.setitem(lro.DEADLINES, "kusto", ("Data Explorer (ADX) cluster stop, start", 120.0))
    script.on("GET", "providers/Microsoft.Kusto/locations/x/operationStatuses/1", RUNNING)
    target = Target(script.path("providers/Microsoft.Kusto/locations/x/operationStatuses/1"), "status",
                    kind_of("/subscriptions/s/providers/Microsoft.Kusto/locations/x/operationStatuses/1"))
    assert target.kind == "kusto"
    pace = fast()
    final = await poll(clients, target, pace=pace)
    assert final.outcome == "unknown" and "after 2 min" in final.note and "ADX" in final.note
    assert sum(pace.waits) <= 120.0 + 1e-6  # never slept past the deadline


async def test_a_503_that_never_ends_stops_at_the_deadline(scripted, monkeypatch) -> None:
    """Issue 22 item 9: a persistent 5xx no longer loops for ever."""
    script, clients = scripted
    monkeypatch.setitem(lro.DEADLINES, "arm", ("any other ARM operation", 60.0))
    script.on("GET", "p/op", Answer(503, body={"error": {"code": "ServiceUnavailable", "message": "down"}}))
    final = await poll(clients, Target(script.path("p/op"), "status"), pace=fast())
    assert final.outcome == "unknown" and "after 1 min" in final.note


async def test_a_url_on_another_host_or_a_forgotten_operation_is_unknown_not_failed(scripted) -> None:
    script, clients = scripted
    final = await poll(clients, Target("https://elsewhere.example/op", "status"), pace=fast())
    assert final.outcome == "unknown" and "cannot be followed" in final.note
    final = await poll(clients, Target(script.path("gone/op"), "status"), pace=fast())  # 404
    assert final.outcome == "unknown" and "no longer knows" in final.note


async def test_a_4xx_from_location_fails_with_arms_error(scripted) -> None:
    script, clients = scripted
    script.on("GET", "v/op", Answer(202), Answer(400, body={"error": {"code": "InvalidTemplateDeployment", "message": "bad [x]"}}))
    final = await poll(clients, Target(script.path("v/op"), "location"), pace=fast())
    assert final.outcome == "failed" and final.error.arm_code == "InvalidTemplateDeployment"


async def test_busy_conflicts_are_sent_again_with_back_off(scripted) -> None:
    """Issue 22 item 14: "another operation in progress" / "is busy" are waited out."""
    script, clients = scripted
    path = script.on("PUT", "b/peering",
                     Answer(409, body={"error": {"code": "AnotherOperationInProgress", "message": "Another operation on this or dependent resource is in progress."}}),
                     Answer(409, body={"error": {"code": "Conflict", "message": "The resource 'hub' is busy with another operation (x)."}}),
                     Answer(201, {"Azure-AsyncOperation": "{base}/scripted/b/st"}))
    pace = fast()
    problems: list[str] = []
    response, target = await begin(clients, "PUT", path, "2023-11-01", {}, pace=pace, on_problem=problems.append)
    assert response.status == 201 and target.mode == "status" and pace.waits == [1.0, 2.0] and len(problems) == 2
    other = script.on("POST", "b/stop", Answer(409, body={"error": {"code": "Conflict", "message": "Cluster 'c' is in state Stopped; it must be Running to stop."}}))
    with pytest.raises(ArmError, match="must be Running"):
        await begin(clients, "POST", other, "1", pace=fast())
    assert script.count("POST", "b/stop") == 1


async def test_busy_conflicts_give_up_at_the_deadline(scripted, monkeypatch) -> None:
    script, clients = scripted
    monkeypatch.setitem(lro.DEADLINES, "arm", ("any other ARM operation", 10.0))
    path = script.on("PUT", "c/x", Answer(409, body={"error": {"code": "AnotherOperationInProgress", "message": "busy"}}))
    with pytest.raises(ArmError, match="busy"):
        await begin(clients, "PUT", path, "1", {}, pace=RecordingPace(speed=10.0))  # 10 s simulated: 1 s
    assert 2 <= script.count("PUT", "c/x") <= 5


@pytest.mark.parametrize("path, kind", [
    ("/subscriptions/s/resourceGroups/r/providers/Microsoft.Kusto/clusters/c/stop", "kusto"),
    ("/subscriptions/s/resourceGroups/r/providers/Microsoft.Fabric/capacities/c", "fabric"),
    ("/subscriptions/s/resourceGroups/r/providers/Microsoft.Synapse/workspaces/w/sqlPools/p/pause", "synapse"),
    ("/subscriptions/s/providers/Microsoft.Resources/deployments/d", "deployment"),
    ("/subscriptions/s/providers/Microsoft.Resources/deployments/d/validate", "validation"),
    ("/subscriptions/s/providers/Microsoft.Resources/deployments/d/whatIf?api-version=1", "validation"),
    ("/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateDnsZones/z/virtualNetworkLinks/l", "network"),
    ("/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a", "arm"),
])
def test_each_kind_has_its_deadline(path, kind) -> None:
    assert kind_of(path) == kind
    assert lro.deadline("kusto") > lro.deadline("fabric") and lro.deadline("deployment") >= lro.deadline("kusto")
