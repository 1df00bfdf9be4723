"""Issue 22 item 9 at the operation level: an operation whose status never ends (or cannot be read)
stops at its kind's deadline; a PUT then decides from the resource's own provisioningState and
records how it decided; anything else fails saying loom could not learn how it ended — never
"running" for ever."""

from __future__ import annotations

import pytest

from loom_tui.azure import lro
from tests.azure.conftest import lab_context
from tests.support.arm_server import ArmServer
from tests.support.scripted_arm import Answer, ScriptedArm


@pytest.fixture
async def scripted_ctx(tmp_path, monkeypatch):
    monkeypatch.setitem(lro.DEADLINES, "arm", ("any other ARM operation", 20.0))  # 20 simulated seconds: 1 s at the tests' pace
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
    server = ArmServer(tls=True, tmp=tmp_path)
    script = ScriptedArm(server)
    await server.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", server.ca_file)
    ctx = await lab_context(tmp_path / "db", server)
    try:
        yield script, ctx
    finally:
        await ctx.close()
        await server.stop()


async def test_a_put_past_its_deadline_is_decided_from_the_resource(scripted_ctx) -> None:
    script, ctx = scripted_ctx
    path = script.on("PUT", "thing", Answer(202, {"Location": "{base}/scripted/thing/result", "Retry-After": "1"}))
    script.on("GET", "thing/result", Answer(202, {"Retry-After": "1"}))  # never ends
    script.on("GET", "thing", Answer(200, body={"id": "thing", "properties": {"provisioningState": "Succeeded"}}))
    op = await ctx.operations.start("test.put", "thing", steps=["put"], run=lambda h: h.begin("put", "PUT", path, "1", json={}))
    final = await ctx.operations.wait(op.id)
    assert final.state == "succeeded" and final.steps[0].state == "succeeded"
    assert "decided from the resource: provisioningState Succeeded" in final.steps[0].message
    assert "after 0 min" not in final.steps[0].message and "had not said how it ended" in final.steps[0].message


async def test_a_post_past_its_deadline_fails_saying_loom_could_not_learn_the_end(scripted_ctx) -> None:
    script, ctx = scripted_ctx
    path = script.on("POST", "thing/act", Answer(202, {"Azure-AsyncOperation": "{base}/scripted/thing/st"}))
    script.on("GET", "thing/st", Answer(503, body={"error": {"code": "ServiceUnavailable", "message": "down"}}))  # for ever
    op = await ctx.operations.start("test.post", "thing", steps=["act"], run=lambda h: h.begin("act", "POST", path, "1"))
    final = await ctx.operations.wait(op.id)
    assert final.state == "failed" and final.error.code == "Undecided"
    assert "had not said how it ended" in final.error.message and "check the resource in Azure" in final.error.message
    assert final.poll_url is None  # nothing left to follow: nobody takes it over to loop again
