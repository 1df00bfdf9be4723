""""Where was I?": a small JSON file in the state directory, saved when the terminal goes away.

After an SSH drop the console saves the open area, unsaved form input and wizard progress here,
and on the next start offers to resume.  The write is atomic (temp file in the same directory,
fsync, rename) because it usually happens while the process is being torn down: a half-written
file must never replace a good one.  The file is owner-only: form input can name tenants and
resources.  Secrets are never put in it — callers pass form values, and fields whose names look
secret (password, key, token, secret) are dropped here as a last guard.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from loom_tui import paths
from loom_tui.areas import current_name
from loom_tui.domain.text import visible
from loom_tui.private_files import private_dir

FILE_NAME = "resume.json"
VERSION = 1
MAX_BYTES = 256 * 1024  # a "small" state file; anything bigger is not what we wrote
_SECRETISH = ("password", "secret", "token", "key", "credential")

log = logging.getLogger("loom.resume")


@dataclass
class ResumeState:
    area: str | None = None  # the open area / mode ("workspaces", "capacity", ...)
    screen: str | None = None  # a pushed screen within it, if any
    form: dict[str, str] = field(default_factory=dict)  # unsaved form input: field id -> text
    wizard: dict[str, Any] | None = None  # wizard progress: {"name", "step", "answers"}
    profile: str | None = None
    reason: str = ""  # why it was saved: "SIGHUP", "tty lost", "quit"...
    saved_at: float = 0.0
    version: int = VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def state_file() -> Path:
    return paths.state_dir() / FILE_NAME


def _clean_form(form: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in form.items() if not any(s in str(k).lower() for s in _SECRETISH)}


def save(state: ResumeState, file: Path | None = None) -> Path:
    """Atomically write ``state`` (stamping ``saved_at``); returns the file written."""
    file = file or state_file()
    private_dir(file.parent)
    state.form = _clean_form(state.form)
    state.saved_at = time.time()
    data = json.dumps(state.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".resume-", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, file)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return file


def load(file: Path | None = None) -> ResumeState | None:
    """The saved state, or None when there is none or it is unusable (which is logged, not raised:
    a broken resume file must never stop the console from starting)."""
    file = file or state_file()
    try:
        if file.stat().st_size > MAX_BYTES:
            log.warning("ignoring %s: too large to be a resume file", file)
            return None
        raw = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable resume file %s: %s", file, exc)
        return None
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        log.warning("ignoring resume file %s: unknown version", file)
        return None
    known = set(ResumeState.__dataclass_fields__)
    try:
        state = ResumeState(**{k: v for k, v in raw.items() if k in known})
    except TypeError as exc:
        log.warning("ignoring malformed resume file %s: %s", file, exc)
        return None
    if not isinstance(state.form, dict) or (state.wizard is not None and not isinstance(state.wizard, dict)):
        log.warning("ignoring malformed resume file %s", file)
        return None
    state.form = _clean_form(state.form)
    if state.area:  # saved by an earlier loom that named the area otherwise
        state.area = current_name(str(state.area))
    if state.form.get("form"):
        state.form["form"] = current_name(state.form["form"])
    return state


def clear(file: Path | None = None) -> bool:
    """Forget the saved state (after resuming or declining); True if there was one."""
    try:
        (file or state_file()).unlink()
        return True
    except FileNotFoundError:
        return False


_META = ("form", "title", "prompt", "role", "item_type", "pane")  # form entries that are not fields the operator filled


def describe(state: ResumeState, area_label: str) -> str:
    """What is offered back, for the offer's text: "the New workspace form in Workspaces, 14:02,
    3 fields filled" (local time; the day too when it was not today)."""
    when = ""
    if state.saved_at:
        saved = time.localtime(state.saved_at)
        same_day = time.strftime("%Y-%m-%d", saved) == time.strftime("%Y-%m-%d")
        when = time.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M", saved)
    if state.form.get("form") == "dlz":  # the DLZ wizard, perhaps with a field typed but not submitted
        step, domain, typed = state.form.get("step", ""), state.form.get("domain", ""), state.form.get("typed", "")
        what = f"the DLZ wizard in {area_label}" + (f" at {step}" if step else "") + (f" (draft {domain})" if domain else "")
        parts = [what, when, f"'{typed}' typed in {state.form.get('field', 'the field')}" if typed.strip() else ""]
    elif state.form.get("form") == "detail":  # a workspace open, perhaps a comment being typed in it
        what = f"the workspace {state.form.get('workspace_name') or ''} in {area_label}".replace("workspace  in", "workspace in")
        parts = [what, when, "a comment being typed" if str(state.form.get("text", "")).strip() else ""]
    elif state.form:
        title = state.form.get("title") or {"workspace": "workspace"}.get(state.form.get("form", ""), "")
        filled = sum(1 for k, v in state.form.items() if k not in _META and not k.endswith("_id") and str(v).strip())
        what = f"the {title} form in {area_label}".replace("the  form", "the form")
        parts = [what, when, f"{filled} field{'s' if filled != 1 else ''} filled"]
    else:
        parts = [area_label, when]
    # everything above was read from the file (names, titles and text from the store): made visible once, here
    return visible(", ".join(p for p in parts if p))
