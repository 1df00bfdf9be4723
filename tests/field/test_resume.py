"""The resume file: round trip, atomic replace, owner-only, never trusted blindly, never holds secrets."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from loom_tui.shell import resume
from loom_tui.shell.resume import ResumeState


def test_round_trip_and_clear() -> None:
    state = ResumeState(area="workspaces", screen="edit", form={"name": "Sales [EU]", "desc": "x"},
                        wizard={"name": "setup", "step": 3, "answers": {"cloud": "AzureUSGovernment"}}, profile="prod", reason="SIGHUP")
    file = resume.save(state)
    assert file == Path(os.environ["LOOM_STATE_DIR"]) / "resume.json"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    back = resume.load()
    assert back is not None
    assert (back.area, back.screen, back.form, back.wizard, back.profile, back.reason) == (
        "workspaces", "edit", {"name": "Sales [EU]", "desc": "x"}, {"name": "setup", "step": 3, "answers": {"cloud": "AzureUSGovernment"}},
        "prod", "SIGHUP")
    assert back.saved_at > 0
    assert resume.clear() is True
    assert resume.load() is None
    assert resume.clear() is False


def test_secretish_fields_never_written() -> None:
    resume.save(ResumeState(area="login", form={"tenant": "contoso", "client_secret": "s3cr3t", "cosmos_key": "k", "Password": "p"}))
    text = resume.state_file().read_text()
    assert "s3cr3t" not in text and "cosmos_key" not in text and "Password" not in text
    assert json.loads(text)["form"] == {"tenant": "contoso"}


def test_save_replaces_atomically_and_leaves_no_temp_files() -> None:
    resume.save(ResumeState(area="one"))
    resume.save(ResumeState(area="two"))
    files = sorted(p.name for p in resume.state_file().parent.iterdir())
    assert files == ["resume.json"]
    assert resume.load().area == "two"  # type: ignore[union-attr]


def test_broken_files_are_ignored_not_raised() -> None:
    file = resume.state_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    for content in ("{not json", json.dumps({"version": 99, "area": "x"}), json.dumps(["a"]),
                    json.dumps({"version": 1, "form": "not a dict"}), json.dumps({"version": 1, "wizard": [1]})):
        file.write_text(content)
        assert resume.load() is None, content
    file.write_text(json.dumps({"version": 1, "area": "capacity", "unknown_future_field": 1}))
    assert resume.load().area == "capacity"  # type: ignore[union-attr]


def test_a_file_saved_when_the_dlz_area_was_called_setup_resumes_in_it() -> None:
    resume.save(ResumeState(area="setup", form={"form": "setup", "step": "Domain", "typed": "logis", "field": "the domain"}))
    back = resume.load()
    assert back is not None and back.area == "dlz" and back.form["form"] == "dlz"
    assert resume.describe(back, "DLZ").startswith("the DLZ wizard in DLZ at Domain")


def test_the_offer_shows_stored_names_and_titles_with_their_escapes_made_visible() -> None:
    for form in ({"form": "detail", "workspace_name": "Sales\x1b[2J"}, {"form": "prompt", "title": "New notebook in a\x1b]0;x\x07"},
                 {"form": "dlz", "step": "Domain", "domain": "d\u202e", "typed": "t\x1b"}):
        text = resume.describe(ResumeState(area="workspaces", form=form), "Workspaces")
        assert text.isprintable(), text
