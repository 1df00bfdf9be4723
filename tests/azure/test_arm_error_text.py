"""ARM's error text in full, described in one place (azure/errors.py) for every shape it comes in:
an answer's body, an SDK error model (a deployment's properties.error), an ArmError."""

from __future__ import annotations

from loom_tui.azure.errors import ArmError, arm_error_text, detail_lines

BODY = {"error": {"code": "InvalidTemplateDeployment", "message": "The template deployment 'd' is not valid.",
                  "details": [{"code": "PreflightValidationCheckFailed", "message": "Preflight validation failed.",
                               "details": [{"code": "AccountNameInvalid", "message": "st-x is not a valid storage account name."},
                                           {"code": "VaultAlreadyExists", "message": "The vault name 'kv' is already in use."}]}]}}
FULL = ["InvalidTemplateDeployment: The template deployment 'd' is not valid.",
        "PreflightValidationCheckFailed: Preflight validation failed.",
        "  AccountNameInvalid: st-x is not a valid storage account name.",
        "  VaultAlreadyExists: The vault name 'kv' is already in use."]


def test_an_answers_body_and_its_arm_error_read_the_same_in_full():
    err = ArmError.from_body(400, BODY, method="PUT", url="https://x/")
    assert str(err).splitlines() == FULL
    assert arm_error_text(err) == arm_error_text(BODY) == arm_error_text(BODY["error"])


def test_an_sdk_error_model_reads_the_same():
    from azure.mgmt.resource.deployments import models as m

    parsed = m.ErrorResponse(BODY["error"])  # what the SDK hands back as a deployment's properties.error
    assert parsed.details[0].details[1].code == "VaultAlreadyExists"
    assert arm_error_text(parsed).splitlines() == FULL


def test_nested_details_are_indented_under_their_parent_and_none_is_empty():
    assert detail_lines([{"code": "A", "message": "a", "details": [{"code": "B", "message": "b"}]}]) == ["A: a", "  B: b"]
    assert arm_error_text(None) == ""
    assert arm_error_text(RuntimeError("boom")) == "boom"
