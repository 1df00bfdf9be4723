"""Logs: the redaction filter, the request line, and real runs of `loom` whose log files are scanned."""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import time
from pathlib import Path

import pytest

from loom_tui import logs
from loom_tui.logs import MASK, RedactingFilter, redact, request_line

from .conftest import child_env, loom_bin

JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikxvb20ifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
ACCOUNT_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="

# What must never reach a log file, in any form.
SECRET_PATTERNS = [
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\."),
    re.compile(r"(?i)bearer\s+(?!\[REDACTED\])\S"),
    re.compile(r"(?i)(access_token|refresh_token|id_token|device_code|client_secret)[\"']?\s*[:=]\s*[\"']?(?!\[REDACTED\])\w"),
    re.compile(r"(?i)AccountKey=(?!\[REDACTED\])"),
    re.compile(r"[A-Za-z0-9+/]{86}=="),
]

CASES = [
    ("Authorization: Bearer " + JWT, "Bearer"),
    ("{'Authorization': 'Bearer abc.def-ghi', 'x-ms-date': 'now'}", "x-ms-date"),
    ('{"access_token": "tok-123", "refresh_token": "r-456", "id_token": "i-789", "expires_in": 3599}', "expires_in"),
    ("POST /token grant_type=device_code&device_code=DAQABAAEAAAB&client_id=abc", "client_id=abc"),
    ("client_secret=very-secret-value&scope=x", "scope=x"),
    ("AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey=" + ACCOUNT_KEY + ";", "AccountEndpoint"),
    ("DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc+def/ghi==;EndpointSuffix=core.windows.net", "AccountName=st"),
    ("GET https://st.blob.core.windows.net/c/b?sv=2022&sig=abcDEF%2B123&se=2030", "sv=2022"),
    ("authorization=type%3Dmaster%26ver%3D1.0%26sig%3Dabc", ""),
    ("cosmos key " + ACCOUNT_KEY, "cosmos key"),
    ("id token " + JWT + " end", "end"),
    ("user code: code=ABCD-EFGH", ""),
]


@pytest.mark.parametrize("text,kept", CASES)
def test_redact(text: str, kept: str) -> None:
    out = redact(text)
    assert MASK in out
    assert kept in out
    for pattern in SECRET_PATTERNS:
        assert not pattern.search(out), (pattern.pattern, out)
    for secret in ("tok-123", "r-456", "i-789", "DAQABAAEAAAB", "very-secret-value", "abcDEF", "ABCD-EFGH", "abc+def/ghi"):
        assert secret not in out


def test_registered_secret_is_removed_verbatim() -> None:
    logs.register_secret("plain-looking-value-42")
    assert "plain-looking-value-42" not in redact("connecting with plain-looking-value-42 now")


def test_filter_scrubs_args_and_tracebacks() -> None:
    record = logging.LogRecord("azure", logging.INFO, __file__, 1, "headers %s", ({"Authorization": "Bearer " + JWT},), None)
    try:
        raise ValueError("refresh_token=abcdef123 leaked in an error")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert RedactingFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "abcdef123" not in text and JWT not in text
    assert "ValueError" in text  # the traceback itself is kept


def test_request_line_drops_query_and_credentials() -> None:
    line = request_line("get", "https://user:pw@management.azure.com/subscriptions/1?api-version=2022&code=XYZ", 200, 0.1234, "req-1")
    assert line == "GET https://management.azure.com/subscriptions/1 -> 200 in 123 ms [req=req-1]"


def test_setup_logging_writes_owner_only_rotating_file() -> None:
    path = logs.setup_logging("info")
    try:
        assert path == Path(os.environ["LOOM_STATE_DIR"]) / "loom.log"
        logging.getLogger("msal").info("token response %s", {"access_token": "leaky-token-value"})
        for h in logging.getLogger().handlers:
            h.flush()
        text = path.read_text()
        assert "token response" in text and "leaky-token-value" not in text
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        root = logging.getLogger()
        for h in list(root.handlers):
            if isinstance(h, logging.handlers.RotatingFileHandler):
                root.removeHandler(h)
                h.close()
        logs._handler = None


def _scan_logs(state: Path) -> str:
    files = sorted(state.glob("loom.log*"))
    assert files, f"no log file in {state}"
    text = "\n".join(f.read_text(errors="replace") for f in files)
    for pattern in SECRET_PATTERNS:
        m = pattern.search(text)
        assert m is None, f"secret-looking text in the log: {m.group(0)!r}"
    return text


@pytest.mark.parametrize("argv", [["--version"], ["doctor"], ["doctor", "--json"], ["workspaces", "list"], ["--profile", "prod", "doctor"]])
def test_headless_commands_leave_clean_debug_logs(argv: list[str], tmp_path: Path) -> None:
    cfg = Path(os.environ["LOOM_CONFIG"])
    cfg.write_text(
        "[profiles.prod]\nstore = \"cosmos\"\ntenant_id = \"00000000-0000-0000-0000-000000000001\"\n"
        f"cosmos_endpoint = \"https://127.0.0.1:9/\"\ncosmos_key = \"{ACCOUNT_KEY}\"\n"
    )
    cfg.chmod(0o600)
    env = child_env(LOOM_CLIENT_SECRET="very-secret-value")
    r = subprocess.run([loom_bin(), "--log-level", "debug", *argv], env=env, capture_output=True, text=True, timeout=60)
    if argv[0] == "workspaces" and "invalid choice" in r.stderr:
        pytest.skip("loom workspaces is not there yet")
    assert r.returncode in (0, 1), r.stderr
    text = _scan_logs(Path(os.environ["LOOM_STATE_DIR"]))
    assert "logging to" in text  # debug really was on
    assert ACCOUNT_KEY not in text


@pytest.mark.tmux
def test_tui_session_leaves_clean_debug_log() -> None:
    from tests.support.tmux import Tmux

    h = Tmux()
    try:
        s = h.start([loom_bin(), "--log-level", "debug"], cols=100, rows=30)
        s.wait_for("Active", timeout=30)
        for key in "23451":
            s.send(key)
            time.sleep(0.2)
        s.send("C-q")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and "Active" in s.capture():
            time.sleep(0.05)
    finally:
        h.close()
    text = _scan_logs(Path(os.environ["LOOM_STATE_DIR"]))
    assert "logging to" in text


def test_device_code_sign_in_at_debug_leaves_no_token_in_the_log(tmp_path: Path) -> None:
    """A real sign-in (MSAL over requests/urllib3, all logging at debug) against the local
    device-authorization server: not one of the codes and tokens it issued reaches the log."""
    import json

    from loom_tui.azure.clouds import cloud_from_metadata, register_cloud
    from tests.support.device_auth_server import DeviceAuthServer
    from tests.support.threaded import serve_in_thread

    with serve_in_thread(DeviceAuthServer(tmp_path)) as server:
        server.script = ["pending", "success"]
        doc = {"authentication": {"loginEndpoint": server.url}, "resourceManager": "https://management.lab.invalid/",
               "suffixes": {"storage": "core.lab.invalid"}}
        register_cloud(cloud_from_metadata("Lab", doc, source="test"), replace=True)
        values = {"store": "cosmos", "cosmos_endpoint": "https://127.0.0.1:1/", "cloud": "Lab", "tenant_id": server.tenant,
                  "allow_unencrypted_token_cache": True}
        Path(os.environ["LOOM_CONFIG"]).write_text(
            'default_profile = "lab"\n[profiles.lab]\n' + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()))
        env = child_env(REQUESTS_CA_BUNDLE=server.ca_file)
        r = subprocess.run([loom_bin(), "--log-level", "debug", "login"], env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        assert server.issued_tokens, "the server issued nothing: the test would prove nothing"
        text = _scan_logs(Path(os.environ["LOOM_STATE_DIR"]))
        for secret in server.issued_tokens:
            assert secret not in text
        assert "oauth2/v2.0/token" in text or "POST" in text, "debug logging recorded no HTTP traffic to check"
